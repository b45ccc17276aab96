"""The new copy findings in a funnel (confirmshaming, unverified reference prices, hidden declines): where they
fire, what they say, and what every copy finding carries so a coach can acknowledge it."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from funnels.domain.checks.copy import copy_findings
from funnels.domain.checks.rules import Severity, check_funnel
from funnels.domain.plan import OfferSpec, Stage
from offers.domain.copy import copy_fingerprint
from offers.domain.kinds import OfferKind
from tests.funnels.domain.plans import bump, funnel, offer, step


def calls(**copy: Any) -> OfferSpec:
    return offer("calls", name="Three Coaching Calls", **copy)


def one_click(upsell: OfferSpec) -> list[tuple[str, str | None]]:
    plan = funnel(upsell, start="up1", steps=(step("up1", "calls"),))
    return [(f.code, f.step) for f in check_funnel(plan) if f.code != "no-decline-choice"]


def test_confirmshaming_quotes_the_no_button_and_is_a_warning() -> None:
    [found] = copy_findings(calls(decline_label="No thanks, I'd rather stay anxious"), Stage.POST_PURCHASE, "up1")
    assert (found.code, found.severity) == ("confirmshaming", Severity.WARNING)
    assert found.message == (
        'The no button of "Three Coaching Calls" says "I\'d rather stay anxious", '
        "words that shame the buyer for saying no."
    )


def test_a_reference_price_names_the_price_the_catalog_records() -> None:
    [found] = copy_findings(calls(body="Was $497, now only $300."), Stage.POST_PURCHASE, "up1")
    assert found.code == "unverified-reference-price"
    assert '"Was $497", a former or regular price' in found.message
    assert "the only price recorded for this offer is $300.00" in found.message
    assert copy_findings(calls(body="Normally $300: that is the price."), Stage.POST_PURCHASE, "up1") == []


def test_a_hidden_decline_is_found_on_a_one_click_step_only() -> None:
    long_no = "No thank you, I will continue to my order without adding the three coaching calls to it today"
    assert one_click(calls(accept_label="Yes", decline_label=long_no)) == [("hidden-decline", "up1")]
    bumped = offer("cards", OfferKind.ORDER_BUMP, "19", decline_label="")
    assert [f.code for f in check_funnel(funnel(bumped, bumps=(bump("cards"),)))] == []


def test_each_kind_of_hidden_decline_says_what_is_wrong() -> None:
    def message(accept: str, decline: str) -> str:
        [found] = copy_findings(calls(accept_label=accept, decline_label=decline), Stage.POST_PURCHASE, "up1")
        return found.message

    assert message("Yes", "\u00d7") == (
        'The no button of "Three Coaching Calls" shows only "\u00d7", so a buyer who wants to say no has nothing '
        "clear to choose."
    )
    assert "is empty, so a buyer" in message("Yes", " ")
    assert "worded like fine print" in message("Yes", "By clicking here I forfeit this offer")
    assert 'far longer than its yes button "Yes"' in message(
        "Yes", "No thank you, I would like to continue to my order without adding these calls to it"
    )


def test_every_copy_finding_carries_its_offer_and_the_fingerprint_of_its_words() -> None:
    loud = calls(
        headline="Guaranteed results", body="Doors close tonight. Was $497.", decline_label="No, I'll stay stuck"
    )
    found = copy_findings(loud, Stage.POST_PURCHASE, "up1")
    assert [f.code for f in found] == [
        "guaranteed-outcome",
        "false-urgency",
        "confirmshaming",
        "unverified-reference-price",
    ]
    for finding in found:
        assert finding.offer == "calls" and finding.can_be_acknowledged and finding.is_open
        assert finding.fingerprint == copy_fingerprint(loud.copy_fields, price=Decimal("300"), code=finding.code)


def test_every_copy_message_is_one_sentence_naming_its_kind() -> None:
    loud = calls(
        headline="Anxiety-free in 7 days",
        body="Only 3 spots left. Normally $900.",
        accept_label="Yes",
        decline_label="*no thanks",
    )
    for finding in copy_findings(loud, Stage.POST_PURCHASE, "up1"):
        assert finding.message.endswith(".") and finding.hint.endswith("."), finding
        assert re.search(r"[.!?]\s", finding.message[:-1]) is None, finding.message
    messages = " ".join(f.message for f in copy_findings(loud, Stage.POST_PURCHASE, "up1"))
    for kind in ("a promised result in a set time", "a scarcity claim", "a former or regular price", "fine print"):
        assert kind in messages
