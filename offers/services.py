"""Writes to the catalog: validated against the domain's rules, atomic, practice-scoped."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import RestrictedError

from accounts.models import Practice
from core.money import read_money, read_rate
from core.slugs import KEY_PATTERN
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind
from offers.models import Offer, OfferStatus

OFFER_IN_USE = "{name} is used by {uses}; archive it instead of deleting it."
TOPIC_LIMIT = 20


class OfferInUse(Exception):
    """Deleting the offer would leave a funnel pointing at nothing."""


def normalise_topics(topics: Iterable[str]) -> list[str]:
    """Topics are compared by the relevance checks, so they are stored trimmed, lower-case, sorted, unique."""
    cleaned = sorted({t.strip().lower().replace(" ", "-") for t in topics if t and t.strip()})
    if len(cleaned) > TOPIC_LIMIT:
        raise ValidationError({"topics": f"at most {TOPIC_LIMIT} topics"})
    for topic in cleaned:
        if not KEY_PATTERN.match(topic) or len(topic) > 40:
            raise ValidationError({"topics": f'"{topic}": use lower-case letters, digits and hyphens (at most 40)'})
    return cleaned


def _money(value: object, field: str) -> Decimal:
    try:
        return read_money(value)
    except ValueError as problem:
        raise ValidationError({field: str(problem)}) from None


def _rate(value: object, field: str) -> Decimal | None:
    try:
        return read_rate(value)
    except ValueError as problem:
        raise ValidationError({field: str(problem)}) from None


def offer_create(
    *,
    practice: Practice,
    key: str,
    name: str,
    kind: OfferKind | str,
    price: object,
    topics: Iterable[str] = (),
    replaces: Offer | None = None,
    format: str = "",
    headline: str = "",
    body: str = "",
    accept_label: str = DEFAULT_ACCEPT_LABEL,
    decline_label: str = DEFAULT_DECLINE_LABEL,
    default_take_rate: object = None,
    status: str = OfferStatus.ACTIVE,
    currency: str | None = None,
) -> Offer:
    if not KEY_PATTERN.match(key):
        raise ValidationError({"key": "use 1–64 lower-case letters, digits and hyphens"})
    if replaces is not None and replaces.practice_id != practice.pk:
        raise ValidationError({"replaces": "an offer can only upgrade an offer of the same practice"})
    offer = Offer(
        practice=practice,
        key=key,
        name=name.strip(),
        kind=OfferKind(kind).value,
        price=_money(price, "price"),
        currency=currency or practice.currency,
        replaces=replaces,
        topics=normalise_topics(topics),
        format=format,
        headline=headline,
        body=body,
        accept_label=accept_label,
        decline_label=decline_label,
        default_take_rate=_rate(default_take_rate, "default_take_rate"),
        status=status,
    )
    offer.full_clean()
    offer.save()
    return offer


EDITABLE_OFFER_FIELDS = frozenset(
    {
        "name",
        "kind",
        "price",
        "topics",
        "replaces",
        "format",
        "headline",
        "body",
        "accept_label",
        "decline_label",
        "default_take_rate",
        "status",
    }
)


def offer_update(*, offer: Offer, **changes: object) -> Offer:
    unknown = set(changes) - EDITABLE_OFFER_FIELDS
    if unknown:
        raise ValidationError({field: "cannot be changed here" for field in sorted(unknown)})
    for field, value in changes.items():
        if field == "price":
            value = _money(value, "price")
        elif field == "default_take_rate":
            value = _rate(value, "default_take_rate")
        elif field == "topics":
            value = normalise_topics(value if isinstance(value, list | tuple) else [str(value)])
        elif field == "kind":
            value = OfferKind(str(value)).value
        elif field == "replaces" and value is not None and not _may_replace(offer, value):
            raise ValidationError({"replaces": "an offer can only upgrade another offer of the same practice"})
        setattr(offer, field, value)
    offer.full_clean()
    offer.save()
    return offer


def _may_replace(offer: Offer, original: object) -> bool:
    return isinstance(original, Offer) and original.practice_id == offer.practice_id and original.pk != offer.pk


def offer_archive(*, offer: Offer) -> Offer:
    offer.status = OfferStatus.ARCHIVED
    offer.save(update_fields=["status", "updated_at"])
    return offer


def offer_delete(*, offer: Offer) -> None:
    """Delete an unused offer. The restricting foreign keys name who uses it, so we can say so.

    RESTRICT (not PROTECT) so that deleting a whole practice still takes its offers and funnels together.
    """
    try:
        with transaction.atomic():
            offer.delete()
    except RestrictedError as error:
        uses = sorted({str(getattr(o, "funnel", o)) for o in error.restricted_objects})
        raise OfferInUse(OFFER_IN_USE.format(name=f'"{offer.name}"', uses=", ".join(uses))) from None
