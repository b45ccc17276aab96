"""The engine's work grows linearly with the funnel, counted rather than timed (speed goals live in
``bench/engine.py``): lookups per step, the sizes of the sets the rules carry along paths, the entries the
distribution touches, and exactness along a chain long enough that fractions used to dominate."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from bench.engine import bumps, chain, ladder
from funnels.domain.checks import context as rule_context_module
from funnels.domain.checks.rules import check_funnel
from funnels.domain.flow.graph import analyse_flow
from funnels.domain.flow.purchases import owned_before
from funnels.domain.metrics import compute_metrics, exact_decimal, scenarios
from funnels.domain.metrics import distribution as distribution_module
from funnels.domain.metrics.exact import EXACT, rounded
from funnels.domain.plan import FunnelPlan, Step

Shape = Callable[[int], FunnelPlan]


def accept_chain(size: int) -> FunnelPlan:
    """Each step's yes leads to the next: what a buyer owns grows along the whole path."""
    plan = chain(size)
    steps = tuple(Step(s.key, s.offer, s.take_rate, s.on_decline, None) for s in plan.steps)
    return FunnelPlan(plan.name, plan.currency, plan.offers, plan.core, start=plan.start, steps=steps)


@contextmanager
def counting_lookups() -> Iterator[list[int]]:
    """Counts every step, offer and take-rate lookup on any plan while the block runs."""
    count = [0]
    originals = {name: getattr(FunnelPlan, name) for name in ("step", "offer", "take_rate")}

    def counted(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            count[0] += 1
            return original(*args, **kwargs)

        return wrapper

    for name, original in originals.items():
        setattr(FunnelPlan, name, counted(original))
    try:
        yield count
    finally:
        for name, original in originals.items():
            setattr(FunnelPlan, name, original)


def lookups(work: Callable[[FunnelPlan], object], plan: FunnelPlan) -> int:
    with counting_lookups() as count:
        work(plan)
    return count[0]


@pytest.mark.parametrize("shape", [chain, accept_chain, ladder, bumps], ids=lambda s: s.__name__)
@pytest.mark.parametrize("work", [check_funnel, compute_metrics, scenarios], ids=lambda w: w.__name__)
def test_each_step_is_looked_up_a_fixed_number_of_times(shape: Shape, work: Callable[[FunnelPlan], object]) -> None:
    small, large = lookups(work, shape(100)), lookups(work, shape(1000))
    assert large <= 10.5 * small


@pytest.mark.parametrize("shape", [chain, accept_chain, ladder], ids=lambda s: s.__name__)
def test_what_the_rules_carry_along_the_paths_stays_small(shape: Shape) -> None:
    # a set per step of everything met or owned before it would hold about n²/2 entries in all
    for size in (100, 1000):
        plan = shape(size)
        graph = analyse_flow(plan)
        core = plan.core_offer
        paths = rule_context_module.trace_paths(plan, graph, core, None)
        assert paths is not None
        carried = sum(len(s) for s in (*paths.met.values(), *paths.bought_topics.values(), *paths.depths.values()))
        owned = sum(len(s) for s in owned_before(plan, graph).values())
        assert carried <= 8 * size and owned <= 2 * size


@contextmanager
def counting_entries() -> Iterator[dict[str, int]]:
    """Counts the distribution's merged entries, and its passes with chances."""
    found = {"entries": 0, "weighed": 0}
    merged, with_choice = distribution_module._merged, distribution_module._with_choice

    def counted_merge(masses: list[Any], bound: int, weighed: bool) -> Any:
        found["entries"] += sum(len(mass.weights) for mass in masses)
        found["weighed"] += weighed
        return merged(masses, bound, weighed)

    def counted_choice(totals: dict[int, Any], *rest: Any) -> Any:
        found["entries"] += len(totals)
        return with_choice(totals, *rest)

    distribution_module._merged = counted_merge  # type: ignore[assignment]
    distribution_module._with_choice = counted_choice  # type: ignore[assignment]
    try:
        yield found
    finally:
        distribution_module._merged = merged
        distribution_module._with_choice = with_choice


def test_a_long_chain_lists_its_totals_touching_each_step_a_fixed_number_of_times() -> None:
    for size in (100, 1000):
        with counting_entries() as found:
            metrics = compute_metrics(chain(size))
        assert (
            metrics.distribution is not None and len(metrics.distribution.outcomes) == min(size, 100) + 1
        )  # prices repeat
        assert found["entries"] <= 2 * (size + 1) + 2


@pytest.mark.parametrize("shape", [ladder, bumps], ids=lambda s: s.__name__)
def test_too_many_totals_are_given_up_on_after_bounded_work_without_chances(shape: Shape) -> None:
    # a ladder (both answers lead on) or a thousand bumps: the totals pass 10,000 within the first steps
    work = []
    for size in (100, 1000) if shape is ladder else (1000,):
        with counting_entries() as found:
            metrics = compute_metrics(shape(size))
        assert metrics.distribution is None
        assert found["weighed"] == 0  # no exact chances were worked out for a list that is not shown
        work.append(found["entries"])
    assert len(set(work)) == 1 or shape is bumps  # the same work however long the ladder goes on after
    assert max(work) <= 200 * 10_000


def test_a_thousand_step_chain_stays_exact() -> None:
    # given a chain of 1,000 upsells at 10%, each shown to those who declined the one before
    plan = chain(1000)
    # when
    metrics = compute_metrics(plan)
    # then the AOV, each reach and the chance of buying nothing are the exact fractions
    declined = Fraction(9, 10)
    prices = [Fraction(100 + n % 100) for n in range(1000)]
    assert metrics.aov_exact == 97 + sum(Fraction(1, 10) * declined**n * p for n, p in enumerate(prices))
    last = metrics.steps[-1]
    assert last.reach == exact_decimal(declined**999)
    assert last.sensitivity_exact == declined**999 * prices[-1]
    assert metrics.distribution is not None
    assert metrics.distribution.outcomes[0].probability == declined**1000
    assert sum(o.probability for o in metrics.distribution.outcomes) == 1


@pytest.mark.parametrize(
    "value",
    ["0", "157.00", "1500", "0.1000", "-2.5", "123456789012345678901234567890123456789012345.678", "1E-60"],
)
def test_rounding_an_exact_decimal_gives_the_value_a_fraction_gives(value: str) -> None:
    exact = Decimal(value)
    assert rounded(exact) == exact_decimal(Fraction(exact))
    long = exact
    for _ in range(400):
        long = EXACT.multiply(long, Decimal("0.9"))
    assert rounded(long) == exact_decimal(Fraction(long))
