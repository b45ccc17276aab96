"""The fingerprint an acknowledgement is tied to: the same words give the same one, any change another."""

from __future__ import annotations

from decimal import Decimal

from offers.domain.copy import copy_fingerprint

WORDS = {"name": "Calm", "headline": "Doors close tonight", "body": "", "accept_label": "Yes", "decline_label": "No"}


def test_the_same_words_give_the_same_fingerprint_and_any_change_another() -> None:
    first = copy_fingerprint(WORDS, price=Decimal("97"), code="false-urgency")
    assert first == copy_fingerprint(dict(WORDS), price=Decimal("97"), code="false-urgency")
    assert len(first) == 64 and int(first, 16) >= 0
    for field in WORDS:
        changed = {**WORDS, field: WORDS[field] + "!"}
        assert copy_fingerprint(changed, price=Decimal("97"), code="false-urgency") != first, field


def test_each_code_has_its_own_and_only_a_reference_price_depends_on_the_price() -> None:
    urgency = copy_fingerprint(WORDS, price=Decimal("97"), code="false-urgency")
    assert copy_fingerprint(WORDS, price=Decimal("197"), code="false-urgency") == urgency
    assert copy_fingerprint(WORDS, price=Decimal("97"), code="guaranteed-outcome") != urgency
    price = copy_fingerprint(WORDS, price=Decimal("97"), code="unverified-reference-price")
    assert copy_fingerprint(WORDS, price=Decimal("97.00"), code="unverified-reference-price") == price
    assert copy_fingerprint(WORDS, price=Decimal("98"), code="unverified-reference-price") != price
