"""The funnel interchange format v1 (DESIGN §4) as typed models: what a funnel file holds, field by field.

Used by import, export, the command line and the API, so the package imports no Django. Each field is checked
by a validator from ``funnels.interchange.fields`` within the limits of ``funnels.interchange.limits``. Unknown
fields are refused everywhere. ``post_purchase`` and ``thank_you`` may be left out (nothing there), as may edges
(null: the thank-you page). The models declare their fields in the order a file is written
(``funnels.interchange.writing``) and problems are listed (``funnels.interchange.problems``). What one model
cannot see (unique keys, references) is checked by ``funnels.interchange.reading``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator

from funnels.interchange.fields import (
    check_currency,
    check_format_id,
    check_key,
    check_kind,
    check_money,
    check_rate,
    check_text,
    check_topic,
    check_topics,
)
from funnels.interchange.limits import (
    BODY_MAX,
    FORMAT_MAX,
    HEADLINE_MAX,
    LABEL_MAX,
    MAX_OFFERS,
    MAX_PLACEMENTS,
    MAX_STEPS,
    MAX_TOPICS,
    NAME_MAX,
)
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind

Key = Annotated[str, PlainValidator(check_key)]
Money = Annotated[Decimal, PlainValidator(check_money)]
Rate = Annotated[Decimal, PlainValidator(check_rate)]
Topics = Annotated[
    tuple[Annotated[str, PlainValidator(check_topic)], ...],
    Field(max_length=MAX_TOPICS),
    AfterValidator(check_topics),
]


# -- the models (field order = the order written) ----------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OfferEntry(_Model):
    key: Key
    name: Annotated[str, PlainValidator(check_text(NAME_MAX, blank=False))]
    kind: Annotated[OfferKind, PlainValidator(check_kind)]
    price: Money
    replaces: Key | None = None
    take_rate: Rate | None = None
    topics: Topics = ()
    format: Annotated[str, PlainValidator(check_text(FORMAT_MAX))] = ""
    headline: Annotated[str, PlainValidator(check_text(HEADLINE_MAX))] = ""
    body: Annotated[str, PlainValidator(check_text(BODY_MAX))] = ""
    accept_label: Annotated[str, PlainValidator(check_text(LABEL_MAX))] = DEFAULT_ACCEPT_LABEL
    decline_label: Annotated[str, PlainValidator(check_text(LABEL_MAX))] = DEFAULT_DECLINE_LABEL


class PlacementEntry(_Model):
    offer: Key
    take_rate: Rate | None = None


Placements = Annotated[tuple[PlacementEntry, ...], Field(max_length=MAX_PLACEMENTS)]


class Checkout(_Model):
    core: Key
    bumps: Placements = ()
    cross_sells: Placements = ()


class StepEntry(_Model):
    key: Key
    offer: Key
    take_rate: Rate | None = None
    on_accept: Key | None = None
    on_decline: Key | None = None


class PostPurchase(_Model):
    start: Key | None = None
    steps: Annotated[tuple[StepEntry, ...], Field(max_length=MAX_STEPS)] = ()


class ThankYou(_Model):
    cross_sells: Placements = ()


class FunnelDocument(_Model):
    """A whole funnel file. Build one with ``reading.read_funnel_document`` or ``plans.document_from_plan``,
    which also check what the models cannot (unique keys, references); constructing it directly does not."""

    format: Annotated[str, PlainValidator(check_format_id)]
    name: Annotated[str, PlainValidator(check_text(NAME_MAX, blank=False))]
    currency: Annotated[str, PlainValidator(check_currency)]
    offers: Annotated[tuple[OfferEntry, ...], Field(max_length=MAX_OFFERS)]
    checkout: Checkout
    post_purchase: PostPurchase = Field(default_factory=PostPurchase)
    thank_you: ThankYou = Field(default_factory=ThankYou)
