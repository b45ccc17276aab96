"""The funnel's history (``/funnels/<slug>/history/``): its versions, a diff of any two, restore, undo and redo.

Reading the history, a diff or an old version's file is open to every role; restoring, undoing and redoing need the
right to edit funnels and carry the version they were made against, like every edit (a stale one is refused with
409 and changes nothing). A page of the history costs a fixed number of queries whatever the number of versions:
the versions carry their figures, the page is one slice, and the chart one small query of (number, AOV) pairs.

Undo and redo are posted from the editor's buttons (``funnels/_undo_controls.html``) and its shortcuts
(``static/js/undo.js``). After one, htmx is sent to reload the editor (``HX-Redirect``): every column, finding and
figure may have changed, so the whole page is the simple, correct answer; a plain post is redirected back (303).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import reswap, retarget

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from core.http import go
from funnels.domain.diff import diff_plans
from funnels.interchange.snapshots import unpack_text
from funnels.models import Funnel, FunnelVersion
from funnels.presenters.history import (
    CHART_VERSIONS,
    aov_chart,
    diff_view,
    drift_lines,
    money,
    sentence,
    undo_controls,
    version_rows,
)
from funnels.selectors import (
    VersionNotFound,
    version_aov_series,
    version_get,
    version_list,
    versions_by_number,
)
from funnels.services.editing import FunnelEditError, StaleFunnel
from funnels.services.restore import VersionUnrestorable, restore_check, version_plan, version_restore
from funnels.services.undo import funnel_redo, funnel_undo
from funnels.views.lookups import funnel_or_404

PAGE_SIZE = 25
RETURN_TO = {"editor": "funnels:editor", "history": "funnels:history"}


def _number(raw: str | None) -> int | None:
    raw = raw or ""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _posted_version(request: WorkspaceRequest) -> int | None:
    """The page's live ``#funnel-version`` (htmx includes it), else the form's own copy (no JavaScript)."""
    return _number(request.POST.get("version") or request.POST.get("page_version"))


def _version_or_404(funnel: Funnel, number: int) -> FunnelVersion:
    try:
        return version_get(practice=funnel.practice, funnel=funnel, number=number)
    except VersionNotFound as missing:
        raise Http404(str(missing)) from None


# -- reading ----------------------------------------------------------------------------------------------------


@require_safe
@workspace_required()
def history(request: WorkspaceRequest, slug: str) -> HttpResponse:
    return _history_page(request, funnel_or_404(request.workspace.practice, slug))


def _history_page(request: WorkspaceRequest, funnel: Funnel, *, alert: str = "", status: int = 200) -> HttpResponse:
    practice = request.workspace.practice
    page = Paginator(version_list(practice=practice, funnel=funnel), PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "nav": "funnels",
        "funnel": funnel,
        "page": page,
        "rows": version_rows(list(page.object_list), funnel.currency),
        "chart": aov_chart(version_aov_series(practice=practice, funnel=funnel, limit=CHART_VERSIONS), funnel.currency),
        "alert": alert,
        "undo_controls": undo_controls(practice=practice, funnel=funnel, user=request.user, back="history")
        if request.workspace.can_edit_funnels
        else None,
    }
    return render(request, "funnels/history.html", context, status=status)


@require_safe
@workspace_required()
def diff(request: WorkspaceRequest, slug: str) -> HttpResponse:
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    a, b = _number(request.GET.get("a")), _number(request.GET.get("b"))
    if a is None or b is None:
        return HttpResponseBadRequest("Choose two versions to compare (a and b).")
    older, newer = sorted((a, b))
    found = versions_by_number(practice=practice, funnel=funnel, numbers=[older, newer])
    if older not in found or newer not in found:
        raise Http404(f'"{funnel.name}" has no version {older if older not in found else newer}')
    try:
        before = version_plan(practice=practice, version=found[older])
        after = version_plan(practice=practice, version=found[newer])
    except VersionUnrestorable as unreadable:
        return _history_page(request, funnel, alert=sentence(str(unreadable)), status=422)
    context = {
        "nav": "funnels",
        "funnel": funnel,
        "before": found[older],
        "after": found[newer],
        "view": diff_view(diff_plans(before, after), funnel.currency),
    }
    return render(request, "funnels/history_diff.html", context)


@require_safe
@workspace_required()
def version_export(request: WorkspaceRequest, slug: str, number: int) -> HttpResponse:
    """An old version as the interchange file it was kept as: ``funnel aov`` reads it as it reads any export."""
    funnel = funnel_or_404(request.workspace.practice, slug)
    version = _version_or_404(funnel, number)
    if not version.snapshot:
        raise Http404(f"version {number} was kept without its contents")
    response = HttpResponse(
        unpack_text(version.snapshot).encode("utf-8"), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{funnel.slug}-v{number}.json")
    response["Cache-Control"] = "private, no-store"
    return response


# -- restoring --------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@workspace_required(edits="funnels")
def restore(request: WorkspaceRequest, slug: str, number: int) -> HttpResponse:
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    version = _version_or_404(funnel, number)
    try:
        plan = version_plan(practice=practice, version=version)
    except VersionUnrestorable as unreadable:
        return _history_page(request, funnel, alert=sentence(str(unreadable)), status=422)
    lines = drift_lines(restore_check(practice=practice, plan=plan))
    if request.method == "GET":
        return _restore_page(request, funnel, version, lines)
    expected = _posted_version(request)
    if expected is None:
        return HttpResponseBadRequest("The restore did not say which version of the funnel it was made against.")
    as_it_was = [line.drift.key for line in lines if not line.can_keep or request.POST.get(line.field_name) == "then"]
    try:
        version_restore(
            funnel=funnel, expected_version=expected, version=version, restore_offers=as_it_was, actor=actor_of(request)
        )
    except StaleFunnel as stale:
        fresh = funnel_or_404(practice, slug)
        return _restore_page(request, fresh, version, lines, alert=sentence(str(stale)), status=409)
    except FunnelEditError as refused:
        return _restore_page(request, funnel, version, lines, alert=sentence(str(refused)), status=422)
    messages.success(request, f'Restored version {number} of "{funnel.name}" as version {funnel.version}.')
    return go(request, reverse("funnels:history", args=[slug]))


def _restore_page(
    request: WorkspaceRequest,
    funnel: Funnel,
    version: FunnelVersion,
    lines: list[Any],
    *,
    alert: str = "",
    status: int = 200,
) -> HttpResponse:
    aov = money(version.aov, funnel.currency)
    context = {"nav": "funnels", "funnel": funnel, "version": version, "aov": aov, "lines": lines, "alert": alert}
    return render(request, "funnels/history_restore.html", context, status=status)


# -- undo and redo ------------------------------------------------------------------------------------------------


@require_POST
@workspace_required(edits="funnels")
def undo(request: WorkspaceRequest, slug: str) -> HttpResponse:
    return _undo_or_redo(request, slug, redo=False)


@require_POST
@workspace_required(edits="funnels")
def redo(request: WorkspaceRequest, slug: str) -> HttpResponse:
    return _undo_or_redo(request, slug, redo=True)


def _undo_or_redo(request: WorkspaceRequest, slug: str, *, redo: bool) -> HttpResponse:
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    expected = _posted_version(request)
    if expected is None:
        return HttpResponseBadRequest("This undo did not say which version of the funnel it was made against.")
    back = reverse(RETURN_TO.get(request.POST.get("next", ""), "funnels:editor"), args=[slug])
    step = funnel_redo if redo else funnel_undo
    try:
        done = step(funnel=funnel, expected_version=expected, actor=actor_of(request))
    except StaleFunnel as stale:
        return _undo_refused(request, funnel_or_404(practice, slug), sentence(str(stale)), status=409, back=back)
    except FunnelEditError as nothing:
        return _undo_refused(request, funnel, sentence(str(nothing)) + ".", status=422, back=back)
    messages.success(request, f"{sentence(done.summary)} (now version {done.number}).")
    return go(request, back)


def _undo_refused(request: WorkspaceRequest, funnel: Funnel, message: str, *, status: int, back: str) -> HttpResponse:
    """Nothing was written. htmx shows why in the editor's ``#editor-alert`` with a reload link (the page keeps its
    version, so no later edit slips through unseen); a plain post gets the history, which shows what changed."""
    if not request.htmx:
        return _history_page(request, funnel, alert=message, status=status)
    context = {"message": message, "reload_url": back, "stale": status == 409}
    html = render_to_string("funnels/_undo_controls.html#undo-alert", context, request)
    return reswap(retarget(HttpResponse(html, status=status), "#editor-alert"), "innerHTML")
