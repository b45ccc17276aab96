"""The catalog's forms: they parse what a person typed and hand it to the services, which decide what is valid.

A take rate is typed as a percentage (15 means 15%) and converted exactly (``Decimal.scaleb``), never through a float.
The services' ``ValidationError`` is mapped back onto the field it names, so each problem shows beside its input.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from accounts.audit import SYSTEM, Actor
from accounts.models import Practice
from core.fields import PercentField
from core.forms import ControlCharacterGuard
from core.money import money_problem, percent_input, to_decimal
from core.slugs import KEY_PATTERN
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind
from offers.models import Offer, OfferStatus
from offers.selectors import offer_choices, offer_keys_taken
from offers.services import ProposedChange, normalise_topics, offer_create, offer_update, offer_update_preview

KEY_TAKEN = "Another offer in this practice already has this key; choose another."
FORMAT_SUGGESTIONS = ("course", "one_on_one", "group", "community", "audio", "digital", "physical")


def kind_choices() -> list[tuple[str, str]]:
    """Each kind with the primer's words: "Upsell — go bigger"."""
    return [(kind.value, kind_label(kind.value)) for kind in OfferKind]


def kind_label(kind: str) -> str:
    try:
        known = OfferKind(kind)
    except ValueError:
        return kind
    return f"{known.label} — {known.primer_words}"


def sentence(message: str) -> str:
    """The services speak in fragments ("has more than 2 decimal places"); a form shows a sentence."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else f"{message}."


class OfferForm(ControlCharacterGuard, forms.Form):
    """Create (with ``key``) or edit (without) one offer of ``practice``."""

    key = forms.CharField(
        max_length=64,
        help_text="Lower-case letters, digits and hyphens, such as three-calls. Funnel files use it; "
        "it cannot be changed later.",
        error_messages={"required": "Give the offer a key, such as three-calls."},
    )
    name = forms.CharField(
        max_length=200,
        help_text="What the buyer sees, such as Three 1-on-1 coaching calls.",
        error_messages={"required": "Give the offer a name."},
    )
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind…"), *kind_choices()],
        error_messages={"required": "Choose what kind of offer this is."},
    )
    price = forms.CharField(
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text="In the practice's currency, at most 2 decimal places, such as 300 or 19.99.",
        error_messages={"required": "Enter a price, such as 97 or 19.99."},
    )
    topics = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Separated by commas, such as anxiety, sleep. Offers that share a topic feel related.",
    )
    replaces = forms.ModelChoiceField(
        queryset=Offer.objects.none(),
        required=False,
        to_field_name="key",
        empty_label="Nothing: it is not an upgrade",
        label="Upgrades",
        help_text="If it is an upgrade of another offer, buying it adds only the difference in price.",
    )
    format = forms.CharField(
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"list": "format-suggestions", "autocomplete": "off"}),
        help_text="How it is delivered, such as course, one_on_one or group.",
    )
    headline = forms.CharField(required=False, max_length=300)
    body = forms.CharField(
        required=False,
        max_length=5000,
        label="Description",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the buyer gets. Keep it honest: no promised outcomes, no invented deadlines.",
    )
    accept_label = forms.CharField(
        max_length=100,
        label="Yes button",
        initial=DEFAULT_ACCEPT_LABEL,
        error_messages={"required": "The buyer needs a button to say yes."},
    )
    decline_label = forms.CharField(
        required=False,
        max_length=100,
        label="No button",
        initial=DEFAULT_DECLINE_LABEL,
        help_text="A one-click offer always needs a clear way to say no.",
    )
    default_take_rate = PercentField(
        max_length=12,
        label="Expected take rate (%)",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text="The share of buyers you expect to say yes, such as 15. "
        "Leave it empty to use the typical figure for its kind.",
    )
    status = forms.ChoiceField(choices=OfferStatus.choices, initial=OfferStatus.ACTIVE)

    def __init__(self, *args: Any, practice: Practice, offer: Offer | None = None, **kwargs: Any) -> None:
        self.practice = practice
        self.offer = offer
        if offer is not None:
            kwargs.setdefault("initial", self.initial_from(offer))
        super().__init__(*args, **kwargs)
        replaces = self.fields["replaces"]
        assert isinstance(replaces, forms.ModelChoiceField)
        replaces.queryset = offer_choices(practice=practice, exclude_key=offer.key if offer else None)
        replaces.label_from_instance = lambda obj: f"{obj.name} ({obj.key})"  # type: ignore[method-assign]
        if offer is not None:
            del self.fields["key"]

    @staticmethod
    def initial_from(offer: Offer) -> dict[str, Any]:
        return {
            "name": offer.name,
            "kind": offer.kind,
            "price": f"{offer.price:f}",
            "topics": ", ".join(offer.topics),
            "replaces": offer.replaces,
            "format": offer.format,
            "headline": offer.headline,
            "body": offer.body,
            "accept_label": offer.accept_label,
            "decline_label": offer.decline_label,
            "default_take_rate": percent_input(offer.default_take_rate),
            "status": offer.status,
        }

    def clean_key(self) -> str:
        """The key's shape and uniqueness are checked here, not left to the service: the service refuses one
        problem at a time and only once every other field is valid, so the key's error came last, alone."""
        key = str(self.cleaned_data["key"]).strip()
        if not KEY_PATTERN.match(key):
            raise ValidationError("Use 1–64 lower-case letters, digits and hyphens.", code="invalid")
        if key in offer_keys_taken(practice=self.practice, prefix=key):
            raise ValidationError(KEY_TAKEN, code="unique")
        return key

    def clean_price(self) -> Decimal:
        """Checked here as well as in the service, so a bad price and a bad take rate show together."""
        text = str(self.cleaned_data["price"]).strip()
        try:
            price = to_decimal(text)
        except (InvalidOperation, ValueError):
            raise ValidationError("Enter a price such as 97 or 19.99.", code="invalid") from None
        problem = money_problem(price)
        if problem:
            raise ValidationError(sentence(problem), code="invalid")
        return price

    def clean_topics(self) -> list[str]:
        """Read with the service's own rule (``normalise_topics``) so a bad topic shows with the other errors."""
        topics = [t for t in (part.strip() for part in str(self.cleaned_data["topics"]).split(",")) if t]
        try:
            normalise_topics(topics)
        except ValidationError as problem:
            raise ValidationError([sentence(m) for m in problem.messages], code="invalid") from None
        return topics

    def changes(self) -> dict[str, Any]:
        """The cleaned values as the services' keyword arguments (without ``key``)."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "price": data["price"],
            "topics": data["topics"],
            "replaces": data["replaces"],
            "format": data["format"].strip(),
            "headline": data["headline"].strip(),
            "body": data["body"].strip(),
            "accept_label": data["accept_label"].strip(),
            "decline_label": data["decline_label"].strip(),
            "default_take_rate": data["default_take_rate"],
            "status": data["status"],
        }

    def preview(self) -> ProposedChange | None:
        """What saving the edit would change, in the offer and in the funnels that use it, without writing; on
        the service's refusal the errors land on the form and None returns. A new offer is in no funnel yet."""
        try:
            if self.offer is None:
                return ProposedChange({})
            return offer_update_preview(practice=self.practice, offer=self.offer, **self.changes())
        except ValidationError as error:
            self.add_service_errors(error)
            return None

    def submit(self, *, actor: Actor = SYSTEM, expected_versions: dict[str, int] | None = None) -> Offer | None:
        """Create or update through the services; on their refusal, the errors land on the form and None returns.

        Call only after ``is_valid()``. The services validate everything before they write, so a refusal
        leaves the database as it was. ``actor`` is who the audit trail names; ``expected_versions`` are the
        versions of the funnels the change was shown to affect (``offers.impact.FunnelsChanged`` when they moved).
        """
        try:
            if self.offer is None:
                return offer_create(practice=self.practice, key=self.cleaned_data["key"], actor=actor, **self.changes())
            return offer_update(offer=self.offer, actor=actor, expected_versions=expected_versions, **self.changes())
        except ValidationError as error:
            self.add_service_errors(error)
            return None

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, [sentence(m) for m in error.messages])
            return
        for field, problems in error.error_dict.items():
            for problem in problems:
                target, message = self._place(field, problem)
                self.add_error(target, message)

    def _place(self, field: str, problem: ValidationError) -> tuple[str | None, str]:
        message = sentence(" ".join(problem.messages))
        if field == NON_FIELD_ERRORS and problem.code in {"unique", "unique_together"} and "key" in self.fields:
            return "key", KEY_TAKEN
        if field == "default_take_rate":
            # the service speaks in rates (0..1); this field is a percentage
            return field, "Enter a percentage between 0 and 100, with at most 2 decimal places."
        return (field if field in self.fields else None), message


class CatalogFilterForm(ControlCharacterGuard, forms.Form):
    """The catalog's filters, read from the query string; a value that is not a choice is ignored."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, key or headline", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(required=False, choices=[("", "All kinds"), *kind_choices()])
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *OfferStatus.choices])

    def criteria(self) -> dict[str, str | None]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "search": (cleaned.get("q") or "").strip() or None,
            "kind": cleaned.get("kind") or None,
            "status": cleaned.get("status") or None,
        }
