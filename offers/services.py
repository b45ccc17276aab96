"""Writes to the catalog: validated against the domain's rules, atomic, practice-scoped, and each on the
practice's audit trail (``actor``: who made the change; the system when none is named)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, RestrictedError
from django.utils import timezone
from django.utils.text import slugify

from accounts.audit import SYSTEM, Actor, audit_record
from accounts.models import AuditAction, Practice
from core.money import CURRENCY_PATTERN, format_money, format_percent, read_money, read_rate
from core.slugs import KEY_PATTERN, slug_base, unique_slug
from offers.domain.copy import COPY_CODES, FIELD_LABELS, copy_fingerprint
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind
from offers.impact import IMPACT_FIELDS, FunnelImpact, catalog_impact, impact_versions, proposal_digest
from offers.models import ACKNOWLEDGEMENT_REASON_MAX, CopyAcknowledgement, Offer, OfferStatus
from offers.selectors import offer_keys_taken

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


def catalog_changed(practice_id: int) -> None:
    """Count one more change of the practice's catalog (``Practice.catalog_version``): the cached analyses of its
    funnels are keyed by it, since a new name or new words change their findings without moving their versions.
    Called inside the change's transaction, so a rolled-back change counts nothing."""
    Practice.objects.filter(pk=practice_id).update(catalog_version=F("catalog_version") + 1)


OFFER_KEY_MAX = 64


def offer_key_from_name(*, practice: Practice, name: str, fallback: str = "offer") -> str:
    """A new offer's key made from its name ("Three 1-on-1 coaching calls" -> three-1-on-1-coaching-calls),
    numbered (``-2``, ``-3``…) when the practice has it already, since keys are unique in a practice; short
    enough to leave room for the number."""
    base = slug_base(slugify(name)[: OFFER_KEY_MAX - 4].strip("-"), fallback=fallback)
    return unique_slug(base=base, taken=offer_keys_taken(practice=practice, prefix=base))


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
        catalog_changed(practice.pk)
    return offer


EDITABLE_OFFER_FIELDS = frozenset(
    {
        "name",
        "kind",
        "price",
        "currency",
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


@dataclass(frozen=True)
class ProposedChange:
    """A change to one offer, checked but not written: the fields it changes (their new values) and what it
    would do to each funnel that uses the offer. ``impacts`` is empty when no funnel uses the offer or only
    its name and words change; otherwise the change is shown and confirmed before it is saved."""

    changes: dict[str, object]
    impacts: list[FunnelImpact] = dataclasses.field(default_factory=list)
    summary: str = ""  # what a funnel would see change, in words ("price of … $300.00 → $350.00 in the catalog")

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.impacts)

    @property
    def digest(self) -> str:
        return proposal_digest(self.changes)

    @property
    def versions(self) -> dict[str, int]:
        return impact_versions(self.impacts)


def _normalised(offer: Offer, field: str, value: object) -> object:
    if field == "price":
        return _money(value, "price")
    if field == "default_take_rate":
        return _rate(value, "default_take_rate")
    if field == "topics":
        return normalise_topics(value if isinstance(value, list | tuple) else [str(value)])
    if field == "kind":
        return OfferKind(str(value)).value
    if field == "currency":
        code = str(value).strip().upper()
        if not CURRENCY_PATTERN.match(code):
            raise ValidationError({"currency": "use a three-letter currency code, such as USD"})
        return code
    if field == "replaces" and value is not None and not _may_replace(offer, value):
        raise ValidationError({"replaces": "an offer can only upgrade another offer of the same practice"})
    return value


def _checked_changes(offer: Offer, changes: Mapping[str, object]) -> dict[str, object]:
    """The fields ``changes`` would really change, with their stored values; a copy of the offer is validated
    with them, so a refusal shows before anything is written and the offer itself is left as it is."""
    unknown = set(changes) - EDITABLE_OFFER_FIELDS
    if unknown:
        raise ValidationError({field: "cannot be changed here" for field in sorted(unknown)})
    values = {field: _normalised(offer, field, value) for field, value in changes.items()}
    candidate = copy.copy(offer)
    for field, value in values.items():
        setattr(candidate, field, value)
    candidate.full_clean()
    return {field: value for field, value in values.items() if getattr(offer, field) != value}


def _touches_funnels(offer: Offer, changed: Mapping[str, object]) -> bool:
    """Whether a funnel using the offer would see the change in its findings or figures: anything but the
    name and words, and of the status only going into or out of the archive."""
    fields = set(changed) & IMPACT_FIELDS
    if "status" in fields and OfferStatus.ARCHIVED not in (offer.status, changed["status"]):
        fields.discard("status")
    return bool(fields)


def offer_update_preview(*, practice: Practice, offer: Offer, **changes: object) -> ProposedChange:
    """What ``offer_update`` with these changes would change, in the offer and in the funnels that use it.
    Reads only; raises ``ValidationError`` as ``offer_update`` would."""
    changed = _checked_changes(offer, changes)
    if not _touches_funnels(offer, changed):
        return ProposedChange(changed)
    impacts = catalog_impact().preview(practice=practice, offer=offer, changes=changed)
    return ProposedChange(changed, impacts, change_summary(offer, changed))


def offer_update(
    *, offer: Offer, actor: Actor = SYSTEM, expected_versions: Mapping[str, int] | None = None, **changes: object
) -> Offer:
    """Change the offer. A change the funnels using it would see (kind, price, currency, topics, upgrade,
    take rate, archiving) moves each of those funnels to its next version in the same transaction, so an
    editor open on one gets a 409. ``expected_versions``: the funnels' versions its impact was shown at; when
    they moved meanwhile, ``FunnelsChanged`` is raised and nothing is written."""
    changed = _checked_changes(offer, changes)
    summary = change_summary(offer, changed)
    touches = _touches_funnels(offer, changed)
    with _restored_on_refusal(offer, changed), transaction.atomic():
        for field, value in changed.items():
            setattr(offer, field, value)
        offer.save()
        if changed:
            catalog_changed(offer.practice_id)
            audit_record(
                practice=offer.practice,
                actor=actor,
                action=AuditAction.OFFER_UPDATED,
                target=offer.key,
                detail={"changed": list(changed)},
            )
        if touches:
            catalog_impact().apply(
                practice=offer.practice,
                offer=offer,
                actor=actor,
                summary=summary,
                expected_versions=expected_versions,
            )
    return offer


@contextmanager
def _restored_on_refusal(offer: Offer, changed: Mapping[str, object]) -> Iterator[None]:
    """When the write is refused (``FunnelsChanged``, a database error), the transaction is rolled back: so are
    the offer's fields in memory, so that what the caller shows next is the stored offer."""
    before = {field: getattr(offer, field) for field in changed}
    try:
        yield
    except BaseException:
        for field, value in before.items():
            setattr(offer, field, value)
        raise


def change_summary(offer: Offer, changed: Mapping[str, object]) -> str:
    """The change in a sentence for each funnel's history: 'price of "Three 1-on-1 coaching calls"
    $300.00 → $350.00 in the catalog'. Only what a funnel would see is named."""
    name = f'"{offer.name}"'
    parts: list[str] = []
    for field, value in changed.items():
        if field == "kind":
            parts.append(f"kind of {name} {OfferKind(offer.kind).label} → {OfferKind(str(value)).label}")
        elif field == "price" and isinstance(value, Decimal):
            before, after = format_money(offer.price, offer.currency), format_money(value, offer.currency)
            parts.append(f"price of {name} {before} → {after}")
        elif field == "currency":
            parts.append(f"currency of {name} {offer.currency} → {value}")
        elif field == "topics" and isinstance(value, list):
            parts.append(f"topics of {name} {_topics(offer.topics)} → {_topics(value)}")
        elif field == "replaces":
            before = f'"{offer.replaces.name}"' if offer.replaces else "nothing"
            after = f'"{value.name}"' if isinstance(value, Offer) else "nothing"
            parts.append(f"what {name} upgrades {before} → {after}")
        elif field == "default_take_rate":
            parts.append(f"expected take rate of {name} {_rate_text(offer.default_take_rate)} → {_rate_text(value)}")
        elif field == "status" and OfferStatus.ARCHIVED in (offer.status, value):
            parts.append(f"{name} archived" if value == OfferStatus.ARCHIVED else f"{name} back on sale")
    return "; ".join(parts) + " in the catalog" if parts else ""


def _topics(topics: Iterable[str]) -> str:
    return ", ".join(topics) or "none"


def _rate_text(rate: object) -> str:
    return format_percent(rate) if isinstance(rate, Decimal) else "the typical figure"


def _may_replace(offer: Offer, original: object) -> bool:
    return isinstance(original, Offer) and original.practice_id == offer.practice_id and original.pk != offer.pk


def offer_archive_preview(*, practice: Practice, offer: Offer) -> ProposedChange:
    """What archiving the offer would do to the funnels that use it (reads only)."""
    return offer_update_preview(practice=practice, offer=offer, status=OfferStatus.ARCHIVED)


def offer_archive(*, offer: Offer, actor: Actor = SYSTEM, expected_versions: Mapping[str, int] | None = None) -> Offer:
    """Take the offer off sale; it stays in the catalog and in its funnels, which gain an ``archived-offer``
    warning and their next version (``FunnelsChanged`` as in ``offer_update``)."""
    already = offer.status == OfferStatus.ARCHIVED
    summary = change_summary(offer, {"status": OfferStatus.ARCHIVED})
    with _restored_on_refusal(offer, {"status": OfferStatus.ARCHIVED}), transaction.atomic():
        offer.status = OfferStatus.ARCHIVED
        offer.save(update_fields=["status", "updated_at"])
        audit_record(practice=offer.practice, actor=actor, action=AuditAction.OFFER_ARCHIVED, target=offer.key)
        catalog_changed(offer.practice_id)
        if not already:
            catalog_impact().apply(
                practice=offer.practice, offer=offer, actor=actor, summary=summary, expected_versions=expected_versions
            )
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
            catalog_changed(practice.pk)
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
        catalog_changed(practice.pk)  # the funnels' pages show it: the pages kept per version are keyed by this
    return acknowledgement


def copy_acknowledgement_withdraw(*, practice: Practice, offer: Offer, code: str) -> bool:
    """Open the finding again (the acknowledgement is deleted); False when there was none."""
    with transaction.atomic():
        deleted, _ = CopyAcknowledgement.objects.filter(offer=offer, offer__practice=practice, code=code).delete()
        if deleted:
            catalog_changed(practice.pk)
    return bool(deleted)
