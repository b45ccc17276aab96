"""The honesty checks on an offer's words: promised outcomes and invented urgency, and near misses that are fine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from funnels.domain.checks.copy import copy_findings
from funnels.domain.checks.rules import Severity, check_funnel
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step
from offers.domain.honesty import false_urgency, guaranteed_outcome
from offers.domain.kinds import OfferKind

CORE = "calm"


# --- builders -------------------------------------------------------------------------------------


def offer(key: str = "calls", kind: OfferKind = OfferKind.UPSELL, price: str = "300", **copy: Any) -> OfferSpec:
    name = copy.pop("name", "Three Coaching Calls")
    return OfferSpec(key, name, kind, Decimal(price), "USD", frozenset({"anxiety"}), **copy)


def core(**copy: Any) -> OfferSpec:
    return offer(CORE, OfferKind.CORE, "97", name=copy.pop("name", "Calm Your Nervous System"), **copy)


def one_upsell(upsell: OfferSpec, core_offer: OfferSpec | None = None) -> FunnelPlan:
    offers = (core_offer or core(), upsell)
    return FunnelPlan("Calm funnel", "USD", offers, CORE, start="up1", steps=(Step("up1", upsell.key),))


# --- guaranteed-outcome: the phrases ---------------------------------------------------------------

PROMISES = [
    ("Guaranteed results in 30 days", "Guaranteed results"),
    ("Results guaranteed.", "Results guaranteed"),
    ("Your success is guaranteed", "success is guaranteed"),
    ("We guarantee you will sleep better", "guarantee you will"),
    ("I guarantee that you'll feel calmer", "guarantee that you'll"),
    ("This method is guaranteed to work", "guaranteed to work"),
    ("This course cures anxiety", "cures"),
    ("A cure for panic attacks", "cure"),
    ("I was cured in a week", "cured"),
    ("100% success rate", "100% success"),
    ("You'll never feel anxious again", "never feel anxious again"),
    ("Never worry about money again", "Never worry about money again"),
    ("Permanently heal your trauma", "Permanently heal"),
    ("Fix your sleep for good", "Fix your sleep for good"),
    ("This will transform your life", "will transform your life"),
    ("It will completely change your life", "will completely change your life"),
]

FINE_PROMISES = [
    "30-day money-back guarantee",
    "Satisfaction guaranteed or your money back",
    "100% satisfaction guarantee",
    "Full refund guarantee, no questions asked",
    "We guarantee you'll get your money back if it isn't right for you",
    "We guarantee you'll love it or your money back",
    "Secure checkout",
    "Accurate, curated breathing exercises",
    "This course is not a cure for anxiety",
    "It isn't a cure, it is support",
    "Individual results vary; results are not guaranteed.",
    "Lifetime access, yours forever",
    "Heal at your own pace, with access forever",
    "Feel calmer, one breath at a time",
]


@pytest.mark.parametrize(("text", "phrase"), PROMISES)
def test_guaranteed_outcome_finds_a_promised_result(text: str, phrase: str) -> None:
    assert guaranteed_outcome(text) == phrase


@pytest.mark.parametrize("text", FINE_PROMISES)
def test_a_money_back_guarantee_or_a_near_miss_is_no_promised_outcome(text: str) -> None:
    assert guaranteed_outcome(text) is None


# --- false-urgency: the phrases --------------------------------------------------------------------

PRESSURE = [
    ("This offer expires in 10 minutes", "offer expires in 10 minutes"),
    ("Expires in a few minutes", "Expires in a few minutes"),
    ("Only 10 minutes left!", "Only 10 minutes left"),
    ("Countdown: 09:59", "Countdown"),
    ("Offer ends tonight", "Offer ends tonight"),
    ("Doors close: the sale ends at midnight", "sale ends at midnight"),
    ("This price is only good until midnight", "price is only good until midnight"),
    ("Last chance to join", "Last chance"),
    ("Hurry!", "Hurry"),
    ("Act now", "Act now"),
    ("Only 3 spots left", "Only 3 spots left"),
    ("Get it before it's gone", "before it's gone"),
    ("This price disappears forever", "price disappears forever"),
    ("Available today only", "today only"),
    ("You'll never see this price again", "never see this price again"),
    ("It's now or never", "now or never"),
]

FINE_URGENCY = [
    "A timer for your breathing practice",
    "At last, calm",
    "Count down from ten as you breathe out",
    "There's no hurry — take your time",
    "No need to hurry",
    "Don't hurry your healing",
    "Your access never expires",
    "Your workbook access expires in 12 months",
    "Act on what you learn",
    "Only 3 modules, 20 minutes each",
    "The program ends in six weeks",
    "Go to bed before midnight",
    "Your last session is a celebration",
]


@pytest.mark.parametrize(("text", "phrase"), PRESSURE)
def test_false_urgency_finds_an_invented_deadline_or_scarcity(text: str, phrase: str) -> None:
    assert false_urgency(text) == phrase


@pytest.mark.parametrize("text", FINE_URGENCY)
def test_calm_words_about_time_are_no_false_urgency(text: str) -> None:
    assert false_urgency(text) is None


# --- the findings ---------------------------------------------------------------------------------


def test_guaranteed_outcome_is_a_warning_quoting_the_phrase_and_the_field() -> None:
    # given an upsell whose description promises results
    plan = one_upsell(offer(body="Guaranteed results, or your money back."))
    # when
    [finding] = check_funnel(plan)
    # then
    assert (finding.code, finding.severity, finding.stage, finding.step) == (
        "guaranteed-outcome",
        Severity.WARNING,
        Stage.POST_PURCHASE,
        "up1",
    )
    assert finding.message == (
        'The description of "Three Coaching Calls" says "Guaranteed results", '
        "which promises an outcome that no coach can promise."
    )


def test_a_money_back_guarantee_in_the_copy_has_no_finding() -> None:
    plan = one_upsell(offer(headline="Try it risk-free", body="30-day money-back guarantee."))
    assert check_funnel(plan) == ()


def test_false_urgency_is_a_warning_naming_the_button() -> None:
    [finding] = check_funnel(one_upsell(offer(accept_label="Yes! Before it's gone")))
    assert (finding.code, finding.severity) == ("false-urgency", Severity.WARNING)
    assert finding.message.startswith('The yes button of "Three Coaching Calls" says "Before it\'s gone"')


def test_a_calm_breathing_timer_has_no_finding() -> None:
    assert check_funnel(one_upsell(offer(body="Comes with a timer for your breathing practice."))) == ()


def test_one_finding_per_offer_per_place_even_when_several_fields_match() -> None:
    # given promises in the name, the headline and the body, and urgency in two fields
    loud = offer(
        name="Guaranteed Results Coaching",
        headline="Cure your anxiety",
        body="Hurry, last chance!",
        decline_label="No, I'll miss my last chance",
    )
    # when
    findings = copy_findings(loud, Stage.POST_PURCHASE, "up1")
    # then: the first field that matches is quoted
    assert [(f.code, f.step) for f in findings] == [("guaranteed-outcome", "up1"), ("false-urgency", "up1")]
    assert findings[0].message.startswith('The name of "Guaranteed Results Coaching" says "Guaranteed Results"')
    assert 'The description of "Guaranteed Results Coaching" says "Hurry"' in findings[1].message


def test_the_decline_label_is_checked_too() -> None:
    [finding] = copy_findings(
        offer(decline_label="No thanks, I'll stay anxious. Offer ends tonight"), Stage.POST_PURCHASE, "up1"
    )
    assert (finding.code, '"Offer ends tonight"' in finding.message, "no button" in finding.message) == (
        "false-urgency",
        True,
        True,
    )


def test_the_same_offer_in_two_places_is_reported_at_each() -> None:
    # given a cross-sell with a promise at the checkout and (a duplicate, but still read) on the thank-you page
    cured = offer("journal", OfferKind.CROSS_SELL, "20", name="Sleep Journal", headline="Cures insomnia")
    twice = (
        Placement("journal", "journal", Slot.CROSS_SELL, Stage.CHECKOUT),
        Placement("journal", "journal", Slot.CROSS_SELL, Stage.THANK_YOU),
    )
    plan = FunnelPlan(
        "f", "USD", (core(), cured), CORE, checkout_cross_sells=twice[:1], thank_you_cross_sells=twice[1:]
    )
    # then
    assert {(f.code, f.stage) for f in check_funnel(plan) if f.code == "guaranteed-outcome"} == {
        ("guaranteed-outcome", Stage.CHECKOUT),
        ("guaranteed-outcome", Stage.THANK_YOU),
    }


def test_the_core_offers_copy_is_read_at_the_checkout() -> None:
    plan = one_upsell(offer(), core_offer=core(headline="Never feel anxious again"))
    assert {(f.code, f.stage, f.step) for f in check_funnel(plan)} == {("guaranteed-outcome", Stage.CHECKOUT, CORE)}
