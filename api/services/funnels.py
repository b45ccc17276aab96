"""Replacing a funnel with a whole interchange document: the API's ``PUT``, which the screens do not have.

It is the file import (``funnels.services.transfer``) aimed at an existing funnel: the document is read with
every problem and its JSON path, compared with the catalog, and only then, in one transaction, the version is
claimed (a stale ``If-Match`` is refused before anything changes), missing offers are added to the catalog,
and the funnel's steps are swapped for the document's. Its slug stays: scripts address it by that.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.audit import Actor, audit_record
from accounts.models import AuditAction, Practice
from funnels.models import Funnel
from funnels.services.editing import FunnelEditError, claim_version
from funnels.services.history import record_version

# The import's own steps (read and check the document; add the catalog's missing offers) and the restore's swap of
# a funnel's steps for a plan's, so a replaced funnel is read as an imported one and written as a restored one.
from funnels.services.restore import rebuild
from funnels.services.transfer import ensure_offers, offers_added, offers_reused, read_writable_plan


@dataclass(frozen=True)
class ReplaceResult:
    funnel: Funnel
    offers_created: tuple[str, ...]
    offers_reused: tuple[str, ...]


def funnel_replace(
    *, practice: Practice, funnel: Funnel, expected_version: int, raw: bytes | str, actor: Actor
) -> ReplaceResult:
    """Make ``funnel`` the funnel of the document ``raw`` (FunnelFileError lists every problem, StaleFunnel a
    version that moved on); one new version, on the history and the audit trail."""
    if funnel.practice_id != practice.pk:
        raise FunnelEditError(f'"{funnel.name}" belongs to another practice')
    plan = read_writable_plan(raw=raw, practice=practice)
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        offers, created = ensure_offers(practice, plan)
        rebuild(funnel=funnel, plan=plan, offers=offers)
        summary = f"replaced the funnel with a document{offers_added(created)}"
        record_version(funnel=funnel, actor=actor, summary=summary)
        audit_record(
            practice=practice,
            actor=actor,
            action=AuditAction.FUNNEL_REPLACED,
            target=funnel.name,
            detail={"slug": funnel.slug, "offers_created": list(created), "version": funnel.version},
        )
    return ReplaceResult(funnel=funnel, offers_created=created, offers_reused=offers_reused(plan, created))
