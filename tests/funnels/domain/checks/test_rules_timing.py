"""The timing and structure checks (errors): each rule fires on one funnel and stays quiet on a close one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnels.domain.checks.rules import Severity, check_funnel
from funnels.domain.plan import FunnelPlan, Placement, Slot, Stage
from offers.domain.kinds import OfferKind
from tests.funnels.domain.plans import (
    CORE,
    alongside,
    bump,
    core,
    found,
    funnel,
    offer,
    only,
    step,
    thank_you,
)

UPSELL = offer("calls", name="Three Coaching Calls")  # the primer's $300 upsell
DOWNSELL = offer("one-call", OfferKind.DOWNSELL, "120", name="One Coaching Call")
BUMP = offer("workbook", OfferKind.ORDER_BUMP, "27", name="Calm Workbook")
CROSS = offer("journal", OfferKind.CROSS_SELL, "40", name="Sleep Journal")


def primer(**parts: Any) -> FunnelPlan:
    """$97 course, then the $300 three-call upsell; declining it leads to the $120 single call."""
    steps = (step("up1", "calls", no="dn1"), step("dn1", "one-call"))
    return funnel(UPSELL, DOWNSELL, BUMP, CROSS, start="up1", steps=steps, **parts)


# --- a sound funnel -------------------------------------------------------------------------------


def test_the_primers_funnel_has_no_findings() -> None:
    # given the primer's course, upsell, downsell, a bump and a cross-sell, each where it belongs
    plan = primer(bumps=(bump("workbook"),), thank_you_cross_sells=(thank_you("journal"),))
    # when / then
    assert check_funnel(plan) == ()


def test_a_funnel_with_only_a_core_offer_has_no_findings() -> None:
    assert check_funnel(funnel()) == ()


# --- the core offer -------------------------------------------------------------------------------


def test_core_not_core_fires_when_the_checkouts_offer_is_an_upsell() -> None:
    # given a checkout whose core is an upsell
    plan = funnel(core_offer=offer(CORE, OfferKind.UPSELL, "97"))
    # when
    findings = check_funnel(plan)
    # then
    assert {(f.code, f.stage, f.step, f.severity) for f in findings} == {
        ("core-not-core", Stage.CHECKOUT, CORE, Severity.ERROR)
    }


def test_missing_offer_for_the_core_is_reported_once_and_nothing_else_about_it() -> None:
    plan = FunnelPlan("f", "USD", (UPSELL,), "nope", start="up1", steps=(step("up1", "calls"),))
    [finding] = check_funnel(plan)
    assert (finding.code, finding.stage, finding.step) == ("missing-offer", Stage.CHECKOUT, "nope")
    assert finding.message == "The checkout's core offer \"nope\" is not among this funnel's offers."


def test_missing_offer_on_a_step_is_reported_once_for_that_step() -> None:
    # given a step naming an offer the catalog lacks (its other checks are skipped)
    plan = funnel(start="up1", steps=(step("up1", "ghost", rate="5"),))
    # then
    [finding] = check_funnel(plan)
    assert (finding.code, finding.stage, finding.step) == ("missing-offer", Stage.POST_PURCHASE, "up1")
    assert '"ghost"' in finding.message


def test_missing_offer_on_each_placement() -> None:
    plan = funnel(bumps=(bump("x"),), checkout_cross_sells=(alongside("y"),), thank_you_cross_sells=(thank_you("z"),))
    assert found(plan) == {("missing-offer", "x"), ("missing-offer", "y"), ("missing-offer", "z")}


def test_core_misplaced_when_a_core_offer_is_a_one_click_step() -> None:
    sleep = offer("sleep-course", OfferKind.CORE, "97", name="Sleep Course")
    assert found(funnel(sleep, start="s1", steps=(step("s1", "sleep-course"),))) == {("core-misplaced", "s1")}


def test_the_core_offer_repeated_as_a_bump_is_misplaced_and_a_duplicate() -> None:
    assert found(funnel(bumps=(bump(CORE),))) == {("core-misplaced", CORE), ("duplicate-offer-on-path", CORE)}


# --- bumps, upsells, cross-sells: timing ----------------------------------------------------------


def test_bump_after_payment_fires_for_a_bump_as_a_step_and_on_the_thank_you_page() -> None:
    after = funnel(BUMP, start="s1", steps=(step("s1", "workbook"),))
    thanks = funnel(BUMP, thank_you_cross_sells=(thank_you("workbook"),))
    assert found(after) == {("bump-after-payment", "s1")}
    assert found(thanks) == {("bump-after-payment", "workbook")}  # not also misplaced-offer
    assert only(thanks, "bump-after-payment")[0].stage is Stage.THANK_YOU


def test_a_bump_at_the_checkout_is_fine() -> None:
    assert found(funnel(BUMP, bumps=(bump("workbook"),))) == set()


def test_upsell_before_purchase_fires_for_an_upsell_as_a_bump_or_checkout_cross_sell() -> None:
    as_bump = funnel(UPSELL, bumps=(bump("calls"),))
    as_cross_sell = funnel(UPSELL, checkout_cross_sells=(alongside("calls"),))
    assert found(as_bump) == {("upsell-before-purchase", "calls")}
    assert found(as_cross_sell) == {("upsell-before-purchase", "calls")}


def test_upsell_after_order_fires_on_the_thank_you_page() -> None:
    plan = funnel(UPSELL, thank_you_cross_sells=(thank_you("calls"),))
    assert {(f.code, f.stage) for f in check_funnel(plan)} == {("upsell-after-order", Stage.THANK_YOU)}


def test_an_upsell_after_payment_is_fine() -> None:
    assert found(funnel(UPSELL, start="up1", steps=(step("up1", "calls"),))) == set()


def test_misplaced_offer_fires_for_a_cross_sell_as_a_bump_and_a_bump_as_a_cross_sell() -> None:
    cheap_cross = offer("journal", OfferKind.CROSS_SELL, "20")
    assert found(funnel(cheap_cross, bumps=(bump("journal"),))) == {("misplaced-offer", "journal")}
    assert found(funnel(BUMP, checkout_cross_sells=(alongside("workbook"),))) == {("misplaced-offer", "workbook")}


def test_cross_sells_stand_alongside_after_payment_and_on_the_thank_you_page() -> None:
    plan = funnel(
        CROSS,
        offer("diary", OfferKind.CROSS_SELL, "30"),
        offer("cards", OfferKind.CROSS_SELL, "15"),
        checkout_cross_sells=(alongside("journal"),),
        start="c1",
        steps=(step("c1", "diary"),),
        thank_you_cross_sells=(thank_you("cards"),),
    )
    assert found(plan) == set()


# --- downsells ------------------------------------------------------------------------------------


def test_downsell_after_an_upsells_decline_is_fine() -> None:
    assert found(primer()) == set()


def test_a_downsell_that_two_upsells_decline_into_is_fine() -> None:
    # given up1 -> (yes) up2; both upsells' decline choices lead to the downsell
    group = offer("group", price="200", name="Group Coaching")
    steps = (
        step("up1", "calls", yes="up2", no="dn1"),
        step("up2", "group", no="dn1"),
        step("dn1", "one-call"),
    )
    plan = funnel(UPSELL, group, DOWNSELL, start="up1", steps=steps)
    # then
    assert found(plan) == set()


def test_downsell_without_decline_fires_when_the_funnel_starts_with_it() -> None:
    plan = funnel(DOWNSELL, start="dn1", steps=(step("dn1", "one-call"),))
    assert found(plan) == {("downsell-without-decline", "dn1")}


def test_downsell_without_decline_fires_after_an_upsells_accept() -> None:
    plan = funnel(UPSELL, DOWNSELL, start="up1", steps=(step("up1", "calls", yes="dn1"), step("dn1", "one-call")))
    assert found(plan) == {("downsell-without-decline", "dn1")}


def test_downsell_without_decline_fires_when_one_of_two_ways_in_is_not_a_decline() -> None:
    # given dn1 is reached from the upsell's decline, and also from a cross-sell step's accept
    diary = offer("diary", OfferKind.CROSS_SELL, "30")
    steps = (
        step("up1", "calls", yes="c1", no="dn1"),
        step("c1", "diary", yes="dn1"),
        step("dn1", "one-call"),
    )
    plan = funnel(UPSELL, DOWNSELL, diary, start="up1", steps=steps)
    # then
    assert found(plan) == {("downsell-without-decline", "dn1")}


def test_downsell_without_decline_fires_after_a_cross_sells_decline() -> None:
    diary = offer("diary", OfferKind.CROSS_SELL, "30")
    plan = funnel(diary, DOWNSELL, start="c1", steps=(step("c1", "diary", no="dn1"), step("dn1", "one-call")))
    assert found(plan) == {("downsell-without-decline", "dn1")}


def test_downsell_without_decline_fires_at_the_checkout_and_on_the_thank_you_page() -> None:
    at_checkout = funnel(DOWNSELL, checkout_cross_sells=(alongside("one-call"),))
    on_thanks = funnel(DOWNSELL, thank_you_cross_sells=(thank_you("one-call"),))
    as_bump = funnel(DOWNSELL, bumps=(bump("one-call"),))
    assert found(at_checkout) == {("downsell-without-decline", "one-call")}
    assert found(on_thanks) == {("downsell-without-decline", "one-call")}
    assert found(as_bump) == {("downsell-without-decline", "one-call")}


def test_downsell_not_smaller_fires_when_it_costs_as_much_as_the_upsell() -> None:
    # given the primer's $300 upsell followed on decline by a $300 "downsell"
    same = offer("one-call", OfferKind.DOWNSELL, "300", name="One Coaching Call")
    plan = funnel(UPSELL, same, start="up1", steps=(step("up1", "calls", no="dn1"), step("dn1", "one-call")))
    # when
    [finding] = check_funnel(plan)
    # then
    assert (finding.code, finding.step, finding.severity) == ("downsell-not-smaller", "dn1", Severity.ERROR)
    assert "$300.00" in finding.message and '"Three Coaching Calls"' in finding.message


def test_downsell_not_smaller_fires_when_it_costs_more() -> None:
    dearer = offer("one-call", OfferKind.DOWNSELL, "350")
    plan = funnel(UPSELL, dearer, start="up1", steps=(step("up1", "calls", no="dn1"), step("dn1", "one-call")))
    assert found(plan) == {("downsell-not-smaller", "dn1")}


def test_a_120_downsell_after_a_300_upsell_is_smaller() -> None:
    assert only(primer(), "downsell-not-smaller") == []


# --- the shape of the flow ------------------------------------------------------------------------


def test_cycle_names_the_loop_and_the_first_step() -> None:
    # given the downsell's accept leads back to the upsell
    plan = funnel(
        UPSELL,
        DOWNSELL,
        start="up1",
        steps=(step("up1", "calls", no="dn1"), step("dn1", "one-call", yes="up1")),
    )
    # when
    [finding] = check_funnel(plan)
    # then
    assert (finding.code, finding.step, finding.stage) == ("cycle", "up1", Stage.POST_PURCHASE)
    assert "up1 → dn1 → up1" in finding.message


def test_a_step_pointing_to_itself_is_a_cycle() -> None:
    plan = funnel(UPSELL, start="up1", steps=(step("up1", "calls", no="up1"),))
    assert found(plan) == {("cycle", "up1")}


def test_unreachable_step_is_reported_for_each() -> None:
    plan = funnel(
        UPSELL, CROSS, start="up1", steps=(step("up1", "calls"), step("c1", "journal"), step("c2", "journal"))
    )
    assert found(plan) == {("unreachable-step", "c1"), ("unreachable-step", "c2")}


def test_missing_step_names_the_edge_and_its_target() -> None:
    plan = funnel(UPSELL, start="up1", steps=(step("up1", "calls", no="dwn1"),))
    [finding] = check_funnel(plan)
    assert (finding.code, finding.step) == ("missing-step", "up1")
    assert (
        finding.message
    ) == 'The decline choice of "up1" ("Three Coaching Calls") leads to "dwn1", which does not exist.'


def test_missing_step_at_the_start_concerns_no_step() -> None:
    plan = funnel(UPSELL, start="nowhere", steps=(step("up1", "calls"),))
    assert found(plan) == {("missing-step", None), ("unreachable-step", "up1")}


# --- the same offer twice -------------------------------------------------------------------------


def test_duplicate_offer_on_path_fires_when_a_decline_leads_to_the_same_offer() -> None:
    plan = funnel(UPSELL, start="up1", steps=(step("up1", "calls", no="up1-again"), step("up1-again", "calls")))
    assert found(plan) == {("duplicate-offer-on-path", "up1-again")}


def test_the_same_offer_on_two_branches_is_not_on_one_path() -> None:
    diary = offer("diary", OfferKind.CROSS_SELL, "30")
    steps = (step("up1", "calls", yes="c-yes", no="c-no"), step("c-yes", "diary"), step("c-no", "diary"))
    assert found(funnel(UPSELL, diary, start="up1", steps=steps)) == set()


def test_duplicate_offer_on_path_fires_where_two_branches_meet_again() -> None:
    # given a diamond up1 -> (c-yes | c-no) -> again, where "again" repeats up1's offer
    diary, cards = offer("diary", OfferKind.CROSS_SELL, "80"), offer("cards", OfferKind.CROSS_SELL, "80")
    steps = (
        step("up1", "calls", yes="c-yes", no="c-no"),
        step("c-yes", "diary", yes="again", no="again"),
        step("c-no", "cards", yes="again", no="again"),
        step("again", "calls"),
    )
    plan = funnel(UPSELL, diary, cards, start="up1", steps=steps)
    # then
    assert found(plan) == {("duplicate-offer-on-path", "again")}


def test_duplicate_offer_on_path_fires_for_a_checkout_offer_repeated_after_payment() -> None:
    plan = funnel(CROSS, checkout_cross_sells=(alongside("journal"),), start="c1", steps=(step("c1", "journal"),))
    assert found(plan) == {("duplicate-offer-on-path", "c1")}


def test_duplicate_offer_on_path_fires_for_the_same_offer_twice_at_the_checkout() -> None:
    plan = funnel(BUMP, bumps=(bump("workbook"), Placement("workbook-2", "workbook", Slot.BUMP, Stage.CHECKOUT)))
    assert found(plan) == {("duplicate-offer-on-path", "workbook-2")}


def test_duplicate_offer_on_path_fires_for_twice_on_the_thank_you_page() -> None:
    twice = (thank_you("journal"), Placement("journal-2", "journal", Slot.CROSS_SELL, Stage.THANK_YOU))
    assert found(funnel(CROSS, thank_you_cross_sells=twice)) == {("duplicate-offer-on-path", "journal-2")}


def test_duplicate_offer_on_path_fires_for_a_thank_you_cross_sell_already_offered() -> None:
    at_checkout = funnel(
        CROSS, checkout_cross_sells=(alongside("journal"),), thank_you_cross_sells=(thank_you("journal"),)
    )
    after_payment = funnel(
        CROSS, start="c1", steps=(step("c1", "journal"),), thank_you_cross_sells=(thank_you("journal"),)
    )
    assert found(at_checkout) == {("duplicate-offer-on-path", "journal")}
    assert found(after_payment) == {("duplicate-offer-on-path", "journal")}
    assert only(after_payment, "duplicate-offer-on-path")[0].stage is Stage.THANK_YOU


def test_an_offer_only_on_an_unreachable_step_is_no_duplicate_on_the_thank_you_page() -> None:
    plan = funnel(CROSS, steps=(step("c1", "journal"),), thank_you_cross_sells=(thank_you("journal"),))
    assert found(plan) == {("unreachable-step", "c1")}


# --- upgrades -------------------------------------------------------------------------------------


def test_an_upgrade_of_the_core_offer_that_costs_more_is_fine() -> None:
    deluxe = offer("deluxe", price="250", replaces=CORE, name="Calm Deluxe")
    assert found(funnel(deluxe, start="up1", steps=(step("up1", "deluxe"),))) == set()


def test_upgrade_not_bigger_fires_when_the_upgrade_costs_less_or_the_same() -> None:
    cheaper = offer("deluxe", price="90", replaces=CORE)
    same = offer("deluxe", price="97", replaces=CORE)
    assert found(funnel(cheaper, start="up1", steps=(step("up1", "deluxe"),))) == {("upgrade-not-bigger", "up1")}
    assert found(funnel(same, start="up1", steps=(step("up1", "deluxe"),))) == {("upgrade-not-bigger", "up1")}


def test_missing_offer_when_an_upgrade_replaces_an_unknown_offer() -> None:
    ghostly = offer("deluxe", price="250", replaces="ghost")
    [finding] = check_funnel(funnel(ghostly, start="up1", steps=(step("up1", "deluxe"),)))
    assert (finding.code, finding.step) == ("missing-offer", "up1")
    assert '"ghost"' in finding.message


def test_upgrade_without_original_fires_for_an_upsell_replacing_a_bump() -> None:
    # given bumps are independent yes/no choices, so no later step can count on one
    bigger = offer("workbook-plus", price="60", replaces="workbook", topics=("anxiety",))
    plan = funnel(BUMP, bigger, bumps=(bump("workbook"),), start="up1", steps=(step("up1", "workbook-plus"),))
    # then
    assert found(plan) == {("upgrade-without-original", "up1")}


def test_upgrade_without_original_fires_after_the_original_was_declined() -> None:
    vip = offer("vip", price="450", replaces="calls", name="VIP Calls")
    steps = (step("up1", "calls", yes="up2", no="up2"), step("up2", "vip", rate="0.1"))
    assert found(funnel(UPSELL, vip, start="up1", steps=steps)) == {("upgrade-without-original", "up2")}


def test_an_upgrade_shown_only_after_the_original_was_accepted_is_fine() -> None:
    vip = offer("vip", price="450", replaces="calls", name="VIP Calls")
    steps = (step("up1", "calls", yes="up2"), step("up2", "vip", rate="0.1"))
    assert found(funnel(UPSELL, vip, start="up1", steps=steps)) == set()


def test_upgrade_without_original_fires_for_a_bump_replacing_another_bump() -> None:
    plus = offer("workbook-plus", OfferKind.ORDER_BUMP, "40", replaces="workbook")
    plan = funnel(BUMP, plus, bumps=(bump("workbook"), bump("workbook-plus")))
    assert found(plan) == {("upgrade-without-original", "workbook-plus")}


def test_upgrade_without_original_fires_for_a_core_offer_replacing_anything() -> None:
    plan = funnel(BUMP, core_offer=core(replaces="workbook"))
    assert found(plan) == {("upgrade-without-original", CORE)}


# --- practice, currency, decline choice, take rates ----------------------------------------------


def test_foreign_offer_fires_when_the_offer_belongs_to_another_practice() -> None:
    theirs = offer("calls", practice="someone-else")
    plan = funnel(theirs, start="up1", steps=(step("up1", "calls"),), practice="mine")
    assert found(plan) == {("foreign-offer", "up1")}


def test_foreign_offer_is_quiet_when_either_practice_is_unknown_or_they_match() -> None:
    unknown_offer = funnel(UPSELL, start="up1", steps=(step("up1", "calls"),), practice="mine")
    unknown_plan = funnel(offer("calls", practice="other"), start="up1", steps=(step("up1", "calls"),))
    same = funnel(offer("calls", practice="mine"), start="up1", steps=(step("up1", "calls"),), practice="mine")
    assert found(unknown_offer) == found(unknown_plan) == found(same) == set()


def test_currency_mismatch_fires_for_an_offer_in_another_currency() -> None:
    euros = offer("calls", currency="EUR")
    assert found(funnel(euros, start="up1", steps=(step("up1", "calls"),))) == {("currency-mismatch", "up1")}
    assert found(funnel(core_offer=core(currency="GBP"))) == {("currency-mismatch", CORE)}


def test_no_decline_choice_fires_for_a_blank_decline_label() -> None:
    silent = offer("calls", decline_label="   ")
    assert found(funnel(silent, start="up1", steps=(step("up1", "calls"),))) == {
        ("no-decline-choice", "up1"),
        ("hidden-decline", "up1"),  # the error says there is no choice; the copy check says the button says nothing
    }


def test_a_blank_decline_label_off_the_one_click_steps_is_not_a_missing_choice() -> None:
    silent = offer("workbook", OfferKind.ORDER_BUMP, "27", decline_label="")
    assert found(funnel(silent, bumps=(bump("workbook"),))) == set()


def test_take_rate_out_of_range_fires_above_one_and_below_zero() -> None:
    plan = primer(
        bumps=(bump("workbook", rate="1.5"),),
        thank_you_cross_sells=(thank_you("journal", rate="-0.1"),),
    )
    assert found(plan) == {("take-rate-out-of-range", "workbook"), ("take-rate-out-of-range", "journal")}


def test_take_rate_out_of_range_uses_the_rate_in_force_from_the_offer() -> None:
    eager = offer("calls", default_take_rate=Decimal("1.2"))
    assert found(funnel(eager, start="up1", steps=(step("up1", "calls"),))) == {("take-rate-out-of-range", "up1")}


def test_take_rates_of_zero_and_one_are_in_range() -> None:
    steps = (step("up1", "calls", no="dn1", rate="0"), step("dn1", "one-call", rate="1"))
    plan = funnel(UPSELL, DOWNSELL, start="up1", steps=steps)
    assert found(plan) == {("optimistic-take-rate", "dn1")}  # 100% is in range, though rosy


def test_a_take_rate_that_is_not_a_number_is_out_of_range() -> None:
    plan = funnel(UPSELL, start="up1", steps=(step("up1", "calls", rate="NaN"),))
    [finding] = check_funnel(plan)
    assert (finding.code, finding.step, "NaN" in finding.message) == ("take-rate-out-of-range", "up1", True)
