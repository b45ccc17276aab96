"""``/api/v1/funnels/{slug}/versions``: the change log, the difference between two versions, and the rollback,
over the funnel history's own selectors and services (``funnels.services.restore``), so a restore through the API
is the same new version, on the same history, as one made on the history page."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import Field

from api.auth import actor_of, read, token_of, write
from api.endpoints.common import READ_ERRORS, VERSIONED_ERRORS, IfMatch, PathKey, funnel_of, json_response, versioned
from api.errors import ApiError, invalid
from api.headers import expected_version
from api.schemas.common import PageParams
from api.schemas.history import DiffOut, RestoreBody, RestoredOut, RestoreRefusedOut, VersionPage
from funnels.domain.diff import diff_plans
from funnels.models import Funnel, FunnelVersion
from funnels.presenters.history import diff_data, version_data
from funnels.selectors import version_get, version_list
from funnels.services.restore import restore_check, version_plan, version_restore

router = Router(tags=["history"])
Number = Annotated[int, Field(ge=1, le=1_000_000_000, description="a version number")]


def _version(request: HttpRequest, funnel: Funnel, number: int, where: str | None = None) -> FunnelVersion:
    try:
        return version_get(practice=token_of(request).practice, funnel=funnel, number=number)
    except LookupError as missing:
        if where is None:
            raise
        raise invalid(where, str(missing)) from None


@router.get("/funnels/{slug}/versions", response={200: VersionPage, **READ_ERRORS}, auth=read, summary="The change log")
def list_versions(request: HttpRequest, slug: PathKey, page: Query[PageParams]) -> HttpResponse:
    """Every kept version, newest first: who, what (one line), and the AOV and open findings it had."""
    funnel = funnel_of(request, slug)
    rows = version_list(practice=token_of(request).practice, funnel=funnel)
    items = [version_data(v) for v in rows[page.offset : page.offset + page.limit]]
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
    data = diff_data(diff, funnel=funnel.slug, a=older, b=newer)
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
