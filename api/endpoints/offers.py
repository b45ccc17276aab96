"""``/api/v1/offers``: the practice's catalog. Reads need a token; changes need a write token. Offers carry no
version (the catalog's own screens do not check one either); every change is on the audit trail."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import BaseModel

from api.auth import actor_of, read, token_of, write
from api.endpoints.common import (
    READ_ERRORS,
    WRITE_ERRORS,
    IdempotencyKey,
    PathKey,
    SearchText,
    answer_response,
    decimal_string,
    json_response,
)
from api.errors import invalid
from api.schemas.common import PageParams
from api.schemas.examples import offer_examples
from api.schemas.offers import OfferChange, OfferCreate, OfferKindName, OfferOut, OfferPage, OfferStatusName
from api.selectors import offer_page
from api.services.idempotency import Answer, idempotent_create, request_fingerprint
from core.money import money_string
from offers.models import Offer
from offers.selectors import OfferNotFound, offer_get
from offers.services import offer_archive, offer_create, offer_update

router = Router(tags=["offers"])


def offer_out(offer: Offer) -> dict[str, Any]:
    """The offer as ``OfferOut`` describes it: money to the cent and the take rate as decimal strings."""
    return {
        "key": offer.key,
        "name": offer.name,
        "kind": offer.kind,
        "price": money_string(offer.price),
        "replaces": offer.replaces.key if offer.replaces_id and offer.replaces else None,
        "take_rate": decimal_string(offer.default_take_rate),
        "topics": sorted(offer.topics or ()),
        "format": offer.format,
        "headline": offer.headline,
        "body": offer.body,
        "accept_label": offer.accept_label,
        "decline_label": offer.decline_label,
        "status": offer.status,
        "currency": offer.currency,
        "updated_at": offer.updated_at.isoformat(),
    }


def _replaces(request: HttpRequest, key: str | None) -> Offer | None:
    if key is None:
        return None
    try:
        return offer_get(practice=token_of(request).practice, key=key)
    except OfferNotFound as missing:
        raise invalid("replaces", str(missing)) from None


@router.get("/offers", response={200: OfferPage, **READ_ERRORS}, auth=read, summary="List the catalog's offers")
def list_offers(
    request: HttpRequest,
    page: Query[PageParams],
    kind: OfferKindName | None = None,
    status: OfferStatusName | None = None,
    search: SearchText | None = None,
) -> HttpResponse:
    """Offers by key, ``limit`` to a page (at most 100); ``search`` looks in the name, key and headline."""
    found = offer_page(
        practice=token_of(request).practice,
        kind=kind,
        status=status,
        search=search,
        limit=page.limit,
        offset=page.offset,
    )
    page_data = {"items": [offer_out(o) for o in found.items], "count": found.count}
    return json_response(200, {**page_data, "limit": found.limit, "offset": found.offset})


@router.get("/offers/{key}", response={200: OfferOut, **READ_ERRORS}, auth=read, summary="Read one offer")
def get_offer(request: HttpRequest, key: PathKey) -> HttpResponse:
    return json_response(200, offer_out(offer_get(practice=token_of(request).practice, key=key)))


@router.post(
    "/offers",
    response={201: OfferOut, **WRITE_ERRORS},
    auth=write,
    summary="Add an offer to the catalog",
    openapi_extra={"requestBody": {"content": {"application/json": {"examples": offer_examples()}}}},
)
def create_offer(request: HttpRequest, offer: OfferCreate, idempotency_key: IdempotencyKey = None) -> HttpResponse:
    """The offer is priced in the practice's currency. A key the catalog already has is refused (422)."""
    token = token_of(request)

    def create() -> Answer:
        made = offer_create(
            practice=token.practice,
            key=offer.key,
            name=offer.name,
            kind=offer.kind,
            price=offer.price,
            topics=offer.topics,
            replaces=_replaces(request, offer.replaces),
            format=offer.format,
            headline=offer.headline,
            body=offer.body,
            accept_label=offer.accept_label,
            decline_label=offer.decline_label,
            default_take_rate=offer.take_rate,
            status=offer.status,
            actor=actor_of(request),
        )
        return Answer(status=201, body=offer_out(made), headers={"Location": f"{request.path}/{made.key}"})

    fingerprint = request_fingerprint(method=request.method or "POST", path=request.path, body=request.body)
    return answer_response(idempotent_create(token=token, key=idempotency_key, fingerprint=fingerprint, create=create))


@router.patch("/offers/{key}", response={200: OfferOut, **WRITE_ERRORS}, auth=write, summary="Change an offer")
def update_offer(request: HttpRequest, key: PathKey, change: OfferChange) -> HttpResponse:  # type: ignore[valid-type]  # a model made at import
    """Only the fields sent change. A change a funnel would see (price, kind, topics…) moves those funnels'
    versions, as the catalog's screen does."""
    current = offer_get(practice=token_of(request).practice, key=key)
    given: BaseModel = change
    sent: dict[str, Any] = {name: getattr(given, name) for name in given.model_fields_set}
    if "replaces" in sent:
        sent["replaces"] = _replaces(request, sent["replaces"])
    if "take_rate" in sent:
        sent["default_take_rate"] = sent.pop("take_rate")
    if "topics" in sent:
        sent["topics"] = list(sent["topics"])
    if "kind" in sent:
        sent["kind"] = str(sent["kind"])
    return json_response(200, offer_out(offer_update(offer=current, actor=actor_of(request), **sent)))


@router.post("/offers/{key}/archive", response={200: OfferOut, **WRITE_ERRORS}, auth=write, summary="Archive an offer")
def archive_offer(request: HttpRequest, key: PathKey) -> HttpResponse:
    """Take the offer off sale; it stays in the catalog and in its funnels (which then warn about it)."""
    current = offer_get(practice=token_of(request).practice, key=key)
    return json_response(200, offer_out(offer_archive(offer=current, actor=actor_of(request))))
