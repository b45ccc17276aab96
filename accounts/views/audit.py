"""The audit trail (``/accounts/audit/``, owners only): who did what in the practice and when, newest first,
fifty to a page, each line a sentence ("maya changed the role of sam from coach to viewer")."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import WorkspaceRequest, workspace_required
from accounts.models import AuditAction, AuditEvent, Role
from accounts.selectors import audit_list

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditLine:
    event: AuditEvent
    action: str
    target: str  # left out where it only repeats who did it ("sam joined", not "sam joined sam")
    detail: str


def _role(value: object) -> str:
    try:
        return Role(str(value)).label.lower()
    except ValueError:
        return str(value)


def _detail(event: AuditEvent) -> str:
    """What changed, in words, from the row's ``detail``."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    action = event.action
    if action == AuditAction.ROLE_CHANGED:
        return f"from {_role(detail.get('from'))} to {_role(detail.get('to'))}"
    if action in (AuditAction.MEMBER_INVITED, AuditAction.MEMBER_JOINED, AuditAction.MEMBER_REMOVED):
        return f"as {_role(detail.get('role'))}" if detail.get("role") else ""
    if action == AuditAction.OFFER_UPDATED and detail.get("changed"):
        return "changed: " + ", ".join(str(field).replace("_", " ") for field in detail["changed"])
    if action == AuditAction.FUNNEL_IMPORTED and detail.get("offers_created"):
        return "added to the catalog: " + ", ".join(str(key) for key in detail["offers_created"])
    if action == AuditAction.FUNNEL_DELETED and "steps" in detail:
        return f"with its {detail['steps']} steps"
    return ""


def _action(event: AuditEvent) -> str:
    try:
        return AuditAction(event.action).label
    except ValueError:
        return event.action


@require_safe
@workspace_required(edits="members")
def audit_trail(request: WorkspaceRequest) -> HttpResponse:
    pages = Paginator(audit_list(practice=request.workspace.practice), PAGE_SIZE)
    page = pages.get_page(request.GET.get("page") if str(request.GET.get("page", "")).isascii() else 1)
    lines = [
        AuditLine(event, _action(event), "" if event.target == event.actor_label else event.target, _detail(event))
        for event in page.object_list
    ]
    return render(request, "accounts/audit.html", {"nav": "members", "page": page, "lines": lines})
