"""Funnels in the API. A funnel's content is the interchange document (``FunnelDocument``); these are the shapes
around it: list rows, what a create or replace says, and the bodies of the step edits."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator

from funnels.interchange.fields import check_text
from funnels.interchange.limits import NAME_MAX
from funnels.interchange.models import Key, Rate, StepEntry

FunnelStatusName = Literal["draft", "live", "archived"]
StageName = Literal["checkout", "post_purchase", "thank_you"]
SlotName = Literal["bump", "cross_sell", "one_click"]
EdgeName = Literal["on_accept", "on_decline"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FunnelSummary(BaseModel):
    slug: str
    name: str
    status: FunnelStatusName
    currency: str
    version: int = Field(description="Rises by one with every change; send it back as If-Match to change the funnel")
    core_offer: str = Field(description="The key of the core offer")
    created_at: datetime
    updated_at: datetime


class FunnelPage(BaseModel):
    items: list[FunnelSummary]
    count: int
    limit: int
    offset: int


class FunnelWritten(FunnelSummary):
    """A funnel just created or replaced from a document, and what happened to the catalog."""

    offers_created: list[str] = Field(description="Keys of the offers the document added to the catalog")
    offers_reused: list[str] = Field(description="Keys of the document's offers the catalog already had")


FunnelName = Annotated[str, PlainValidator(check_text(NAME_MAX, blank=False))]
"""A funnel's name, checked as the file format checks it (no control characters, not blank)."""


class FunnelChange(_Body):
    name: FunnelName | None = None
    status: FunnelStatusName | None = None


class StepAfter(_Body):
    """Where a new one-click step hangs: this step's answer leads to it."""

    step: Key
    edge: EdgeName = "on_decline"


class StepAdd(_Body):
    """Place a catalog offer in the funnel. A one-click step goes after payment (the first one becomes the start,
    unless ``after`` names the answer that leads to it); a bump or cross-sell at the checkout (a cross-sell may
    also stand on the thank-you page: give ``stage``)."""

    offer: Key
    slot: SlotName
    stage: StageName | None = None
    take_rate: Rate | None = None
    key: Key | None = Field(None, description="The step's key (default: made from the offer's key)")
    after: StepAfter | None = None


class TakeRateChange(_Body):
    take_rate: Rate | None = Field(description="0..1, or null for the offer's own (else its kind's typical) rate")


class EdgesChange(_Body):
    """Both answers of a one-click step, as one change: a step key, or null for the thank-you page."""

    on_accept: Key | None
    on_decline: Key | None


class StartChange(_Body):
    step: Key | None = Field(description="The one-click step the flow after payment starts at; null for none")


class StepOut(StepEntry):
    """A step as the interchange document writes it, with where it stands."""

    stage: StageName
    slot: SlotName


class StepWritten(BaseModel):
    version: int
    step: StepOut


class Reconnection(BaseModel):
    step: str = Field(description='The step whose answer now leads to the thank-you page, or "start"')
    edge: str


class StepRemoved(BaseModel):
    version: int
    reconnected: list[Reconnection]


class VersionOnly(BaseModel):
    version: int
