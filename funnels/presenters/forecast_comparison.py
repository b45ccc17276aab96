"""This funnel against another on the forecast page: each difference this minus other, in the order a buyer meets
the steps. Built from the engine's ``compare``: pure presentation, no queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.money import format_money, quantize_money
from funnels.domain.metrics import Comparison, StepDifference
from funnels.domain.plan import FunnelPlan, Stage
from funnels.models import Funnel


def signed_money(value: Decimal, currency: str) -> str:
    """``+$14.40``, ``-$3.00``, ``$0.00``: a difference says which way it goes."""
    text = format_money(value, currency)
    return f"+{text}" if quantize_money(value) > 0 else text


@dataclass(frozen=True)
class ComparisonRow:
    where: str
    key: str
    offer: str  # this funnel's offer at this place, else the other's
    note: str  # "only there", "only here", or the other's offer where it differs
    this: str
    other: str
    difference: str


@dataclass(frozen=True)
class ComparisonView:
    other_name: str
    other_editor_slug: str
    summary: str
    aov_this: str
    aov_other: str
    aov_difference: str
    rpb_this: str
    rpb_other: str
    rpb_difference: str
    rows: tuple[ComparisonRow, ...]


def comparison_view(result: Comparison, *, this: FunnelPlan, other: FunnelPlan, other_funnel: Funnel) -> ComparisonView:
    """``result`` is ``compare(other, this)``: its b is this funnel, so each difference is this minus other."""
    currency = this.currency
    name = other_funnel.name

    def offer_name(plan: FunnelPlan, key: str) -> str:
        offer = plan.offer(key)
        return offer.name if offer is not None else key

    def row(step: StepDifference) -> ComparisonRow:
        if step.offer_b is None:
            offer, note = offer_name(other, step.offer_a or ""), "only there"
        else:
            offer = offer_name(this, step.offer_b)
            if step.offer_a is None:
                note = "only here"
            elif step.offer_a != step.offer_b:
                note = f"there: {offer_name(other, step.offer_a)}"
            else:
                note = ""
        return ComparisonRow(
            where=step.stage.label,
            key=step.key,
            offer=offer,
            note=note,
            this=format_money(step.expected_revenue_b, currency),
            other=format_money(step.expected_revenue_a, currency),
            difference=signed_money(step.difference, currency),
        )

    difference = quantize_money(result.aov_difference)
    if difference > 0:
        summary = f"This funnel's AOV is {format_money(difference, currency)} higher than that of “{name}”."
    elif difference < 0:
        summary = f"This funnel's AOV is {format_money(-difference, currency)} lower than that of “{name}”."
    else:
        summary = f"This funnel's AOV is the same as that of “{name}”, to the cent."
    stages = list(Stage)
    here = {(s.stage, s.key): i for i, s in enumerate(result.b.steps)}
    there = {(s.stage, s.key): i for i, s in enumerate(result.a.steps)}

    def place(step: StepDifference) -> tuple[int, int, int]:
        """In the order a buyer meets them: this funnel's steps as it lists them, the other's own after."""
        spot = (step.stage, step.key)
        return (stages.index(step.stage), 0 if spot in here else 1, here.get(spot, there.get(spot, 0)))

    rows = tuple(row(step) for step in sorted(result.steps, key=place))
    return ComparisonView(
        other_name=name,
        other_editor_slug=other_funnel.slug,
        summary=summary,
        aov_this=format_money(result.b.aov, currency),
        aov_other=format_money(result.a.aov, currency),
        aov_difference=signed_money(result.aov_difference, currency),
        rpb_this=format_money(result.b.revenue_per_buyer, currency),
        rpb_other=format_money(result.a.revenue_per_buyer, currency),
        rpb_difference=signed_money(result.revenue_per_buyer_difference, currency),
        rows=rows,
    )
