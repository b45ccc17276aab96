"""The reader's grammar: claim kinds, and the scopes that undo them (negation, questions, quotation, hedges,
real reasons). The sentences of issue 12 come first: what slipped past before, and what was flagged wrongly."""

from __future__ import annotations

import time

import pytest

from offers.domain.copy import ClaimKind, read_text
from offers.domain.copy.text import Copy, normalise


def kinds(text: str) -> set[ClaimKind]:
    return {claim.kind for claim in read_text(text)}


def codes(text: str) -> set[str]:
    return {claim.code for claim in read_text(text)}


# --- issue 12: what slipped past, and what was flagged wrongly --------------------------------------------------

SLIPPED_PAST = [
    ("Say goodbye to anxiety forever", ClaimKind.PERMANENCE),
    ("This works for everyone", ClaimKind.CERTAINTY),
    ("Your panic attacks will stop", ClaimKind.CERTAINTY),
    ("Doors close tonight", ClaimKind.DEADLINE),
    ("Limited time offer!", ClaimKind.DEADLINE),
    ("Spots are filling fast", ClaimKind.SCARCITY),
    ("Offer valid for 24 hours", ClaimKind.DEADLINE),
]


@pytest.mark.parametrize(("text", "kind"), SLIPPED_PAST)
def test_what_slipped_past_is_caught_as_its_kind(text: str, kind: ClaimKind) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "We never use countdown timers",
        "No guaranteed results, just honest support",
        "Is it a cure? No.",
        "No deadline",
        "I can't promise results",
        "30-day money-back guarantee",
        "We guarantee delivery of your workbook within five working days",
        "The next cohort starts on 3 March",
        "8 seats because I coach each person myself",
        "Only 8 seats, because I coach each person myself",
    ],
)
def test_honest_copy_is_left_alone(text: str) -> None:
    assert read_text(text) == ()


# --- the kinds of claim ---------------------------------------------------------------------------------------------

KINDS = [
    ("Guaranteed relief in your first week", ClaimKind.GUARANTEE),
    ("I promise you'll feel like a new person", ClaimKind.GUARANTEE),
    ("You will feel calmer and more confident", ClaimKind.CERTAINTY),
    ("100% of my clients sleep better", ClaimKind.CERTAINTY),
    ("It works every time", ClaimKind.CERTAINTY),
    ("Never feel overwhelmed again", ClaimKind.PERMANENCE),
    ("Beat insomnia once and for all", ClaimKind.PERMANENCE),
    ("Heal your trauma", ClaimKind.CURE),
    ("Treats insomnia naturally", ClaimKind.CURE),
    ("End your panic attacks with one breath", ClaimKind.CURE),
    ("You can stop taking your antidepressants", ClaimKind.CURE),
    ("Anxiety-free in 7 days", ClaimKind.TIMED_RESULT),
    ("Instant relief from stress", ClaimKind.TIMED_RESULT),
    ("Timer: 05:00", ClaimKind.DEADLINE),
    ("For the next 15 minutes only", ClaimKind.DEADLINE),
    ("Only 3 spots left", ClaimKind.SCARCITY),
    ("14 people are viewing this page right now", ClaimKind.SCARCITY),
    ("Prices rise tomorrow", ClaimKind.PRICE_RISE),
    ("Buy before the price doubles", ClaimKind.PRICE_RISE),
    ("Only available right now", ClaimKind.NOW_OR_NEVER),
    ("Once this page closes, it's gone", ClaimKind.NOW_OR_NEVER),
    ("Don't miss out", ClaimKind.MISSING_OUT),
    ("Before it's too late", ClaimKind.MISSING_OUT),
]


@pytest.mark.parametrize(("text", "kind"), KINDS)
def test_each_kind_of_claim_is_named(text: str, kind: ClaimKind) -> None:
    assert kind in kinds(text)
    assert kind.label and kind.code in {"guaranteed-outcome", "false-urgency"}


# --- negation --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "There's no countdown, no deadline and no pressure.",
        "I won't tell you that you'll never feel anxious again.",
        "Nobody can guarantee results, and I won't pretend to.",
        "This is not a cure for anxiety.",
        "Unlike programs that promise instant results, this takes practice.",
        "Be wary of anyone who guarantees you'll be healed.",
        'Some coaches promise "guaranteed results". I don\'t.',
        "We don't do 'only 3 spots left, act now' marketing.",
        "Guaranteed outcomes? Not from me.",
        "You won't miss out by waiting: the course is always open.",
    ],
)
def test_a_denial_before_the_claim_in_its_clause_undoes_it(text: str) -> None:
    assert read_text(text) == ()


def test_a_denial_stops_at_the_clause_so_what_follows_still_counts() -> None:
    assert codes("No pressure, but the offer ends tonight.") == {"false-urgency"}
    assert codes("We never use timers; doors close tonight.") == {"false-urgency"}


def test_words_that_deny_inside_the_claim_do_not_undo_it() -> None:
    assert ClaimKind.PERMANENCE in kinds("You'll never feel anxious again")
    assert ClaimKind.MISSING_OUT in kinds("Don't miss out")
    assert ClaimKind.NOW_OR_NEVER in kinds("You won't see this offer again")
    assert ClaimKind.PERMANENCE in kinds("No more panic attacks, ever")


def test_look_alikes_of_negation_assert() -> None:
    assert ClaimKind.PERMANENCE in kinds("Not only calm, but calm for life")
    assert ClaimKind.CERTAINTY in kinds("No matter what you've tried, you'll see results")


# --- questions -------------------------------------------------------------------------------------------------------


def test_a_question_answered_no_is_honest_and_answered_yes_is_a_claim() -> None:
    assert read_text("Is it a cure? No.") == ()
    assert read_text("Will it work for everyone? Honestly, no.") == ()
    assert ClaimKind.CURE in kinds("Is it a cure? Yes!")


def test_a_question_about_the_product_asks_but_a_question_to_the_buyer_pitches() -> None:
    assert read_text("Will this cure my insomnia?") == ()
    assert ClaimKind.MISSING_OUT in kinds("Can you really afford to miss this?")
    assert ClaimKind.PERMANENCE in kinds("Ready to end your panic attacks for good?")


# --- hedges and reasons ----------------------------------------------------------------------------------------------


def test_a_hedge_makes_a_result_a_possibility() -> None:
    assert read_text("You may notice you sleep better after a few weeks.") == ()
    assert read_text("Practices that can help you heal from burnout.") == ()
    assert ClaimKind.CURE in kinds("This course heals burnout.")


def test_a_real_reason_keeps_a_limit_or_a_date_honest_but_pressure_is_no_reason() -> None:
    assert read_text("Limited to 12 people because the room holds 12.") == ()
    assert read_text("Enrolment closes on 28 February because the cohort starts on 1 March.") == ()
    assert codes("Enrolment closes on 28 February.") == {"false-urgency"}
    assert codes("Only 3 spots left because demand is huge.") == {"false-urgency"}


def test_a_deadline_on_the_service_itself_is_a_fact() -> None:
    for text in ("The program ends in six weeks.", "Your access expires in 12 months.", "Each session ends at 8 pm."):
        assert read_text(text) == (), text


# --- quoting the coach's words ---------------------------------------------------------------------------------------


def test_the_phrase_is_the_coachs_own_characters_and_says_where_it_stands() -> None:
    text = "Calm, at last. Don\u2019t miss out \u2014 doors close tonight!"
    claims = read_text(text)
    assert {c.phrase for c in claims} >= {"Don\u2019t miss", "doors close tonight"}
    assert all(text[c.start : c.end] == c.phrase for c in claims)


def test_normalising_keeps_every_offset() -> None:
    text = "\u201cNo\u201d \u2014 it\u2019s \u2026 fine"
    assert len(normalise(text)) == len(text)
    assert [s.text for s in Copy("Is it a cure? No. Fine.").sentences] == ["Is it a cure?", " No.", " Fine."]


def test_even_a_long_hostile_body_is_read_quickly() -> None:
    hostile = ("stress-free in 7 days forever, guaranteed results " * 100)[:5000]
    started = time.perf_counter()
    read_text(hostile + " (timing)")
    assert time.perf_counter() - started < 2
