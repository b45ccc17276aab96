"""Money and percents (core.money): a typed percent becomes an exact rate."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.money import parse_percent


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("20", Decimal("0.20")),
        ("12.5%", Decimal("0.125")),
        (" 0.01 ", Decimal("0.0001")),
        ("100", Decimal("1.00")),
        ("", None),
    ],
)
def test_percent_to_rate_is_exact(typed, expected):
    assert parse_percent(typed) == expected
