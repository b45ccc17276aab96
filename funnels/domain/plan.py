"""A funnel as plain values: what the rules check and the metrics engine computes.

A plan is built from the database (``funnels.selectors``) or from an interchange file
(``funnels.schemas``); the engine never knows which. Plans are frozen: a what-if is a new plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind, default_take_rate


class Stage(StrEnum):
    """Where a buyer meets an offer, in the order they meet them."""

    CHECKOUT = "checkout"
    POST_PURCHASE = "post_purchase"
    THANK_YOU = "thank_you"

    @property
    def label(self) -> str:
        return {"checkout": "Checkout", "post_purchase": "After payment", "thank_you": "Thank-you page"}[self.value]


class Slot(StrEnum):
    """The place an offer takes within a stage; a stage's slots differ in how the buyer answers."""

    BUMP = "bump"  # a checkbox at the checkout
    CROSS_SELL = "cross_sell"  # shown alongside (checkout) or after (thank-you page)
    ONE_CLICK = "one_click"  # a post-purchase screen with accept and decline

    @property
    def stage_choices(self) -> tuple[Stage, ...]:
        return {
            Slot.BUMP: (Stage.CHECKOUT,),
            Slot.CROSS_SELL: (Stage.CHECKOUT, Stage.THANK_YOU),
            Slot.ONE_CLICK: (Stage.POST_PURCHASE,),
        }[self]


@dataclass(frozen=True)
class OfferSpec:
    """One offer of the catalog, as the engine needs it.

    ``replaces`` names the offer this one upgrades: buying it adds only the difference in price.
    ``practice`` is None where the plan does not know practices (a file); the rules compare it only when set.
    ``archived``: the catalog has taken it off sale (a file does not say, so it is False there).
    """

    key: str
    name: str
    kind: OfferKind
    price: Decimal
    currency: str
    topics: frozenset[str] = frozenset()
    replaces: str | None = None
    format: str = ""
    headline: str = ""
    body: str = ""
    accept_label: str = DEFAULT_ACCEPT_LABEL
    decline_label: str = DEFAULT_DECLINE_LABEL
    default_take_rate: Decimal | None = None
    practice: str | None = None
    archived: bool = False

    @property
    def copy_fields(self) -> dict[str, str]:
        """The texts a buyer reads, by field name, for the honesty checks."""
        return {
            "name": self.name,
            "headline": self.headline,
            "body": self.body,
            "accept_label": self.accept_label,
            "decline_label": self.decline_label,
        }


@dataclass(frozen=True)
class Placement:
    """An offer placed at the checkout (bump or cross-sell) or on the thank-you page.

    ``key`` identifies the placement within its stage (the offer's key when read from a file).
    ``take_rate`` None means: the offer's own default, else the kind's typical default.
    """

    key: str
    offer: str
    slot: Slot
    stage: Stage
    take_rate: Decimal | None = None


@dataclass(frozen=True)
class Step:
    """A one-click post-purchase offer. An edge of None leads to the thank-you page."""

    key: str
    offer: str
    take_rate: Decimal | None = None
    on_accept: str | None = None
    on_decline: str | None = None

    @property
    def stage(self) -> Stage:
        return Stage.POST_PURCHASE

    @property
    def edges(self) -> tuple[tuple[str, str | None], ...]:
        return (("accept", self.on_accept), ("decline", self.on_decline))


@dataclass(frozen=True)
class Thresholds:
    """The practice's limits for the fit checks (DESIGN §3.2 defaults)."""

    price_jump_ratio: Decimal = Decimal("5")
    bump_max_share: Decimal = Decimal("0.5")
    max_one_click_offers: int = 3


@dataclass(frozen=True)
class FunnelPlan:
    """Everything that happens after the first yes, as one value.

    ``core`` is the key of the checkout's core offer; ``start`` the key of the first post-purchase step
    (None: straight to the thank-you page). Steps keep the coach's order, which means nothing to the maths.
    """

    name: str
    currency: str
    offers: tuple[OfferSpec, ...]
    core: str
    bumps: tuple[Placement, ...] = ()
    checkout_cross_sells: tuple[Placement, ...] = ()
    start: str | None = None
    steps: tuple[Step, ...] = ()
    thank_you_cross_sells: tuple[Placement, ...] = ()
    practice: str | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)

    def offer(self, key: str) -> OfferSpec | None:
        return self._offers_by_key.get(key)

    def step(self, key: str) -> Step | None:
        return self._steps_by_key.get(key)

    @property
    def core_offer(self) -> OfferSpec | None:
        return self.offer(self.core)

    @property
    def placements(self) -> Iterator[Placement]:
        yield from self.bumps
        yield from self.checkout_cross_sells
        yield from self.thank_you_cross_sells

    def take_rate(self, placed: Placement | Step) -> Decimal:
        """The take rate in force: the funnel's own, else the offer's, else the typical default for its kind and price.

        An upsell's typical default falls from 15% to 5% as its price climbs from 3× to 5× the core's.
        """
        if placed.take_rate is not None:
            return placed.take_rate
        offer = self.offer(placed.offer)
        if offer is None:
            return Decimal("0")
        if offer.default_take_rate is not None:
            return offer.default_take_rate
        core = self.core_offer
        return default_take_rate(offer.kind, offer.price, core.price if core is not None else None)

    def with_take_rates(self, rates: dict[str, Decimal]) -> FunnelPlan:
        """A copy with some take rates changed, by post-purchase step key or placement key."""
        return replace(
            self,
            bumps=tuple(_with_rate(p, rates) for p in self.bumps),
            checkout_cross_sells=tuple(_with_rate(p, rates) for p in self.checkout_cross_sells),
            steps=tuple(_with_rate(s, rates) for s in self.steps),
            thank_you_cross_sells=tuple(_with_rate(p, rates) for p in self.thank_you_cross_sells),
        )

    @cached_property
    def _offers_by_key(self) -> dict[str, OfferSpec]:
        return _index(self.offers)

    @cached_property
    def _steps_by_key(self) -> dict[str, Step]:
        return _index(self.steps)


def _index[T: (OfferSpec, Step)](items: tuple[T, ...]) -> dict[str, T]:
    found: dict[str, T] = {}
    for item in items:
        found.setdefault(item.key, item)
    return found


def _with_rate[T: (Placement, Step)](placed: T, rates: dict[str, Decimal]) -> T:
    if placed.key in rates:
        return replace(placed, take_rate=rates[placed.key])
    return placed
