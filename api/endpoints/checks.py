"""``POST /api/v1/check``: the dry run. A document in; its findings, its forecast and what creating it would do
to the catalog out; nothing written (a test holds it to no write at all)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from pydantic import Field

from api.auth import read, token_of
from api.endpoints.common import READ_ERRORS, json_response
from api.endpoints.funnels import DOCUMENT_BODY, WantedSlug
from api.reports import BUYERS_DEFAULT, BUYERS_MAX, aov_report
from api.schemas.reports import CheckReport
from funnels.domain.checks.findings import Tally
from funnels.presenters.cli import finding_data
from funnels.services.transfer import funnel_import_check

router = Router(tags=["check"])

Buyers = Annotated[int, Field(BUYERS_DEFAULT, ge=1, le=BUYERS_MAX, description="buyers for the projection")]


@router.post(
    "/check",
    response={200: CheckReport, **READ_ERRORS},
    auth=read,
    summary="Check a funnel document without saving it",
    openapi_extra=DOCUMENT_BODY,
)
def check_document(
    request: HttpRequest, buyers: Query[Buyers] = BUYERS_DEFAULT, slug: Query[WantedSlug] = None
) -> HttpResponse:
    """What ``POST /api/v1/funnels`` would make of the document, worked out without writing anything: the timing
    and honesty findings, the exact AOV forecast (the ``/metrics`` object), the offers it would add to the catalog
    and reuse from it, and the clashes with the catalog that would refuse it. A bad document gets 422 with every
    problem, as the create would."""
    practice = token_of(request).practice
    found = funnel_import_check(practice=practice, raw=request.body, slug=slug)
    tally = Tally.of(found.findings)
    data: dict[str, Any] = {
        "name": found.plan.name,
        "slug": found.slug,
        "would_create": not found.clashes,
        "offers_created": [spec.key for spec in found.offers_created],
        "offers_matched": [spec.key for spec in found.offers_matched],
        "clashes": [{"path": p.path, "message": p.message} for p in found.clashes],
        "tally": {"errors": tally.errors, "warnings": tally.warnings, "acknowledged": tally.acknowledged},
        "findings": [finding_data(f) for f in found.findings],
        "metrics": aov_report(found.plan, found.findings, buyers),
    }
    return json_response(200, data)
