"""The no button (confirmshaming, a hidden decline) and reference prices, read by the whole offer reader."""

from __future__ import annotations

from decimal import Decimal

import pytest

from offers.domain.copy import ClaimKind, OfferCopy, read_offer
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL


def offer(price: str | None = "197", shown: bool = True, **fields: str) -> OfferCopy:
    copy = {"name": "Calm calls", "headline": "", "body": "", "accept_label": DEFAULT_ACCEPT_LABEL}
    copy["decline_label"] = DEFAULT_DECLINE_LABEL
    copy.update(fields)
    return OfferCopy(copy, Decimal(price) if price else None, decline_shown=shown)


def kinds(copy: OfferCopy) -> set[ClaimKind]:
    return {claim.kind for claim in read_offer(copy)}


# --- confirmshaming ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "decline",
    [
        "No thanks, I'd rather stay anxious",
        "No, I don't want to feel better",
        "I'm not ready to invest in myself",
        "No thanks, I'll keep struggling on my own",
        "No, I like being stuck",
    ],
)
def test_a_no_button_that_shames_the_buyer_is_confirmshaming(decline: str) -> None:
    assert ClaimKind.SHAMING in kinds(offer(decline_label=decline))


@pytest.mark.parametrize(
    "decline",
    ["No, thank you", "No thanks, I'll go at my own pace", "Not right now", "I'd rather start with the course"],
)
def test_a_plain_refusal_is_honest(decline: str) -> None:
    assert kinds(offer(decline_label=decline)) == set()


def test_elsewhere_only_a_sentence_shaped_like_a_refusal_is_confirmshaming() -> None:
    assert ClaimKind.SHAMING in kinds(offer(body="No thanks, I'd rather stay anxious."))
    assert kinds(offer(body="I don't want you to feel rushed, so take your time.")) == set()


# --- a hidden decline ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "decline", "kind"),
    [
        ("Yes!", "", ClaimKind.EMPTY_DECLINE),
        ("Yes!", "\u00d7", ClaimKind.EMPTY_DECLINE),
        ("Yes!", "x", ClaimKind.EMPTY_DECLINE),
        ("Yes", "By clicking here I give up this special offer", ClaimKind.FINE_PRINT),
        ("Upgrade me", "*continue without upgrade", ClaimKind.FINE_PRINT),
        ("Add it", "See terms", ClaimKind.FINE_PRINT),
        (
            "Yes",
            "No thank you, I will continue to my order without adding the calls to my purchase today",
            ClaimKind.LONG_DECLINE,
        ),
    ],
)
def test_an_empty_a_fine_print_or_a_far_longer_no_button_hides_the_decline(
    accept: str, decline: str, kind: ClaimKind
) -> None:
    claims = [c for c in read_offer(offer(accept_label=accept, decline_label=decline)) if c.code == "hidden-decline"]
    assert [c.kind for c in claims] == [kind]
    assert claims[0].phrase == decline.strip()


def test_a_no_button_is_judged_only_where_a_buyer_sees_one() -> None:
    assert kinds(offer(decline_label="", shown=False)) == set()


def test_a_sentence_long_no_button_beside_a_sentence_long_yes_button_is_not_far_longer() -> None:
    yes = "Yes, add the three coaching calls to my order"
    no = "No thanks, I would rather carry on with the course by myself for now"
    assert kinds(offer(accept_label=yes, decline_label=no)) == set()


# --- reference prices -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Was $497, now $197.", ClaimKind.REFERENCE_PRICE),
        ("Normally $300.", ClaimKind.REFERENCE_PRICE),
        ("A $1,200 value.", ClaimKind.REFERENCE_PRICE),
        ("Regular price: \u20ac450", ClaimKind.REFERENCE_PRICE),
        ("Save 60% today.", ClaimKind.SAVING),
        ("Half price for new clients.", ClaimKind.SAVING),
    ],
)
def test_a_former_regular_or_value_price_or_a_saving_is_a_reference_price(body: str, kind: ClaimKind) -> None:
    assert kind in kinds(offer(body=body))


def test_the_offers_own_recorded_price_is_verified() -> None:
    assert kinds(offer(price="300", body="Normally $300, and that is what you pay.")) == set()
    assert kinds(offer(price="300.00", body="Regular price $300.00")) == set()
    assert ClaimKind.REFERENCE_PRICE in kinds(offer(price="197", body="Normally $300."))


def test_a_half_typed_price_verifies_nothing() -> None:
    assert ClaimKind.REFERENCE_PRICE in kinds(offer(price=None, body="Normally $300."))


def test_a_saving_against_buying_the_parts_and_plain_prices_are_honest() -> None:
    assert kinds(offer(body="The bundle saves you $20 compared with buying them separately.")) == set()
    assert kinds(offer(body="$197, or three payments of $69.")) == set()
    assert kinds(offer(body="We never show fake 'was' prices.")) == set()
