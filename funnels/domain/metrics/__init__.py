"""The exact metrics engine, in one place to import from, with the definition shown beside each figure.

``order_value`` works out one buyer's order (AOV, spread, each step's reach, take and sensitivity),
``distribution`` every order total and its chance, ``forecast`` projections, scenarios and comparisons.
Money is ``Decimal`` and chances are exact fractions throughout: the engine never samples or rounds to
cents (presentation does, with ``offers.domain.quantize_money``).
"""

from __future__ import annotations

from funnels.domain.metrics.distribution import PERCENTILES, Distribution, Outcome
from funnels.domain.metrics.forecast import (
    Comparison,
    Projection,
    Scenario,
    StepDifference,
    compare,
    project,
    scale_take_rates,
    scenarios,
)
from funnels.domain.metrics.order_value import (
    DEFAULT_MAX_OUTCOMES,
    FunnelMetrics,
    StepMetrics,
    UncomputableFunnel,
    compute_metrics,
    exact_decimal,
    too_many_outcomes_note,
)

__all__ = [
    "DEFAULT_MAX_OUTCOMES",
    "DEFINITIONS",
    "ILLUSTRATIVE_NOTE",
    "PERCENTILES",
    "Comparison",
    "Distribution",
    "FunnelMetrics",
    "Outcome",
    "Projection",
    "Scenario",
    "StepDifference",
    "StepMetrics",
    "UncomputableFunnel",
    "compare",
    "compute_metrics",
    "exact_decimal",
    "project",
    "scale_take_rates",
    "scenarios",
    "too_many_outcomes_note",
]

ILLUSTRATIVE_NOTE = (
    "These figures are illustrative, worked out from the take rates you assumed; they are not a promise of results."
)

DEFINITIONS: dict[str, str] = {
    "aov": (
        "Average order value: what one buyer of the core offer spends in that order on average, counting "
        "the core offer, the checkout's bumps and cross-sells and the one-click offers after payment."
    ),
    "revenue_per_buyer": (
        "Average order value plus what thank-you page cross-sells are expected to bring in as separate, later orders."
    ),
    "uplift": (
        "How much the offers after the first yes add to the core offer's price on average, in money and "
        "as a share of that price."
    ),
    "reach": "The share of buyers who are shown this offer.",
    "take": "The share of all buyers who say yes to this offer: its reach times its take rate.",
    "expected_revenue": "What this offer adds per buyer on average: its take times the price a yes adds.",
    "sensitivity": (
        "How much the average order value changes per unit of this offer's take rate, so one percentage "
        "point more adds a hundredth of it (thank-you page offers: revenue per buyer)."
    ),
    "std": "Standard deviation: how far a typical buyer's order total lies from the average order value.",
    "distribution": "Every order total a buyer can end up with, and the chance of each.",
    "percentiles": ("The order total that a given share of buyers do not exceed; the 50th percentile is the median."),
    "projection": (
        "Expected revenue from a number of buyers (buyers times average order value), with a 95% range "
        "from the normal approximation, kept within the least and most those buyers could spend."
    ),
    "scenarios": (
        "The figures again with every take rate halved (conservative) and one and a half times as high, "
        "at most 100% (optimistic), beside the rates as set (expected)."
    ),
}
