"""The distribution of order totals as SVG bars (funnels.presenters.distribution_chart): exact geometry, grouping,
and chances that still add up to one."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from funnels.domain.metrics import Distribution, Outcome
from funnels.presenters.distribution_chart import MAX_BARS, bar_groups, distribution_chart


def test_many_totals_are_grouped_into_at_most_30_bars_that_still_add_up_to_one():
    outcomes = tuple(Outcome(Decimal(n) + Decimal("0.37"), Fraction(1, 500)) for n in range(100, 600))
    distribution = Distribution(outcomes)
    groups, width = bar_groups(distribution)
    assert width == 20 and len(groups) <= MAX_BARS
    assert sum((g.probability for g in groups), Fraction(0)) == 1
    assert sum(g.outcomes for g in groups) == 500
    chart = distribution_chart(distribution, "USD")
    assert chart.grouped and len(chart.bars) == len(groups)
    assert chart.rows[0].totals == "$100.00 to $119.99"
    assert all(float(bar.height) >= 0 for bar in chart.bars)
    narrow = distribution_chart(distribution, "USD", size="narrow")
    assert len([bar for bar in narrow.bars if bar.label]) <= 5 < len([bar for bar in chart.bars if bar.label])


def test_a_few_totals_get_a_bar_each():
    distribution = Distribution((Outcome(Decimal("97"), Fraction(3, 4)), Outcome(Decimal("397"), Fraction(1, 4))))
    groups, width = bar_groups(distribution)
    assert width is None and [g.probability for g in groups] == [Fraction(3, 4), Fraction(1, 4)]
    chart = distribution_chart(distribution, "USD")
    assert [bar.probability for bar in chart.rows] == ["75%", "25%"]
    assert chart.ticks[-1].label == "100%"  # the tallest bar is 75%: the axis rises to a round 100%
