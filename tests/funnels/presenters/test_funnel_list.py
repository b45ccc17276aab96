"""One row of the funnel list (funnels.presenters.funnel_list), built from a plan without a database: the AOV as
text, the core offer's price, the findings counted, and a plain reason when the figures cannot be worked out."""

from __future__ import annotations

from decimal import Decimal

from funnels.domain.plan import FunnelPlan
from funnels.models import Funnel
from funnels.presenters.funnel_list import funnel_summaries, summarise
from funnels.selectors import LoadedFunnel
from offers.domain.kinds import OfferKind
from tests.funnels.demo_plans import FIRST_DRAFT, demo_plan
from tests.funnels.domain.plans import funnel, offer, step


def primer() -> FunnelPlan:
    """The $97 course, then the $300 three-call upsell taken by 20%."""
    return funnel(
        offer("calls", name="Three 1-on-1 coaching calls"), start="up1", steps=(step("up1", "calls", rate="0.2"),)
    )


def loop() -> FunnelPlan:
    calls, call = offer("calls"), offer("call", OfferKind.DOWNSELL, "120")
    return funnel(
        calls,
        call,
        start="up1",
        steps=(step("up1", "calls", no="down1", rate="0.2"), step("down1", "call", no="up1", rate="0.15")),
    )


def test_the_primers_row_shows_157_dollars_and_no_findings() -> None:
    # given the primer's example: AOV = 97 + 0.2·300
    row = summarise(Funnel(name="Calm"), primer(), step_count=1)
    assert row.aov == Decimal("157")
    assert (row.aov_text, row.core_price, row.aov_problem) == ("$157.00", "$97.00", None)
    assert (row.step_count, row.error_count, row.warning_count, row.findings) == (1, 0, 0, ())
    assert row.core_offer is not None and row.core_offer.name == "Calm Your Nervous System"


def test_the_classic_and_first_draft_demo_funnels_rows() -> None:
    classic = summarise(Funnel(name="Classic"), demo_plan(), step_count=4)
    assert (classic.aov_text, classic.error_count, classic.warning_count) == ("$177.10", 0, 0)
    draft = summarise(Funnel(name="Draft"), demo_plan(FIRST_DRAFT), step_count=4)
    # 97 + 0.3·79 + 0.1·300 + 0.15·120 + 0.3·3000 (both answers to the single call lead to the mastermind)
    assert (draft.aov_text, draft.error_count, draft.warning_count) == ("$1,068.70", 2, 6)


def test_a_loop_has_no_aov_but_says_why() -> None:
    row = summarise(Funnel(name="Round and round"), loop(), step_count=2)
    assert (row.aov, row.aov_text, row.core_price) == (None, "—", "$97.00")
    assert row.aov_problem == (
        "The post-purchase flow loops (up1 → down1 → up1), so a buyer could be offered the same steps forever; "
        "every path must end at the thank-you page before the figures can be worked out."
    )
    assert (row.error_count, row.warning_count) == (1, 0)
    assert [f.code for f in row.findings] == ["cycle"]


def test_a_funnel_without_a_core_offer_in_its_plan_shows_no_core_price() -> None:
    plan = FunnelPlan("Empty", "USD", (), None)
    row = summarise(Funnel(name="Empty"), plan, step_count=0)
    assert (row.core_offer, row.core_price) == (None, "")


def test_the_summaries_keep_the_order_given_and_count_the_loaded_steps() -> None:
    first, second = Funnel(name="B", slug="b"), Funnel(name="A", slug="a")
    rows = funnel_summaries([LoadedFunnel(first, [], primer()), LoadedFunnel(second, [], loop())])
    assert [(r.funnel.slug, r.aov_text, r.step_count) for r in rows] == [("b", "$157.00", 0), ("a", "—", 0)]
