"""The audit trail's one writer: every service that changes something an owner should be able to look back on
calls ``audit_record`` inside its own transaction, so the row and the change are written together or not at all.

Who did it is an ``Actor``: the signed-in user and the address the request came from (``core.client_ip``), or
a label for work done without a person at a browser ("command line", "system"). Failed sign-ins are recorded
in every practice the account belongs to, so its owners see someone trying; an address that is locked out is
recorded once per lock, not once per attempt, so a flood cannot bury the trail.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache

from accounts.models import AuditAction, AuditEvent, Practice
from accounts.selectors import practice_ids_of_username


@dataclass(frozen=True)
class Actor:
    """Who is making a change: a user (with the request's address), or a named kind of automation."""

    user: User | None
    ip: str | None = None
    label: str = "system"

    @property
    def name(self) -> str:
        return self.user.get_username() if self.user is not None else self.label


SYSTEM = Actor(user=None, label="system")
COMMAND_LINE = Actor(user=None, label="command line")


def _ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_event(
    *,
    practice: Practice,
    actor: Actor,
    action: AuditAction,
    target: str = "",
    detail: Mapping[str, object] | None = None,
) -> AuditEvent:
    """An unsaved row (for ``bulk_create`` or ``audit_record``)."""
    return AuditEvent(
        practice=practice,
        actor=actor.user,
        actor_label=actor.name[:150],
        action=action.value,
        target=target[:254],
        detail=dict(detail or {}),
        ip_address=_ip(actor.ip),
    )


def audit_record(
    *,
    practice: Practice,
    actor: Actor,
    action: AuditAction,
    target: str = "",
    detail: Mapping[str, object] | None = None,
) -> AuditEvent:
    """Write one row of ``practice``'s trail; call it inside the transaction of the change it records."""
    event = audit_event(practice=practice, actor=actor, action=action, target=target, detail=detail)
    event.save()
    return event


def audit_sign_in_failure(*, username: str, ip: str | None, locked: bool) -> int:
    """Record a failed sign-in as ``username`` in each practice that account belongs to; how many rows."""
    if locked:
        window = int(settings.AXES_COOLOFF_TIME.total_seconds())
        if not cache.add(f"audit:locked:{username}", 1, timeout=max(window, 60)):
            return 0  # this lock is on the trail already
    practice_ids = practice_ids_of_username(username=username)
    action = AuditAction.SIGN_IN_LOCKED if locked else AuditAction.SIGN_IN_FAILED
    rows = [
        AuditEvent(
            practice_id=practice_id,
            actor=None,
            actor_label="someone",
            action=action.value,
            target=username[:254],
            ip_address=_ip(ip),
        )
        for practice_id in practice_ids
    ]
    AuditEvent.objects.bulk_create(rows)
    return len(rows)
