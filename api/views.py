"""The owners' page for API tokens (``/api/tokens/``): make one (its secret is shown on the answer to that post
and never again: only its digest is kept), see which exist and when each was last used, and revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from api.forms import TokenForm
from api.selectors import TokenNotFound, token_get, token_list
from api.services.tokens import NewToken, TokenRefused, token_create, token_revoke


def _page(request: WorkspaceRequest, form: TokenForm, new: NewToken | None = None, status: int = 200) -> HttpResponse:
    context = {
        "nav": "api",
        "form": form,
        "tokens": token_list(practice=request.workspace.practice),
        "new": new,
        "docs_url": reverse("api:openapi-view"),
        "openapi_url": reverse("api:openapi-json"),
    }
    return render(request, "api/tokens.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@workspace_required(edits="members")
def tokens(request: WorkspaceRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    try:
        new = token_create(
            practice=request.workspace.practice,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.expires_at(),
            actor=actor_of(request),
        )
    except TokenRefused as refused:
        form.add_error("name", str(refused))
        return _page(request, form)
    return _page(request, TokenForm(), new=new)


@require_POST
@workspace_required(edits="members")
def revoke(request: WorkspaceRequest, pk: int) -> HttpResponse:
    try:
        token = token_get(practice=request.workspace.practice, pk=pk)
    except TokenNotFound:
        messages.error(request, "That token is not one of this practice's.")
        return redirect("api-tokens")
    token_revoke(practice=request.workspace.practice, token=token, actor=actor_of(request))
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("api-tokens")
