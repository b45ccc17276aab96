"""``/api/v1/funnels``: a funnel is read and written as the interchange document (DESIGN §4), exactly what the
file export writes and the import reads; its version travels as the ``ETag``.

Creating and replacing read the raw body with the import's own reader, so a bad document gets every problem with
its JSON path (422) and nothing is written, and numbers are read as decimals, never floats.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import Field

from api.auth import actor_of, read, token_of, write
from api.endpoints.common import (
    READ_ERRORS,
    VERSIONED_ERRORS,
    WRITE_ERRORS,
    IdempotencyKey,
    IfMatch,
    PathKey,
    SearchText,
    answer_response,
    funnel_of,
    funnel_summary,
    json_response,
    versioned,
)
from api.headers import expected_version
from api.reports import BUYERS_DEFAULT, BUYERS_MAX, aov_report, checked
from api.schemas.common import PageParams
from api.schemas.examples import document_examples
from api.schemas.funnels import FunnelChange, FunnelPage, FunnelStatusName, FunnelSummary, FunnelWritten
from api.schemas.reports import AovReport
from api.selectors import funnel_page
from api.services.funnels import funnel_replace
from api.services.idempotency import Answer, idempotent_create, request_fingerprint
from funnels.interchange.models import FunnelDocument
from funnels.models import Funnel
from funnels.selectors import funnel_plan
from funnels.services.editing import funnel_delete, funnel_update
from funnels.services.transfer import funnel_export, funnel_import

router = Router(tags=["funnels"])

DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "description": "A funnel document (offer-architect/funnel@1), as the file export writes it.",
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/FunnelDocument"},
                "examples": document_examples(),
            }
        },
    }
}
ETAG_HEADER = {
    "ETag": {"description": 'The funnel\'s version, e.g. "3": send it back as If-Match', "schema": {"type": "string"}}
}
WantedSlug = Annotated[str | None, Field(None, pattern=r"^[a-z0-9-]{1,64}$", description="The new funnel's slug")]


def _with_etag(status: int) -> dict[str, Any]:
    return {"responses": {status: {"headers": ETAG_HEADER}}}


def _written(funnel: Funnel, created: tuple[str, ...], reused: tuple[str, ...]) -> dict[str, Any]:
    data = {**funnel_summary(funnel), "offers_created": list(created), "offers_reused": list(reused)}
    return FunnelWritten.model_validate(data).model_dump(mode="json")


@router.get("/funnels", response={200: FunnelPage, **READ_ERRORS}, auth=read, summary="List the funnels")
def list_funnels(
    request: HttpRequest,
    page: Query[PageParams],
    status: FunnelStatusName | None = None,
    search: SearchText | None = None,
) -> HttpResponse:
    """The practice's funnels by slug (those in the trash are left out), ``limit`` to a page (at most 100)."""
    found = funnel_page(
        practice=token_of(request).practice, status=status, search=search, limit=page.limit, offset=page.offset
    )
    items = [funnel_summary(f) for f in found.items]
    return json_response(200, {"items": items, "count": found.count, "limit": found.limit, "offset": found.offset})


@router.post(
    "/funnels",
    response={201: FunnelWritten, **WRITE_ERRORS},
    auth=write,
    summary="Create a funnel from a document",
    openapi_extra={**DOCUMENT_BODY, **_with_etag(201)},
)
def create_funnel(
    request: HttpRequest, slug: Query[WantedSlug] = None, idempotency_key: IdempotencyKey = None
) -> HttpResponse:
    """The funnel and the offers the catalog lacks (matched by key), or every problem at once and nothing written.
    Send an ``Idempotency-Key`` so that a retry after a lost answer makes no second funnel."""
    token = token_of(request)
    raw = request.body

    def create() -> Answer:
        made = funnel_import(practice=token.practice, raw=raw, slug=slug, actor=actor_of(request))
        headers = {**versioned(made.funnel), "Location": f"{request.path}/{made.funnel.slug}"}
        return Answer(status=201, body=_written(made.funnel, made.offers_created, made.offers_reused), headers=headers)

    fingerprint = request_fingerprint(method="POST", path=request.get_full_path(), body=raw)
    return answer_response(idempotent_create(token=token, key=idempotency_key, fingerprint=fingerprint, create=create))


@router.get(
    "/funnels/{slug}",
    response={200: FunnelDocument, **READ_ERRORS},
    auth=read,
    summary="Read a funnel as its document",
    openapi_extra=_with_etag(200),
)
def get_funnel(request: HttpRequest, slug: PathKey) -> HttpResponse:
    """The funnel exactly as the file export writes it (it imports back equal); its version is the ``ETag``."""
    funnel = funnel_of(request, slug)
    text = funnel_export(practice=token_of(request).practice, funnel=funnel)
    response = HttpResponse(text, content_type="application/json")
    response["ETag"] = versioned(funnel)["ETag"]
    return response


@router.put(
    "/funnels/{slug}",
    response={200: FunnelWritten, **VERSIONED_ERRORS},
    auth=write,
    summary="Replace a funnel with a document",
    openapi_extra={**DOCUMENT_BODY, **_with_etag(200)},
)
def replace_funnel(request: HttpRequest, slug: PathKey, if_match: IfMatch = None) -> HttpResponse:
    """The funnel becomes the document's (its slug stays); offers the catalog lacks are added. One new version."""
    funnel = funnel_of(request, slug)
    version = expected_version(if_match)
    done = funnel_replace(
        practice=token_of(request).practice,
        funnel=funnel,
        expected_version=version,
        raw=request.body,
        actor=actor_of(request),
    )
    return json_response(200, _written(done.funnel, done.offers_created, done.offers_reused), versioned(done.funnel))


@router.patch(
    "/funnels/{slug}",
    response={200: FunnelSummary, **VERSIONED_ERRORS},
    auth=write,
    summary="Rename a funnel or change its status",
    openapi_extra=_with_etag(200),
)
def update_funnel(request: HttpRequest, slug: PathKey, change: FunnelChange, if_match: IfMatch = None) -> HttpResponse:
    funnel = funnel_of(request, slug)
    version = expected_version(if_match)
    done = funnel_update(
        funnel=funnel, expected_version=version, name=change.name, status=change.status, actor=actor_of(request)
    )
    return json_response(200, funnel_summary(done), versioned(done))


@router.delete("/funnels/{slug}", response={204: None, **VERSIONED_ERRORS}, auth=write, summary="Delete a funnel")
def delete_funnel(request: HttpRequest, slug: PathKey, if_match: IfMatch = None) -> HttpResponse:
    """The funnel goes to the trash (restorable from the funnels page for a while); its offers stay."""
    funnel = funnel_of(request, slug)
    funnel_delete(funnel=funnel, expected_version=expected_version(if_match), actor=actor_of(request))
    return HttpResponse(status=204)


Buyers = Annotated[int, Field(BUYERS_DEFAULT, ge=1, le=BUYERS_MAX, description="buyers for the projection")]


@router.get(
    "/funnels/{slug}/metrics",
    response={200: AovReport, **READ_ERRORS},
    auth=read,
    summary="The funnel's AOV forecast",
    openapi_extra=_with_etag(200),
)
def funnel_metrics(request: HttpRequest, slug: PathKey, buyers: Query[Buyers] = BUYERS_DEFAULT) -> HttpResponse:
    """Exactly the object ``manage.py funnel aov FILE --json --buyers N --practice P`` prints for the funnel's
    export: AOV, revenue per buyer, per-step reach and sensitivity, spread, projection, scenarios, findings."""
    practice = token_of(request).practice
    funnel = funnel_of(request, slug)
    plan = funnel_plan(practice=practice, funnel=funnel)
    return json_response(200, aov_report(plan, checked(plan, practice), buyers), versioned(funnel))
