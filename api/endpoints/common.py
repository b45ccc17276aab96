"""What the endpoint modules share: the refusals each operation documents, JSON answers with headers, the
funnel a path names, and the typed request parameters that must never reach a query unchecked."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import Header
from pydantic import Field

from api.auth import token_of
from api.headers import etag
from api.schemas.common import ErrorOut, RateLimitedOut, StaleOut
from api.schemas.funnels import FunnelSummary
from api.services.idempotency import KEY_MAX, Answer
from funnels.models import Funnel
from funnels.selectors import funnel_get

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: RateLimitedOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut, 409: ErrorOut}
VERSIONED_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 400: ErrorOut, 412: StaleOut, 428: ErrorOut}

PathKey = Annotated[str, Field(pattern=r"^[a-z0-9-]{1,64}$", description="1-64 characters from a-z, 0-9 and -")]
"""A slug or key in a path: checked before any query (a stray NUL would otherwise reach the database)."""

SearchText = Annotated[str, Field(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")]

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The funnel\'s version as its ETag gave it, e.g. "3". Required: a write without it is refused '
        "(428), one with a version that moved on gets 412 with the current version.",
        max_length=100,
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Any unique string (a UUID, say). The same request sent again with the same key, by the same "
        "token within 24 hours, gets the first answer again instead of making a second one.",
        max_length=KEY_MAX,
        pattern=r"^[\x21-\x7e]+$",
    ),
]


def json_response(status: int, data: Any, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def answer_response(answer: Answer) -> HttpResponse:
    headers = dict(answer.headers)
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return json_response(answer.status, answer.body, headers)


def funnel_of(request: HttpRequest, slug: str) -> Funnel:
    """The token's practice's funnel with this slug (404 for any other practice's, as for one that is not there)."""
    return funnel_get(practice=token_of(request).practice, slug=slug)


def funnel_summary(funnel: Funnel) -> dict[str, Any]:
    data = {
        "slug": funnel.slug,
        "name": funnel.name,
        "status": funnel.status,
        "currency": funnel.currency,
        "version": funnel.version,
        "core_offer": funnel.core_offer.key,
        "created_at": funnel.created_at,
        "updated_at": funnel.updated_at,
    }
    return FunnelSummary.model_validate(data).model_dump(mode="json")


def decimal_string(value: Decimal | None) -> str | None:
    """A stored take rate as its shortest decimal text (``0.2000`` → ``"0.2"``), None as None."""
    if value is None:
        return None
    plain = value.normalize()
    return f"{plain:f}" if plain else "0"


def versioned(funnel: Funnel) -> dict[str, str]:
    return {"ETag": etag(funnel.version)}
