"""What the forecast page shows (funnels.presenters.forecast), without a database or HTTP: the number of buyers
as typed, the sensitivities in words, the scenarios, the projection and the comparison."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from funnels.domain.metrics import compare, compute_metrics
from funnels.domain.plan import FunnelPlan, OfferSpec, Step
from funnels.models import Funnel
from funnels.presenters.forecast import (
    BUYERS_ERROR,
    NOT_IN_PRACTICE,
    SAME_FUNNEL,
    BuyersInput,
    CompareRequest,
    comparison_view,
    forecast_context,
    read_buyers,
    sensitivity_sentence,
    signed_money,
    times,
)
from funnels.selectors import LoadedFunnel
from offers.domain.kinds import OfferKind
from tests.funnels.demo_plans import demo_plan
from tests.funnels.domain.plans import funnel, offer, step

LOOP_REASON = (
    "The post-purchase flow loops (up1 → down1 → up1), so a buyer could be offered the same steps forever; "
    "every path must end at the thank-you page before the figures can be worked out."
)


def loop() -> FunnelPlan:
    calls, call = offer("calls"), offer("call", OfferKind.DOWNSELL, "120")
    return funnel(
        calls,
        call,
        start="up1",
        steps=(step("up1", "calls", no="down1", rate="0.2"), step("down1", "call", no="up1", rate="0.15")),
    )


def test_reading_the_number_of_buyers():
    assert read_buyers(None).value == 100
    assert read_buyers(" 1 000 ").value == 1000
    assert read_buyers("10,000,000").value == 10_000_000
    assert read_buyers("1").value == 1
    for bad in ("0", "10000001", "١٢", "1.0", "+5", "x" * 500):
        read = read_buyers(bad)
        assert read.value is None and read.error == BUYERS_ERROR
        assert len(read.entered) <= 40


def test_a_step_whose_no_leads_to_more_takes_money_off_per_point():
    """When declining leads on to a dearer offer, a higher take rate lowers the AOV: the page says so."""
    plan = FunnelPlan(
        name="Odd",
        currency="USD",
        offers=(
            OfferSpec(key="core", name="Course", kind=OfferKind.CORE, price=Decimal("100"), currency="USD"),
            OfferSpec(key="small", name="Workbook", kind=OfferKind.UPSELL, price=Decimal("50"), currency="USD"),
            OfferSpec(key="big", name="Retreat", kind=OfferKind.DOWNSELL, price=Decimal("200"), currency="USD"),
        ),
        core="core",
        start="up1",
        steps=(
            Step(key="up1", offer="small", take_rate=Decimal("0.5"), on_decline="down1"),
            Step(key="down1", offer="big", take_rate=Decimal("1")),
        ),
    )
    metrics = compute_metrics(plan)
    up1, down1 = metrics.step("up1"), metrics.step("down1")
    assert sensitivity_sentence(plan, up1) == (
        "One more point of take rate on the $50.00 Workbook takes $1.50 off AOV: a no leads on to more than a "
        "yes brings."
    )
    assert sensitivity_sentence(plan, down1) == (
        "One more point of take rate on the $200.00 Retreat adds $1.00 to AOV (its take rate is already 100%, "
        "so only a lower one is possible)."
    )


# -- the sensitivities in words -------------------------------------------------------------------------------------


def test_the_classic_funnels_sensitivities_in_words():
    # a point is a hundredth: the upsell's yes adds 300, its no would have led to 0.15·120 = 18, so 2.82 a point
    plan = demo_plan()
    sentences = {s.key: sensitivity_sentence(plan, s) for s in compute_metrics(plan).steps}
    assert sentences == {
        "breath-cards": "One more point of take rate on the $19.00 Printable breathing cards adds $0.19 to AOV.",
        "up1": "One more point of take rate on the $300.00 Three 1-on-1 coaching calls adds $2.82 to AOV.",
        "down1": "One more point of take rate on the $120.00 One coaching call adds $0.96 to AOV.",  # 80% see it
        "sleep-audio": (
            "One more point of take rate on the $29.00 Sleep wind-down audio series adds $0.29 to revenue per buyer."
        ),
    }


def test_a_step_no_buyer_meets_or_whose_answers_lead_alike_changes_nothing():
    # given a $0 upsell whose yes and no both lead to a $0.40 one, and a $50 one only a yes to a 0% offer reaches
    plan = funnel(
        offer("free", price="0"),
        offer("penny", price="0.40"),
        offer("calls"),
        offer("plus", price="50"),
        start="up1",
        steps=(
            step("up1", "free", yes="up2", no="up2", rate="0.5"),
            step("up2", "penny", no="up3", rate="0.5"),
            step("up3", "calls", yes="up4", rate="0"),
            step("up4", "plus", rate="0.5"),
        ),
    )
    sentences = {s.key: sensitivity_sentence(plan, s) for s in compute_metrics(plan).steps}
    assert sentences["up1"] == (
        "One more point of take rate on the $0.00 Free changes nothing in AOV: a yes and a no lead to the same amount."
    )
    assert sentences["up4"] == "One more point of take rate on the $50.00 Plus changes nothing: no buyer is shown it."


def test_a_point_worth_less_than_a_cent_is_said_so():
    plan = funnel(offer("penny", price="0.40"), start="up1", steps=(step("up1", "penny", rate="0.5"),))
    [penny] = compute_metrics(plan).steps
    assert sensitivity_sentence(plan, penny) == (
        "One more point of take rate on the $0.40 Penny adds less than $0.01 to AOV."
    )


# -- figures for people ---------------------------------------------------------------------------------------------


def test_a_difference_says_which_way_it_goes():
    assert signed_money(Decimal("14.4"), "USD") == "+$14.40"
    assert signed_money(Decimal("-3"), "USD") == "-$3.00"
    assert signed_money(Decimal("0"), "USD") == "$0.00"
    assert signed_money(Decimal("0.004"), "USD") == "$0.00"  # rounds to nothing: no sign
    assert times(1000, Fraction(1771, 10)) == Decimal("177100")


def classic_page(buyers: str | None = "1,000", comparing: CompareRequest | None = None) -> dict[str, object]:
    loaded = LoadedFunnel(Funnel(name="Calm course: classic", slug="classic"), [], demo_plan())
    others = [Funnel(name="Calm course: upgrade", slug="upgrade")]
    return forecast_context(
        loaded=loaded, buyers=read_buyers(buyers), others=others, comparing=comparing or CompareRequest()
    )


def test_the_classic_funnels_page_for_1000_buyers():
    page = classic_page()
    assert page["figures"] == {
        "aov": "$177.10",
        "revenue_per_buyer": "$178.55",
        "core_price": "$97.00",
        "uplift": "$80.10",
        "std": "$119.45",
        "min_order": "$97.00",
        "max_order": "$416.00",  # 97 + 19 + 300
    }
    projection = page["projection"]
    assert (projection.buyers, projection.revenue, projection.low, projection.high, projection.thank_you) == (
        "1,000",
        "$177,100.00",
        "$169,696.37",
        "$184,503.63",
        "$1,450.00",  # the sleep audio, 1,000 · 0.05 · 29, as separate orders
    )
    assert [(s.name, s.rates, s.aov, s.revenue_per_buyer, s.projected) for s in page["scenarios"]] == [
        ("conservative", "×0.5", "$137.95", "$138.68", "$137,950.00"),
        ("expected", "×1", "$177.10", "$178.55", "$177,100.00"),
        ("optimistic", "×1.5, at most 100%", "$214.45", "$216.63", "$214,450.00"),
    ]
    # ranked by what a point of take rate is worth
    assert [
        (s.rank, s.where, s.take_rate, s.reach, s.expected_revenue, s.per_point) for s in page["sensitivities"]
    ] == [
        (1, "After payment", "20%", "100%", "$60.00", "+$2.82"),
        (2, "After payment", "15%", "80%", "$14.40", "+$0.96"),
        (3, "Thank-you page", "5%", "100%", "$1.45", "+$0.29"),
        (4, "Checkout", "30%", "100%", "$5.70", "+$0.19"),
    ]
    assert page["percentiles"] == [
        ("p10", "$97.00"),
        ("p25", "$97.00"),
        ("p50 (median)", "$116.00"),
        ("p75", "$217.00"),
        ("p90", "$397.00"),
    ]
    assert [chart.name for chart in page["charts"]] == ["wide", "narrow"]
    assert [(c.value, c.label) for c in page["compare_choices"]] == [("upgrade", "Calm course: upgrade")]
    assert (page["uncomputable"], page["distribution_note"], page["comparison"], page["compare_problem"]) == (
        "",
        "",
        None,
        "",
    )


def test_without_a_number_of_buyers_there_is_no_projection_but_the_figures_stay():
    page = classic_page(buyers="lots")
    assert page["buyers"] == BuyersInput(entered="lots", value=None, error=BUYERS_ERROR)
    assert page["projection"] is None
    assert [s.projected for s in page["scenarios"]] == ["", "", ""]
    assert page["figures"]["aov"] == "$177.10"


def test_a_loop_gets_the_reason_and_no_figures():
    loaded = LoadedFunnel(Funnel(name="Round", slug="round"), [], loop())
    page = forecast_context(loaded=loaded, buyers=read_buyers(None), others=[], comparing=CompareRequest())
    assert page["uncomputable"] == LOOP_REASON
    assert "figures" not in page and "projection" not in page and "comparison" not in page


# -- the comparison -------------------------------------------------------------------------------------------------


def without_downsell() -> FunnelPlan:
    classic = demo_plan()
    return replace(classic, name="No downsell", steps=(replace(classic.step("up1"), on_decline=None),))


def test_the_downsell_is_worth_14_40_against_the_same_funnel_without_it():
    # the downsell: 80% decline the upsell, 15% of them take the $120 call: 0.8 · 0.15 · 120 = 14.40
    other = Funnel(name="Calm course: no downsell", slug="no-downsell")
    view = comparison_view(
        compare(without_downsell(), demo_plan()), this=demo_plan(), other=without_downsell(), other_funnel=other
    )
    assert view.summary == "This funnel's AOV is $14.40 higher than that of “Calm course: no downsell”."
    assert (view.other_name, view.other_editor_slug) == ("Calm course: no downsell", "no-downsell")
    assert (view.aov_this, view.aov_other, view.aov_difference) == ("$177.10", "$162.70", "+$14.40")
    assert (view.rpb_this, view.rpb_other, view.rpb_difference) == ("$178.55", "$164.15", "+$14.40")
    assert [(r.where, r.key, r.offer, r.note, r.this, r.other, r.difference) for r in view.rows] == [
        ("Checkout", "breath-cards", "Printable breathing cards", "", "$5.70", "$5.70", "$0.00"),
        ("After payment", "up1", "Three 1-on-1 coaching calls", "", "$60.00", "$60.00", "$0.00"),
        ("After payment", "down1", "One coaching call", "only here", "$14.40", "$0.00", "+$14.40"),
        ("Thank-you page", "sleep-audio", "Sleep wind-down audio series", "", "$1.45", "$1.45", "$0.00"),
    ]


def test_the_comparison_the_other_way_round_and_with_itself():
    classic, bare = demo_plan(), without_downsell()
    lower = comparison_view(compare(classic, bare), this=bare, other=classic, other_funnel=Funnel(name="Classic"))
    assert lower.summary == "This funnel's AOV is $14.40 lower than that of “Classic”."
    assert [(r.key, r.note, r.difference) for r in lower.rows if r.key == "down1"] == [
        ("down1", "only there", "-$14.40")
    ]
    same = comparison_view(compare(classic, classic), this=classic, other=classic, other_funnel=Funnel(name="Classic"))
    assert same.summary == "This funnel's AOV is the same as that of “Classic”, to the cent."


def test_a_comparison_that_cannot_be_made_says_why():
    euro = LoadedFunnel(Funnel(name="Euro", slug="euro"), [], replace(without_downsell(), currency="EUR"))
    page = classic_page(comparing=CompareRequest(slug="euro", other=euro))
    assert (page["comparison"], page["compare_problem"]) == (
        None,
        "“Euro” is priced in EUR and this funnel in USD, so their figures cannot be compared.",
    )
    looping = LoadedFunnel(Funnel(name="Loop", slug="loop"), [], loop())
    page = classic_page(comparing=CompareRequest(slug="loop", other=looping))
    assert page["compare_problem"] == f"“Loop” cannot be compared until its flow is fixed. {LOOP_REASON}"
    asked = CompareRequest(slug="gone", problem=NOT_IN_PRACTICE)
    assert classic_page(comparing=asked)["compare_problem"] == NOT_IN_PRACTICE
    with_itself = classic_page(comparing=CompareRequest(slug="classic", problem=SAME_FUNNEL))
    assert (with_itself["comparison"], with_itself["compare_problem"], with_itself["compare_slug"]) == (
        None,
        SAME_FUNNEL,
        "classic",
    )
