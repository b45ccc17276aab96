"""Deleting the practice (``/accounts/practice/delete/``, owners only): everything it holds goes, its
catalog, funnels, invitations and audit trail, so the owner types its name and, unless they typed their
password in the last few minutes (``accounts.sessions``), their password too."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from accounts.forms import DeletePracticeForm, PasswordConfirmForm
from accounts.services import practice_delete
from accounts.sessions import confirm_password, password_recently_entered
from core.http import HttpResponseSeeOther

TEMPLATE = "accounts/delete_practice.html"


@require_http_methods(["GET", "HEAD", "POST"])
@workspace_required(edits="members")
def delete_practice(request: WorkspaceRequest) -> HttpResponse:
    practice = request.workspace.practice
    data = request.POST if request.method == "POST" else None
    form = DeletePracticeForm(data, practice_name=practice.name)
    password = PasswordConfirmForm(data) if not password_recently_entered(request) else None
    context = {"nav": "members", "form": form, "password_form": password}
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    confirmed = form.is_valid()
    if password is not None:
        typed = password.cleaned_data.get("password", "") if password.is_valid() else ""
        if not confirm_password(request, typed):
            if password.is_valid():
                password.add_error("password", "That is not your password; nothing was deleted.")
            confirmed = False
    if not confirmed:
        return render(request, TEMPLATE, context)
    name = practice.name
    practice_delete(practice=practice, actor=actor_of(request))
    messages.success(request, f"Deleted {name} and everything in it.")
    return HttpResponseSeeOther(reverse("funnels:list"))
