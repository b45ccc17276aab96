"""The choices the editor fetches when a coach opens a control, rather than rendering them into every card.

Three controls ask for them: "add an offer here" (the catalog's offers that may stand there, and a new offer's
kinds, with a sensible first choice), "change where this answer leads" (the other after-payment steps), and
"change the core offer" (the catalog's core offers). Each is one small htmx GET, so the page's size grows
with the funnel and not with the funnel times the catalog.

Pure presentation over rows the view read through selectors: no queries here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.money import format_money
from funnels.domain.plan import Stage
from funnels.forms import Place
from funnels.models import Funnel, FunnelStep
from funnels.presenters.editor_rows import EDGE_WORDS
from offers.domain.kinds import OfferKind
from offers.models import Offer, OfferStatus


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class AddChoices:
    """What the "add an offer here" form offers: where it goes, the catalog's fitting offers by kind, and
    the kinds a new offer may have there (the first the likeliest: a downsell after an upsell's no)."""

    place: Place
    after: str  # "up1:on_decline", or "" (the checkout, the thank-you page, or the first step after payment)
    title: str
    catalog: tuple[tuple[str, tuple[Choice, ...]], ...]
    kinds: tuple[Choice, ...]
    topics: str  # the core offer's topics, a new offer's first guess, so the fit checks have something to compare
    anchor: str  # a unique id prefix for the form's fields

    @property
    def has_catalog(self) -> bool:
        return any(choices for _, choices in self.catalog)


DRAFT = " (draft)"


def _fits(offer: Offer, funnel: Funnel) -> bool:
    """On sale or in draft, in the funnel's currency: the offers that may be placed in it."""
    return offer.currency == funnel.currency and offer.status != OfferStatus.ARCHIVED


def kinds_for(place: Place, after: FunnelStep | None, edge: str) -> tuple[OfferKind, ...]:
    """The kinds that may stand here, likeliest first. A downsell only follows an upsell's no (timing rules)."""
    if place is not Place.ONE_CLICK:
        return place.kinds
    if after is not None and edge == "on_decline" and after.offer.kind == OfferKind.UPSELL:
        return (OfferKind.DOWNSELL, OfferKind.CROSS_SELL, OfferKind.UPSELL)
    return (OfferKind.UPSELL, OfferKind.CROSS_SELL)


def _title(place: Place, after: FunnelStep | None, edge: str) -> str:
    if after is not None:
        return f"If they {EDGE_WORDS[edge]} “{after.offer.name}”, offer…"
    return {
        Place.BUMP: "Add an order bump",
        Place.CHECKOUT_CROSS_SELL: "Add a cross-sell alongside the checkout",
        Place.ONE_CLICK: "Add a step right after payment",
        Place.THANK_YOU_CROSS_SELL: "Add a cross-sell to the thank-you page",
    }[place]


def add_choices(
    *,
    funnel: Funnel,
    place: Place,
    catalog: Sequence[Offer],
    used: set[int],
    after: FunnelStep | None = None,
    edge: str = "on_decline",
) -> AddChoices:
    """The add form's choices; offers already on this funnel's page are left out of the catalog list."""
    kinds = kinds_for(place, after, edge)
    groups = []
    for kind in kinds:
        offers = tuple(
            Choice(
                o.key,
                f"{o.name} — {format_money(o.price, funnel.currency)}{DRAFT if o.status == OfferStatus.DRAFT else ''}",
            )
            for o in catalog
            if o.kind == kind and _fits(o, funnel) and o.pk not in used
        )
        groups.append((f"{kind.label}: {kind.primer_words}", offers))
    after_value = f"{after.key}:{edge}" if after is not None else ""
    return AddChoices(
        place=place,
        after=after_value,
        title=_title(place, after, edge),
        catalog=tuple(groups),
        kinds=tuple(Choice(k.value, f"{k.label} ({k.primer_words})", i == 0) for i, k in enumerate(kinds)),
        topics=", ".join(funnel.core_offer.topics or []),
        anchor=f"add-{place.value}" + (f"-{after.key}-{EDGE_WORDS[edge]}" if after is not None else ""),
    )


def target_choices(step: FunnelStep, edge: str, steps: Sequence[FunnelStep]) -> tuple[Choice, ...]:
    """Where an answer may lead: the thank-you page or another after-payment step, by the offer's name."""
    current = getattr(step, f"{edge}_id")
    choices = [Choice("", "The thank-you page", current is None)]
    for other in steps:
        if other.stage == Stage.POST_PURCHASE and other.pk != step.pk:
            choices.append(
                Choice(other.key, f"{other.offer.name} — {OfferKind(other.offer.kind).label}", other.pk == current)
            )
    return tuple(choices)


def core_choices(funnel: Funnel, catalog: Sequence[Offer]) -> tuple[Choice, ...]:
    """The catalog's core offers in the funnel's currency, and the current one even if archived since."""
    cores = [o for o in catalog if o.kind == OfferKind.CORE and _fits(o, funnel)]
    if funnel.core_offer_id not in {o.pk for o in cores}:
        cores.insert(0, funnel.core_offer)
    return tuple(
        Choice(o.key, f"{o.name} — {format_money(o.price, funnel.currency)}", o.pk == funnel.core_offer_id)
        for o in cores
    )
