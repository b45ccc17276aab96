"""The diff of two versions, without a database: every kind of change in the product's words, the findings gained
and lost, and the figures before and after (the same exact engine as ``funnel aov``)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from funnels.domain.diff import ChangeKind, diff_plans
from funnels.domain.metrics import compute_metrics
from funnels.domain.plan import Stage
from offers.domain.kinds import OfferKind
from tests.funnels.domain.plans import bump, funnel, offer, step, thank_you

CALLS = offer("three-calls", price="300", name="Three 1-on-1 coaching calls")
CALL = offer("one-call", OfferKind.DOWNSELL, "120", name="One coaching call")
CARDS = offer("breath-cards", OfferKind.ORDER_BUMP, "19", name="Printable breathing cards")
AUDIO = offer("sleep-audio", OfferKind.CROSS_SELL, "29", name="Sleep wind-down audio series")
BIG = offer("mastermind", price="3000", name="Calm Leaders Mastermind")

PRIMER = funnel(
    CALLS,
    CALL,
    start="up1",
    steps=(step("up1", "three-calls", no="down1", rate="0.2"), step("down1", "one-call", rate="0.15")),
)


def texts(diff, kind: ChangeKind) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.text for c in diff.of_kind(kind)]


def test_the_same_plan_has_no_changes_and_equal_figures():
    diff = diff_plans(PRIMER, PRIMER)
    assert diff.changes == () and diff.findings_gained == () and diff.findings_lost == ()
    assert diff.aov_before == diff.aov_after == Decimal("171.4") and diff.aov_difference == 0
    assert all(s.difference == 0 for s in diff.steps)


def test_a_take_rate_change_is_said_with_the_offers_name_and_moves_the_aov():
    after = PRIMER.with_take_rates({"up1": Decimal("0.25")})
    diff = diff_plans(PRIMER, after)
    assert texts(diff, ChangeKind.TAKE_RATE) == ["take rate of Three 1-on-1 coaching calls 20% → 25%"]
    assert diff.aov_before == compute_metrics(PRIMER).aov and diff.aov_after == compute_metrics(after).aov
    revenue = {s.key: s for s in diff.steps}
    assert revenue["up1"].before == Decimal("60") and revenue["up1"].after == Decimal("75")
    assert revenue["down1"].difference == Decimal("13.5") - Decimal("14.4")


def test_a_rate_left_to_the_default_says_which_default():
    after = replace(PRIMER, steps=(replace(PRIMER.steps[0], take_rate=None), PRIMER.steps[1]))
    assert texts(diff_plans(PRIMER, after), ChangeKind.TAKE_RATE) == [
        # $300 is 3.1× the $97 core: the typical default has begun to fall from 15%
        "take rate of Three 1-on-1 coaching calls 20% → the default (14.5%)"
    ]


def test_steps_added_and_removed_in_every_place():
    after = replace(
        PRIMER,
        offers=(*PRIMER.offers, CARDS, AUDIO),
        bumps=(bump("breath-cards", "0.3"),),
        thank_you_cross_sells=(thank_you("sleep-audio"),),
    )
    diff = diff_plans(PRIMER, after)
    assert texts(diff, ChangeKind.ADDED) == [
        "added Printable breathing cards as an order bump at the checkout at a take rate of 30%",
        "added Sleep wind-down audio series on the thank-you page at a take rate of the default (5%)",
    ]
    back = diff_plans(after, PRIMER)
    assert texts(back, ChangeKind.REMOVED) == [
        "removed Printable breathing cards as an order bump at the checkout",
        "removed Sleep wind-down audio series on the thank-you page",
    ]
    assert back.revenue_per_buyer_after == compute_metrics(PRIMER).revenue_per_buyer


def test_a_removed_one_click_step_and_its_re_pointed_edge():
    after = replace(PRIMER, steps=(replace(PRIMER.steps[0], on_decline=None),))
    diff = diff_plans(PRIMER, after)
    assert texts(diff, ChangeKind.REMOVED) == ["removed One coaching call after payment"]
    assert texts(diff, ChangeKind.REPOINTED) == [
        "decline of Three 1-on-1 coaching calls: One coaching call → the thank-you page"
    ]
    assert {s.key: s.after for s in diff.steps}["down1"] == 0


def test_a_new_start_and_an_edge_pointed_elsewhere():
    after = replace(
        PRIMER,
        start="down1",
        steps=(replace(PRIMER.steps[0], on_decline=None), replace(PRIMER.steps[1], on_accept="up1")),
    )
    diff = diff_plans(PRIMER, after)
    assert texts(diff, ChangeKind.START) == [
        "first offer after payment Three 1-on-1 coaching calls → One coaching call"
    ]
    assert "accept of One coaching call: the thank-you page → Three 1-on-1 coaching calls" in texts(
        diff, ChangeKind.REPOINTED
    )


def test_prices_kinds_names_and_upgrades_that_changed_in_the_catalog():
    dearer = replace(
        CALLS, price=Decimal("350"), name="Three coaching calls", kind=OfferKind.CROSS_SELL, replaces="calm"
    )
    after = replace(PRIMER, offers=(PRIMER.offers[0], dearer, CALL))
    diff = diff_plans(PRIMER, after)
    assert texts(diff, ChangeKind.PRICE) == ["price of Three coaching calls $300.00 → $350.00"]
    assert texts(diff, ChangeKind.KIND) == ["kind of Three coaching calls Upsell → Cross-sell"]
    assert texts(diff, ChangeKind.OFFER_NAME) == ["offer name Three 1-on-1 coaching calls → Three coaching calls"]
    assert texts(diff, ChangeKind.UPGRADE) == ["what Three coaching calls upgrades nothing → Calm Your Nervous System"]


def test_another_offer_in_the_same_step_and_a_renamed_funnel():
    after = replace(
        PRIMER,
        name="Calm, bolder",
        offers=(*PRIMER.offers, BIG),
        steps=(replace(PRIMER.steps[0], offer="mastermind"), PRIMER.steps[1]),
    )
    diff = diff_plans(PRIMER, after)
    assert texts(diff, ChangeKind.OFFER) == [
        "offer shown after payment Three 1-on-1 coaching calls → Calm Leaders Mastermind"
    ]
    assert texts(diff, ChangeKind.NAME) == ["name Calm funnel → Calm, bolder"]
    gained = {f.code for f in diff.findings_gained}
    assert "price-jump" in gained and "optimistic-take-rate" in gained
    assert diff_plans(after, PRIMER).findings_lost == diff.findings_gained


def test_a_new_order_of_the_same_steps():
    after = replace(PRIMER, steps=tuple(reversed(PRIMER.steps)))
    assert texts(diff_plans(PRIMER, after), ChangeKind.ORDER) == [
        "new order after payment: One coaching call, Three 1-on-1 coaching calls"
    ]


def test_a_version_whose_flow_loops_has_no_figures_and_says_why():
    looped = replace(PRIMER, steps=(PRIMER.steps[0], replace(PRIMER.steps[1], on_decline="up1")))
    diff = diff_plans(PRIMER, looped)
    assert diff.aov_after is None and diff.aov_difference is None and "loops" in (diff.problem_after or "")
    assert diff.steps == ()
    assert "cycle" in {f.code for f in diff.findings_gained}


def test_steps_keep_their_place_and_stage():
    after = replace(PRIMER, offers=(*PRIMER.offers, CARDS), bumps=(bump("breath-cards", "0.3"),))
    rows = diff_plans(PRIMER, after).steps
    assert [(r.stage, r.key) for r in rows] == [
        (Stage.POST_PURCHASE, "up1"),
        (Stage.POST_PURCHASE, "down1"),
        (Stage.CHECKOUT, "breath-cards"),
    ]
    assert rows[-1].before == 0 and rows[-1].after == Decimal("5.7")
