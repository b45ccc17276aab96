"""Properties of the metrics engine over random valid funnels (see ``strategies.funnels``)."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from funnels.domain.flow.graph import analyse_flow
from funnels.domain.metrics import compute_metrics, scenarios
from funnels.domain.plan import FunnelPlan, Placement, Stage, Step
from tests.funnels.domain.strategies import funnels
from tests.profiles import examples

PROPERTY = settings(max_examples=examples(150), deadline=None)
LIMITLESS = 1_000_000  # random funnels have at most 2^6 checkout and 2^8 walk outcomes


def simulate_order(plan: FunnelPlan, rng: random.Random) -> Decimal:
    """One buyer's order total, walking the plan as a buyer would: each yes with its take rate's chance."""

    def says_yes(placed: Placement | Step) -> bool:
        rate = Fraction(plan.take_rate(placed))
        return rng.randrange(rate.denominator) < rate.numerator

    def price(offer_key: str, owned: set[str]) -> Decimal:
        offer = plan.offer(offer_key)
        assert offer is not None
        original = plan.offer(offer.replaces) if offer.replaces in owned else None
        return offer.price - original.price if original is not None else offer.price

    core = plan.core_offer
    assert core is not None
    total, owned = core.price, {core.key}
    for placed in (*plan.bumps, *plan.checkout_cross_sells):
        if says_yes(placed):
            total += price(placed.offer, {core.key})
    key = plan.start
    while key is not None:
        step = plan.step(key)
        assert step is not None
        if says_yes(step):
            total += price(step.offer, owned)
            owned.add(step.offer)
            key = step.on_accept
        else:
            key = step.on_decline
    return total


def exhaustive_totals(plan: FunnelPlan) -> dict[Fraction, Fraction]:
    """Every buyer's choices enumerated path by path (exponential, for small funnels only)."""
    core = plan.core_offer
    assert core is not None
    totals: dict[Fraction, Fraction] = {Fraction(core.price): Fraction(1)}
    for placed in (*plan.bumps, *plan.checkout_cross_sells):
        offer = plan.offer(placed.offer)
        assert offer is not None
        rate = Fraction(plan.take_rate(placed))
        grown: dict[Fraction, Fraction] = {}
        for total, chance in totals.items():
            for added, branch in ((Fraction(0), 1 - rate), (Fraction(offer.price), rate)):
                grown[total + added] = grown.get(total + added, Fraction(0)) + chance * branch
        totals = grown
    paths: list[tuple[Fraction, Fraction]] = []
    pending: list[tuple[str | None, Fraction, Fraction, frozenset[str]]] = [
        (plan.start, Fraction(0), Fraction(1), frozenset({core.key}))
    ]
    while pending:
        key, spent, chance, owned = pending.pop()
        if key is None:
            paths.append((spent, chance))
            continue
        step = plan.step(key)
        assert step is not None
        offer = plan.offer(step.offer)
        assert offer is not None
        original = plan.offer(offer.replaces) if offer.replaces in owned else None
        added = Fraction(offer.price - original.price if original is not None else offer.price)
        rate = Fraction(plan.take_rate(step))
        pending.append((step.on_accept, spent + added, chance * rate, owned | {offer.key}))
        pending.append((step.on_decline, spent, chance * (1 - rate), owned))
    combined: dict[Fraction, Fraction] = {}
    for total, chance in totals.items():
        for spent, path_chance in paths:
            combined[total + spent] = combined.get(total + spent, Fraction(0)) + chance * path_chance
    return {total: chance for total, chance in combined.items() if chance != 0}


@PROPERTY
@given(funnels())
def test_the_distribution_is_exact(plan: FunnelPlan) -> None:
    # given a random funnel
    # when
    metrics = compute_metrics(plan, max_outcomes=LIMITLESS)
    # then its probabilities add up to exactly 1, its mean is the AOV and its variance the variance
    distribution = metrics.distribution
    assert distribution is not None
    assert sum(o.probability for o in distribution.outcomes) == 1
    assert all(o.probability > 0 for o in distribution.outcomes)
    assert [o.total for o in distribution.outcomes] == sorted(o.total for o in distribution.outcomes)
    assert distribution.mean == metrics.aov_exact
    assert distribution.variance == metrics.variance_exact
    assert (distribution.minimum, distribution.maximum) == (metrics.min_order, metrics.max_order)
    # and it is what enumerating every buyer's choices gives
    assert {Fraction(o.total): o.probability for o in distribution.outcomes} == exhaustive_totals(plan)


@PROPERTY
@given(funnels())
def test_expected_revenues_add_up_to_the_uplift(plan: FunnelPlan) -> None:
    metrics = compute_metrics(plan, with_distribution=False)
    in_order = [s for s in metrics.steps if s.stage is not Stage.THANK_YOU]
    later = [s for s in metrics.steps if s.stage is Stage.THANK_YOU]
    assert sum(s.expected_revenue_exact for s in in_order) == metrics.aov_exact - Fraction(metrics.core_price)
    assert sum(s.expected_revenue_exact for s in later) == metrics.revenue_per_buyer_exact - metrics.aov_exact


@PROPERTY
@given(funnels(), st.data())
def test_each_sensitivity_is_the_exact_slope_of_the_aov(plan: FunnelPlan, data: st.DataObject) -> None:
    # given a random funnel and one of its offers (AOV is linear in each take rate of an acyclic flow)
    metrics = compute_metrics(plan, with_distribution=False)
    reachable = analyse_flow(plan).reachable
    choices = [("bumps", i) for i in range(len(plan.bumps))]
    choices += [("checkout_cross_sells", i) for i in range(len(plan.checkout_cross_sells))]
    choices += [("steps", i) for i, s in enumerate(plan.steps) if s.key in reachable]
    choices += [("thank_you_cross_sells", i) for i in range(len(plan.thank_you_cross_sells))]
    if not choices:
        return
    field, index = data.draw(st.sampled_from(choices))
    placed: Placement | Step = getattr(plan, field)[index]
    rate = plan.take_rate(placed)
    h = Decimal("0.0001") if rate < 1 else Decimal("-0.0001")
    # when its take rate moves by h
    items = list(getattr(plan, field))
    items[index] = replace(placed, take_rate=rate + h)
    changes: dict[str, Any] = {field: tuple(items)}
    moved = compute_metrics(replace(plan, **changes), with_distribution=False)
    # then AOV (revenue per buyer on the thank-you page) moves by exactly h·sensitivity
    stage = Stage.THANK_YOU if field == "thank_you_cross_sells" else None
    step = next(s for s in metrics.steps if s.key == placed.key and (stage is None or s.stage is stage))
    if field == "thank_you_cross_sells":
        slope = (moved.revenue_per_buyer_exact - metrics.revenue_per_buyer_exact) / Fraction(h)
        assert moved.aov_exact == metrics.aov_exact
    else:
        slope = (moved.aov_exact - metrics.aov_exact) / Fraction(h)
    assert slope == step.sensitivity_exact


@settings(max_examples=examples(25), deadline=None, derandomize=True)
@given(funnels(), st.integers(0, 2**32 - 1))
def test_a_simulation_of_20000_buyers_lands_near_the_aov(plan: FunnelPlan, seed: int) -> None:
    # given a random funnel and 20,000 simulated buyers
    metrics = compute_metrics(plan, with_distribution=False)
    rng = random.Random(seed)
    buyers = 20_000
    # when
    mean = Fraction(sum(simulate_order(plan, rng) for _ in range(buyers))) / buyers
    # then the mean order lies within 4 standard errors (std/√buyers) of the AOV
    assert (mean - metrics.aov_exact) ** 2 * buyers <= 16 * metrics.variance_exact


@PROPERTY
@given(funnels())
def test_revenue_is_never_below_the_core_price(plan: FunnelPlan) -> None:
    metrics = compute_metrics(plan, with_distribution=False)
    assert metrics.min_order >= metrics.core_price
    assert metrics.aov >= metrics.core_price
    assert metrics.revenue_per_buyer >= metrics.aov
    assert metrics.uplift >= 0


@PROPERTY
@given(funnels(declines_cheaper=True))
def test_scenarios_are_ordered_when_no_decline_leads_to_more(plan: FunnelPlan) -> None:
    # given a funnel where no decline leads to more than the declined offer's price (so no yes costs money)
    # when
    conservative, expected, optimistic = scenarios(plan)
    # then
    assert conservative.aov <= expected.aov <= optimistic.aov
    assert conservative.revenue_per_buyer <= expected.revenue_per_buyer <= optimistic.revenue_per_buyer
    assert all(s.sensitivity_exact >= 0 for s in compute_metrics(plan, with_distribution=False).steps)
