"""The catalog's offers in the API: an offer is the interchange format's ``OfferEntry`` (same fields, same checks,
``take_rate`` being the offer's own expected take rate), with its status and currency beside it."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model

from funnels.interchange.models import OfferEntry

OfferStatusName = Literal["draft", "active", "archived"]
OfferKindName = Literal["core", "order_bump", "upsell", "downsell", "cross_sell"]


class OfferCreate(OfferEntry):
    """A new offer of the catalog, priced in the practice's currency."""

    status: OfferStatusName = "active"


def _all_optional(model: type[BaseModel], name: str, *, without: tuple[str, ...]) -> type[BaseModel]:
    """``model``'s fields (with their checks), each optional and unset unless sent: the body of a PATCH."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        if field_name in without:
            continue
        optional = copy.copy(info)
        optional.default = None
        optional.default_factory = None
        fields[field_name] = (info.annotation, optional)
    changed: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid", frozen=True), **fields)
    changed.__doc__ = "Only the fields sent change; `replaces` and `take_rate` may be sent as null to clear them."
    return changed


OfferChange = _all_optional(OfferCreate, "OfferChange", without=("key",))


class OfferOut(OfferEntry):
    """An offer as the catalog holds it."""

    status: OfferStatusName
    currency: str
    updated_at: datetime


class OfferPage(BaseModel):
    items: list[OfferOut]
    count: int
    limit: int
    offset: int
