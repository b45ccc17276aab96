"""A funnel's history in the API: its versions, the difference between two, and the body of a restore."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from funnels.interchange.models import Key


class VersionOut(BaseModel):
    number: int
    kind: str = Field(description="edit, restore, undo or redo")
    at: datetime
    by: str = Field(description="who made it: a member's name, or the API token's")
    summary: str
    aov: str | None
    revenue_per_buyer: str | None
    errors: int
    warnings: int


class VersionPage(BaseModel):
    items: list[VersionOut]
    count: int
    limit: int
    offset: int


class ChangeOut(BaseModel):
    kind: str
    text: str


class StepRevenueOut(BaseModel):
    stage: str
    key: str
    offer: str
    before: str
    after: str


class DiffOut(BaseModel):
    """What changed from version ``a`` to version ``b`` (the older first), as ``manage.py funnel diff --json`` says."""

    funnel: str
    a: int
    b: int
    aov: list[str | None] = Field(description="[at a, at b]; null where the flow could not be worked out")
    revenue_per_buyer: list[str | None]
    changes: list[ChangeOut]
    findings_gained: list[str]
    findings_lost: list[str]
    steps: list[StepRevenueOut]


class RestoreBody(BaseModel):
    """Offers the catalog changed since the version (price, kind, upgrade, archived) must be decided: put back
    ``as_it_was`` (a catalog edit, seen by every funnel that shows them), or ``keep_today`` for all of them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_it_was: list[Key] = Field(default_factory=list, max_length=200)
    keep_today: bool = False


class DriftOut(BaseModel):
    key: str
    differences: list[str]


class RestoreRefusedOut(BaseModel):
    detail: str
    problems: list[dict[str, str]] = []
    drifts: list[DriftOut]


class RestoredOut(BaseModel):
    version: int = Field(description="The funnel's new version (also the ETag)")
    restored: int = Field(description="The version it now equals")
    kind: str = Field(description="restore")
