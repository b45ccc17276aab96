"""The editor's inputs: what a coach types or picks, read exactly and checked before any service runs.

Take rates are typed in percent, as coaches say them ("20", "12.5%"), and become the engine's fraction by moving
the decimal point (``Decimal.scaleb``): nothing is rounded and no float is ever involved, so "12.25" is 0.1225.
Blank means "the default in force" (the offer's own take rate, else the typical one for its kind).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from core.fields import PercentField
from core.forms import ControlCharacterGuard
from core.money import format_money, read_money
from core.slugs import KEY_REGEX, SLUG_MAX, SLUG_PATTERN
from funnels.domain.plan import Slot, Stage
from funnels.interchange.limits import MAX_FILE_BYTES
from funnels.models import RESERVED_SLUGS, FunnelStatus
from funnels.services.demo import DEMO_DIR, DEMO_FILES
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


class StepAddForm(ControlCharacterGuard, forms.Form):
    """An offer for one of the four places; ``after`` ("up1:on_decline") links a new step from an answer."""

    place = forms.ChoiceField(choices=[(p.value, p.value) for p in Place])
    offer = forms.CharField(max_length=64, error_messages={"required": "Choose an offer to add."})
    take_rate = PercentField(label="Take rate (%)")
    after = forms.CharField(required=False, max_length=80)

    def __init__(self, data: Mapping[str, Any] | None, *, offers: list[Offer]) -> None:
        super().__init__(data)
        self.offers = {o.key: o for o in offers}

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        place_value, key = cleaned.get("place"), cleaned.get("offer")
        if place_value and key:
            place = Place(place_value)
            offer = self.offers.get(str(key))
            if offer is None or OfferKind(offer.kind) not in place.kinds:
                self.add_error("offer", f"Choose {place.wanted} from the catalog.")
            else:
                cleaned["offer_obj"] = offer
            after = str(cleaned.get("after") or "")
            if after:
                if place is not Place.ONE_CLICK:
                    self.add_error("after", "Only steps after payment follow an answer.")
                else:
                    source, _, edge = after.partition(":")
                    if edge not in ("on_accept", "on_decline") or not source:
                        self.add_error("after", "Choose which answer leads to the new step.")
                    else:
                        cleaned["after_step"], cleaned["after_edge"] = source, edge
        return cleaned


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


# -- a new funnel -----------------------------------------------------------------------------------------


@cache
def demo_choices() -> tuple[tuple[str, str], ...]:
    """The demo funnel files, by the name each one carries."""
    return tuple((name, json.loads((DEMO_DIR / name).read_bytes())["name"]) for name in DEMO_FILES)


NEW_CORE_OFFER = "new"
"""The core-offer choice that makes a new core offer from the form's name and price instead of picking one."""
PRICE_EXAMPLE = "Enter a price such as 97 or 19.99."


class BlankFunnelForm(ControlCharacterGuard, forms.Form):
    """A funnel from its first yes alone: one of the catalog's core offers, or a new one typed here (name and
    price), so a coach whose catalog is still empty can start without visiting the catalog first.

    Without core offers in the catalog the choice is left out and the new offer's fields are required. Every
    problem is reported at once, beside its field; ``funnels.services.creation.funnel_start`` does the writing.
    """

    name = forms.CharField(
        max_length=200,
        required=False,
        label="Funnel name",
        help_text="Left empty, the funnel is named after its core offer. For example: Calm course, spring launch.",
    )
    core_offer = forms.ChoiceField(
        label="Core offer",
        required=False,
        help_text="The first yes: what the buyer pays for at the checkout.",
        error_messages={"invalid_choice": "Choose one of your catalog's core offers."},
    )
    offer_name = forms.CharField(
        max_length=200,
        required=False,
        label="Core offer's name",
        help_text="What the buyer pays for at the checkout, such as Calm Your Nervous System. "
        "It is added to your catalog.",
    )
    offer_price = forms.CharField(
        max_length=30,
        required=False,
        label="Core offer's price",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text="At most 2 decimal places, such as 97 or 19.99.",
    )

    def __init__(self, *args: Any, core_offers: list[Offer], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "blank-%s")
        super().__init__(*args, **kwargs)
        self.offers = {str(offer.pk): offer for offer in core_offers}
        if not core_offers:
            del self.fields["core_offer"]
            return
        core_offer = self.fields["core_offer"]
        assert isinstance(core_offer, forms.ChoiceField)
        core_offer.choices = [
            *((str(o.pk), f"{o.name} ({format_money(o.price, o.currency)})") for o in core_offers),
            (NEW_CORE_OFFER, "A new core offer (its name and price below)"),
        ]
        self.fields["offer_name"].label = "New core offer's name"
        self.fields["offer_name"].help_text = "Only for a new core offer: what the buyer pays for at the checkout."
        self.fields["offer_price"].label = "New core offer's price"

    @property
    def makes_core_offer(self) -> bool:
        """True when the funnel starts on a new core offer typed into this form."""
        return "core_offer" not in self.fields or self.data.get(self.add_prefix("core_offer")) == NEW_CORE_OFFER

    def clean_core_offer(self) -> Offer | None:
        chosen = self.cleaned_data["core_offer"]
        if chosen == NEW_CORE_OFFER:
            return None
        if chosen not in self.offers:
            raise forms.ValidationError("Choose one of your catalog's core offers, or a new one.")
        return self.offers[chosen]

    def clean_offer_price(self) -> Decimal | None:
        text = str(self.cleaned_data["offer_price"]).strip()
        if not text:
            return None
        try:
            return read_money(text)
        except ValueError as problem:
            said = str(problem)
            if "not an amount" in said:
                raise forms.ValidationError(PRICE_EXAMPLE, code="invalid") from None
            raise forms.ValidationError(f"{said[0].upper()}{said[1:]}.", code="invalid") from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.makes_core_offer:
            if not str(cleaned.get("offer_name") or "").strip() and "offer_name" not in self.errors:
                self.add_error("offer_name", "Give the core offer a name, such as Calm Your Nervous System.")
            if cleaned.get("offer_price") is None and "offer_price" not in self.errors:
                self.add_error("offer_price", "Enter the core offer's price, such as 97 or 19.99.")
        return cleaned


class DemoFunnelForm(ControlCharacterGuard, forms.Form):
    demo = forms.ChoiceField(label="Demo funnel", choices=demo_choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "demo-%s")
        super().__init__(*args, **kwargs)


# -- import -------------------------------------------------------------------------------------------------


FILE_NAME_MAX = 120
TOO_BIG = f"The file is larger than {MAX_FILE_BYTES // 1_000_000} MB, the most a funnel file may be."


def clean_slug(value: str) -> str:
    slug = value.strip()
    if not slug:
        return ""
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
        raise forms.ValidationError(
            f"Use 1-{SLUG_MAX} lower-case letters, digits and single hyphens, such as calm-spring-launch."
        )
    if slug in RESERVED_SLUGS:
        raise forms.ValidationError(f'"{slug}" is the address of one of the app\'s pages; choose another.')
    return slug


class UploadForm(ControlCharacterGuard, forms.Form):
    file = forms.FileField(
        label="Funnel file",
        help_text="An Offer Architect funnel file (.json) of at most 1 MB, such as one exported from a funnel.",
        widget=forms.FileInput(attrs={"accept": ".json,application/json"}),
        error_messages={"required": "Choose a funnel file (.json) to import.", "empty": "The file is empty."},
    )
    slug = forms.CharField(
        required=False,
        max_length=200,
        label="Address (optional)",
        help_text="The funnel's address: /funnels/<address>/. Left empty, it is made from the funnel's name.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "import-%s")
        super().__init__(*args, **kwargs)

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:  # before reading a byte of it
            raise forms.ValidationError(TOO_BIG, code="too_big")
        return upload

    def clean_slug(self) -> str:
        return clean_slug(self.cleaned_data["slug"])


class ConfirmForm(ControlCharacterGuard, forms.Form):
    """The second post. ``document`` is whatever the browser sent back: it is checked again in full."""

    document = forms.CharField(
        strip=False, error_messages={"required": "The confirmation did not carry the file; choose it again."}
    )
    slug = forms.CharField(required=False, max_length=200)
    file_name = forms.CharField(required=False, max_length=1000)

    def clean_document(self) -> str:
        # a form post sends line breaks as CRLF; JSON allows raw line breaks only between values
        return str(self.cleaned_data["document"]).replace("\r\n", "\n")

    def clean_slug(self) -> str:
        return clean_slug(self.cleaned_data["slug"])

    def clean_file_name(self) -> str:
        return shown_file_name(self.cleaned_data["file_name"])


def shown_file_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    return name if len(name) <= FILE_NAME_MAX else name[: FILE_NAME_MAX - 1] + "…"
