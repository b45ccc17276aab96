"""Writes of practices and memberships, each in one transaction, each on the practice's audit trail.

A practice always keeps at least one owner: the last one can be neither removed nor made anything else
(``LastOwner``), checked with the owners' rows locked so two owners cannot demote each other at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from accounts.audit import SYSTEM, Actor, audit_record
from accounts.models import AuditAction, Membership, Practice, Role
from accounts.selectors import owners_locked, practice_slugs_taken
from core.money import CURRENCY_PATTERN
from core.slugs import KEY_PATTERN, slug_base, unique_slug

log = logging.getLogger("security")


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
    actor = Actor(user=owner) if owner is not None else SYSTEM
    audit_record(practice=practice, actor=actor, action=AuditAction.PRACTICE_CREATED, target=practice.name)
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


class LastOwner(ValueError):
    """The change would leave the practice without an owner."""


LAST_OWNER = "{name} is the last owner of {practice}: make someone else an owner first."


def _keeps_an_owner(membership: Membership) -> None:
    owners = owners_locked(practice=membership.practice)
    if [m.pk for m in owners] == [membership.pk]:
        raise LastOwner(LAST_OWNER.format(name=membership.user.get_username(), practice=membership.practice.name))


@transaction.atomic
def member_role_set(*, membership: Membership, role: Role, actor: Actor) -> Membership:
    """Give a member another role; the last owner keeps theirs (``LastOwner``)."""
    before = membership.role
    if role == before:
        return membership
    if before == Role.OWNER:
        _keeps_an_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        practice=membership.practice,
        actor=actor,
        action=AuditAction.ROLE_CHANGED,
        target=membership.user.get_username(),
        detail={"from": before, "to": role.value},
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, actor: Actor) -> None:
    """Take a member out of the practice (their account stays); never the last owner (``LastOwner``)."""
    if membership.role == Role.OWNER:
        _keeps_an_owner(membership)
    username, role = membership.user.get_username(), membership.role
    membership.delete()
    audit_record(
        practice=membership.practice,
        actor=actor,
        action=AuditAction.MEMBER_REMOVED,
        target=username,
        detail={"role": role},
    )


@transaction.atomic
def practice_delete(*, practice: Practice, actor: Actor) -> None:
    """Delete a practice with its catalog, funnels, invitations and trail (its members' accounts stay)."""
    log.warning(
        "practice deleted",
        extra={"event": "practice_deleted", "practice": practice.slug, "actor": actor.name, "ip": actor.ip},
    )
    practice.delete()
