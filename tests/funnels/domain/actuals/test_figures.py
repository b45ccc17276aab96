"""The figures: observed AOV is the engine's AOV at the observed rates and equals the realised AOV; intervals,
findings in plain words, what to test next, and a seeded simulation whose intervals cover the truth 95% of the time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnels.domain.actuals import (
    ASSUMPTION_OFF,
    NoVisits,
    Status,
    assumption_findings,
    compute_actuals,
    funnel_places,
    new_counter,
    next_tests,
    planned_test,
    project_observed,
    with_place_rates,
)
from funnels.domain.actuals.simulation import Expected, Simulation, simulate
from funnels.domain.metrics import compute_metrics
from funnels.domain.plan import Stage
from tests.funnels.demo_plans import UPGRADE, demo_plan
from tests.funnels.domain.actuals.orders import actuals_of, bought

CLASSIC = demo_plan()


def _buyers(rows: list[tuple[str, ...]]) -> list[list]:  # type: ignore[type-arg]
    from funnels.domain.actuals import Purchase

    grouped: dict[str, list[Purchase]] = {}
    for number, (buyer, offer, placed_at, amount, _order, _currency, status) in enumerate(rows, start=2):
        from datetime import datetime

        at = int(datetime.fromisoformat(placed_at).timestamp() * 1000)
        grouped.setdefault(buyer, []).append(
            Purchase(number, buyer, offer, at, Status[status.upper()], int(Decimal(amount) * 100))
        )
    return list(grouped.values())


def _simulated(plan, visits: int, seed: int, **shares: float):  # type: ignore[no-untyped-def]
    expected = Expected()
    rows = list(simulate(Simulation(plan=plan, visits=visits, seed=seed, **shares), expected))
    return actuals_of(plan, _buyers(rows)), expected


@pytest.mark.parametrize("name", ["calm-classic.json", UPGRADE])
def test_the_observed_aov_equals_the_realised_aov_and_the_engine_at_those_rates(name: str) -> None:
    plan = demo_plan(name)
    actuals, _ = _simulated(plan, 3000, seed=11)
    assert abs(actuals.observed_aov - actuals.realised_aov) < Decimal("1e-30")
    # and the engine itself, on the funnel with those rates typed in, says the same
    places = funnel_places(plan)
    typed_in = with_place_rates(plan, places, actuals.observed_rates())
    assert abs(compute_metrics(typed_in).aov - actuals.realised_aov) < Decimal("1e-30")
    assert actuals.forecast_aov == compute_metrics(plan).aov


def test_the_seeded_simulation_is_counted_exactly() -> None:
    actuals, expected = _simulated(CLASSIC, 2000, seed=5, off_path_share=0.05, unmatched_share=0.05)
    counts = actuals.counts
    for step in actuals.steps:
        assert step.shown == expected.shown.get(step.place.index, 0)
        assert step.accepted == expected.accepted.get(step.place.index, 0)
    assert (counts.visits, counts.off_path, counts.unmatched) == (
        expected.visits,
        expected.off_path,
        expected.unmatched,
    )
    assert (counts.refunded, counts.failed, counts.rows) == (expected.refunded, expected.failed, expected.rows)
    assert counts.order_cents == expected.order_cents


def test_the_intervals_cover_the_true_rates_at_about_the_promised_frequency() -> None:
    true_rates = {
        Stage.CHECKOUT: Decimal("0.25"),
        Stage.POST_PURCHASE: Decimal("0.12"),
        Stage.THANK_YOU: Decimal("0.06"),
    }
    places = funnel_places(CLASSIC)
    rates = {p: true_rates[p.stage] for p in places.all}
    covered = total = 0
    for seed in range(150):
        sim = Simulation(
            plan=CLASSIC, visits=300, seed=seed, rates=rates, failed_share=0, refunded_share=0, off_path_share=0
        )
        actuals = actuals_of(CLASSIC, _buyers(list(simulate(sim))))
        for step in actuals.steps:
            if step.interval is not None:
                total += 1
                covered += step.interval.holds(rates[step.place])
    assert total == 600
    assert 0.92 <= covered / total <= 0.98  # 95% intervals: about 570 of 600


def test_a_step_no_buyer_saw_keeps_its_assumed_rate_and_says_so() -> None:
    # every visit accepts the upsell, so the downsell on its no is never shown
    actuals = actuals_of(
        CLASSIC, [[bought(f"b{i}", "calm-course", 0), bought(f"b{i}", "three-calls", 1)] for i in range(5)]
    )
    down = next(s for s in actuals.steps if s.place.key == "down1")
    assert (down.seen, down.rate, down.interval, down.used) == (False, None, None, Decimal("0.15"))
    assert actuals.observed_aov == actuals.realised_aov == Decimal("397")


def test_assumption_off_names_the_step_in_plain_words() -> None:
    buyers = [
        [bought(f"x{i}", "calm-course")] + ([bought(f"x{i}", "three-calls", 1)] if i < 122 else []) for i in range(1240)
    ]
    actuals = actuals_of(CLASSIC, buyers)
    findings = {f.step: f for f in assumption_findings(actuals)}
    up = findings["up1"]
    assert up.code == ASSUMPTION_OFF and up.stage is Stage.POST_PURCHASE
    assert up.message == (
        "You assumed 20% for Three 1-on-1 coaching calls; 1,240 buyers saw it and 9.8% said yes (95%: 8.3%–11.6%)."
    )
    assert "breath-cards" in findings  # 0 of 1,240 took the 30% bump


def test_no_finding_where_the_assumption_lies_inside_the_interval() -> None:
    buyers = [
        [bought(f"y{i}", "calm-course")] + ([bought(f"y{i}", "three-calls", 1)] if i % 5 == 0 else [])
        for i in range(100)
    ]
    actuals = actuals_of(CLASSIC, buyers)
    assert "up1" not in {f.step for f in assumption_findings(actuals)}


def test_the_observed_aov_interval_comes_from_the_rates_through_the_sensitivities() -> None:
    actuals, _ = _simulated(CLASSIC, 1000, seed=3)
    margin = Decimal(0)
    for step in actuals.steps:
        if step.interval is not None and step.place.stage is not Stage.THANK_YOU:
            margin += (step.sensitivity * step.interval.width / 2) ** 2
    low, high = actuals.observed_interval.low, actuals.observed_interval.high
    assert abs((high - low) / 2 - margin.sqrt()) < Decimal("1e-20")
    assert low < actuals.observed_aov < high


def test_the_projection_widens_with_more_buyers() -> None:
    actuals, _ = _simulated(CLASSIC, 500, seed=4)
    few, many = project_observed(actuals, 100), project_observed(actuals, 10_000)
    assert few.revenue == 100 * actuals.observed_aov
    assert (many.high - many.low) > 20 * (few.high - few.low)  # spread alone would grow √100 = 10 times


def test_what_to_test_next_ranks_by_sensitivity_times_width_and_counts_buyers_still_needed() -> None:
    actuals, _ = _simulated(CLASSIC, 400, seed=8)
    ranked = next_tests(actuals)
    moves = [t.moves for t in ranked]
    assert moves == sorted(moves, reverse=True)
    assert ranked[0].step.place.key == "up1"  # $300 a yes: its uncertainty moves the AOV most
    for test in ranked:
        assert test.more_shown == max(0, test.shown_needed - test.step.shown)
        assert test.moves == abs(test.step.sensitivity) * test.step.interval.width  # type: ignore[union-attr]


def test_a_planned_change_needs_buyers_per_arm_and_visits_at_the_steps_reach() -> None:
    actuals = actuals_of(
        CLASSIC,
        [
            [bought(f"z{i}", "calm-course")] + ([bought(f"z{i}", "three-calls", 1)] if i < 20 else [])
            for i in range(100)
        ],
    )
    down = next(s for s in actuals.steps if s.place.key == "down1")  # 80 of 100 visits reach it
    planned = planned_test(actuals, down, Decimal("0.05"))
    assert planned.changed == Decimal("0.05")
    assert planned.visits_per_arm == -(-planned.per_arm * 100 // 80)
    with pytest.raises(ValueError, match="0–100%"):
        planned_test(actuals, down, Decimal("-0.5"))


def test_no_visit_means_no_figures() -> None:
    places, counter = new_counter(CLASSIC)
    counter.add_buyer([bought("q", "three-calls")])
    with pytest.raises(NoVisits, match="no paid purchase of the core offer"):
        compute_actuals(CLASSIC, places, counter.counts, window_minutes=60)
