"""The API itself: one ``NinjaAPI`` with its routers under ``/api/v1/``, its refusals, its decimal-reading JSON
parser, the vendored docs, and the OpenAPI description (``/api/openapi.json``) with the interchange format's
fields described."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from api.docs import VendoredSwagger
from api.endpoints import checks, funnels, history, offers, steps
from api.errors import register_handlers
from api.schemas import common as common_schemas
from api.schemas import funnels as funnel_schemas
from api.schemas import history as history_schemas
from api.schemas import offers as offer_schemas
from api.schemas import reports as report_schemas
from api.schemas.described import describe, model_schema
from api.strict import refuse_unknown_query
from funnels.interchange import models as interchange
from funnels.selectors import VersionNotFound
from offers.impact import FunnelsChanged

DESCRIPTION = """\
Build, check and forecast funnels from a script: the catalog's offers, funnels as interchange documents
(`offer-architect/funnel@1`, the file export's format), their steps, a dry run and the exact AOV forecast.

**Tokens.** An owner makes a token on the *API tokens* page (shown once). Send it as
`Authorization: Bearer oa_…`. It acts as its practice only: another practice's offers and funnels answer 404.
A `read` token lists, reads, checks and forecasts; a `write` token also changes the catalog and the funnels.

**Safe writes.** Every funnel answer carries the funnel's version as its `ETag`. A change to a funnel must send
it back as `If-Match` (428 without it); if the funnel changed meanwhile, the answer is 412 with the current
version, and nothing is written. A create accepts an `Idempotency-Key`: the same request with the same key
gets the first answer again (`Idempotent-Replayed: true`), so a retried request makes one funnel.

**Refusals.** Always `{"detail", "problems": [{"path", "message"}]}`. A bad body is 422 with every problem and
its JSON path, as the file import reports them (`post_purchase.steps[1].on_decline: no step "dwn1"`).

**Limits.** Per token, a number of requests a minute (429 with `Retry-After`), bodies up to about 1 MB (413),
pages of at most 100 rows. Money is a decimal string such as `"97.00"` (numbers are read as decimals, never as
floats); figures are illustrative, not a promise of results.
"""


class DecimalJsonParser(Parser):
    """JSON bodies with numbers read as ``Decimal``, as the file import reads them: ``19.99`` stays 19.99."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body, parse_float=Decimal)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


SCHEMA_MODULES = (interchange, common_schemas, offer_schemas, funnel_schemas, history_schemas, report_schemas)


def _schema_models() -> list[type[Any]]:
    from pydantic import BaseModel

    found: list[type[Any]] = []
    for module in SCHEMA_MODULES:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                found.append(value)
    found.append(offer_schemas.OfferChange)
    return found


class OfferArchitectApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        document, definitions = model_schema(interchange.FunnelDocument)
        components.update(definitions)
        components["FunnelDocument"] = document
        describe(components, _schema_models())
        components["FunnelDocument"]["description"] = (
            "A whole funnel: its offers, the checkout (core offer, bumps, cross-sells), the one-click flow after "
            "payment (a null answer leads to the thank-you page) and the thank-you page's cross-sells. Keys are "
            "unique; every reference names something; unknown fields are refused."
        )
        return schema


api = OfferArchitectApi(
    title="Offer Architect API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=VendoredSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=DecimalJsonParser(),
)
register_handlers(api, extra={FunnelsChanged: 409, VersionNotFound: 404})
api.add_decorator(refuse_unknown_query, mode="view")
v1 = Router()
for router in (offers.router, funnels.router, steps.router, history.router, checks.router):
    v1.add_router("", router)
api.add_router("/v1/", v1)
