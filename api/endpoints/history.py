"""``/api/v1/funnels/{slug}/versions``: the change log, the difference between two versions, and the rollback,
over the funnel history's own selectors and services (``funnels.services.restore``), so a restore through the API
is the same new version, on the same history, as one made on the history page."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import Field

from api.auth import actor_of, read, token_of, write
from api.endpoints.common import READ_ERRORS, VERSIONED_ERRORS, IfMatch, PathKey, funnel_of, json_response, versioned
from api.errors import ApiError, invalid
from api.headers import expected_version
from api.schemas.common import PageParams
from api.schemas.history import DiffOut, RestoreBody, RestoredOut, RestoreRefusedOut, VersionPage
from core.money import money_string
from funnels.domain.diff import diff_plans
from funnels.models import Funnel, FunnelVersion
from funnels.presenters.cli import finding_line
from funnels.selectors import version_get, version_list
from funnels.services.restore import restore_check, version_plan, version_restore

router = Router(tags=["history"])
Number = Annotated[int, Field(ge=1, le=1_000_000_000, description="a version number")]


def version_out(v: FunnelVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "kind": v.kind,
        "at": v.created_at.isoformat(),
        "by": v.actor.get_username() if v.actor is not None else v.actor_label,
        "summary": v.summary,
        "aov": money_string(v.aov) if v.aov is not None else None,
        "revenue_per_buyer": money_string(v.revenue_per_buyer) if v.revenue_per_buyer is not None else None,
        "errors": v.error_count,
        "warnings": v.warning_count,
    }


def _version(request: HttpRequest, funnel: Funnel, number: int, where: str | None = None) -> FunnelVersion:
    try:
        return version_get(practice=token_of(request).practice, funnel=funnel, number=number)
    except LookupError as missing:
        if where is None:
            raise
        raise invalid(where, str(missing)) from None


def _cents(amount: Decimal | None) -> str | None:
    return money_string(amount) if amount is not None else None


@router.get("/funnels/{slug}/versions", response={200: VersionPage, **READ_ERRORS}, auth=read, summary="The change log")
def list_versions(request: HttpRequest, slug: PathKey, page: Query[PageParams]) -> HttpResponse:
    """Every kept version, newest first: who, what (one line), and the AOV and open findings it had."""
    funnel = funnel_of(request, slug)
    rows = version_list(practice=token_of(request).practice, funnel=funnel)
    items = [version_out(v) for v in rows[page.offset : page.offset + page.limit]]
    data = {"items": items, "count": rows.count(), "limit": page.limit, "offset": page.offset}
    return json_response(200, data, versioned(funnel))


@router.get("/funnels/{slug}/diff", response={200: DiffOut, **READ_ERRORS}, auth=read, summary="Compare two versions")
def diff_versions(request: HttpRequest, slug: PathKey, a: Query[Number], b: Query[Number]) -> HttpResponse:
    """The same object as ``manage.py funnel diff SLUG A B --json``: what changed, the AOV before and after, the
    findings gained and lost, and each step's expected revenue."""
    practice = token_of(request).practice
    funnel = funnel_of(request, slug)
    older, newer = sorted((a, b))
    before = _version(request, funnel, older, "query.a" if older == a else "query.b")
    after = _version(request, funnel, newer, "query.b" if newer == b else "query.a")
    diff = diff_plans(version_plan(practice=practice, version=before), version_plan(practice=practice, version=after))
    data = {
        "funnel": funnel.slug,
        "a": older,
        "b": newer,
        "aov": [_cents(diff.aov_before), _cents(diff.aov_after)],
        "revenue_per_buyer": [_cents(diff.revenue_per_buyer_before), _cents(diff.revenue_per_buyer_after)],
        "changes": [{"kind": str(c.kind), "text": c.text} for c in diff.changes],
        "findings_gained": [finding_line(f) for f in diff.findings_gained],
        "findings_lost": [finding_line(f) for f in diff.findings_lost],
        "steps": [
            {"stage": str(s.stage), "key": s.key, "offer": s.offer_name}
            | {"before": money_string(s.before), "after": money_string(s.after)}
            for s in diff.steps
        ],
    }
    return json_response(200, data, versioned(funnel))


@router.post(
    "/funnels/{slug}/versions/{number}/restore",
    response={200: RestoredOut, **VERSIONED_ERRORS, 409: RestoreRefusedOut},
    auth=write,
    summary="Roll back to a version",
)
def restore_version(
    request: HttpRequest, slug: PathKey, number: Number, choice: RestoreBody, if_match: IfMatch = None
) -> HttpResponse:
    """The funnel becomes what it was at that version, as its next version (nothing is overwritten: the restore is
    itself in the change log). When offers changed in the catalog since, say for each whether it goes back as it
    was (``as_it_was``) or stays as today (``keep_today``); otherwise 409 lists them."""
    practice = token_of(request).practice
    funnel = funnel_of(request, slug)
    wanted = expected_version(if_match)
    version = _version(request, funnel, number)
    drifts = [
        d for d in restore_check(practice=practice, plan=version_plan(practice=practice, version=version)) if not d.gone
    ]
    unknown = sorted(set(choice.as_it_was) - {d.key for d in drifts})
    if unknown:
        raise invalid("as_it_was", f"not an offer that changed since version {number}: {', '.join(unknown)}")
    if drifts and not choice.as_it_was and not choice.keep_today:
        listed = [{"key": d.key, "differences": list(d.differences)} for d in drifts]
        raise ApiError(
            409,
            f"offers changed in the catalog since version {number}: send as_it_was (their keys) or keep_today",
            [("as_it_was", "; ".join(f"{d.key}: {', '.join(d.differences)}" for d in drifts))],
            extra={"drifts": listed},
        )
    restored = version_restore(
        funnel=funnel,
        expected_version=wanted,
        version=version,
        restore_offers=choice.as_it_was,
        actor=actor_of(request),
    )
    funnel.refresh_from_db(fields=["version"])
    return json_response(200, {"version": funnel.version, "restored": number, "kind": restored.kind}, versioned(funnel))
