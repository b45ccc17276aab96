"""The fit checks (warnings), the order of findings, their wording, and the checks' cost on large flows."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from typing import Any

from funnels.domain.checks.findings import CODES, WORDING
from funnels.domain.checks.rules import Severity, check_funnel
from funnels.domain.plan import FunnelPlan, OfferSpec, Stage, Step, Thresholds
from offers.domain.copy.reader import false_urgency, guaranteed_outcome
from offers.domain.kinds import OfferKind
from tests.funnels.domain.plans import (
    Found,
    alongside,
    bump,
    core,
    cross,
    found,
    funnel,
    offer,
    only,
    step,
    thank_you,
)


def one_upsell(upsell: OfferSpec, rate: str | None = None, **parts: Any) -> FunnelPlan:
    return funnel(upsell, start="up1", steps=(step("up1", upsell.key, rate=rate),), **parts)


def chain(length: int, *, loop: bool = False, **parts: Any) -> FunnelPlan:
    """``length`` distinct $50 cross-sell steps, each leading to the next whatever the buyer answers."""
    keys = [f"s{i}" for i in range(length)]
    after = [*keys[1:], keys[0] if loop else None]
    steps = tuple(
        step(key, f"extra-{i}", yes=nxt, no=nxt) for i, (key, nxt) in enumerate(zip(keys, after, strict=True))
    )
    offers = tuple(cross(f"extra-{i}") for i in range(length))
    return funnel(*offers, start="s0", steps=steps, **parts)


UPSELL = offer("calls", name="Three Coaching Calls")
MASTERMIND = offer("mastermind", price="3000", name="Mastermind")


# --- price-jump -----------------------------------------------------------------------------------


def test_the_primers_300_upsell_after_a_97_course_is_not_a_price_jump() -> None:
    assert found(one_upsell(UPSELL)) == set()


def test_price_jump_fires_for_the_primers_3000_mastermind() -> None:
    # given the $97 course, then straight to a $3,000 mastermind (its take rate set modestly)
    plan = one_upsell(MASTERMIND, rate="0.05")
    # when
    [finding] = check_funnel(plan)
    # then
    assert (finding.code, finding.severity, finding.stage, finding.step) == (
        "price-jump",
        Severity.WARNING,
        Stage.POST_PURCHASE,
        "up1",
    )
    assert finding.message == (
        'The $3,000.00 "Mastermind" costs 30.9× the $97.00 "Calm Your Nervous System" bought just before it '
        "— a jump that can feel jarring and pushy."
    )


def test_price_jump_fires_just_above_five_times_and_not_at_five_times() -> None:
    at_five = one_upsell(offer("calls", price="485"), rate="0.05")
    above = one_upsell(offer("calls", price="485.01"), rate="0.05")
    assert found(at_five) == set()
    assert found(above) == {("price-jump", "up1")}


def test_price_jump_compares_with_the_cheapest_last_purchase_over_the_ways_in() -> None:
    # given a $1,400 step after the $300 upsell: 4.7x after its yes, but 14.4x the course after its no
    big = offer("intensive", price="1400", name="Intensive")
    after_yes = funnel(
        UPSELL,
        big,
        start="up1",
        steps=(step("up1", "calls", yes="up2"), step("up2", "intensive", rate="0.03")),
    )
    after_either = funnel(
        UPSELL,
        big,
        start="up1",
        steps=(step("up1", "calls", yes="up2", no="up2"), step("up2", "intensive", rate="0.03")),
    )
    # then
    assert found(after_yes) == set()
    [jump] = only(after_either, "price-jump")
    assert '14.4× the $97.00 "Calm Your Nervous System"' in jump.message


def test_price_jump_looks_past_a_free_offer_to_the_last_paid_one() -> None:
    freebie = cross("checklist", "0", name="Free Checklist")
    big = offer("intensive", price="1000", name="Intensive")
    steps = (step("c1", "checklist", yes="up1"), step("up1", "intensive", rate="0.03"))
    [jump] = only(funnel(freebie, big, start="c1", steps=steps), "price-jump")
    assert (jump.step, "10.3×" in jump.message, '"Calm Your Nervous System"' in jump.message) == (
        "up1",
        True,
        True,
    )


def test_price_jump_is_skipped_after_a_free_core_offer() -> None:
    assert found(one_upsell(UPSELL, core_offer=core("0"))) == set()


def test_price_jump_after_a_free_core_compares_with_the_first_paid_purchase() -> None:
    starter = offer("starter", price="50", name="Starter Call")
    big = offer("intensive", price="500", name="Intensive")
    steps = (step("up1", "starter", yes="up2"), step("up2", "intensive"))
    assert found(funnel(starter, big, core_offer=core("0"), start="up1", steps=steps)) == {("price-jump", "up2")}


def test_price_jump_at_the_checkout_compares_with_the_core_offer() -> None:
    pricey = cross("retreat", "600", name="Weekend Retreat")
    [jump] = check_funnel(funnel(pricey, checkout_cross_sells=(alongside("retreat"),)))
    assert (jump.code, jump.stage, jump.step) == ("price-jump", Stage.CHECKOUT, "retreat")
    assert '6.2× the $97.00 "Calm Your Nervous System" it is added to' in jump.message


def test_price_jump_on_the_thank_you_page_compares_with_every_way_there() -> None:
    # given a $1,000 thank-you cross-sell; buyers who declined the $300 upsell last paid $97
    retreat = cross("retreat", "1000")
    plan = funnel(
        UPSELL,
        retreat,
        start="up1",
        steps=(step("up1", "calls"),),
        thank_you_cross_sells=(thank_you("retreat"),),
    )
    # then
    [jump] = check_funnel(plan)
    assert (jump.code, jump.stage, jump.step, "10.3×" in jump.message) == (
        "price-jump",
        Stage.THANK_YOU,
        "retreat",
        True,
    )


def test_price_jump_on_the_thank_you_page_without_steps_compares_with_the_core() -> None:
    fine = funnel(cross("retreat", "400"), thank_you_cross_sells=(thank_you("retreat"),))
    jumpy = funnel(cross("retreat", "600"), thank_you_cross_sells=(thank_you("retreat"),))
    assert found(fine) == set()
    assert found(jumpy) == {("price-jump", "retreat")}


def test_price_jump_uses_the_practices_ratio() -> None:
    lenient = Thresholds(price_jump_ratio=Decimal("10"))
    assert found(one_upsell(offer("calls", price="970"), rate="0.05", thresholds=lenient)) == set()
    assert found(one_upsell(MASTERMIND, rate="0.05", thresholds=lenient)) == {("price-jump", "up1")}


# --- unrelated-offer ------------------------------------------------------------------------------


def test_unrelated_offer_fires_for_an_upsell_sharing_no_topic() -> None:
    tarot = offer("tarot", price="150", name="Tarot Reading", topics=("tarot",))
    [finding] = check_funnel(one_upsell(tarot))
    assert (finding.code, finding.step) == ("unrelated-offer", "up1")
    assert finding.message.startswith('"Tarot Reading" shares no topic with "Calm Your Nervous System"')


def test_a_topic_shared_with_an_offer_accepted_on_the_way_counts() -> None:
    calls = offer("calls", topics=("anxiety", "sleep"))
    kit = cross("sleep-kit", topics=("Sleep",))  # topics compare without regard to case
    after_yes = funnel(calls, kit, start="up1", steps=(step("up1", "calls", yes="c1"), step("c1", "sleep-kit")))
    after_no = funnel(calls, kit, start="up1", steps=(step("up1", "calls", no="c1"), step("c1", "sleep-kit")))
    assert found(after_yes) == set()
    assert found(after_no) == {("unrelated-offer", "c1")}


def test_unrelated_offer_is_skipped_when_either_side_has_no_topics() -> None:
    untagged = offer("calls", topics=())
    assert found(one_upsell(untagged)) == set()
    assert found(one_upsell(offer("calls", topics=("tarot",)), core_offer=core(topics=()))) == set()


def test_unrelated_offer_fires_for_bumps_and_cross_sells() -> None:
    candle = offer("candle", OfferKind.ORDER_BUMP, "20", topics=("home-decor",))
    tarot = cross("tarot", topics=("tarot",))
    plan = funnel(candle, tarot, bumps=(bump("candle"),), thank_you_cross_sells=(thank_you("tarot"),))
    assert found(plan) == {("unrelated-offer", "candle"), ("unrelated-offer", "tarot")}


def test_a_thank_you_cross_sell_related_to_an_accepted_step_is_related() -> None:
    calls = offer("calls", topics=("anxiety", "sleep"))
    kit = cross("sleep-kit", topics=("sleep",))
    plan = funnel(
        calls,
        kit,
        start="up1",
        steps=(step("up1", "calls"),),
        thank_you_cross_sells=(thank_you("sleep-kit"),),
    )
    assert found(plan) == set()


# --- bump-too-big ---------------------------------------------------------------------------------


def test_a_27_bump_on_a_97_course_is_fine_and_half_the_price_is_the_limit() -> None:
    small = funnel(offer("workbook", OfferKind.ORDER_BUMP, "27"), bumps=(bump("workbook"),))
    half = funnel(offer("workbook", OfferKind.ORDER_BUMP, "48.50"), bumps=(bump("workbook"),))
    assert found(small) == found(half) == set()


def test_bump_too_big_fires_above_half_the_core_price() -> None:
    big = offer("workbook", OfferKind.ORDER_BUMP, "60", name="Calm Workbook")
    [finding] = check_funnel(funnel(big, bumps=(bump("workbook"),)))
    assert (finding.code, finding.severity, finding.stage, finding.step) == (
        "bump-too-big",
        Severity.WARNING,
        Stage.CHECKOUT,
        "workbook",
    )
    assert "62% of the $97.00" in finding.message


def test_a_paid_bump_on_a_free_core_offer_is_not_too_big() -> None:
    # decision: a share of a free offer means nothing; a small paid add-on to a free start is common
    plan = funnel(offer("workbook", OfferKind.ORDER_BUMP, "27"), core_offer=core("0"), bumps=(bump("workbook"),))
    assert found(plan) == set()


def test_bump_too_big_uses_the_practices_share() -> None:
    plan = funnel(
        offer("workbook", OfferKind.ORDER_BUMP, "60"),
        bumps=(bump("workbook"),),
        thresholds=Thresholds(bump_max_share=Decimal("0.7")),
    )
    assert found(plan) == set()


# --- too-many-offers ------------------------------------------------------------------------------


def test_three_one_click_offers_in_a_row_are_fine() -> None:
    assert found(chain(3)) == set()


def test_too_many_offers_fires_at_the_fourth_step_only() -> None:
    assert found(chain(4)) == {("too-many-offers", "s3")}
    assert found(chain(6)) == {("too-many-offers", "s3")}


def test_too_many_offers_fires_where_some_path_first_exceeds_the_limit() -> None:
    # given s1 -> s2 -> s3 -> s4 after a yes, but s1 -> s4 after a no: s4 is 4th on one path
    offers = tuple(cross(f"x{i}") for i in range(1, 5))
    steps = (
        step("s1", "x1", yes="s2", no="s4"),
        step("s2", "x2", yes="s3", no="s3"),
        step("s3", "x3", yes="s4", no="s4"),
        step("s4", "x4"),
    )
    assert found(funnel(*offers, start="s1", steps=steps)) == {("too-many-offers", "s4")}


def test_too_many_offers_uses_the_practices_limit() -> None:
    assert found(chain(3, thresholds=Thresholds(max_one_click_offers=2))) == {("too-many-offers", "s2")}


# --- optimistic-take-rate -------------------------------------------------------------------------


def test_optimistic_take_rate_for_bumps_downsells_and_cross_sells() -> None:
    # given each kind at its typical high, and just above it
    def rates(bump_rate: str, down_rate: str, cross_rate: str) -> Found:
        steps = (step("up1", "calls", no="dn1"), step("dn1", "one-call", rate=down_rate))
        return found(
            funnel(
                UPSELL,
                offer("one-call", OfferKind.DOWNSELL, "120"),
                offer("workbook", OfferKind.ORDER_BUMP, "27"),
                cross("journal"),
                bumps=(bump("workbook", bump_rate),),
                start="up1",
                steps=steps,
                thank_you_cross_sells=(thank_you("journal", cross_rate),),
            )
        )

    # then
    assert rates("0.40", "0.20", "0.10") == set()
    assert rates("0.41", "0.21", "0.11") == {
        ("optimistic-take-rate", "workbook"),
        ("optimistic-take-rate", "dn1"),
        ("optimistic-take-rate", "journal"),
    }


def test_optimistic_take_rate_for_an_upsell_up_to_three_times_the_core() -> None:
    assert found(one_upsell(offer("calls", price="291"), rate="0.25")) == set()
    assert found(one_upsell(offer("calls", price="291"), rate="0.26")) == {("optimistic-take-rate", "up1")}


def test_optimistic_take_rate_for_an_upsell_five_times_the_core_or_more() -> None:
    assert found(one_upsell(offer("calls", price="485"), rate="0.10")) == set()
    assert found(one_upsell(offer("calls", price="485"), rate="0.11")) == {("optimistic-take-rate", "up1")}


def test_optimistic_take_rate_interpolates_between_three_and_five_times() -> None:
    # given an upsell at 4x the core: the typical high lies halfway, at 17.5%
    assert found(one_upsell(offer("calls", price="388"), rate="0.175")) == set()
    [finding] = check_funnel(one_upsell(offer("calls", price="388", name="Calls"), rate="0.18"))
    assert finding.message == (
        'The 18% take rate assumed for "Calls" is above the typical claimed 6.5–17.5% for an upsell priced '
        "at 4.0× the core offer, so the forecast may look rosier than the sales will be."
    )


def test_the_default_rate_of_a_very_dear_upsell_follows_its_price_and_is_not_called_optimistic() -> None:
    # given an upsell at 10x the core with no take rate set anywhere
    plan = one_upsell(offer("calls", price="970"), thresholds=Thresholds(price_jump_ratio=Decimal("20")))
    # then the rate in force is the 5% default of the 3-10% range for upsells priced 5x or more
    assert plan.take_rate(plan.steps[0]) == Decimal("0.05")
    assert found(plan) == set()


def test_the_default_rate_of_an_upsell_between_three_and_five_times_is_interpolated() -> None:
    # 4x the core: halfway between the 15% default and the 5% default
    plan = one_upsell(offer("calls", price="388"))
    assert plan.take_rate(plan.steps[0]) == Decimal("0.10")
    assert found(plan) == set()


def test_an_upsell_after_a_free_core_is_judged_by_the_usual_upsell_range() -> None:
    assert found(one_upsell(UPSELL, rate="0.25", core_offer=core("0"))) == set()


# --- order and wording ----------------------------------------------------------------------------


def messy() -> FunnelPlan:
    """A funnel with errors and warnings at every stage."""
    steps = (
        step("up1", "mastermind", yes="dn1", no="gone", rate="0.3"),
        step("dn1", "one-call", rate="0.5"),
        step("lost", "calls"),
    )
    return funnel(
        MASTERMIND,
        UPSELL,
        offer("one-call", OfferKind.DOWNSELL, "120", headline="Guaranteed results, last chance!"),
        offer("workbook", OfferKind.ORDER_BUMP, "90", topics=("tarot",)),
        bumps=(bump("workbook", "1.9"), bump("calls")),
        start="up1",
        steps=steps,
        thank_you_cross_sells=(thank_you("calls"), thank_you("ghost")),
    )


def test_errors_come_before_warnings_and_each_in_stage_order() -> None:
    # when
    findings = check_funnel(messy())
    severities = [f.severity for f in findings]
    # then
    assert Severity.ERROR in severities and Severity.WARNING in severities
    assert severities == sorted(severities, key=lambda s: s is Severity.WARNING)
    for severity in Severity:
        stages = [f.stage for f in findings if f.severity is severity]
        rank = [Stage.CHECKOUT, Stage.POST_PURCHASE, Stage.THANK_YOU]
        assert stages == sorted(stages, key=lambda s: rank.index(s) if s else -1)


def test_the_messy_funnel_reports_exactly_its_problems() -> None:
    assert found(messy()) == {
        ("upsell-before-purchase", "calls"),
        ("take-rate-out-of-range", "workbook"),
        ("bump-too-big", "workbook"),
        ("unrelated-offer", "workbook"),
        ("missing-step", "up1"),
        ("downsell-without-decline", "dn1"),
        ("unreachable-step", "lost"),
        ("price-jump", "up1"),
        ("optimistic-take-rate", "up1"),
        ("guaranteed-outcome", "dn1"),
        ("false-urgency", "dn1"),
        ("optimistic-take-rate", "dn1"),
        ("upsell-after-order", "calls"),
        ("duplicate-offer-on-path", "calls"),
        ("missing-offer", "ghost"),
    }


def test_the_order_is_deterministic_by_place_within_a_severity() -> None:
    findings = check_funnel(messy())
    assert findings == check_funnel(messy())
    errors = [(f.stage, f.step, f.code) for f in findings if f.is_error]
    assert errors == [
        (Stage.CHECKOUT, "workbook", "take-rate-out-of-range"),
        (Stage.CHECKOUT, "calls", "upsell-before-purchase"),
        (Stage.POST_PURCHASE, "up1", "missing-step"),
        (Stage.POST_PURCHASE, "dn1", "downsell-without-decline"),
        (Stage.POST_PURCHASE, "lost", "unreachable-step"),
        (Stage.THANK_YOU, "calls", "upsell-after-order"),
        (Stage.THANK_YOU, "calls", "duplicate-offer-on-path"),
        (Stage.THANK_YOU, "ghost", "missing-offer"),
    ]


def test_every_message_is_one_sentence_and_every_hint_a_plain_fix() -> None:
    for finding in check_funnel(messy()):
        assert finding.message.endswith(".") and finding.hint.endswith(".")
        assert re.search(r"[.!?]\s", finding.message[:-1]) is None, finding.message
        assert re.search(r"[.!?]\s", finding.hint[:-1]) is None, finding.hint
        assert guaranteed_outcome(finding.hint) is None and false_urgency(finding.hint) is None
        if finding.code not in ("guaranteed-outcome", "false-urgency"):  # those quote the coach's words
            assert guaranteed_outcome(finding.message) is None and false_urgency(finding.message) is None


def test_messages_name_the_offer_by_its_name() -> None:
    named = {f.code: f.message for f in check_funnel(messy())}
    assert '"Three Coaching Calls"' in named["upsell-before-purchase"]
    assert '"Workbook"' in named["bump-too-big"]
    assert '"One Call"' in named["downsell-without-decline"]
    assert '"Mastermind"' in named["missing-step"]


def test_every_code_has_a_wording_and_is_kebab_case() -> None:
    assert {code for code, _, _ in WORDING.values()} == set(CODES)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", code) for code in CODES)
    assert sum(severity is Severity.ERROR for severity in CODES.values()) == 19


# --- large flows ----------------------------------------------------------------------------------


def test_a_1000_step_chain_is_checked_quickly_without_recursion() -> None:
    # given a chain far deeper than Python's recursion limit
    plan = chain(1000)
    # when
    began = time.perf_counter()
    findings = check_funnel(plan)
    # then
    assert time.perf_counter() - began < 5
    assert {(f.code, f.step) for f in findings} == {("too-many-offers", "s3")}


def test_a_100_step_loop_is_reported_and_the_other_checks_still_speak() -> None:
    began = time.perf_counter()
    loop, *others = check_funnel(chain(100, loop=True))
    assert time.perf_counter() - began < 5
    assert (loop.code, loop.step) == ("cycle", "s0")
    assert loop.message.count("→") == 100
    # the loop switches off the figures, not the fit checks: they follow the edges up to the one closing it
    assert {(f.code, f.step) for f in others} == {("too-many-offers", "s3")}


def test_a_loop_keeps_the_price_jump_and_unrelated_offer_warnings() -> None:
    # given the $3,000 mastermind after the $97 course, sharing no topic with it, whose no leads back to it
    unrelated = offer("mastermind", price="3000", name="Mastermind", topics=("golf",))
    plan = funnel(unrelated, start="up1", steps=(step("up1", "mastermind", yes=None, no="up1"),))
    # when
    codes = {f.code for f in check_funnel(plan)}
    # then
    assert {"cycle", "price-jump", "unrelated-offer"} <= codes


def test_a_ladder_with_exponentially_many_paths_is_checked_quickly() -> None:
    # given 50 rungs of two steps, each answer leading to either step of the next rung: 2**49 paths
    rungs = 50
    steps: list[Step] = []
    for rung in range(rungs):
        yes, no = (f"a{rung + 1}", f"b{rung + 1}") if rung + 1 < rungs else (None, None)
        steps.append(step(f"a{rung}", f"xa{rung}", yes=yes, no=no))
        if rung:  # the first rung has one step, the start
            steps.append(step(f"b{rung}", f"xb{rung}", yes=no, no=yes))
    offers = tuple(cross(f"x{side}{rung}") for rung in range(rungs) for side in "ab")
    plan = funnel(*offers, start="a0", steps=tuple(steps))
    # when
    began = time.perf_counter()
    findings = check_funnel(plan)
    # then
    assert time.perf_counter() - began < 5
    assert {(f.code, f.step) for f in findings} == {("too-many-offers", "a3"), ("too-many-offers", "b3")}
