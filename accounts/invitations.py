"""Invitations: an owner asks someone, by email, to join the practice in a role; the link they are sent lets
them join once, as a new or an existing user, before it expires.

The link carries a token signed with the site's key (Django's ``signing``, time-stamped): the invitation's
id, its practice and its nonce. A token that was tampered with, is older than ``INVITATION_MAX_AGE``, names
another practice than its invitation, or carries an old nonce (the invitation was sent again since) is
refused; so is an invitation already used or withdrawn. Accepting locks the invitation's row, so two clicks
cannot both join. Every step is on the practice's audit trail.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.audit import Actor, audit_record
from accounts.models import AuditAction, Invitation, Membership, Practice, Role
from accounts.selectors import InvitationNotFound, invitation_get, invitation_open_for, member_by_email

SALT = "accounts.invitation"
log = logging.getLogger("security")


class JoinRefusal(StrEnum):
    """Why an invitation link cannot be used, as its page explains it."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    MEMBER = "member"


REFUSALS = {
    JoinRefusal.INVALID: "This invitation link is not valid. Check that you copied all of it, or ask for a new one.",
    JoinRefusal.EXPIRED: "This invitation has expired. Ask the practice's owner to send it again.",
    JoinRefusal.USED: "This invitation has been used already. Sign in to reach the practice.",
    JoinRefusal.REVOKED: "This invitation was withdrawn by the practice's owner.",
    JoinRefusal.MEMBER: "You are a member of this practice already.",
}


class InvitationRefused(Exception):
    def __init__(self, reason: JoinRefusal) -> None:
        super().__init__(REFUSALS[reason])
        self.reason = reason


class AlreadyMember(ValueError):
    """The address belongs to someone who is a member of the practice already."""


def max_age() -> timedelta:
    return timedelta(days=int(settings.INVITATION_MAX_AGE_DAYS))


def invitation_token(invitation: Invitation) -> str:
    """The signed token of the invitation's link (only the latest one sent works: it carries the nonce)."""
    return signing.dumps({"i": invitation.pk, "p": invitation.practice_id, "n": invitation.nonce}, salt=SALT)


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The invitation a link's token names, if it may still be used; ``InvitationRefused`` says why not."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise InvitationRefused(JoinRefusal.EXPIRED) from None
    except signing.BadSignature:
        raise InvitationRefused(JoinRefusal.INVALID) from None
    if not (isinstance(payload, dict) and all(isinstance(payload.get(k), int) for k in ("i", "p"))):
        raise InvitationRefused(JoinRefusal.INVALID)
    try:
        invitation = invitation_get(practice=payload["p"], pk=payload["i"], lock=lock)
    except InvitationNotFound:
        raise InvitationRefused(JoinRefusal.INVALID) from None
    if not secrets.compare_digest(str(payload.get("n", "")), invitation.nonce):
        raise InvitationRefused(JoinRefusal.INVALID)  # an older link: the invitation was sent again since
    if invitation.revoked_at is not None:
        raise InvitationRefused(JoinRefusal.REVOKED)
    if invitation.accepted_at is not None:
        raise InvitationRefused(JoinRefusal.USED)
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(JoinRefusal.EXPIRED)
    return invitation


def _fresh(invitation: Invitation) -> None:
    invitation.nonce = secrets.token_hex(16)
    invitation.created_at = timezone.now()
    invitation.expires_at = invitation.created_at + max_age()


@transaction.atomic
def invitation_create(*, practice: Practice, email: str, role: Role, actor: Actor) -> Invitation:
    """Invite ``email`` in ``role`` (an open invitation to the same address is renewed with the new role)."""
    email = email.strip()
    if member_by_email(practice=practice, email=email) is not None:
        raise AlreadyMember(f"{email} belongs to a member of {practice.name} already; change their role instead.")
    invitation = invitation_open_for(practice=practice, email=email) or Invitation(practice=practice, email=email)
    invitation.role = role
    invitation.invited_by = actor.user
    _fresh(invitation)
    invitation.save()
    audit_record(
        practice=practice, actor=actor, action=AuditAction.MEMBER_INVITED, target=email, detail={"role": role.value}
    )
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: Actor) -> Invitation:
    """A new link with a new expiry; the old link stops working."""
    _fresh(invitation)
    invitation.save(update_fields=["nonce", "created_at", "expires_at"])
    audit_record(
        practice=invitation.practice, actor=actor, action=AuditAction.INVITATION_RESENT, target=invitation.email
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Actor) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        practice=invitation.practice, actor=actor, action=AuditAction.INVITATION_REVOKED, target=invitation.email
    )


@transaction.atomic
def invitation_accept(*, token: str, user: User, actor: Actor) -> Membership:
    """``user`` joins the invitation's practice in its role; the invitation is used up."""
    invitation = invitation_for_token(token, lock=True)
    if Membership.objects.filter(user=user, practice_id=invitation.practice_id).exists():
        raise InvitationRefused(JoinRefusal.MEMBER)
    membership = Membership.objects.create(user=user, practice=invitation.practice, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        practice=invitation.practice,
        actor=actor,
        action=AuditAction.MEMBER_JOINED,
        target=user.get_username(),
        detail={"role": invitation.role, "invited": invitation.email},
    )
    return membership


@transaction.atomic
def invitation_sign_up(*, token: str, save_user: Callable[[], User], actor: Actor) -> tuple[User, Membership]:
    """A new account (saved by ``save_user``, the form's own save) that joins through the invitation, together
    or not at all: a refused invitation creates no account."""
    invitation_for_token(token)  # before the account is made, so a refusal leaves nothing behind
    user = save_user()
    return user, invitation_accept(token=token, user=user, actor=Actor(user=user, ip=actor.ip))


def invitation_email_send(*, invitation: Invitation, link: str) -> None:
    """Send the invitation through Django's email backend (the console unless SMTP is configured)."""
    context = {
        "invitation": invitation,
        "link": link,
        "inviter": invitation.invited_by.get_username() if invitation.invited_by else "An owner",
        "role": Role(invitation.role).label,
        "days": max_age().days,
    }
    subject = " ".join(render_to_string("accounts/invitation_email_subject.txt", context).split())  # one line
    body = render_to_string("accounts/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.email])
    log.info(
        "invitation sent",
        extra={"event": "invitation_sent", "practice": invitation.practice.slug, "invitation": invitation.pk},
    )
