"""The engine's answers as text and JSON for the command line and the API (funnels.presenters.cli): exact strings,
money rounded to cents, chances to six places, findings one a line with severity and code first."""

from __future__ import annotations

import json
from decimal import Decimal

from funnels.domain.checks.findings import Finding, Severity
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE, compute_metrics, project, scenarios
from funnels.domain.plan import FunnelPlan, Stage
from funnels.presenters.cli import (
    finding_data,
    finding_line,
    finding_where,
    has_errors,
    metrics_data,
    metrics_lines,
    probability,
)
from offers.domain.kinds import OfferKind
from tests.funnels.demo_plans import FIRST_DRAFT, demo_plan
from tests.funnels.domain.plans import bump, funnel, offer, step

LOOP_MESSAGE = (
    "The offers after payment go round in a loop (up1 → down1 → up1), so some buyers never reach the thank-you page."
)
LOOP_HINT = "Point one of the choices in this loop to a later step or to the thank-you page."


def primer() -> FunnelPlan:
    """The primer's example: the $97 course, then the $300 three-call upsell taken by 20%."""
    calls = offer("calls", name="Three 1-on-1 coaching calls")
    return funnel(calls, start="up1", steps=(step("up1", "calls", rate="0.2"),))


def loop() -> FunnelPlan:
    """The upsell's no leads to the downsell, whose no leads back to the upsell."""
    calls, call = offer("calls"), offer("call", OfferKind.DOWNSELL, "120")
    return funnel(
        calls,
        call,
        start="up1",
        steps=(step("up1", "calls", no="down1", rate="0.2"), step("down1", "call", no="up1", rate="0.15")),
    )


# -- findings ---------------------------------------------------------------------------------------------------


def test_a_finding_line_gives_severity_code_and_step_first_then_message_and_hint() -> None:
    [cycle] = check_funnel(loop())
    assert finding_line(cycle) == f"error cycle up1: {LOOP_MESSAGE} Hint: {LOOP_HINT}"


def test_a_finding_without_a_step_is_placed_at_its_stage_or_at_the_funnel() -> None:
    at_checkout = Finding("too-many-bumps", Severity.WARNING, Stage.CHECKOUT, None, "Many bumps.", "Keep one.")
    whole = Finding("no-core", Severity.ERROR, None, None, "No core offer.", "Choose one.")
    assert (finding_where(at_checkout), finding_where(whole)) == ("checkout", "funnel")
    assert finding_line(at_checkout) == "warning too-many-bumps checkout: Many bumps. Hint: Keep one."
    assert finding_line(whole) == "error no-core funnel: No core offer. Hint: Choose one."


def test_a_finding_as_data_is_plain_strings_and_nulls() -> None:
    [cycle] = check_funnel(loop())
    assert finding_data(cycle) == {
        "code": "cycle",
        "severity": "error",
        "stage": "post_purchase",
        "step": "up1",
        "message": LOOP_MESSAGE,
        "hint": LOOP_HINT,
    }
    whole = Finding("no-core", Severity.ERROR, None, None, "No core offer.", "Choose one.")
    assert (finding_data(whole)["stage"], finding_data(whole)["step"]) == (None, None)


def test_errors_are_told_from_warnings() -> None:
    draft = check_funnel(demo_plan(FIRST_DRAFT))  # 2 errors, 6 warnings
    warnings_only = tuple(f for f in draft if f.severity is Severity.WARNING)
    assert (has_errors(draft), has_errors(warnings_only), has_errors(())) == (True, False, False)
    assert len(warnings_only) == 6


def test_the_first_drafts_findings_print_one_a_line() -> None:
    lines = [finding_line(f) for f in check_funnel(demo_plan(FIRST_DRAFT))]
    assert [line.split(":")[0] for line in lines] == [
        "error upsell-before-purchase three-calls",
        "error downsell-without-decline single",
        "warning bump-too-big journal-kit",
        "warning false-urgency journal-kit",
        "warning price-jump big",
        "warning unrelated-offer big",
        "warning guaranteed-outcome big",
        "warning optimistic-take-rate big",
    ]
    assert lines[0] == (
        'error upsell-before-purchase three-calls: "Three 1-on-1 coaching calls" is an upsell, but it is shown as an '
        "order bump at the checkout, before the buyer has said yes to the core offer. Hint: Move it after payment as "
        "a one-click offer, or make it an order bump if it is a small add-on."
    )


# -- figures ----------------------------------------------------------------------------------------------------


def test_a_chance_is_written_to_six_places_without_trailing_zeros() -> None:
    assert probability(Decimal("0.1234565")) == "0.123457"  # half up
    assert probability(Decimal("0.2000")) == "0.2"
    assert probability(Decimal("1")) == "1"
    assert probability(Decimal("0.0000004")) == "0"
    assert probability(Decimal("0.476")) == "0.476"


def test_the_primers_figures_as_data() -> None:
    # given the $97 course and the $300 upsell taken by 20%: AOV 97 + 0.2·300 = 157, std 0.4·300 = 120
    plan = primer()
    metrics = compute_metrics(plan)
    data = metrics_data(metrics, project(metrics, 10), scenarios(plan))
    # then every amount is a string of cents and every chance a short decimal
    assert {k: v for k, v in data.items() if k not in {"definitions", "note"}} == {
        "currency": "USD",
        "aov": "157.00",
        "revenue_per_buyer": "157.00",
        "core_price": "97.00",
        "uplift": "60.00",
        "thank_you_revenue": "0.00",
        "std": "120.00",
        "steps": [
            {
                "key": "up1",
                "offer": "calls",
                "stage": "post_purchase",
                "slot": "one_click",
                "price": "300.00",
                "take_rate": "0.2",
                "reach": "1",
                "take": "0.2",
                "expected_revenue": "60.00",
                "sensitivity": "300.00",
            }
        ],
        # 10 buyers: 1,570 ± 1.96·120·√10 (743.77), the low end kept at 10 × $97 = $970
        "projection": {"buyers": 10, "revenue": "1570.00", "low": "970.00", "high": "2313.77"},
        "percentiles": {"p10": "97.00", "p25": "97.00", "p50": "97.00", "p75": "97.00", "p90": "397.00"},
        "distribution": [{"total": "97.00", "probability": "0.8"}, {"total": "397.00", "probability": "0.2"}],
        "distribution_note": None,
        # take rates ×0.5 and ×1.5: 97 + 0.1·300 and 97 + 0.3·300
        "scenarios": [
            {"name": "conservative", "label": "Conservative", "aov": "127.00", "revenue_per_buyer": "127.00"},
            {"name": "expected", "label": "Expected", "aov": "157.00", "revenue_per_buyer": "157.00"},
            {"name": "optimistic", "label": "Optimistic", "aov": "187.00", "revenue_per_buyer": "187.00"},
        ],
    }
    assert data["definitions"] == dict(DEFINITIONS)
    assert data["note"] == ILLUSTRATIVE_NOTE
    assert json.loads(json.dumps(data)) == data  # nothing in it that JSON would change


def test_without_the_distribution_there_are_no_percentiles_or_totals() -> None:
    plan = primer()
    metrics = compute_metrics(plan, with_distribution=False)
    data = metrics_data(metrics, project(metrics, 10), scenarios(plan))
    assert (data["aov"], data["percentiles"], data["distribution"]) == ("157.00", None, None)


def test_the_classic_demo_funnels_figures_as_data() -> None:
    # 97 + 0.3·19 + 0.2·300 + 0.8·0.15·120 = 177.10; the thank-you audio adds 0.05·29 = 1.45 per buyer
    plan = demo_plan()
    metrics = compute_metrics(plan)
    data = metrics_data(metrics, project(metrics, 1000), scenarios(plan))
    assert (data["aov"], data["revenue_per_buyer"], data["uplift"], data["thank_you_revenue"]) == (
        "177.10",
        "178.55",
        "80.10",
        "1.45",
    )
    assert [(s["key"], s["reach"], s["take"], s["expected_revenue"], s["sensitivity"]) for s in data["steps"]] == [
        ("breath-cards", "1", "0.3", "5.70", "19.00"),
        ("up1", "1", "0.2", "60.00", "282.00"),  # a yes adds 300, a no would have led to 0.15·120 = 18
        ("down1", "0.8", "0.12", "14.40", "96.00"),
        ("sleep-audio", "1", "0.05", "1.45", "29.00"),
    ]
    assert data["projection"]["revenue"] == "177100.00"
    assert data["distribution"] == [
        {"total": "97.00", "probability": "0.476"},  # no to all: 0.7 · 0.8 · 0.85
        {"total": "116.00", "probability": "0.204"},
        {"total": "217.00", "probability": "0.084"},
        {"total": "236.00", "probability": "0.036"},
        {"total": "397.00", "probability": "0.14"},
        {"total": "416.00", "probability": "0.06"},
    ]
    assert [s["aov"] for s in data["scenarios"]] == ["137.95", "177.10", "214.45"]


def test_the_primers_report_puts_each_figure_beside_its_definition() -> None:
    plan = primer()
    metrics = compute_metrics(plan)
    lines = metrics_lines("Calm", metrics, project(metrics, 10), scenarios(plan))
    assert lines == [
        "Calm — USD",
        f"  AOV                       $157.00   {DEFINITIONS['aov']}",
        f"  Revenue per buyer         $157.00   {DEFINITIONS['revenue_per_buyer']}",
        f"  Uplift over core           $60.00   (+61.9% of the core price) {DEFINITIONS['uplift']}",
        f"  Standard deviation        $120.00   {DEFINITIONS['std']}",
        "",
        "  stage         step                         price    reach     take  exp. revenue   sensitivity",
        "  post_purchase up1                        $300.00     100%      20%        $60.00       $300.00",
        f"  reach: {DEFINITIONS['reach']}",
        f"  sensitivity: {DEFINITIONS['sensitivity']}",
        "",
        "  Projection for 10 buyers: $1,570.00 (95% interval $970.00 to $2,313.77)",
        f"    {DEFINITIONS['projection']}",
        "  Order totals: 2 possible; p10 $97.00, p25 $97.00, p50 $97.00, p75 $97.00, p90 $397.00",
        "  Scenarios: Conservative AOV $127.00; Expected AOV $157.00; Optimistic AOV $187.00",
        "",
        f"  {ILLUSTRATIVE_NOTE}",
    ]


def test_the_report_says_why_it_lists_no_order_totals_and_is_silent_when_none_were_asked_for() -> None:
    # given 14 bumps of $1, $2, $4 … $8,192 at 50%: 2^14 distinct totals, more than the 10,000 the engine lists
    bumps = [offer(f"b{i}", OfferKind.ORDER_BUMP, str(2**i)) for i in range(14)]
    plan = funnel(*bumps, bumps=tuple(bump(f"b{i}", "0.5") for i in range(14)))
    metrics = compute_metrics(plan)
    lines = metrics_lines("Many bumps", metrics, project(metrics, 1), scenarios(plan))
    assert lines[1] == f"  AOV                     $8,288.50   {DEFINITIONS['aov']}"  # 97 + (2^14 − 1) / 2
    assert (
        "  Order totals: This funnel has more than 10,000 possible order totals, too many to list; the mean, "
        "spread and sensitivities above are still exact."
    ) in lines
    data = metrics_data(metrics, project(metrics, 1), scenarios(plan))
    assert (data["distribution"], data["percentiles"]) == (None, None)
    assert data["distribution_note"] == metrics.distribution_note
    quiet = compute_metrics(primer(), with_distribution=False)
    assert not [
        line
        for line in metrics_lines("Calm", quiet, project(quiet, 10), scenarios(primer()))
        if line.startswith("  Order totals")
    ]
