"""Shared test setup: factories over fixture files, so each test says what it builds."""

from __future__ import annotations

import pytest

from tests.factories import make_offer, make_practice


@pytest.fixture
def practice(db):  # type: ignore[no-untyped-def]
    return make_practice()


@pytest.fixture
def calm_offers(practice):  # type: ignore[no-untyped-def]
    """The primer's catalog: the $97 course, the $300 three-call upsell, a $120 downsell, a bump, a cross-sell."""
    return {
        "course": make_offer(practice, key="calm-course", kind="core", price="97", topics=["anxiety"]),
        "calls": make_offer(practice, key="three-calls", kind="upsell", price="300", topics=["anxiety"]),
        "call": make_offer(practice, key="one-call", kind="downsell", price="120", topics=["anxiety"]),
        "cards": make_offer(practice, key="breath-cards", kind="order_bump", price="19", topics=["anxiety"]),
        "audio": make_offer(practice, key="sleep-audio", kind="cross_sell", price="29", topics=["anxiety"]),
    }
