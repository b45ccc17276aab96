"""The metrics engine against examples worked out by hand (DESIGN §3, Metrics)."""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Context, Decimal
from fractions import Fraction

import pytest

from core.money import quantize_money
from funnels.domain.metrics import (
    DEFINITIONS,
    ILLUSTRATIVE_NOTE,
    Outcome,
    UncomputableFunnel,
    compare,
    compute_metrics,
    project,
    scenarios,
)
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step
from offers.domain.kinds import OfferKind

D = Decimal


def decimals(*values: str | int) -> tuple[Decimal, ...]:
    return tuple(D(value) for value in values)


def offer(key: str, kind: OfferKind, price: str, replaces: str | None = None) -> OfferSpec:
    return OfferSpec(key, key.replace("-", " ").title(), kind, D(price), "USD", replaces=replaces)


CALM = offer("calm-course", OfferKind.CORE, "97")
JOURNAL = offer("journal", OfferKind.ORDER_BUMP, "27")
THREE_CALLS = offer("three-calls", OfferKind.UPSELL, "300")
ONE_CALL = offer("one-call", OfferKind.DOWNSELL, "120")


def bump(key: str, rate: str) -> Placement:
    return Placement(key, key, Slot.BUMP, Stage.CHECKOUT, D(rate))


def primer_funnel() -> FunnelPlan:
    """The primer's example: a $97 course, then three coaching calls for $300 taken by 20%."""
    return FunnelPlan(
        name="Calm",
        currency="USD",
        offers=(CALM, THREE_CALLS),
        core="calm-course",
        start="up1",
        steps=(Step("up1", "three-calls", D("0.2")),),
    )


def bump_upsell_downsell() -> FunnelPlan:
    return FunnelPlan(
        name="Calm with bump and downsell",
        currency="USD",
        offers=(CALM, JOURNAL, THREE_CALLS, ONE_CALL),
        core="calm-course",
        bumps=(bump("journal", "0.3"),),
        start="up1",
        steps=(
            Step("up1", "three-calls", D("0.2"), on_accept=None, on_decline="down1"),
            Step("down1", "one-call", D("0.15")),
        ),
    )


def test_the_primers_upsell_gives_an_aov_of_157() -> None:
    # given the $97 course and the $300 upsell taken by 20%
    plan = primer_funnel()
    # when
    metrics = compute_metrics(plan)
    # then AOV = 97 + 0.2·300
    assert metrics.aov == D("157.00")
    assert metrics.aov_exact == 157
    assert metrics.core_price == D("97")
    assert metrics.uplift == D("60")
    assert metrics.uplift_ratio == Context(prec=40).divide(D(60), D(97))
    assert metrics.revenue_per_buyer == D("157")
    assert metrics.currency == "USD"


def test_bump_upsell_and_downsell_worked_by_hand() -> None:
    # given a $27 bump (30%), the $300 upsell (20%) and on decline a $120 downsell (15% of decliners)
    plan = bump_upsell_downsell()
    # when
    metrics = compute_metrics(plan)
    # then, by hand:
    #   V(down1) = 0.15·120 = 18;  V(up1) = 0.2·(300 + 0) + 0.8·18 = 60 + 14.40 = 74.40
    #   AOV = 97 + 0.3·27 + V(up1) = 97 + 8.10 + 60 + 0.8·0.15·120 = 179.50
    #   bump:  reach 1,   take 0.3,            revenue 8.10,  sensitivity 27
    #   up1:   reach 1,   take 0.2,            revenue 60,    sensitivity 1·(300 + 0 − 18) = 282
    #   down1: reach 0.8, take 0.8·0.15 = 0.12, revenue 14.40, sensitivity 0.8·(120 + 0 − 0) = 96
    assert metrics.aov == D("179.50")
    assert [s.key for s in metrics.steps] == ["journal", "up1", "down1"]
    journal, up1, down1 = metrics.steps
    assert (journal.stage, journal.slot) == (Stage.CHECKOUT, Slot.BUMP)
    assert (journal.reach, journal.take, journal.expected_revenue, journal.sensitivity) == decimals(
        1, "0.3", "8.10", 27
    )
    assert (up1.stage, up1.slot) == (Stage.POST_PURCHASE, Slot.ONE_CLICK)
    assert (up1.price, up1.take_rate) == decimals(300, "0.2")
    assert (up1.reach, up1.take, up1.expected_revenue, up1.sensitivity) == decimals(1, "0.2", 60, "282.00")
    assert (down1.reach, down1.take, down1.expected_revenue, down1.sensitivity) == decimals("0.8", "0.12", "14.40", 96)
    # one more point of take rate on the upsell adds $2.82
    assert up1.sensitivity / 100 == D("2.82")
    assert compute_metrics(plan.with_take_rates({"up1": D("0.21")})).aov == D("179.50") + D("2.82")


def test_an_upgrade_adds_only_the_difference() -> None:
    # given calm-plus ($147) replacing the $97 course, offered after payment and taken by 20%
    plus = offer("calm-plus", OfferKind.UPSELL, "147", replaces="calm-course")
    plan = FunnelPlan(
        "Upgrade",
        "USD",
        (CALM, plus),
        core="calm-course",
        start="up",
        steps=(Step("up", "calm-plus", D("0.2")),),
    )
    # when
    metrics = compute_metrics(plan)
    # then a yes adds 147 − 97 = 50: AOV = 97 + 0.2·50 = 107
    assert metrics.steps[0].price == D("50")
    assert metrics.aov == D("107")
    assert metrics.distribution is not None
    assert metrics.distribution.outcomes == (
        Outcome(D("97"), Fraction(4, 5)),
        Outcome(D("147"), Fraction(1, 5)),
    )


def test_paths_that_meet_again() -> None:
    # given up1 ($300, 20%) whose accept and decline both lead to up2 ($50 journal, 40%)
    workbook = offer("workbook", OfferKind.CROSS_SELL, "50")
    plan = FunnelPlan(
        "Meet again",
        "USD",
        (CALM, THREE_CALLS, workbook),
        core="calm-course",
        start="up1",
        steps=(
            Step("up1", "three-calls", D("0.2"), on_accept="up2", on_decline="up2"),
            Step("up2", "workbook", D("0.4")),
        ),
    )
    # when
    metrics = compute_metrics(plan)
    # then every buyer reaches up2 (0.2 + 0.8), V(up2) = 20, V(up1) = 60 + 20: AOV = 97 + 80 = 177;
    # up1's yes changes nothing downstream, so its sensitivity is its price
    assert metrics.aov == 177
    up1, up2 = metrics.steps
    assert (up1.reach, up1.sensitivity) == decimals(1, 300)
    assert (up2.reach, up2.take, up2.expected_revenue, up2.sensitivity) == decimals(1, "0.4", 20, 50)
    assert metrics.distribution is not None
    assert metrics.distribution.outcomes == (
        Outcome(D("97"), Fraction(48, 100)),  # no, no
        Outcome(D("147"), Fraction(32, 100)),  # no, yes
        Outcome(D("397"), Fraction(12, 100)),  # yes, no
        Outcome(D("447"), Fraction(8, 100)),  # yes, yes
    )


def test_a_free_core_offer() -> None:
    # given a $0 core, a $10 bump (50%) and a $100 upsell (10%)
    free = offer("free-guide", OfferKind.CORE, "0")
    tracker = offer("tracker", OfferKind.ORDER_BUMP, "10")
    course = offer("course", OfferKind.UPSELL, "100")
    plan = FunnelPlan(
        "Free",
        "USD",
        (free, tracker, course),
        core="free-guide",
        bumps=(bump("tracker", "0.5"),),
        start="up",
        steps=(Step("up", "course", D("0.1")),),
    )
    # when
    metrics = compute_metrics(plan)
    # then AOV = 0 + 5 + 10, all of it uplift, with no ratio to a zero price
    assert metrics.aov == 15
    assert metrics.uplift == 15
    assert metrics.uplift_ratio is None
    assert metrics.min_order == 0
    assert metrics.distribution is not None
    assert metrics.distribution.outcomes[0] == Outcome(D("0"), Fraction(45, 100))


def test_a_thank_you_cross_sell_counts_only_in_revenue_per_buyer() -> None:
    # given the primer's funnel and a $40 meditation pack on the thank-you page taken by 5%
    pack = offer("meditations", OfferKind.CROSS_SELL, "40")
    plan = replace(
        primer_funnel(),
        offers=(CALM, THREE_CALLS, pack),
        thank_you_cross_sells=(Placement("meditations", "meditations", Slot.CROSS_SELL, Stage.THANK_YOU, D("0.05")),),
    )
    # when
    metrics = compute_metrics(plan)
    # then it is a separate, later order: AOV stays 157, revenue per buyer = 157 + 0.05·40
    assert metrics.aov == 157
    assert metrics.thank_you_revenue == 2
    assert metrics.revenue_per_buyer == 159
    pack_step = metrics.steps[-1]
    assert (pack_step.key, pack_step.stage, pack_step.slot) == (
        "meditations",
        Stage.THANK_YOU,
        Slot.CROSS_SELL,
    )
    assert (pack_step.reach, pack_step.take, pack_step.expected_revenue, pack_step.sensitivity) == decimals(
        1, "0.05", 2, 40
    )
    assert metrics.distribution is not None
    assert [o.total for o in metrics.distribution.outcomes] == [97, 397]
    assert metrics.variance == compute_metrics(primer_funnel()).variance


def test_spread_and_distribution_of_a_small_funnel() -> None:
    # given a $100 core, a $20 bump (50%), a $200 upsell (25%) and on decline a $50 downsell (20%)
    plan = FunnelPlan(
        "Small",
        "USD",
        (
            offer("core", OfferKind.CORE, "100"),
            offer("bump", OfferKind.ORDER_BUMP, "20"),
            offer("up", OfferKind.UPSELL, "200"),
            offer("down", OfferKind.DOWNSELL, "50"),
        ),
        core="core",
        bumps=(bump("bump", "0.5"),),
        start="up",
        steps=(Step("up", "up", D("0.25"), None, "down"), Step("down", "down", D("0.2"))),
    )
    # when
    metrics = compute_metrics(plan)
    # then, by hand: the walk adds 200 (0.25), 50 (0.75·0.2 = 0.15) or 0 (0.6); the bump 20 or 0 (0.5 each)
    #   AOV = 100 + 10 + 0.25·200 + 0.15·50 = 167.50
    #   Var(bump) = 0.5·0.5·20² = 100; walk: E = 57.5, E[X²] = 0.25·40000 + 0.15·2500 = 10375,
    #   Var = 10375 − 57.5² = 7068.75; total 7168.75, std = √7168.75 ≈ 84.67
    assert metrics.aov == D("167.50")
    assert metrics.variance == D("7168.75")
    assert metrics.std == Context(prec=40).sqrt(D("7168.75"))
    assert quantize_money(metrics.std) == D("84.67")
    distribution = metrics.distribution
    assert distribution is not None
    assert distribution.outcomes == (
        Outcome(D("100"), Fraction(3, 10)),
        Outcome(D("120"), Fraction(3, 10)),
        Outcome(D("150"), Fraction(3, 40)),
        Outcome(D("170"), Fraction(3, 40)),
        Outcome(D("300"), Fraction(1, 8)),
        Outcome(D("320"), Fraction(1, 8)),
    )
    assert distribution.mean == metrics.aov_exact
    assert distribution.variance == metrics.variance_exact
    # cumulative: 100 → 0.3, 120 → 0.6, 150 → 0.675, 170 → 0.75, 300 → 0.875, 320 → 1
    assert distribution.percentiles() == {10: 100, 25: 100, 50: 120, 75: 170, 90: 320}
    assert (metrics.min_order, metrics.max_order) == decimals(100, 320)
    assert metrics.distribution_note is None


def test_projection_for_many_buyers_and_for_one() -> None:
    # given the primer's funnel: 97 (80%) or 397 (20%), so Var = 0.8·0.2·300² = 14400 and std = 120
    metrics = compute_metrics(primer_funnel())
    assert metrics.std == 120
    # when 100 buyers: 15,700 ± 1.96·√100·120 = ± 2,352
    hundred = project(metrics, 100)
    # then
    assert hundred.buyers == 100
    assert (hundred.revenue, hundred.low, hundred.high) == decimals(15700, 13348, 18052)
    # and one buyer: 157 ± 235.20 would fall below the cheapest order, so it is floored at 97
    one = project(metrics, 1)
    assert (one.revenue, one.low, one.high) == decimals(157, 97, "392.20")
    nobody = project(metrics, 0)
    assert (nobody.revenue, nobody.low, nobody.high) == decimals(0, 0, 0)
    with pytest.raises(ValueError):
        project(metrics, -1)


def test_scenarios_halve_and_raise_every_take_rate() -> None:
    # given the bump, upsell and downsell funnel
    plan = bump_upsell_downsell()
    # when
    found = scenarios(plan)
    # then conservative (0.15, 0.10, 0.075): 97 + 4.05 + 30 + 0.9·0.075·120 = 139.15
    #      optimistic   (0.45, 0.30, 0.225): 97 + 12.15 + 90 + 0.7·0.225·120 = 218.05
    assert [(s.name, s.factor, s.aov, s.revenue_per_buyer) for s in found] == [
        ("conservative", D("0.5"), D("139.15"), D("139.15")),
        ("expected", D("1"), D("179.50"), D("179.50")),
        ("optimistic", D("1.5"), D("218.05"), D("218.05")),
    ]


def test_an_optimistic_take_rate_is_capped_at_one() -> None:
    # given a bump taken by 80%: optimistic would be 120%, so it is 100%
    plan = FunnelPlan("Cap", "USD", (CALM, JOURNAL), core="calm-course", bumps=(bump("journal", "0.8"),))
    # when
    optimistic = scenarios(plan)[-1]
    # then every buyer adds the journal
    assert optimistic.aov == 97 + 27


def test_scenarios_need_not_be_ordered_when_a_decline_leads_to_more() -> None:
    # given a $10 upsell (50%) whose yes ends the funnel, while a no leads to a $100 cross-sell taken by all
    cheap = offer("cheap", OfferKind.UPSELL, "10")
    big = offer("big", OfferKind.CROSS_SELL, "100")
    plan = FunnelPlan(
        "Odd",
        "USD",
        (offer("core", OfferKind.CORE, "0"), cheap, big),
        core="core",
        start="a",
        steps=(Step("a", "cheap", D("0.5"), None, "b"), Step("b", "big", D("1"))),
    )
    # when
    conservative, expected, optimistic = scenarios(plan)
    # then AOV = 10·q + (1 − q)·100·r: (0.25, 0.5) → 40, (0.5, 1) → 55, (0.75, 1) → 32.50;
    # a higher take rate on "a" lowers the AOV (its sensitivity is 10 − 100 = −90)
    assert (conservative.aov, expected.aov, optimistic.aov) == decimals(40, 55, "32.50")
    assert compute_metrics(plan).steps[0].sensitivity == -90


def test_compare_a_funnel_with_the_same_without_its_downsell() -> None:
    # given the funnel, and the same with up1's decline leading straight to the thank-you page
    with_downsell = bump_upsell_downsell()
    without = replace(with_downsell, steps=(Step("up1", "three-calls", D("0.2")),))
    # when
    comparison = compare(with_downsell, without)
    # then the downsell's 0.8·0.15·120 = 14.40 is lost
    assert comparison.aov_difference == D("-14.40")
    assert comparison.revenue_per_buyer_difference == D("-14.40")
    assert [(d.stage, d.key, d.expected_revenue_a, d.expected_revenue_b, d.difference) for d in comparison.steps] == [
        (Stage.CHECKOUT, "journal", D("8.10"), D("8.10"), 0),
        (Stage.POST_PURCHASE, "up1", 60, 60, 0),
        (Stage.POST_PURCHASE, "down1", D("14.40"), 0, D("-14.40")),
    ]
    assert comparison.steps[-1].offer_b is None
    # and the other way round the downsell appears with zero on the a side
    assert compare(without, with_downsell).steps[-1].expected_revenue_a == 0


def test_compare_refuses_two_currencies() -> None:
    with pytest.raises(UncomputableFunnel, match="different currencies"):
        compare(primer_funnel(), replace(primer_funnel(), currency="EUR"))


def test_too_many_totals_leave_out_the_distribution_but_not_the_rest() -> None:
    # given the bump, upsell and downsell funnel, whose 6 possible totals exceed a bound of 5
    plan = bump_upsell_downsell()
    full = compute_metrics(plan)
    # when
    bounded = compute_metrics(plan, max_outcomes=5)
    # then
    assert bounded.distribution is None
    assert bounded.distribution_note == (
        "This funnel has more than 5 possible order totals, too many to list; "
        "the mean, spread and sensitivities above are still exact."
    )
    assert (bounded.aov, bounded.variance, bounded.std, bounded.steps) == (
        full.aov,
        full.variance,
        full.std,
        full.steps,
    )
    assert compute_metrics(plan, max_outcomes=6).distribution == full.distribution


def test_fourteen_bumps_have_more_than_ten_thousand_totals() -> None:
    # given 14 bumps priced 1, 2, 4, … 8192 at 50%: 2^14 = 16,384 distinct totals
    bumps = [offer(f"b{n}", OfferKind.ORDER_BUMP, str(2**n)) for n in range(14)]
    plan = FunnelPlan("Many", "USD", (CALM, *bumps), core="calm-course", bumps=tuple(bump(b.key, "0.5") for b in bumps))
    # when
    metrics = compute_metrics(plan)
    # then
    assert metrics.distribution is None
    assert metrics.distribution_note == (
        "This funnel has more than 10,000 possible order totals, too many to list; "
        "the mean, spread and sensitivities above are still exact."
    )
    assert metrics.aov == 97 + D(2**14 - 1) / 2
    assert metrics.variance_exact == sum(Fraction(1, 4) * 4**n for n in range(14))
    assert [s.sensitivity for s in metrics.steps] == [2**n for n in range(14)]


def test_a_loop_is_uncomputable() -> None:
    # given up1 declining to up2 and up2 declining back to up1
    plan = replace(
        bump_upsell_downsell(),
        steps=(
            Step("up1", "three-calls", D("0.2"), None, "down1"),
            Step("down1", "one-call", D("0.15"), None, "up1"),
        ),
    )
    # when / then
    with pytest.raises(UncomputableFunnel) as raised:
        compute_metrics(plan)
    assert raised.value.reason.startswith("The post-purchase flow loops (up1 → down1 → up1)")


def test_a_missing_edge_target_is_uncomputable() -> None:
    plan = replace(bump_upsell_downsell(), steps=(Step("up1", "three-calls", D("0.2"), None, "dwn1"),))
    with pytest.raises(UncomputableFunnel) as raised:
        compute_metrics(plan)
    assert raised.value.reason == (
        'The decline choice of step "up1" leads to "dwn1", which is not a step of this funnel; '
        "point it at an existing step or at the thank-you page."
    )


def test_a_missing_first_step_is_uncomputable() -> None:
    with pytest.raises(UncomputableFunnel, match='^The post-purchase flow starts at "up0", which is not a step'):
        compute_metrics(replace(primer_funnel(), start="up0"))


def test_a_missing_core_or_placed_offer_is_uncomputable() -> None:
    with pytest.raises(UncomputableFunnel, match='core offer "nothing"'):
        compute_metrics(replace(primer_funnel(), core="nothing"))
    with pytest.raises(UncomputableFunnel, match='offer "three-calls", which is not among'):
        compute_metrics(replace(primer_funnel(), offers=(CALM,)))


def test_a_take_rate_outside_zero_to_one_is_uncomputable() -> None:
    with pytest.raises(UncomputableFunnel, match="must lie between 0 and 1"):
        compute_metrics(primer_funnel().with_take_rates({"up1": D("1.5")}))


def test_a_long_downsell_ladder_computes_fast_without_recursion() -> None:
    # given 2,000 one-click steps, each $10 at 15%, each decline leading to the next
    count = 2000
    rungs = [offer(f"o{n}", OfferKind.DOWNSELL, "10") for n in range(count)]
    steps = [Step(f"s{n}", f"o{n}", D("0.15"), None, f"s{n + 1}" if n + 1 < count else None) for n in range(count)]
    plan = FunnelPlan("Ladder", "USD", (CALM, *rungs), core="calm-course", start="s0", steps=tuple(steps))
    # when
    started = time.perf_counter()
    metrics = compute_metrics(plan)
    elapsed = time.perf_counter() - started
    # then a buyer adds $10 unless they decline all 2,000: chance (17/20)^2000
    none = Fraction(17, 20) ** count
    assert metrics.aov_exact == 97 + 10 * (1 - none)
    assert metrics.distribution is not None
    assert metrics.distribution.outcomes == (Outcome(D("97"), none), Outcome(D("107"), 1 - none))
    last_reach = Fraction(17, 20) ** (count - 1)
    assert metrics.steps[-1].reach == Context(prec=40).divide(D(last_reach.numerator), D(last_reach.denominator))
    assert elapsed < 10


def test_a_long_chain_where_every_choice_leads_on_stops_listing_totals() -> None:
    # given 2,000 steps at 15% priced 1.00, 1.01, 1.02, … each leading on whatever the answer
    count = 2000
    rungs = [offer(f"o{n}", OfferKind.UPSELL, str(D(100 + n) / 100)) for n in range(count)]
    steps = [Step(f"s{n}", f"o{n}", D("0.15"), *(2 * [f"s{n + 1}" if n + 1 < count else None])) for n in range(count)]
    plan = FunnelPlan("Chain", "USD", (CALM, *rungs), core="calm-course", start="s0", steps=tuple(steps))
    # when
    started = time.perf_counter()
    metrics = compute_metrics(plan)
    elapsed = time.perf_counter() - started
    # then every buyer meets every step: AOV = 97 + 0.15·Σ prices, each sensitivity its price
    assert metrics.aov_exact == 97 + Fraction(15, 100) * sum(Fraction(100 + n, 100) for n in range(count))
    assert metrics.distribution is None
    assert [s.sensitivity for s in metrics.steps] == [D(100 + n) / 100 for n in range(count)]
    assert elapsed < 10


def test_every_metric_has_a_plain_definition_and_the_note_is_honest() -> None:
    expected = {
        "aov", "revenue_per_buyer", "uplift", "reach", "take", "expected_revenue", "sensitivity",
        "std", "distribution", "percentiles", "projection", "scenarios",
    }  # fmt: skip
    assert set(DEFINITIONS) == expected
    assert all(text.endswith(".") and "\n" not in text for text in DEFINITIONS.values())
    assert "normal approximation" in DEFINITIONS["projection"]
    assert "not a promise of results" in ILLUSTRATIVE_NOTE
