"""Creates that a retry cannot repeat: the answer to a request sent with an ``Idempotency-Key`` is kept with the
key, and the same request again gets the same answer instead of a second funnel or offer.

The create and the kept answer are written in one transaction, and the key is unique per token: of two copies
of a request racing each other, the second's insert fails, its create is rolled back with it, and it answers
with what the first kept. Keys are kept for ``KEEP_FOR``; a key sent again with a different request is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import ApiToken, IdempotentResponse
from api.selectors import idempotent_response_get

KEEP_FOR = timedelta(hours=24)
KEY_MAX = 255


class IdempotencyKeyReused(ValueError):
    """The key was used before for a different request."""


@dataclass(frozen=True)
class Answer:
    """A response as kept: status, JSON body and the headers that matter to a client (ETag, Location)."""

    status: int
    body: object
    headers: dict[str, str] = field(default_factory=dict)
    replayed: bool = False


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode("utf-8", "surrogatepass"), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _replay(kept: IdempotentResponse, fingerprint: str) -> Answer:
    if kept.fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was already used for a different request; send a new key for a new request"
        )
    headers = {str(k): str(v) for k, v in kept.headers.items()} if isinstance(kept.headers, dict) else {}
    return Answer(status=kept.status, body=kept.body, headers=headers, replayed=True)


def _fresh(token: ApiToken, key: str) -> IdempotentResponse | None:
    kept = idempotent_response_get(token=token, key=key)
    if kept is not None and timezone.now() - kept.created_at > KEEP_FOR:
        kept.delete()
        return None
    return kept


def idempotent_create(*, token: ApiToken, key: str | None, fingerprint: str, create: Callable[[], Answer]) -> Answer:
    """``create()``'s answer, kept under ``key``; or, for a key seen before, the answer kept then.

    Without a key, ``create()`` simply runs. Only successful answers are kept: a refused create wrote nothing,
    so running it again is harmless."""
    if key is None:
        return create()
    kept = _fresh(token, key)
    if kept is not None:
        return _replay(kept, fingerprint)
    try:
        with transaction.atomic():
            answer = create()
            IdempotentResponse.objects.create(
                token=token,
                key=key,
                fingerprint=fingerprint,
                status=answer.status,
                body=answer.body,
                headers=answer.headers,
            )
            IdempotentResponse.objects.filter(token=token, created_at__lt=timezone.now() - KEEP_FOR).delete()
    except IntegrityError:
        kept = idempotent_response_get(token=token, key=key)
        if kept is None:
            raise
        return _replay(kept, fingerprint)
    return answer
