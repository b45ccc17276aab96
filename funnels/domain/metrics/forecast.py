"""What the figures mean for a coach's plans: revenue for N buyers, take rates lower or higher than
assumed, and one funnel against another (a what-if).

All of it rests on ``compute_metrics``; none of it samples. The interval of a projection is the one
approximation: the normal approximation to a sum of N independent orders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Context, Decimal, localcontext

from funnels.domain.metrics.exact import EXACT, ZERO, rounded
from funnels.domain.metrics.order_value import (
    PRECISION,
    FunnelMetrics,
    StepMetrics,
    UncomputableFunnel,
    compute_metrics,
    exact_decimal,
    means,
    prepare,
)
from funnels.domain.plan import FunnelPlan, Placement, Stage, Step

Z_95 = Decimal("1.96")
"""Standard normal quantile for a two-sided 95% interval."""


@dataclass(frozen=True)
class Projection:
    """Revenue from ``buyers`` buyers of the core offer: ``revenue`` = buyers·AOV, and a 95% interval
    (normal approximation), never below what the cheapest possible orders add up to, never above the
    dearest."""

    buyers: int
    revenue: Decimal
    low: Decimal
    high: Decimal
    confidence: Decimal = Decimal("0.95")


def project(metrics: FunnelMetrics, buyers: int) -> Projection:
    """Expected checkout and post-purchase revenue (not thank-you orders) from ``buyers`` buyers."""
    if buyers < 0:
        raise ValueError("the number of buyers cannot be negative")
    with localcontext(Context(prec=PRECISION)):
        count = Decimal(buyers)
        revenue = exact_decimal(metrics.aov_exact * buyers)
        margin = Z_95 * count.sqrt() * metrics.std
        floor = max(count * metrics.min_order, Decimal(0))
        ceiling = count * metrics.max_order
        low = min(max(revenue - margin, floor), revenue)
        high = max(min(revenue + margin, ceiling), revenue)
    return Projection(buyers=buyers, revenue=revenue, low=low, high=high)


@dataclass(frozen=True)
class Scenario:
    """The funnel's AOV and revenue per buyer with every take rate multiplied by ``factor`` (at most 1)."""

    name: str
    label: str
    description: str
    factor: Decimal
    aov: Decimal
    revenue_per_buyer: Decimal


SCENARIOS: tuple[tuple[str, str, Decimal, str], ...] = (
    ("conservative", "Conservative", Decimal("0.5"), "Every take rate halved."),
    ("expected", "Expected", Decimal("1"), "The take rates as you set them."),
    ("optimistic", "Optimistic", Decimal("1.5"), "Every take rate half as high again, at most 100%."),
)


def scenarios(plan: FunnelPlan) -> tuple[Scenario, ...]:
    """Conservative, expected and optimistic figures side by side.

    The same as ``compute_metrics(scale_take_rates(plan, factor))`` for each factor, and it fails the same way,
    but the flow's shape, its checks and the prices are worked out once, and each case only recomputes the
    expected values (one pass backwards), since a scenario shows no more than its AOV and revenue per buyer.
    """
    prepared = prepare(plan)
    found = []
    for name, label, factor, description in SCENARIOS:
        aov, revenue_per_buyer = means(prepared, _scaled_rates(plan, factor))
        found.append(
            Scenario(
                name=name,
                label=label,
                description=description,
                factor=factor,
                aov=aov,
                revenue_per_buyer=revenue_per_buyer,
            )
        )
    return tuple(found)


def _scaled_rates(plan: FunnelPlan, factor: Decimal) -> Callable[[Placement | Step], Decimal]:
    """Every take rate in force times ``factor``, at most 1, worked out up front and in the order
    ``scale_take_rates`` does (so a rate that cannot be scaled fails here as it would there)."""
    placed: list[Placement | Step] = [*plan.bumps, *plan.checkout_cross_sells, *plan.steps, *plan.thank_you_cross_sells]
    scaled = {id(p): min(Decimal(1), plan.take_rate(p) * factor) for p in placed}
    return lambda p: scaled[id(p)]


def scale_take_rates(plan: FunnelPlan, factor: Decimal) -> FunnelPlan:
    """The plan with every take rate in force multiplied by ``factor``, capped at 1.

    Each placement and step is changed on its own: a step and a placement may share a key.
    """

    def scaled[T: (Placement, Step)](placed: T) -> T:
        return replace(placed, take_rate=min(Decimal(1), plan.take_rate(placed) * factor))

    return replace(
        plan,
        bumps=tuple(scaled(p) for p in plan.bumps),
        checkout_cross_sells=tuple(scaled(p) for p in plan.checkout_cross_sells),
        steps=tuple(scaled(s) for s in plan.steps),
        thank_you_cross_sells=tuple(scaled(p) for p in plan.thank_you_cross_sells),
    )


@dataclass(frozen=True)
class StepDifference:
    """One step's expected revenue in funnel a and in funnel b (zero where a funnel lacks the step)."""

    stage: Stage
    key: str
    offer_a: str | None
    offer_b: str | None
    expected_revenue_a: Decimal
    expected_revenue_b: Decimal
    difference: Decimal  # b − a


@dataclass(frozen=True)
class Comparison:
    """Funnel b against funnel a: every difference is b minus a."""

    a: FunnelMetrics
    b: FunnelMetrics
    aov_difference: Decimal
    revenue_per_buyer_difference: Decimal
    steps: tuple[StepDifference, ...]


def compare(plan_a: FunnelPlan, plan_b: FunnelPlan) -> Comparison:
    """What changes from funnel a to funnel b, per buyer and per step (steps matched by stage and key)."""
    if plan_a.currency != plan_b.currency:
        raise UncomputableFunnel(
            f"The two funnels are priced in different currencies ({plan_a.currency} and "
            f"{plan_b.currency}), so their figures cannot be compared."
        )
    a, b = compute_metrics(plan_a), compute_metrics(plan_b)
    steps_a, steps_b = _by_place(a.steps), _by_place(b.steps)
    places = list(steps_a) + [place for place in steps_b if place not in steps_a]
    differences = []
    for place in places:
        step_a, step_b = steps_a.get(place), steps_b.get(place)
        revenue_a = step_a.exact_expected_revenue if step_a else ZERO
        revenue_b = step_b.exact_expected_revenue if step_b else ZERO
        differences.append(
            StepDifference(
                stage=place[0],
                key=place[1],
                offer_a=step_a.offer if step_a else None,
                offer_b=step_b.offer if step_b else None,
                expected_revenue_a=rounded(revenue_a),
                expected_revenue_b=rounded(revenue_b),
                difference=rounded(EXACT.subtract(revenue_b, revenue_a)),
            )
        )
    return Comparison(
        a=a,
        b=b,
        aov_difference=exact_decimal(b.aov_exact - a.aov_exact),
        revenue_per_buyer_difference=exact_decimal(b.revenue_per_buyer_exact - a.revenue_per_buyer_exact),
        steps=tuple(differences),
    )


def _by_place(steps: tuple[StepMetrics, ...]) -> dict[tuple[Stage, str, int], StepMetrics]:
    """Steps by (stage, key, how many with that stage and key came before): repeats match in order."""
    seen: Counter[tuple[Stage, str]] = Counter()
    found = {}
    for step in steps:
        found[(step.stage, step.key, seen[(step.stage, step.key)])] = step
        seen[(step.stage, step.key)] += 1
    return found
