"""Small builders of funnel plans for the rules' tests: a funnel is a few lines, never a fixture file."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnels.domain.checks.rules import Finding, check_funnel
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step
from offers.domain.kinds import OfferKind

CORE = "calm"
Found = set[tuple[str, str | None]]


# --- builders -------------------------------------------------------------------------------------


def offer(key: str, kind: OfferKind = OfferKind.UPSELL, price: str = "300", **extra: Any) -> OfferSpec:
    name = str(extra.pop("name", key.replace("-", " ").title()))
    topics = frozenset(extra.pop("topics", ("anxiety",)))
    currency = str(extra.pop("currency", "USD"))
    return OfferSpec(key, name, kind, Decimal(price), currency, topics, **extra)


def core(price: str = "97", **extra: Any) -> OfferSpec:
    return offer(CORE, OfferKind.CORE, price, name="Calm Your Nervous System", **extra)


def cross(key: str, price: str = "50", **extra: Any) -> OfferSpec:
    return offer(key, OfferKind.CROSS_SELL, price, **extra)


def step(key: str, offer_key: str, yes: str | None = None, no: str | None = None, rate: str | None = None) -> Step:
    return Step(key, offer_key, Decimal(rate) if rate else None, yes, no)


def placed(offer_key: str, slot: Slot, stage: Stage, rate: str | None = None) -> Placement:
    return Placement(offer_key, offer_key, slot, stage, Decimal(rate) if rate else None)


def bump(offer_key: str, rate: str | None = None) -> Placement:
    return placed(offer_key, Slot.BUMP, Stage.CHECKOUT, rate)


def alongside(offer_key: str, rate: str | None = None) -> Placement:
    return placed(offer_key, Slot.CROSS_SELL, Stage.CHECKOUT, rate)


def thank_you(offer_key: str, rate: str | None = None) -> Placement:
    return placed(offer_key, Slot.CROSS_SELL, Stage.THANK_YOU, rate)


def funnel(*offers: OfferSpec, core_offer: OfferSpec | None = None, **parts: Any) -> FunnelPlan:
    catalog = (core_offer or core(), *offers)
    return FunnelPlan("Calm funnel", "USD", catalog, CORE, **parts)


def found(plan: FunnelPlan) -> Found:
    return {(f.code, f.step) for f in check_funnel(plan)}


def only(plan: FunnelPlan, code: str) -> list[Finding]:
    return [f for f in check_funnel(plan) if f.code == code]
