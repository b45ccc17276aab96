"""Writes to the catalog: validated against the domain's rules, atomic, practice-scoped, and each on the
practice's audit trail (``actor``: who made the change; the system when none is named)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import RestrictedError
from django.utils import timezone

from accounts.audit import SYSTEM, Actor, audit_record
from accounts.models import AuditAction, Practice
from core.money import read_money, read_rate
from core.slugs import KEY_PATTERN
from offers.domain.copy import COPY_CODES, FIELD_LABELS, copy_fingerprint
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind
from offers.models import ACKNOWLEDGEMENT_REASON_MAX, CopyAcknowledgement, Offer, OfferStatus

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
    actor: Actor = SYSTEM,
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
    with transaction.atomic():
        offer.save()
        audit_record(practice=practice, actor=actor, action=AuditAction.OFFER_CREATED, target=key)
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


def offer_update(*, offer: Offer, actor: Actor = SYSTEM, **changes: object) -> Offer:
    unknown = set(changes) - EDITABLE_OFFER_FIELDS
    if unknown:
        raise ValidationError({field: "cannot be changed here" for field in sorted(unknown)})
    changed: list[str] = []
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
        if getattr(offer, field) != value:
            changed.append(field)
        setattr(offer, field, value)
    offer.full_clean()
    with transaction.atomic():
        offer.save()
        if changed:
            audit_record(
                practice=offer.practice,
                actor=actor,
                action=AuditAction.OFFER_UPDATED,
                target=offer.key,
                detail={"changed": changed},
            )
    return offer


def _may_replace(offer: Offer, original: object) -> bool:
    return isinstance(original, Offer) and original.practice_id == offer.practice_id and original.pk != offer.pk


def offer_archive(*, offer: Offer, actor: Actor = SYSTEM) -> Offer:
    with transaction.atomic():
        offer.status = OfferStatus.ARCHIVED
        offer.save(update_fields=["status", "updated_at"])
        audit_record(practice=offer.practice, actor=actor, action=AuditAction.OFFER_ARCHIVED, target=offer.key)
    return offer


def offer_delete(*, offer: Offer, actor: Actor = SYSTEM) -> None:
    """Delete an unused offer. The restricting foreign keys name who uses it, so we can say so.

    RESTRICT (not PROTECT) so that deleting a whole practice still takes its offers and funnels together.
    """
    key, practice = offer.key, offer.practice
    try:
        with transaction.atomic():
            offer.delete()
            audit_record(practice=practice, actor=actor, action=AuditAction.OFFER_DELETED, target=key)
    except RestrictedError as error:
        uses = sorted({str(getattr(o, "funnel", o)) for o in error.restricted_objects})
        raise OfferInUse(OFFER_IN_USE.format(name=f'"{offer.name}"', uses=", ".join(uses))) from None


class AcknowledgementRefused(ValueError):
    """The acknowledgement cannot be recorded as asked; the message says why, in the coach's words."""


class CopyChanged(AcknowledgementRefused):
    """The offer's words changed since the finding was shown: the coach must read the new words first."""


def offer_copy_fields(offer: Offer) -> dict[str, str]:
    """The texts a buyer reads, by field, as the funnel engine's ``OfferSpec.copy_fields`` gives them."""
    return {field: str(getattr(offer, field)) for field in FIELD_LABELS}


def copy_acknowledge(
    *, practice: Practice, offer: Offer, code: str, reason: str, fingerprint: str, actor: Actor = SYSTEM
) -> CopyAcknowledgement:
    """Record that the coach reviewed the ``code`` finding on ``offer``'s words as shown (``fingerprint``).

    The offer's row is locked and its copy fingerprinted again inside the transaction, so words changed by
    someone else since the page was drawn are refused (``CopyChanged``) rather than vouched for unseen.
    A second acknowledgement of the same finding replaces the first.
    """
    said = " ".join(reason.split())
    if code not in COPY_CODES:
        raise AcknowledgementRefused(f'"{code}" is not a finding on an offer\'s words, so it cannot be acknowledged')
    if not said:
        raise AcknowledgementRefused("Say why the words are fine as they are, for whoever reads the funnel next")
    if len(said) > ACKNOWLEDGEMENT_REASON_MAX:
        raise AcknowledgementRefused(
            f"Keep the reason to {ACKNOWLEDGEMENT_REASON_MAX} characters (this has {len(said)})"
        )
    with transaction.atomic():
        current = Offer.objects.select_for_update().filter(pk=offer.pk, practice=practice).first()
        if current is None:
            raise AcknowledgementRefused(f'"{offer.name}" is not an offer of this practice')
        if copy_fingerprint(offer_copy_fields(current), price=current.price, code=code) != fingerprint:
            raise CopyChanged(f'The words of "{current.name}" changed since this page was shown; read them again')
        acknowledgement, _ = CopyAcknowledgement.objects.update_or_create(
            offer=current,
            code=code,
            defaults={
                "reason": said,
                "fingerprint": fingerprint,
                "acknowledged_by": actor.user,
                "acknowledged_at": timezone.now(),
            },
        )
    return acknowledgement


def copy_acknowledgement_withdraw(*, practice: Practice, offer: Offer, code: str) -> bool:
    """Open the finding again (the acknowledgement is deleted); False when there was none."""
    with transaction.atomic():
        deleted, _ = CopyAcknowledgement.objects.filter(offer=offer, offer__practice=practice, code=code).delete()
    return bool(deleted)
