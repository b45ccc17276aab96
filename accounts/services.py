"""Writes of practices and memberships, each in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from accounts.models import Membership, Practice, Role
from accounts.selectors import practice_slugs_taken
from core.money import CURRENCY_PATTERN
from core.slugs import KEY_PATTERN, slug_base, unique_slug


def practice_slug_for(name: str) -> str:
    """A slug for a new practice called ``name`` that no practice has yet."""
    base = slug_base(slugify(name), fallback="practice")
    return unique_slug(base=base, taken=practice_slugs_taken(prefix=base))


@transaction.atomic
def practice_create(
    *, name: str, slug: str | None = None, currency: str = "USD", owner: User | None = None
) -> Practice:
    """A practice (its slug made from the name unless given), and its owner's membership when one is named."""
    slug = slug or practice_slug_for(name)
    if not KEY_PATTERN.match(slug):
        raise ValidationError({"slug": "use 1–64 lower-case letters, digits and hyphens"})
    if not CURRENCY_PATTERN.match(currency):
        raise ValidationError({"currency": "use a three-letter code such as USD"})
    practice = Practice.objects.create(name=name, slug=slug, currency=currency)
    if owner is not None:
        Membership.objects.create(user=owner, practice=practice, role=Role.OWNER)
    return practice


@transaction.atomic
def membership_set(*, practice: Practice, user: User, role: Role) -> Membership:
    """Give ``user`` the ``role`` in ``practice``, whether or not they belonged to it before."""
    membership, _ = Membership.objects.update_or_create(user=user, practice=practice, defaults={"role": role})
    return membership


@transaction.atomic
def sign_up(*, save_user: Callable[[], User], practice_name: str, currency: str) -> tuple[User, Practice]:
    """A new user (saved by ``save_user``, the sign-up form's own save) and the practice they own, together
    or not at all."""
    user = save_user()
    return user, practice_create(name=practice_name, currency=currency, owner=user)
