"""The list page's "New funnel" forms: blank (from a core offer, or a new one typed here) or from a demo file."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

from django import forms

from core.forms import ControlCharacterGuard
from core.money import format_money, read_money
from funnels.services.demo import DEMO_DIR, DEMO_FILES
from offers.models import Offer


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
