"""Reads of practices and memberships. A user only ever sees the practices they belong to."""

from __future__ import annotations

from django.contrib.auth.models import User

from accounts.models import Membership, Practice


class PracticeNotFound(LookupError):
    """No practice has that slug (or the user is not a member of it)."""


def practice_get(*, slug: str) -> Practice:
    """A practice by slug, for the operator's command line (which has no signed-in user)."""
    try:
        return Practice.objects.get(slug=slug)
    except Practice.DoesNotExist:
        known = ", ".join(Practice.objects.order_by("slug").values_list("slug", flat=True)[:20]) or "none yet"
        raise PracticeNotFound(f'no practice "{slug}" (known: {known})') from None


def membership_list(*, user: User) -> tuple[Membership, ...]:
    """The user's memberships with their practices, by practice name, in one query."""
    return tuple(Membership.objects.filter(user=user).select_related("practice").order_by("practice__name"))


def membership_get(*, user: User, practice_slug: str) -> Membership | None:
    """The user's membership of the practice with that slug, or None when they do not belong to it."""
    return Membership.objects.filter(user=user, practice__slug=practice_slug).select_related("practice").first()


def practice_slugs_taken(*, prefix: str) -> set[str]:
    """Every practice slug that starts with ``prefix``: a new practice's slug must be none of them."""
    return set(Practice.objects.filter(slug__startswith=prefix).values_list("slug", flat=True))
