"""Funnel files and plans: a :class:`FunnelDocument` as the :class:`FunnelPlan` the rules work on, and back.

A file carries no practice or thresholds (they are given when reading it into a plan) and no placement keys
(a placement is keyed by its offer). Going the other way, every plan is checked as a file would be, so that
an export can always be imported again.
"""

from __future__ import annotations

from typing import Any

from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step, Thresholds
from funnels.interchange.limits import FORMAT_ID
from funnels.interchange.models import FunnelDocument, PlacementEntry
from funnels.interchange.problems import Issue
from funnels.interchange.reading import validate_document


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
