"""Reads for the API. Tokens are found by the digest of their secret; everything else is read through the
catalog's and the funnels' own selectors, always inside the token's practice, so another practice's offer or
funnel simply is not found (404)."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from accounts.models import Practice
from api.models import ApiToken, IdempotentResponse
from funnels.models import Funnel
from funnels.selectors import funnel_list
from offers.models import Offer
from offers.selectors import offer_list

SECRET_PREFIX = "oa_"


class TokenNotFound(LookupError):
    """The practice has no token with that id."""


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_by_secret(*, secret: str) -> ApiToken | None:
    """The token whose secret this is, with its practice (one query), or None.

    The row is found by the digest (an index), and the digests are compared again in constant time, so how
    long a refusal takes says nothing about how close a guess came."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    digest = secret_digest(secret)
    token = ApiToken.objects.select_related("practice").filter(digest=digest).first()
    if token is None or not hmac.compare_digest(token.digest, digest):
        return None
    return token


def token_list(*, practice: Practice) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(practice=practice).select_related("created_by").order_by("-created_at", "-pk")


def token_get(*, practice: Practice, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(practice=practice, pk=pk).select_related("practice").first()
    if token is None:
        raise TokenNotFound(f"this practice has no API token {pk}")
    return token


def idempotent_response_get(*, token: ApiToken, key: str) -> IdempotentResponse | None:
    return IdempotentResponse.objects.filter(token=token, key=key).first()


@dataclass(frozen=True)
class Page[T: Model]:
    """One page of a list: its rows, how many there are in all, and where the page starts."""

    items: list[T]
    count: int
    limit: int
    offset: int


def _page[T: Model](rows: QuerySet[T], limit: int, offset: int) -> Page[T]:
    return Page(items=list(rows[offset : offset + limit]), count=rows.count(), limit=limit, offset=offset)


def offer_page(
    *,
    practice: Practice,
    kind: str | None,
    status: str | None,
    search: str | None,
    limit: int,
    offset: int,
) -> Page[Offer]:
    """The catalog's offers as the catalog lists them (filters and search of ``offers.selectors.offer_list``)."""
    rows = offer_list(practice=practice, kind=kind, status=status, search=search).order_by("key", "pk")
    return _page(rows, limit, offset)


def funnel_page(*, practice: Practice, status: str | None, search: str | None, limit: int, offset: int) -> Page[Funnel]:
    """The practice's funnels (not those in the trash) by slug, optionally of one status or matching a search."""
    rows = funnel_list(practice=practice)
    if status:
        rows = rows.filter(status=status)
    if search:
        rows = rows.filter(Q(name__icontains=search) | Q(slug__icontains=search))
    return _page(rows.order_by("slug", "pk"), limit, offset)
