"""The editor's inputs: what a coach types or picks, read exactly and checked before any service runs.

Take rates are typed in percent, as coaches say them ("20", "12.5%"), and become the engine's fraction by moving
the decimal point (``Decimal.scaleb``): nothing is rounded and no float is ever involved, so "12.25" is 0.1225.
Blank means "the default in force" (the offer's own take rate, else the typical one for its kind).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django import forms

from core.fields import PercentField
from core.forms import ControlCharacterGuard
from core.money import read_money
from core.slugs import KEY_REGEX
from funnels.domain.plan import Slot, Stage
from funnels.models import FunnelStatus
from offers.domain.copy import COPY_CODES
from offers.domain.kinds import OfferKind
from offers.models import Offer

THANK_YOU_CHOICE = ""


class Place(StrEnum):
    """Where the editor's "add" forms put an offer, with the kinds of offer that may stand there."""

    BUMP = "bump"
    CHECKOUT_CROSS_SELL = "checkout_cross_sell"
    ONE_CLICK = "one_click"
    THANK_YOU_CROSS_SELL = "thank_you_cross_sell"

    @property
    def stage(self) -> Stage:
        return PLACES[self].stage

    @property
    def slot(self) -> Slot:
        return PLACES[self].slot

    @property
    def kinds(self) -> tuple[OfferKind, ...]:
        return PLACES[self].kinds

    @property
    def noun(self) -> str:
        return PLACES[self].noun

    @property
    def wanted(self) -> str:
        return PLACES[self].wanted


@dataclass(frozen=True)
class PlaceRule:
    stage: Stage
    slot: Slot
    kinds: tuple[OfferKind, ...]
    noun: str  # what the placed offer is called here
    wanted: str  # the offers that may stand here, as a sentence says them


PLACES: dict[Place, PlaceRule] = {
    Place.BUMP: PlaceRule(Stage.CHECKOUT, Slot.BUMP, (OfferKind.ORDER_BUMP,), "an order bump", "an order bump"),
    Place.CHECKOUT_CROSS_SELL: PlaceRule(
        Stage.CHECKOUT, Slot.CROSS_SELL, (OfferKind.CROSS_SELL,), "a cross-sell at the checkout", "a cross-sell"
    ),
    Place.ONE_CLICK: PlaceRule(
        Stage.POST_PURCHASE,
        Slot.ONE_CLICK,
        (OfferKind.UPSELL, OfferKind.DOWNSELL, OfferKind.CROSS_SELL),
        "a step after payment",
        "an upsell, a downsell or a cross-sell",
    ),
    Place.THANK_YOU_CROSS_SELL: PlaceRule(
        Stage.THANK_YOU, Slot.CROSS_SELL, (OfferKind.CROSS_SELL,), "a cross-sell on the thank-you page", "a cross-sell"
    ),
}


def _offer_choices(offers: Iterable[Offer]) -> list[tuple[str, str]]:
    return [(o.key, o.name) for o in offers]


class CoreOfferForm(ControlCharacterGuard, forms.Form):
    core_offer = forms.ChoiceField(
        label="Core offer", error_messages={"invalid_choice": "Choose one of the core offers."}
    )

    def __init__(self, data: Mapping[str, Any] | None, *, offers: list[Offer]) -> None:
        super().__init__(data)
        self.offers = {o.key: o for o in offers}
        core_offer = self.fields["core_offer"]
        assert isinstance(core_offer, forms.ChoiceField)
        core_offer.choices = _offer_choices(offers)

    @property
    def offer(self) -> Offer:
        return self.offers[self.cleaned_data["core_offer"]]


class AddHereForm(ControlCharacterGuard, forms.Form):
    """An offer added where the coach is: one from the catalog (``offer``), or a new one described here
    (name, kind, price, topics, and a key if the coach wants their own). Every field's problem is reported
    at once; the kinds allowed and the answer it follows are checked by the view against the funnel."""

    place = forms.ChoiceField(choices=[(p.value, p.value) for p in Place])
    after = forms.CharField(required=False, max_length=80)
    offer = forms.CharField(required=False, max_length=64)
    new_name = forms.CharField(required=False, max_length=200)
    new_kind = forms.CharField(required=False, max_length=20)
    new_price = forms.CharField(required=False, max_length=20)
    new_topics = forms.CharField(required=False, max_length=300)
    new_key = forms.CharField(required=False, max_length=64)
    take_rate = PercentField(label="Take rate (%)")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        after = str(cleaned.get("after") or "")
        if after:
            source, _, edge = after.partition(":")
            if edge not in ("on_accept", "on_decline") or not source:
                self.add_error("after", "Choose which answer leads to the new step.")
            else:
                cleaned["after_step"], cleaned["after_edge"] = source, edge
        if cleaned.get("offer"):
            return cleaned
        if not str(cleaned.get("new_name") or "").strip():
            self.add_error("new_name", "Give the new offer a name, or choose one from the catalog.")
        price_text = str(cleaned.get("new_price") or "").strip().lstrip("$€£")
        if not price_text:
            self.add_error("new_price", "Give the new offer a price, such as 300.")
        else:
            try:
                cleaned["price"] = read_money(price_text.replace(",", ""))
            except ValueError as wrong:
                said = str(wrong)
                self.add_error(
                    "new_price",
                    f"The price {said}." if said.startswith("must") else "Type the price as a number, such as 300.",
                )
        cleaned["topics"] = tuple(t.strip() for t in str(cleaned.get("new_topics") or "").split(",") if t.strip())
        return cleaned


class TakeRateForm(ControlCharacterGuard, forms.Form):
    take_rate = PercentField(label="Take rate (%)")


class EdgesForm(ControlCharacterGuard, forms.Form):
    """Each answer leads to a step's key, or to the thank-you page (blank)."""

    on_accept = forms.CharField(required=False, max_length=64)
    on_decline = forms.CharField(required=False, max_length=64)


class EdgeForm(ControlCharacterGuard, forms.Form):
    """One answer re-pointed: ``edge`` (on_accept or on_decline) now leads to ``target`` (blank: thank-you)."""

    edge = forms.ChoiceField(
        choices=[("on_accept", "on_accept"), ("on_decline", "on_decline")],
        error_messages={"invalid_choice": "Say which answer leads there: accept or decline."},
    )
    target = forms.CharField(required=False, max_length=64)


class RenameForm(ControlCharacterGuard, forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Give the funnel a name."})


class StatusForm(ControlCharacterGuard, forms.Form):
    status = forms.ChoiceField(
        choices=FunnelStatus.choices, error_messages={"invalid_choice": "Choose Draft, Live or Archived."}
    )


class MoveForm(ControlCharacterGuard, forms.Form):
    direction = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down")], error_messages={"invalid_choice": "Move a step up or down."}
    )


class StartForm(ControlCharacterGuard, forms.Form):
    step = forms.CharField(required=False, max_length=64)


class ReopenForm(ControlCharacterGuard, forms.Form):
    """Which acknowledged finding on an offer's words to open again: the offer (by key) and the code."""

    offer = forms.RegexField(regex=KEY_REGEX, max_length=64)
    code = forms.ChoiceField(choices=[(code, code) for code in COPY_CODES])


class AcknowledgeForm(ReopenForm):
    """A finding on an offer's words marked as reviewed: which one, on which words (``fingerprint``), and why.
    The reason is checked by the service (``offers.services.copy_acknowledge``), which says what is missing."""

    fingerprint = forms.RegexField(regex=r"^[0-9a-f]{64}$")
    reason = forms.CharField(required=False, max_length=1000)


def first_error(form: forms.Form) -> str:
    """The first message of a form, for a refusal shown beside the control that caused it."""
    for errors in form.errors.values():
        for message in errors:
            return str(message)
    return "This change could not be made."
