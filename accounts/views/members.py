"""The members page (``/accounts/members/``, owners only): who belongs to the practice in which role, the
invitations still open, and the form that invites someone by email.

Every change is a POST with its CSRF token, through one service, on the audit trail, and answers with a
redirect back to the page (303) and a message saying what happened. The last owner can be neither removed nor
given another role. Sending invitations is limited per client address and per practice, so the form cannot be
turned into a way to mail strangers in bulk.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from accounts.forms import ROLE_HELP, InviteForm, MemberRoleForm
from accounts.invitations import (
    AlreadyMember,
    invitation_create,
    invitation_email_send,
    invitation_resend,
    invitation_revoke,
    invitation_token,
    max_age,
)
from accounts.models import Invitation, Membership, Role
from accounts.selectors import (
    InvitationNotFound,
    MemberNotFound,
    invitation_get,
    invitation_list_open,
    member_get,
    member_list,
)
from accounts.services import LastOwner, member_remove, member_role_set
from core.client_ip import client_ip
from core.http import HttpResponseSeeOther
from core.rate_limit import rate_limit_refusal, wait_in_words

TEMPLATE = "accounts/members.html"


def _page(request: WorkspaceRequest, invite: InviteForm | None = None, status: int = 200) -> HttpResponse:
    practice = request.workspace.practice
    members = member_list(practice=practice)
    owners = sum(1 for m in members if m.role == Role.OWNER)
    context = {
        "nav": "members",
        "members": [
            {
                "membership": m,
                "is_you": m.user_id == request.user.pk,
                "last_owner": m.role == Role.OWNER and owners == 1,
                "form": MemberRoleForm(initial={"role": m.role}, auto_id=f"member-{m.pk}-%s"),
            }
            for m in members
        ],
        "invitations": list(invitation_list_open(practice=practice)),
        "invite_form": invite or InviteForm(),
        "roles": [(Role(value).label, ROLE_HELP[Role(value)]) for value in Role.values],
        "now": timezone.now(),
        "invitation_days": max_age().days,
    }
    return render(request, TEMPLATE, context, status=status)


def _back() -> HttpResponse:
    return HttpResponseSeeOther(reverse("accounts:members"))


def _member_or_404(request: WorkspaceRequest, pk: int) -> Membership:
    try:
        return member_get(practice=request.workspace.practice, pk=pk)
    except MemberNotFound:
        raise Http404("This practice has no such member.") from None


def _invitation_or_404(request: WorkspaceRequest, pk: int) -> Invitation:
    try:
        return invitation_get(practice=request.workspace.practice, pk=pk)
    except InvitationNotFound:
        raise Http404("This practice has no such invitation.") from None


def _send(request: WorkspaceRequest, invitation: Invitation) -> bool:
    link = request.build_absolute_uri(reverse("accounts:join", args=[invitation_token(invitation)]))
    try:
        invitation_email_send(invitation=invitation, link=link)
    except OSError:  # SMTP unreachable or refusing: the invitation stands, and can be sent again
        messages.error(request, f"The invitation to {invitation.email} could not be sent just now; try Send again.")
        return False
    return True


def _sending_refused(request: WorkspaceRequest) -> str | None:
    """Why no invitation may be sent now (too many from this address or this practice), or None."""
    for name, key in (
        ("invite-ip", client_ip(request)),
        ("invite-practice", str(request.workspace.practice.pk)),
    ):
        wait = rate_limit_refusal(name, key)
        if wait is not None:
            return f"Too many invitations sent in a short time. Please try again in {wait_in_words(wait)}."
    return None


@require_safe
@workspace_required(edits="members")
def members(request: WorkspaceRequest) -> HttpResponse:
    return _page(request)


@require_POST
@workspace_required(edits="members")
def invite(request: WorkspaceRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():  # 200, as any re-shown form (a 4xx page load reads as a failed resource)
        return _page(request, invite=form)
    refused = _sending_refused(request)
    if refused:
        form.add_error(None, refused)
        return _page(request, invite=form, status=429)
    try:
        invitation = invitation_create(
            practice=request.workspace.practice,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            actor=actor_of(request),
        )
    except AlreadyMember as member:
        form.add_error("email", str(member))
        return _page(request, invite=form)
    if _send(request, invitation):
        role = Role(invitation.role).label.lower()
        messages.success(request, f"Invited {invitation.email} as {role}; the link works for {max_age().days} days.")
    return _back()


@require_POST
@workspace_required(edits="members")
def invitation_send_again(request: WorkspaceRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, pk)
    refused = _sending_refused(request)
    if refused:
        messages.error(request, refused)
        return _back()
    invitation = invitation_resend(invitation=invitation, actor=actor_of(request))
    if _send(request, invitation):
        messages.success(request, f"Sent a new link to {invitation.email}; the earlier one no longer works.")
    return _back()


@require_POST
@workspace_required(edits="members")
def invitation_withdraw(request: WorkspaceRequest, pk: int) -> HttpResponse:
    invitation = _invitation_or_404(request, pk)
    invitation_revoke(invitation=invitation, actor=actor_of(request))
    messages.success(request, f"Withdrew the invitation to {invitation.email}; its link no longer works.")
    return _back()


@require_POST
@workspace_required(edits="members")
def member_role(request: WorkspaceRequest, pk: int) -> HttpResponse:
    membership = _member_or_404(request, pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
        return _back()
    name = membership.user.get_username()
    try:
        member_role_set(membership=membership, role=form.cleaned_data["role"], actor=actor_of(request))
    except LastOwner as last:
        messages.error(request, str(last))
        return _back()
    messages.success(request, f"{name} is now {Role(membership.role).label.lower()}.")
    if membership.user_id == request.user.pk and membership.role != Role.OWNER:
        return HttpResponseSeeOther(reverse("funnels:list"))  # no longer an owner: the members page is closed
    return _back()


@require_POST
@workspace_required(edits="members")
def member_remove_view(request: WorkspaceRequest, pk: int) -> HttpResponse:
    membership = _member_or_404(request, pk)
    name, yourself = membership.user.get_username(), membership.user_id == request.user.pk
    try:
        member_remove(membership=membership, actor=actor_of(request))
    except LastOwner as last:
        messages.error(request, str(last))
        return _back()
    practice = request.workspace.practice.name
    if yourself:
        messages.success(request, f"You left {practice}.")
        return HttpResponseSeeOther(reverse("funnels:list"))
    messages.success(request, f"Removed {name} from {practice}. Their account stays; they can be invited again.")
    return _back()
