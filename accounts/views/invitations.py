"""Joining a practice through an invitation link (``/accounts/join/<token>/``): as the account you are signed
in with, or with a new account for the invited address.

A link that cannot be used (tampered with, expired, used, withdrawn) gets a page that says which and what to
do, and nothing is written. Joining is a POST with its CSRF token; new accounts through links are limited per
client address like sign-ups (``RATE_LIMITS["join-ip"]``). Once joined, the practice becomes the current one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.access import SESSION_KEY, actor_of
from accounts.forms import ROLE_HELP, JoinForm
from accounts.invitations import (
    InvitationRefused,
    JoinRefusal,
    invitation_accept,
    invitation_for_token,
    invitation_sign_up,
)
from accounts.models import Invitation, Membership, Role
from accounts.selectors import membership_get
from core.client_ip import client_ip
from core.http import HttpResponseSeeOther
from core.rate_limit import rate_limit_refusal, wait_in_words

TEMPLATE = "accounts/join.html"
REFUSED_STATUS = {JoinRefusal.INVALID: 404, JoinRefusal.MEMBER: 409}


def _refused(request: HttpRequest, refusal: InvitationRefused) -> HttpResponse:
    status = REFUSED_STATUS.get(refusal.reason, 410)
    return render(request, TEMPLATE, {"refusal": str(refusal), "reason": refusal.reason.value}, status=status)


def _page(
    request: HttpRequest, token: str, invitation: Invitation, form: JoinForm | None, status: int = 200
) -> HttpResponse:
    user = request.user if isinstance(request.user, User) else None
    context = {
        "invitation": invitation,
        "role": Role(invitation.role).label,
        "role_help": ROLE_HELP[Role(invitation.role)],
        "inviter": invitation.invited_by.get_username() if invitation.invited_by else None,
        "form": form if user is None else None,
        "signed_in_as": user,
        "other_address": user is not None and user.email.lower() != invitation.email.lower(),
        "sign_in_url": f"{reverse('accounts:sign-in')}?next={reverse('accounts:join', args=[token])}",
    }
    return render(request, TEMPLATE, context, status=status)


def _joined(request: HttpRequest, membership: Membership) -> HttpResponse:
    request.session[SESSION_KEY] = membership.practice_id
    role = Role(membership.role)
    messages.success(request, f"Welcome to {membership.practice.name}: you are a {role.label.lower()} here.")
    landing = "offers:list" if role == Role.CATALOG_ADMIN else "funnels:list"
    return HttpResponseSeeOther(reverse(landing))


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_for_token(token)
    except InvitationRefused as refusal:
        return _refused(request, refusal)
    email = invitation.email
    if request.method != "POST":
        if isinstance(request.user, User) and membership_get(user=request.user, practice_slug=invitation.practice.slug):
            return _refused(request, InvitationRefused(JoinRefusal.MEMBER))
        return _page(request, token, invitation, JoinForm(email=email))
    if isinstance(request.user, User):
        try:
            membership = invitation_accept(token=token, user=request.user, actor=actor_of(request))
        except InvitationRefused as refusal:
            return _refused(request, refusal)
        return _joined(request, membership)
    form = JoinForm(request.POST, email=email)
    wait = rate_limit_refusal("join-ip", client_ip(request))
    if wait is not None:
        form.add_error(None, f"Too many new accounts from your address. Please try again in {wait_in_words(wait)}.")
        return _page(request, token, invitation, form, status=429)
    if not form.is_valid():  # 200, as any re-shown form (a 4xx page load reads as a failed resource)
        return _page(request, token, invitation, form)
    try:
        user, membership = invitation_sign_up(token=token, save_user=form.save, actor=actor_of(request))
    except InvitationRefused as refusal:
        return _refused(request, refusal)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return _joined(request, membership)
