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
from funnels.interchange.problems import FunnelFileError
from funnels.models import Funnel, FunnelStep
from funnels.services.editing import FunnelEditError, claim_version
from funnels.services.history import record_version

# The import's own two steps (add the catalog's missing offers; write a plan's steps), so a replaced funnel is
# written exactly as an imported one.
from funnels.services.transfer import catalog_clashes, create_steps, ensure_offers, read_plan


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
    plan = read_plan(raw=raw, practice=practice)
    problems = catalog_clashes(practice=practice, plan=plan)
    if problems:
        raise FunnelFileError(tuple(problems))
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        offers, created = ensure_offers(practice, plan)
        steps = FunnelStep.objects.filter(funnel=funnel)
        Funnel.objects.filter(pk=funnel.pk).update(start_step=None)
        steps.update(on_accept=None, on_decline=None)
        steps.delete()
        funnel.start_step = None
        funnel.name = plan.name
        funnel.core_offer = offers[plan.core]
        funnel.save(update_fields=["name", "core_offer", "start_step", "updated_at"])
        create_steps(funnel, plan, offers)
        added = f", adding {len(created)} offer{'s' if len(created) != 1 else ''} to the catalog" if created else ""
        record_version(funnel=funnel, actor=actor, summary=f"replaced the funnel with a document{added}")
        audit_record(
            practice=practice,
            actor=actor,
            action=AuditAction.FUNNEL_REPLACED,
            target=funnel.name,
            detail={"slug": funnel.slug, "offers_created": list(created), "version": funnel.version},
        )
    reused = tuple(o.key for o in plan.offers if o.key not in created)
    return ReplaceResult(funnel=funnel, offers_created=created, offers_reused=reused)
