"""What the dry run and the forecast answer. ``AovReport`` is the object ``manage.py funnel aov --json`` prints
(``funnels.presenters.cli``), field for field; money and probabilities are decimal strings, never floats."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from api.schemas.common import ProblemOut

MoneyText = str
ChanceText = str


class AcknowledgedOut(BaseModel):
    reason: str
    by: str
    at: datetime


class FindingOut(BaseModel):
    code: str = Field(description="Stable code, e.g. cycle, price-jump, guaranteed-outcome")
    severity: str = Field(description="error or warning")
    stage: str | None
    step: str | None
    message: str
    hint: str
    offer: str | None = Field(None, description="Only for a finding on an offer's words: the offer's key")
    acknowledged: AcknowledgedOut | None = Field(None, description="Only for a finding on an offer's words")


class StepFigures(BaseModel):
    key: str
    offer: str
    stage: str
    slot: str
    price: MoneyText
    take_rate: ChanceText
    reach: ChanceText
    take: ChanceText
    expected_revenue: MoneyText
    sensitivity: MoneyText


class ProjectionOut(BaseModel):
    buyers: int
    revenue: MoneyText
    low: MoneyText
    high: MoneyText


class OutcomeOut(BaseModel):
    total: MoneyText
    probability: ChanceText


class ScenarioOut(BaseModel):
    name: str
    label: str
    aov: MoneyText
    revenue_per_buyer: MoneyText


class AovReport(BaseModel):
    """The funnel's exact forecast. When the flow cannot be worked out (a loop, say), ``aov`` is null, ``error``
    says why, and only ``name``, ``currency`` and ``findings`` come with it."""

    name: str
    currency: str
    aov: MoneyText | None
    error: str | None = None
    revenue_per_buyer: MoneyText | None = None
    core_price: MoneyText | None = None
    uplift: MoneyText | None = None
    thank_you_revenue: MoneyText | None = None
    std: MoneyText | None = None
    steps: list[StepFigures] | None = None
    projection: ProjectionOut | None = None
    percentiles: dict[str, MoneyText] | None = None
    distribution: list[OutcomeOut] | None = None
    distribution_note: str | None = None
    scenarios: list[ScenarioOut] | None = None
    definitions: dict[str, str] | None = None
    note: str | None = None
    findings: list[FindingOut]


class TallyOut(BaseModel):
    errors: int
    warnings: int
    acknowledged: int


class CheckReport(BaseModel):
    """The dry run of creating a funnel from the document: nothing is written.

    ``clashes`` non-empty means the create would be refused (the document disagrees with the catalog); the
    findings and ``metrics`` are those of the funnel as it would be, with the catalog's offers where the keys
    match."""

    name: str
    slug: str = Field(description="The slug the funnel would get")
    would_create: bool = Field(description="Whether POST /api/v1/funnels with this document would succeed")
    offers_created: list[str]
    offers_matched: list[str]
    clashes: list[ProblemOut]
    tally: TallyOut
    findings: list[FindingOut]
    metrics: AovReport
