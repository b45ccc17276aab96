"""The distribution of order totals as an SVG bar chart: geometry worked out here, exactly.

The page's CSP allows no inline style, so every bar carries x/y/width/height attributes and CSS classes.
Up to ``MAX_BARS`` totals get a bar each; more are grouped into ranges of a round width whose chances are
exact sums of fractions. Two sizes of the same chart are drawn (wide and narrow) and CSS shows the one that fits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from core.money import format_money, format_percent
from funnels.domain.metrics import Distribution, exact_decimal

MAX_BARS = 30
NICE_STEPS = (1, 2, 5)
CHART_SIZES = {
    # name: (viewBox width, height, most x-axis labels); the page shows the one that fits (forecast.css)
    "wide": (640, 300, 10),
    "narrow": (360, 280, 5),
}


def percent(value: Fraction | Decimal) -> str:
    """A chance as a percentage to two places; a chance too small to show is "under 0.01%", never "0%"."""
    if isinstance(value, Fraction):
        value = exact_decimal(value)
    if value == 0:
        return "0%"
    text = format_percent(value, places=2)
    return "under 0.01%" if text in {"0%", "-0%"} else text


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str
    label: str  # the x-axis label ("" where labels are thinned out)
    label_x: str
    totals: str  # "$97.00" or "$100.00 to $149.99"
    outcomes: int  # how many possible totals the bar holds
    probability: str


@dataclass(frozen=True)
class Tick:
    y: str
    label: str


@dataclass(frozen=True)
class Chart:
    """The distribution as bars in a ``width``×``height`` SVG viewBox; ``grouped`` when totals share bars."""

    name: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    grouped: bool
    outcome_count: int
    bin_width: str
    rows: tuple[Bar, ...]  # the bars with something in them, for the table

    @property
    def tick_label_x(self) -> int:
        return self.plot_left - 8

    @property
    def x_label_y(self) -> int:
        return self.plot_bottom + 20

    @property
    def x_title_x(self) -> int:
        return (self.plot_left + self.plot_right) // 2

    @property
    def x_title_y(self) -> int:
        return self.height - 10

    @property
    def y_title_x(self) -> int:
        return -(self.plot_top + self.plot_bottom) // 2  # the title is turned a quarter, so x runs up the axis


@dataclass(frozen=True)
class _Group:
    low: Fraction
    high: Fraction  # inclusive, the largest total the group may hold
    probability: Fraction
    outcomes: int


def bar_groups(distribution: Distribution, max_bars: int = MAX_BARS) -> tuple[list[_Group], Fraction | None]:
    """One group per total when there are at most ``max_bars``; else equal ranges of a round width (1, 2 or 5
    times a power of ten, in money) from a multiple of it, as few as fit in ``max_bars``. Each group's chance is
    the exact sum of its totals' chances, so the groups still add up to exactly 1. Returns the groups and the
    width (None when not grouped)."""
    outcomes = distribution.outcomes
    if len(outcomes) <= max_bars:
        return [_Group(Fraction(o.total), Fraction(o.total), o.probability, 1) for o in outcomes], None
    low, high = Fraction(outcomes[0].total), Fraction(outcomes[-1].total)
    width = _round_width(low, high, max_bars)
    start = math.floor(low / width) * width
    count = math.floor((high - start) / width) + 1
    chances = [Fraction(0)] * count
    counts = [0] * count
    for outcome in outcomes:
        index = math.floor((Fraction(outcome.total) - start) / width)
        chances[index] += outcome.probability
        counts[index] += 1
    cent = Fraction(1, 100)
    groups = [_Group(start + i * width, start + (i + 1) * width - cent, chances[i], counts[i]) for i in range(count)]
    return groups, width


def _round_width(low: Fraction, high: Fraction, max_bars: int) -> Fraction:
    exponent = -2  # a cent: totals are in cents
    while True:
        for step in NICE_STEPS:
            width = Fraction(step) * Fraction(10) ** exponent
            start = math.floor(low / width) * width
            if math.floor((high - start) / width) + 1 <= max_bars:
                return width
        exponent += 1


def _nice_top(largest: Fraction) -> Fraction:
    """The smallest round chance (1, 2 or 5 times a power of ten, or 25%, 50%, 100%) not below ``largest``."""
    exponent = -6
    while True:
        for step in (1, 2, 2.5, 5):
            top = Fraction(step) * Fraction(10) ** exponent
            if top >= largest:
                return min(top, Fraction(1))
        exponent += 1


def _coordinate(value: Fraction) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def _money_label(value: Fraction, currency: str) -> str:
    text = format_money(exact_decimal(value), currency)
    return text[:-3] if text.endswith(".00") else text  # "$100" reads faster on an axis than "$100.00"


def distribution_chart(
    distribution: Distribution, currency: str, *, size: str = "wide", max_bars: int = MAX_BARS
) -> Chart:
    """Bars for the chances of the order totals, with the y axis from 0 to a round chance above the largest.

    ``size`` names one of ``CHART_SIZES``: the same bars drawn for a wide screen or a phone's, so that the
    labels stay legible once the SVG is scaled to the page."""
    width, height, labels = CHART_SIZES[size]
    left, right, top, bottom = 64, width - 12, 16, height - 64
    groups, bin_width = bar_groups(distribution, max_bars)
    ceiling = _nice_top(max(g.probability for g in groups))
    slot = Fraction(right - left, len(groups))
    gap = slot / 5 if len(groups) > 1 else slot * 3 / 5
    every = max(1, math.ceil(len(groups) / labels))
    bars = []
    for index, group in enumerate(groups):
        bar_height = group.probability / ceiling * (bottom - top)
        x = left + index * slot + gap / 2
        if bin_width is None:
            totals = format_money(exact_decimal(group.low), currency)
        else:
            low, high = (
                format_money(exact_decimal(group.low), currency),
                format_money(exact_decimal(group.high), currency),
            )
            totals = f"{low} to {high}"
        bars.append(
            Bar(
                x=_coordinate(x),
                y=_coordinate(bottom - bar_height),
                width=_coordinate(slot - gap),
                height=_coordinate(bar_height),
                label=_money_label(group.low, currency) if index % every == 0 else "",
                label_x=_coordinate(left + index * slot + slot / 2),
                totals=totals,
                outcomes=group.outcomes,
                probability=percent(group.probability),
            )
        )
    ticks = tuple(
        Tick(y=_coordinate(bottom - share * (bottom - top)), label=percent(ceiling * share))
        for share in (Fraction(0), Fraction(1, 2), Fraction(1))
    )
    return Chart(
        name=size,
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        bars=tuple(bars),
        ticks=ticks,
        grouped=bin_width is not None,
        outcome_count=len(distribution.outcomes),
        bin_width=format_money(exact_decimal(bin_width), currency) if bin_width is not None else "",
        rows=tuple(bar for bar, group in zip(bars, groups, strict=True) if group.outcomes),
    )


# -- the comparison -----------------------------------------------------------------------------------------------
