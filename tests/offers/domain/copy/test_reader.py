"""The honesty phrases of offers.domain.copy.reader: promised outcomes and invented urgency, and near misses that are
fine."""

from __future__ import annotations

import pytest

from offers.domain.copy.reader import false_urgency, guaranteed_outcome

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
