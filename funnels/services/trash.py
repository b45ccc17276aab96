"""The trash: a deleted funnel is kept ``FUNNEL_TRASH_DAYS`` days, restorable, before it is removed for good.

Deleting (``funnels.services.editing.funnel_delete``) only marks the funnel; every selector that lists or finds
funnels leaves marked ones out. A funnel in the trash keeps its slug, so it can come back under its own address:
a new funnel that wants that slug gets the next free one (``-2``…), as with any slug already taken. Purging removes
the funnel with its steps and every version; the offers it used stay in the catalog.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.audit import SYSTEM, Actor, audit_record
from accounts.models import AuditAction, Practice
from funnels.models import Funnel
from funnels.selectors import funnel_trash, funnel_trash_expired
from funnels.services.editing import FunnelEditError, claim_version
from funnels.services.history import UNTRASHED, record_version


def trash_expires_at(funnel: Funnel) -> datetime | None:
    """When the trash lets go of the funnel (None: it is not in the trash)."""
    if funnel.deleted_at is None:
        return None
    return funnel.deleted_at + timedelta(days=int(settings.FUNNEL_TRASH_DAYS))


def funnel_untrash(*, funnel: Funnel, actor: Actor = SYSTEM) -> Funnel:
    """Take the funnel back out of the trash, as a version of its own, just as it was deleted."""
    if funnel.deleted_at is None:
        raise FunnelEditError(f'"{funnel.name}" is not in the trash')
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=funnel.version)
        funnel.deleted_at = None
        funnel.save(update_fields=["deleted_at"])
        record_version(funnel=funnel, actor=actor, summary=UNTRASHED)
    return funnel


def funnel_purge(*, funnel: Funnel, actor: Actor = SYSTEM) -> None:
    """Remove a funnel in the trash for good, with its steps and versions; on the practice's audit trail."""
    if funnel.deleted_at is None:
        raise FunnelEditError(f'"{funnel.name}" is not in the trash; move it there first')
    with transaction.atomic():
        _purge(funnel, actor)


def trash_empty(*, practice: Practice, actor: Actor = SYSTEM) -> int:
    """Purge every funnel in the practice's trash; how many."""
    with transaction.atomic():
        funnels = list(funnel_trash(practice=practice))
        for funnel in funnels:
            _purge(funnel, actor)
    return len(funnels)


def trash_purge_expired(*, now: datetime | None = None, actor: Actor = SYSTEM) -> int:
    """Purge the funnels of every practice that have been in the trash longer than ``FUNNEL_TRASH_DAYS``."""
    before = (now or timezone.now()) - timedelta(days=int(settings.FUNNEL_TRASH_DAYS))
    purged = 0
    for funnel in funnel_trash_expired(before=before):
        with transaction.atomic():
            _purge(funnel, actor)
        purged += 1
    return purged


def _purge(funnel: Funnel, actor: Actor) -> None:
    steps = funnel.steps.count()
    Funnel.objects.filter(pk=funnel.pk).update(start_step=None)
    name, slug, practice = funnel.name, funnel.slug, funnel.practice
    funnel.delete()
    audit_record(
        practice=practice,
        actor=actor,
        action=AuditAction.FUNNEL_DELETED,
        target=name,
        detail={"slug": slug, "steps": steps, "purged": True},
    )
