"""Reads of practices, memberships, invitations and the audit trail. A user only ever sees the practices they
belong to; everything of a practice is read through that practice."""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import Lower

from accounts.models import AuditEvent, Invitation, Membership, Practice, Role


class PracticeNotFound(LookupError):
    """No practice has that slug (or the user is not a member of it)."""


def practice_get(*, slug: str) -> Practice:
    """A practice by slug, for the operator's command line (which has no signed-in user)."""
    try:
        return Practice.objects.get(slug=slug)
    except Practice.DoesNotExist:
        # never list the others: whoever mistyped a slug need not learn what other practices are called
        raise PracticeNotFound(f'no practice "{slug}"') from None


def membership_list(*, user: User) -> tuple[Membership, ...]:
    """The user's memberships with their practices, by practice name, in one query."""
    return tuple(Membership.objects.filter(user=user).select_related("practice").order_by("practice__name"))


def membership_get(*, user: User, practice_slug: str) -> Membership | None:
    """The user's membership of the practice with that slug, or None when they do not belong to it."""
    return Membership.objects.filter(user=user, practice__slug=practice_slug).select_related("practice").first()


def practice_slugs_taken(*, prefix: str) -> set[str]:
    """Every practice slug that starts with ``prefix``: a new practice's slug must be none of them."""
    return set(Practice.objects.filter(slug__startswith=prefix).values_list("slug", flat=True))


class MemberNotFound(LookupError):
    """The practice has no such member (or the membership belongs to another practice)."""


class InvitationNotFound(LookupError):
    """The practice has no such invitation."""


ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


def member_list(*, practice: Practice) -> list[Membership]:
    """The practice's members with their users: owners first, then by name."""
    members = Membership.objects.filter(practice=practice).select_related("user")
    return sorted(members, key=lambda m: (ROLE_ORDER.get(m.role, 99), m.user.get_username().lower()))


def member_get(*, practice: Practice, pk: int) -> Membership:
    try:
        return Membership.objects.select_related("user", "practice").get(practice=practice, pk=pk)
    except Membership.DoesNotExist:
        raise MemberNotFound(f"{practice.name} has no member {pk}") from None


def member_by_email(*, practice: Practice, email: str) -> Membership | None:
    """The member of ``practice`` whose account has this email address, if any."""
    return (
        Membership.objects.filter(practice=practice, user__email__iexact=email.strip()).select_related("user").first()
    )


def owners_locked(*, practice: Practice) -> list[Membership]:
    """The practice's owners, their rows locked until the transaction ends (the last-owner rule reads this)."""
    return list(Membership.objects.select_for_update().filter(practice=practice, role=Role.OWNER).order_by("pk"))


def invitation_list_open(*, practice: Practice) -> QuerySet[Invitation]:
    """Invitations neither used nor withdrawn (expired ones included, so an owner can send them again)."""
    return (
        Invitation.objects.filter(practice=practice, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by(Lower("email"), "-created_at")
    )


def invitation_get(*, practice: Practice | int, pk: int, lock: bool = False) -> Invitation:
    """An invitation of the practice (its row locked when ``lock``, so it is used only once)."""
    invitations = Invitation.objects.select_related("practice", "invited_by")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    practice_id = practice if isinstance(practice, int) else practice.pk
    try:
        return invitations.get(practice_id=practice_id, pk=pk)
    except Invitation.DoesNotExist:
        raise InvitationNotFound(f"no invitation {pk}") from None


def invitation_open_for(*, practice: Practice, email: str) -> Invitation | None:
    """The practice's open invitation to this address, if one was sent already."""
    return invitation_list_open(practice=practice).filter(email__iexact=email.strip()).first()


def audit_list(*, practice: Practice) -> QuerySet[AuditEvent]:
    """The practice's audit trail, newest first."""
    return AuditEvent.objects.filter(practice=practice).order_by("-at", "-pk")


def practice_ids_of_username(*, username: str) -> list[int]:
    """The practices the account called ``username`` belongs to (none if there is no such account)."""
    return list(Membership.objects.filter(user__username=username).values_list("practice_id", flat=True))


def lockout_ends(
    *, username: str | None, ip_address: str | None, cool_off: timedelta, failure_limit: int
) -> datetime | None:
    """When the sign-in lock on this account or this address lifts: ``cool_off`` after the last failure that
    counted towards it (django-axes' own rows; the later of the two when both are locked)."""
    ends: list[datetime] = []
    for condition in (Q(username=username) if username else None, Q(ip_address=ip_address) if ip_address else None):
        if condition is None:
            continue
        found = AccessAttempt.objects.filter(condition).aggregate(
            last=Max("attempt_time"), failures=Sum("failures_since_start")
        )
        if found["last"] is not None and (found["failures"] or 0) >= failure_limit:
            ends.append(found["last"] + cool_off)
    return max(ends) if ends else None
