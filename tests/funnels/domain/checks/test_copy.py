"""The honesty findings on an offer's words in a funnel: which field, which place, once per offer and place.

The phrases themselves (what counts as a promised outcome or invented urgency) are tested beside
``offers.domain.copy`` in tests/offers/domain/copy/test_reader.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from funnels.domain.checks.copy import copy_findings
from funnels.domain.checks.rules import Severity, check_funnel
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step
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
        'The description of "Three Coaching Calls" says "Guaranteed results", a guarantee of results, '
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
    [finding, shaming] = copy_findings(
        offer(decline_label="No thanks, I'll stay anxious. Offer ends tonight"), Stage.POST_PURCHASE, "up1"
    )
    assert (finding.code, '"Offer ends tonight"' in finding.message, "no button" in finding.message) == (
        "false-urgency",
        True,
        True,
    )
    assert (shaming.code, '"I\'ll stay anxious"' in shaming.message) == ("confirmshaming", True)


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
