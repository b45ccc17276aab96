"""The reality check, in one place to import from: what a practice's orders say about a funnel's take rates.

``purchases`` (a purchase; the funnel's places), ``paths`` (visits, paths and every row's count), ``intervals``
(Wilson's interval, sample sizes), ``figures`` (observed rates, realised and observed AOV with its interval),
``advice`` (``assumption-off`` findings, what to test next). Standard library only, like the rest of the domain.
"""

from __future__ import annotations

from funnels.domain.actuals.advice import (
    ASSUMPTION_OFF,
    NextTest,
    PlannedTest,
    assumption_findings,
    next_tests,
    planned_test,
)
from funnels.domain.actuals.figures import (
    Actuals,
    NoVisits,
    ObservedProjection,
    StepActual,
    compute_actuals,
    core_cents,
    place_prices,
    project_observed,
    with_place_rates,
)
from funnels.domain.actuals.intervals import (
    Interval,
    buyers_per_arm,
    observed_rate,
    shown_needed,
    wilson_interval,
)
from funnels.domain.actuals.paths import DEFAULT_WINDOW_MINUTES, ListedRow, PathCounter, PathCounts
from funnels.domain.actuals.purchases import STATUS_WORDS, FunnelPlaces, Place, Purchase, Status, funnel_places
from funnels.domain.plan import FunnelPlan

__all__ = [
    "ASSUMPTION_OFF",
    "DEFAULT_WINDOW_MINUTES",
    "STATUS_WORDS",
    "Actuals",
    "FunnelPlaces",
    "Interval",
    "ListedRow",
    "NextTest",
    "NoVisits",
    "ObservedProjection",
    "PathCounter",
    "PathCounts",
    "Place",
    "PlannedTest",
    "Purchase",
    "Status",
    "StepActual",
    "assumption_findings",
    "buyers_per_arm",
    "compute_actuals",
    "core_cents",
    "funnel_places",
    "new_counter",
    "next_tests",
    "observed_rate",
    "place_prices",
    "planned_test",
    "project_observed",
    "shown_needed",
    "wilson_interval",
    "with_place_rates",
]


def new_counter(plan: FunnelPlan, *, window_minutes: int = DEFAULT_WINDOW_MINUTES) -> tuple[FunnelPlaces, PathCounter]:
    """The funnel's places and a counter ready for its buyers, at the engine's prices. Raises
    ``UncomputableFunnel`` when the funnel's figures cannot be worked out at all (a loop, a missing step)."""
    places = funnel_places(plan)
    counter = PathCounter(
        plan, places, core_cents=core_cents(plan), prices=place_prices(plan, places), window_minutes=window_minutes
    )
    return places, counter
