"""The funnel interchange format v1 (DESIGN §4): typed models, reading, writing, and plans.

Used by import, export, the command line and the API, so it imports no Django. Reading and problem
reporting live in ``funnels.interchange``; import everything from here.

Limits (beyond DESIGN §4's): a file of at most 1 MB (counted before parsing), 200 offers, 100 post-purchase
steps, 50 placements per list (checkout bumps, checkout cross-sells, thank-you cross-sells). Keys are
``[a-z0-9-]{1,64}``; topics ``[a-z0-9-]{1,40}``, at most 20, each once, kept sorted. Texts, in characters:
funnel and offer ``name`` 1-200 (not blank), ``headline`` 300, ``body`` 5000, ``accept_label`` and
``decline_label`` 100 (may be empty: the rules report a missing decline choice), offer ``format`` 40 (free
text such as ``course``). No text may hold control characters other than tab and line breaks.
Money is a JSON number or a decimal string (``97``, ``"97.00"``), at most 2 places, 0..1,000,000; a take rate
a number (or decimal string) in 0..1 with at most 4 places. Unknown fields are refused everywhere.
``post_purchase`` and ``thank_you`` may be left out (nothing there), as may edges (null: the thank-you page).

Writing (``dump_document``) is canonical, so export -> import -> export is identical byte for byte: fields
in the order the models declare them, 2-space indent, UTF-8 text, money as ``"97.00"``, take rates as plain
numbers (``0.2``, ``1``), topics sorted; ``start`` and edges are always written (null included), labels always
(so an export pins what the buyer reads even if the defaults change); an offer's ``replaces``, ``take_rate``,
``format``, ``headline`` and ``body``, and a placement's or step's ``take_rate``, are left out when empty.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainValidator

from core.money import CENT
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step, Thresholds
from funnels.interchange.reading import (
    BODY_MAX,
    FORMAT_ID,
    FORMAT_MAX,
    HEADLINE_MAX,
    LABEL_MAX,
    MAX_FILE_BYTES,
    MAX_OFFERS,
    MAX_PLACEMENTS,
    MAX_STEPS,
    MAX_TOPICS,
    NAME_MAX,
    FunnelFileError,
    Issue,
    Problem,
    check_currency,
    check_format_id,
    check_key,
    check_kind,
    check_money,
    check_rate,
    check_text,
    check_topic,
    check_topics,
    parse_json,
    validate_document,
)
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind

__all__ = [
    "FORMAT_ID",
    "MAX_FILE_BYTES",
    "MAX_OFFERS",
    "MAX_PLACEMENTS",
    "MAX_STEPS",
    "Checkout",
    "FunnelDocument",
    "FunnelFileError",
    "OfferEntry",
    "PlacementEntry",
    "PostPurchase",
    "Problem",
    "StepEntry",
    "ThankYou",
    "document_from_plan",
    "dump_document",
    "plan_from_document",
    "read_funnel_document",
]

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
    """A whole funnel file. Build one with :func:`read_funnel_document` or :func:`document_from_plan`,
    which also check what the models cannot (unique keys, references); constructing it directly does not."""

    format: Annotated[str, PlainValidator(check_format_id)]
    name: Annotated[str, PlainValidator(check_text(NAME_MAX, blank=False))]
    currency: Annotated[str, PlainValidator(check_currency)]
    offers: Annotated[tuple[OfferEntry, ...], Field(max_length=MAX_OFFERS)]
    checkout: Checkout
    post_purchase: PostPurchase = Field(default_factory=PostPurchase)
    thank_you: ThankYou = Field(default_factory=ThankYou)


# -- reading and writing -----------------------------------------------------------------------------------


def read_funnel_document(raw: bytes | str) -> FunnelDocument:
    """The funnel in ``raw``; raises :class:`FunnelFileError` listing every problem, in file order."""
    data, issues = parse_json(raw)
    return validate_document(data, FunnelDocument, issues)


def dump_document(doc: FunnelDocument) -> str:
    """The canonical JSON text of ``doc`` (see the module's docstring), ending with a newline."""

    def placement(entry: PlacementEntry) -> dict[str, Any]:
        return {"offer": entry.offer, **_rate_field(entry.take_rate)}

    data = {
        "format": doc.format,
        "name": doc.name,
        "currency": doc.currency,
        "offers": [_offer_json(offer) for offer in doc.offers],
        "checkout": {
            "core": doc.checkout.core,
            "bumps": [placement(entry) for entry in doc.checkout.bumps],
            "cross_sells": [placement(entry) for entry in doc.checkout.cross_sells],
        },
        "post_purchase": {
            "start": doc.post_purchase.start,
            "steps": [
                {
                    "key": step.key,
                    "offer": step.offer,
                    **_rate_field(step.take_rate),
                    "on_accept": step.on_accept,
                    "on_decline": step.on_decline,
                }
                for step in doc.post_purchase.steps
            ],
        },
        "thank_you": {"cross_sells": [placement(entry) for entry in doc.thank_you.cross_sells]},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _offer_json(offer: OfferEntry) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": offer.key,
        "name": offer.name,
        "kind": offer.kind.value,
        "price": f"{offer.price.quantize(CENT):f}",
    }
    if offer.replaces is not None:
        data["replaces"] = offer.replaces
    data.update(_rate_field(offer.take_rate))
    data["topics"] = list(offer.topics)
    for name in ("format", "headline", "body"):
        if getattr(offer, name):
            data[name] = getattr(offer, name)
    data["accept_label"] = offer.accept_label
    data["decline_label"] = offer.decline_label
    return data


def _rate_field(rate: Decimal | None) -> dict[str, int | float]:
    """``{"take_rate": 0.2}``, or nothing for None. A float's repr of a decimal of at most 4 places is that
    decimal's shortest form, so it reads back exactly with ``parse_float=Decimal``."""
    if rate is None:
        return {}
    plain = rate.normalize()
    return {"take_rate": int(plain) if plain == plain.to_integral_value() else float(plain)}


# -- documents <-> plans -----------------------------------------------------------------------------------


def plan_from_document(
    doc: FunnelDocument, *, practice: str | None = None, thresholds: Thresholds | None = None
) -> FunnelPlan:
    """The plan the rules and metrics work on. Take rates left out stay None (resolved by the plan)."""

    def placed(entries: tuple[PlacementEntry, ...], slot: Slot, stage: Stage) -> tuple[Placement, ...]:
        return tuple(
            Placement(key=e.offer, offer=e.offer, slot=slot, stage=stage, take_rate=e.take_rate) for e in entries
        )

    return FunnelPlan(
        name=doc.name,
        currency=doc.currency,
        offers=tuple(
            OfferSpec(
                key=o.key,
                name=o.name,
                kind=o.kind,
                price=o.price,
                currency=doc.currency,
                topics=frozenset(o.topics),
                replaces=o.replaces,
                format=o.format,
                headline=o.headline,
                body=o.body,
                accept_label=o.accept_label,
                decline_label=o.decline_label,
                default_take_rate=o.take_rate,
                practice=practice,
            )
            for o in doc.offers
        ),
        core=doc.checkout.core,
        bumps=placed(doc.checkout.bumps, Slot.BUMP, Stage.CHECKOUT),
        checkout_cross_sells=placed(doc.checkout.cross_sells, Slot.CROSS_SELL, Stage.CHECKOUT),
        start=doc.post_purchase.start,
        steps=tuple(
            Step(
                key=s.key,
                offer=s.offer,
                take_rate=s.take_rate,
                on_accept=s.on_accept,
                on_decline=s.on_decline,
            )
            for s in doc.post_purchase.steps
        ),
        thank_you_cross_sells=placed(doc.thank_you.cross_sells, Slot.CROSS_SELL, Stage.THANK_YOU),
        practice=practice,
        thresholds=thresholds if thresholds is not None else Thresholds(),
    )


def document_from_plan(plan: FunnelPlan) -> FunnelDocument:
    """The file for ``plan`` (for export). Offer order is kept, topics sorted; placement keys, practices and
    thresholds are not part of the format. Raises :class:`FunnelFileError` when the plan cannot be written
    as a valid file (an offer in another currency, a text too long, a dangling reference…), so that every
    export can be imported again."""
    issues: list[Issue] = [
        (("offers", index), f"is priced in {offer.currency}, but the funnel is in {plan.currency}")
        for index, offer in enumerate(plan.offers)
        if offer.currency != plan.currency
    ]

    def placed(placements: tuple[Placement, ...]) -> list[dict[str, Any]]:
        return [{"offer": p.offer, "take_rate": p.take_rate} for p in placements]

    data = {
        "format": FORMAT_ID,
        "name": plan.name,
        "currency": plan.currency,
        "offers": [
            {
                "key": o.key,
                "name": o.name,
                "kind": o.kind.value,
                "price": o.price,
                "replaces": o.replaces,
                "take_rate": o.default_take_rate,
                "topics": sorted(o.topics),
                "format": o.format,
                "headline": o.headline,
                "body": o.body,
                "accept_label": o.accept_label,
                "decline_label": o.decline_label,
            }
            for o in plan.offers
        ],
        "checkout": {
            "core": plan.core,
            "bumps": placed(plan.bumps),
            "cross_sells": placed(plan.checkout_cross_sells),
        },
        "post_purchase": {
            "start": plan.start,
            "steps": [
                {
                    "key": s.key,
                    "offer": s.offer,
                    "take_rate": s.take_rate,
                    "on_accept": s.on_accept,
                    "on_decline": s.on_decline,
                }
                for s in plan.steps
            ],
        },
        "thank_you": {"cross_sells": placed(plan.thank_you_cross_sells)},
    }
    return validate_document(data, FunnelDocument, issues)
