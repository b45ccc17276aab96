"""The trash (``/funnels/trash/``): deleted funnels, kept ``FUNNEL_TRASH_DAYS`` days, restorable by owners and coaches.

Restoring is an ordinary change (a POST with CSRF, by someone who may edit funnels). Purging one funnel or emptying
the whole trash cannot be undone, so it asks for the password again unless it was typed within the last
``REAUTH_WINDOW`` seconds, as deleting a practice does (``accounts.sessions``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from accounts.forms import PasswordConfirmForm
from accounts.sessions import confirm_password, password_recently_entered
from core.http import go
from funnels.models import Funnel
from funnels.selectors import FunnelNotFound, funnel_get_trashed, funnel_trash
from funnels.services.trash import funnel_purge, funnel_untrash, trash_empty, trash_expires_at


def _trashed_or_404(request: WorkspaceRequest, slug: str) -> Funnel:
    try:
        return funnel_get_trashed(practice=request.workspace.practice, slug=slug)
    except FunnelNotFound as missing:
        raise Http404(str(missing)) from None


@require_safe
@workspace_required()
def trash_page(request: WorkspaceRequest) -> HttpResponse:
    funnels = list(funnel_trash(practice=request.workspace.practice))
    context = {
        "nav": "funnels",
        "items": [(funnel, trash_expires_at(funnel)) for funnel in funnels],
        "trash_days": settings.FUNNEL_TRASH_DAYS,
    }
    return render(request, "funnels/trash.html", context)


@require_POST
@workspace_required(edits="funnels")
def trash_restore(request: WorkspaceRequest, slug: str) -> HttpResponse:
    funnel = funnel_untrash(funnel=_trashed_or_404(request, slug), actor=actor_of(request))
    messages.success(request, f'"{funnel.name}" is back, as it was when it was deleted.')
    return go(request, reverse("funnels:editor", args=[funnel.slug]))


@require_http_methods(["GET", "POST"])
@workspace_required(edits="funnels")
def trash_purge(request: WorkspaceRequest, slug: str) -> HttpResponse:
    funnel = _trashed_or_404(request, slug)
    refused = _password_refused(request)
    if refused is not None:
        return _confirm(request, funnel=funnel, password=refused)
    funnel_purge(funnel=funnel, actor=actor_of(request))
    messages.success(request, f'Removed "{funnel.name}" for good. The offers it used are still in your catalog.')
    return go(request, reverse("funnels:trash"))


@require_http_methods(["GET", "POST"])
@workspace_required(edits="funnels")
def trash_empty_page(request: WorkspaceRequest) -> HttpResponse:
    refused = _password_refused(request)
    if refused is not None:
        return _confirm(request, funnel=None, password=refused)
    count = trash_empty(practice=request.workspace.practice, actor=actor_of(request))
    messages.success(request, f"Emptied the trash: {count} funnel{'s' if count != 1 else ''} removed for good.")
    return go(request, reverse("funnels:trash"))


def _password_refused(request: WorkspaceRequest) -> PasswordConfirmForm | None:
    """None when the removal may go ahead: a POST whose password is right, or any POST within the
    re-authentication window. Otherwise the form to show (empty on a GET, with what was wrong on a POST); a GET
    always gets the confirmation, whose field is left out within the window."""
    if request.method != "POST":
        return PasswordConfirmForm()
    if password_recently_entered(request):
        return None
    form = PasswordConfirmForm(request.POST)
    typed = form.cleaned_data["password"] if form.is_valid() else ""
    if confirm_password(request, typed):
        return None
    if form.is_valid():
        form.add_error("password", "That is not your password; nothing was removed.")
    return form


def _confirm(request: WorkspaceRequest, *, funnel: Funnel | None, password: PasswordConfirmForm) -> HttpResponse:
    """The confirmation; the password field only when it was not typed within the window."""
    practice = request.workspace.practice
    context: dict[str, Any] = {
        "nav": "funnels",
        "funnel": funnel,
        "count": funnel_trash(practice=practice).count() if funnel is None else 1,
        "password_form": None if password_recently_entered(request) else password,
    }
    return render(request, "funnels/trash_confirm.html", context)
