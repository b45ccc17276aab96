"""Making and revoking API tokens, each on the practice's audit trail, and noting when one was last used."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.audit import Actor, audit_record
from accounts.models import AuditAction, Practice
from api.models import ApiToken, TokenScope
from api.selectors import SECRET_PREFIX, secret_digest

NAME_MAX = 100
TOUCH_EVERY = timedelta(minutes=5)
"""``last_used_at`` is written at most this often per token, so a busy script does not write on every read."""


class TokenRefused(ValueError):
    """The token cannot be made as asked; the message says what to change."""


@dataclass(frozen=True)
class NewToken:
    """A token just made, with its secret: the only moment the secret exists outside the script that holds it."""

    token: ApiToken
    secret: str


def token_create(*, practice: Practice, name: str, scope: str, expires_at: datetime | None, actor: Actor) -> NewToken:
    name = " ".join(name.split())
    if not name:
        raise TokenRefused("Give the token a name, such as the script that will use it")
    if len(name) > NAME_MAX:
        raise TokenRefused(f"Keep the name to {NAME_MAX} characters (this has {len(name)})")
    if scope not in TokenScope.values:
        raise TokenRefused(f'Unknown scope "{scope}" (use {" or ".join(TokenScope.values)})')
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise TokenRefused("The expiry must be in the future")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            practice=practice,
            name=name,
            scope=scope,
            prefix=secret[:10],
            digest=secret_digest(secret),
            created_by=actor.user,
            created_at=now,
            expires_at=expires_at,
        )
        audit_record(
            practice=practice,
            actor=actor,
            action=AuditAction.API_TOKEN_CREATED,
            target=name,
            detail={"scope": scope, "expires_at": expires_at.isoformat() if expires_at else None},
        )
    return NewToken(token=token, secret=secret)


def token_revoke(*, practice: Practice, token: ApiToken, actor: Actor) -> ApiToken:
    """Stop the token working at once; the row stays, so the page and the trail can still name it."""
    if token.practice_id != practice.pk:
        raise TokenRefused("That token belongs to another practice")
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(
                practice=practice,
                actor=actor,
                action=AuditAction.API_TOKEN_REVOKED,
                target=token.name,
                detail={"scope": token.scope},
            )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Note that the token was just used (at most every ``TOUCH_EVERY``), for the owners' page."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
