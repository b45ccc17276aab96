"""Wilson's interval against values worked by hand (and printed in every table of it), and the sample sizes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnels.domain.actuals import buyers_per_arm, observed_rate, shown_needed, wilson_interval
from funnels.domain.actuals.intervals import wilson_half_width


@pytest.mark.parametrize(
    ("accepted", "shown", "low", "high"),
    [
        # p = 0.1, n = 10: centre (0.1 + 3.8416/20) / 1.38416 = 0.211023, half 1.96/1.38416·√(0.009 + 0.009604) = 0.193147
        (1, 10, "0.0179", "0.4042"),
        (0, 10, "0", "0.2775"),  # 0 of 10 is not "0% for sure": up to 27.75%
        (10, 10, "0.7225", "1"),
        (5, 10, "0.2366", "0.7634"),
        (12, 100, "0.0700", "0.1981"),
    ],
)
def test_wilson_interval_matches_the_hand_worked_values(accepted: int, shown: int, low: str, high: str) -> None:
    interval = wilson_interval(accepted, shown)
    assert round(interval.low, 4) == Decimal(low)
    assert round(interval.high, 4) == Decimal(high)


def test_the_interval_holds_the_observed_rate_and_stays_within_zero_and_one() -> None:
    for shown in (1, 2, 7, 50):
        for accepted in range(shown + 1):
            interval = wilson_interval(accepted, shown)
            assert 0 <= interval.low <= observed_rate(accepted, shown) <= interval.high <= 1


def test_a_rate_needs_someone_who_saw_the_step() -> None:
    with pytest.raises(ValueError, match="at least one buyer"):
        observed_rate(0, 0)
    with pytest.raises(ValueError):
        observed_rate(3, 2)


def test_buyers_needed_for_two_points_is_the_first_count_that_gets_there() -> None:
    for rate in (Decimal("0.5"), Decimal("0.2"), Decimal("0.05"), Decimal("0")):
        needed = shown_needed(rate)
        assert wilson_half_width(rate, needed) <= Decimal("0.02") < wilson_half_width(rate, needed - 1)
    assert 2390 < shown_needed(Decimal("0.5")) < 2410  # the textbook 1.96²·¼ / 0.02² = 2,401


def test_buyers_per_arm_for_a_five_point_change_at_95_and_80() -> None:
    # (1.96·√(2·0.225·0.775) + 0.8416·√(0.2·0.8 + 0.25·0.75))² / 0.05² = 1093.8 → 1,094 (Fleiss, no correction)
    assert buyers_per_arm(Decimal("0.2"), Decimal("0.25")) == 1094
    assert buyers_per_arm(Decimal("0.1"), Decimal("0.15")) == 686
    assert buyers_per_arm(Decimal("0.25"), Decimal("0.2")) == 1094  # either direction
    with pytest.raises(ValueError):
        buyers_per_arm(Decimal("0.2"), Decimal("0.2"))
