"""The distribution of order totals as SVG bars (funnels.presenters.distribution_chart): exact geometry, grouping,
and chances that still add up to one."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from funnels.domain.metrics import Distribution, Outcome
from funnels.presenters.distribution_chart import MAX_BARS, bar_groups, distribution_chart, percent


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


# -- exact geometry -------------------------------------------------------------------------------------------------


def test_the_primers_two_totals_are_two_bars_drawn_exactly():
    # given the primer's funnel: $97 (80%) or $397 (20%)
    distribution = Distribution((Outcome(Decimal("97"), Fraction(4, 5)), Outcome(Decimal("397"), Fraction(1, 5))))
    chart = distribution_chart(distribution, "USD")
    # then in the wide 640×300 box the plot runs x 64..628, y 16..236; each bar gets a 282-wide slot less a fifth
    assert (chart.name, chart.width, chart.height) == ("wide", 640, 300)
    assert (chart.plot_left, chart.plot_right, chart.plot_top, chart.plot_bottom) == (64, 628, 16, 236)
    assert [(b.x, b.y, b.width, b.height, b.label, b.label_x) for b in chart.bars] == [
        ("92.2", "60", "225.6", "176", "$97", "205"),  # 80% of a 100% axis: 0.8 · 220 high
        ("374.2", "192", "225.6", "44", "$397", "487"),
    ]
    assert [(b.totals, b.outcomes, b.probability) for b in chart.rows] == [
        ("$97.00", 1, "80%"),
        ("$397.00", 1, "20%"),
    ]
    assert [(t.y, t.label) for t in chart.ticks] == [("236", "0%"), ("126", "50%"), ("16", "100%")]
    assert (chart.grouped, chart.outcome_count, chart.bin_width) == (False, 2, "")
    assert (chart.tick_label_x, chart.x_label_y, chart.x_title_x, chart.x_title_y, chart.y_title_x) == (
        56,
        256,
        346,
        290,
        -126,
    )


def test_the_narrow_chart_draws_the_same_bars_in_a_phones_box():
    distribution = Distribution((Outcome(Decimal("97"), Fraction(4, 5)), Outcome(Decimal("397"), Fraction(1, 5))))
    narrow = distribution_chart(distribution, "USD", size="narrow")
    assert (narrow.name, narrow.width, narrow.height, narrow.plot_right, narrow.plot_bottom) == (
        "narrow",
        360,
        280,
        348,
        216,
    )
    assert [(b.x, b.y, b.width, b.height) for b in narrow.bars] == [
        ("78.2", "56", "113.6", "160"),
        ("220.2", "176", "113.6", "40"),
    ]


def test_the_classic_demo_funnels_six_totals_rise_to_a_50_percent_axis():
    # the classic funnel: 47.6% pay $97 alone; the tallest bar is under 50%, so the axis tops out at 50%
    chances = {"97": "0.476", "116": "0.204", "217": "0.084", "236": "0.036", "397": "0.14", "416": "0.06"}
    distribution = Distribution(tuple(Outcome(Decimal(t), Fraction(p)) for t, p in chances.items()))
    chart = distribution_chart(distribution, "USD")
    assert [t.label for t in chart.ticks] == ["0%", "25%", "50%"]
    assert [(b.totals, b.probability) for b in chart.rows] == [
        ("$97.00", "47.6%"),
        ("$116.00", "20.4%"),
        ("$217.00", "8.4%"),
        ("$236.00", "3.6%"),
        ("$397.00", "14%"),
        ("$416.00", "6%"),
    ]
    first = chart.bars[0]  # a 94-wide slot; 0.476 / 0.5 · 220 = 209.44 high
    assert (first.x, first.y, first.width, first.height, first.label_x) == ("73.4", "26.56", "75.2", "209.44", "111")


def test_grouped_bars_name_their_range_and_the_labels_are_thinned_out():
    outcomes = tuple(Outcome(Decimal(n) + Decimal("0.37"), Fraction(1, 500)) for n in range(100, 600))
    chart = distribution_chart(Distribution(outcomes), "USD")
    # 25 ranges of $20 from $100; each holds 20 totals, 4%; the axis rises to 5%
    assert (chart.grouped, chart.bin_width, chart.outcome_count, len(chart.bars)) == (True, "$20.00", 500, 25)
    assert (chart.bars[0].totals, chart.bars[0].outcomes, chart.bars[0].probability) == ("$100.00 to $119.99", 20, "4%")
    assert chart.bars[-1].totals == "$580.00 to $599.99"
    assert (chart.bars[0].x, chart.bars[0].width, chart.bars[0].height) == ("66.26", "18.05", "176")
    assert [t.label for t in chart.ticks] == ["0%", "2.5%", "5%"]
    assert [b.label for b in chart.bars if b.label] == [
        "$100",
        "$160",
        "$220",
        "$280",
        "$340",
        "$400",
        "$460",
        "$520",
        "$580",
    ]  # every third bar: at most 10 labels on the wide chart


def test_a_single_total_is_one_centred_bar_in_its_currency():
    chart = distribution_chart(Distribution((Outcome(Decimal("1234.5"), Fraction(1)),)), "EUR")
    [bar] = chart.bars
    assert (bar.x, bar.y, bar.width, bar.height) == ("233.2", "16", "225.6", "220")
    assert (bar.label, bar.totals, bar.probability) == ("€1,234.50", "€1,234.50", "100%")


def test_a_chance_is_a_percentage_to_two_places_and_never_a_false_zero():
    assert percent(Fraction(0)) == "0%"
    assert percent(Fraction(1, 3)) == "33.33%"
    assert percent(Fraction(1, 8)) == "12.5%"
    assert percent(Decimal("0.5")) == "50%"
    assert percent(Fraction(1, 10**6)) == "under 0.01%"
    assert percent(Fraction(1, 20_001)) == "under 0.01%"
