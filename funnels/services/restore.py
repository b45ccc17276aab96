"""Bringing back an old version of a funnel, as a new version: nothing is overwritten, and a restore is undoable.

A version holds the offers as they were then. The catalog may have moved on since: an offer deleted, archived, or
with another price or kind. Those are listed before the restore (``restore_check``), and the coach chooses for each
one that still exists whether the catalog's offer goes back to what it was (for every funnel that shows it: a
catalog edit, on the audit trail) or stays as it is today. An offer the catalog no longer has is added back as it
was, since a step cannot show nothing. Undo and redo (``funnels.services.undo``) rebuild a version the same way,
always keeping today's catalog.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction

from accounts.audit import SYSTEM, Actor
from accounts.models import Practice
from core.money import format_money
from funnels.domain.plan import FunnelPlan, OfferSpec
from funnels.interchange.plans import plan_from_document
from funnels.interchange.problems import FunnelFileError
from funnels.interchange.snapshots import unpack_document
from funnels.models import Funnel, FunnelStep, FunnelVersion, VersionKind
from funnels.selectors import practice_thresholds
from funnels.services.editing import FunnelEditError, StaleFunnel, claim_version
from funnels.services.history import write_version
from funnels.services.transfer import create_steps, ensure_offers
from offers.domain.kinds import OfferKind
from offers.models import Offer, OfferStatus
from offers.selectors import offers_by_key
from offers.services import offer_update


class VersionUnrestorable(FunnelEditError):
    """The version was kept without a snapshot (the funnel was beyond what a file can hold), or it no longer
    reads as a file; the message says which."""


def version_plan(*, practice: Practice, version: FunnelVersion) -> FunnelPlan:
    """The funnel as it stood at ``version``, as the engine reads it (with the practice's thresholds of today)."""
    if not version.snapshot:
        raise VersionUnrestorable(
            f"version {version.number} was kept without its contents (the funnel was larger than a file can hold)"
        )
    try:
        document = unpack_document(version.snapshot)
    except FunnelFileError as unreadable:
        raise VersionUnrestorable(f"version {version.number} no longer reads as a funnel file: {unreadable}") from None
    return plan_from_document(document, practice=practice.slug, thresholds=practice_thresholds(practice))


@dataclass(frozen=True)
class OfferDrift:
    """An offer the version used that the catalog has lost or changed since. ``today`` None: deleted."""

    then: OfferSpec
    today: Offer | None
    differences: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.then.key

    @property
    def gone(self) -> bool:
        return self.today is None

    @property
    def archived(self) -> bool:
        return self.today is not None and self.today.status == OfferStatus.ARCHIVED


def restore_check(*, practice: Practice, plan: FunnelPlan) -> tuple[OfferDrift, ...]:
    """The version's offers that are gone from the catalog, archived, or priced or kinded otherwise today."""
    catalog = offers_by_key(practice=practice, keys=[o.key for o in plan.offers])
    drifts = []
    for spec in plan.offers:
        today = catalog.get(spec.key)
        if today is None:
            drifts.append(OfferDrift(spec, None, ("no longer in the catalog",)))
            continue
        differences = []
        if today.status == OfferStatus.ARCHIVED:
            differences.append("archived")
        if today.price != spec.price:
            then, now = format_money(spec.price, plan.currency), format_money(today.price, today.currency)
            differences.append(f"price then {then}, today {now}")
        if today.kind != spec.kind.value:
            differences.append(f"kind then {spec.kind.label}, today {_kind_label(today.kind)}")
        replaces = today.replaces.key if today.replaces_id and today.replaces else None
        if replaces != spec.replaces:
            differences.append(f"upgrade of then {spec.replaces or 'nothing'}, today {replaces or 'nothing'}")
        if differences:
            drifts.append(OfferDrift(spec, today, tuple(differences)))
    return tuple(drifts)


def _kind_label(kind: str) -> str:
    return OfferKind(kind).label


def version_restore(
    *,
    funnel: Funnel,
    expected_version: int,
    version: FunnelVersion,
    restore_offers: Collection[str] = (),
    actor: Actor = SYSTEM,
) -> FunnelVersion:
    """Make the funnel what it was at ``version``, as its next version. ``restore_offers`` are the keys of the
    catalog offers to put back as they were then; every other offer is used as the catalog has it today (an offer
    the catalog lost is added back as it was).

    Putting an offer back is a catalog edit, which moves every funnel that shows it (this one too) to its next
    version with a version of its own (``offers.services.offer_update``); so the coach's version is checked first,
    the catalog changed, and only then the restore claims the version it lands on."""
    practice = funnel.practice
    plan = version_plan(practice=practice, version=version)
    with transaction.atomic():
        _still_at(funnel, expected_version)
        offers = catalog_for(practice=practice, plan=plan, restore_offers=restore_offers, actor=actor)
        current = Funnel.objects.filter(pk=funnel.pk).values_list("version", flat=True).get()
        claim_version(funnel=funnel, expected_version=current)
        rebuild(funnel=funnel, plan=plan, offers=offers)
        kept = [key for key in restore_offers if key in offers]
        said = f"restored version {version.number}"
        if kept:
            were = "they were" if len(kept) > 1 else "it was"
            said += f", with {', '.join(offers[k].name for k in kept)} back in the catalog as {were}"
        return write_version(funnel=funnel, actor=actor, summary=said, kind=VersionKind.RESTORE)


def _still_at(funnel: Funnel, expected_version: int) -> None:
    """``StaleFunnel`` unless the funnel is still at the version the coach saw (the row locked where the database
    can: PostgreSQL; SQLite's immediate transactions lock the whole database already)."""
    if not Funnel.objects.select_for_update().filter(pk=funnel.pk, version=expected_version).exists():
        current = Funnel.objects.filter(pk=funnel.pk).values_list("version", flat=True).first()
        raise StaleFunnel(funnel, expected_version, current)


def catalog_for(
    *, practice: Practice, plan: FunnelPlan, restore_offers: Collection[str] = (), actor: Actor = SYSTEM
) -> dict[str, Offer]:
    """The catalog's offers for every key the plan names, by key: those it lost added back as the plan has them,
    ``restore_offers`` put back as the plan has them, the others as they are today."""
    offers, _created = ensure_offers(practice, plan)
    specs = {spec.key: spec for spec in plan.offers}
    for key in restore_offers:
        if key in specs and key in offers:
            offers[key] = _offer_as_it_was(offers[key], specs[key], offers, actor)
    return offers


def rebuild(*, funnel: Funnel, plan: FunnelPlan, offers: dict[str, Offer]) -> None:
    """Replace the funnel's name, core offer and steps by the plan's (inside the caller's transaction, after its
    claim). The status is not part of a version: a live funnel stays live."""
    Funnel.objects.filter(pk=funnel.pk).update(start_step=None)
    FunnelStep.objects.filter(funnel=funnel).delete()
    funnel.start_step = None
    funnel.name = plan.name
    funnel.core_offer = offers[plan.core]
    funnel.save(update_fields=["name", "core_offer", "start_step", "updated_at"])
    create_steps(funnel, plan, offers)


def _offer_as_it_was(offer: Offer, spec: OfferSpec, offers: dict[str, Offer], actor: Actor) -> Offer:
    return offer_update(
        offer=offer,
        actor=actor,
        name=spec.name,
        kind=spec.kind.value,
        price=spec.price,
        topics=sorted(spec.topics),
        replaces=offers.get(spec.replaces) if spec.replaces else None,
        format=spec.format,
        headline=spec.headline,
        body=spec.body,
        accept_label=spec.accept_label,
        decline_label=spec.decline_label,
        default_take_rate=spec.default_take_rate,
        status=OfferStatus.ACTIVE,
    )
