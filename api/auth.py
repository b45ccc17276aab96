"""Who is calling: an ``Authorization: Bearer`` token, which acts as its practice only, within its scope.

Checked before the body is read, in this order: the token (401 when unknown, revoked or expired), its scope
(403 for a read token on a write), the per-token rate limit (429 with ``Retry-After``, counted in the cache,
Redis where set, so every app server shares it), and the body's size (413). Failed attempts are limited per
address too, so guessing costs the guesser.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from accounts.audit import Actor
from api.errors import ApiError, TokenRejected
from api.models import ApiToken
from api.selectors import token_by_secret
from api.services.tokens import token_touch
from core.client_ip import client_ip
from core.rate_limit import rate_limit_refusal


def _limited(name: str, key: str, who: str) -> None:
    wait = rate_limit_refusal(name, key)
    if wait is not None:
        raise ApiError(
            429,
            f"too many requests from {who}; try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
            extra={"retry_after": wait},
        )


def max_body_bytes() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", 1_100_000))


class BearerToken(HttpBearer):
    """One class for both scopes, so the OpenAPI description has one security scheme, ``BearerToken``."""

    openapi_description = (
        "An API token made by an owner of the practice on the API tokens page, sent as "
        "`Authorization: Bearer oa_…`. A read token may list, read, check and forecast; a write token may also "
        "change the catalog and the funnels."
    )

    def __init__(self, *, write: bool) -> None:
        self.write = write
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header.strip():
            raise TokenRejected()
        scheme, _, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise TokenRejected("the Authorization header must read: Bearer <token>")
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = token_by_secret(secret=token)
        if found is None or not found.is_active():
            _limited("api-failed-ip", client_ip(request), "this address")
            if found is not None and found.revoked_at is not None:
                raise TokenRejected("this API token was revoked; ask an owner of the practice for a new one")
            if found is not None:
                raise TokenRejected(f"this API token expired at {found.expires_at:%Y-%m-%d %H:%M} UTC")
            raise TokenRejected("unknown API token")
        if self.write and not found.can_write:
            raise ApiError(403, "this is a read token; changes need a token with the write scope")
        _limited("api-token", str(found.pk), "this token")
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > max_body_bytes():
            raise ApiError(413, f"the request body is larger than {max_body_bytes():,} bytes")
        token_touch(token=found)
        return found


read = BearerToken(write=False)
write = BearerToken(write=True)


def token_of(request: HttpRequest) -> ApiToken:
    """The token the request was authenticated with (every API operation has one)."""
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):
        raise TokenRejected()
    return token


def actor_of(request: HttpRequest) -> Actor:
    """The token as the audit trail and the history name it: its name and the client's address."""
    token = token_of(request)
    return Actor(user=None, ip=client_ip(request), label=f'API token "{token.name}"'[:150])
