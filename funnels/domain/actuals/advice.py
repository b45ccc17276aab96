"""What the observed rates say to do: which assumption is wrong, and what to test next.

``assumption-off`` is a warning on a step whose assumed rate lies outside its observed 95% interval, worded
with the numbers a coach needs to believe it. "What to test next" ranks the steps by how far their remaining
uncertainty moves the AOV (sensitivity × interval width), with the buyers still needed to narrow each interval
to ±2 points; a planned change (a new price, new copy) gets the buyers each version needs before a given change
in its take rate would show at 95% confidence and 80% power.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from core.money import format_percent
from funnels.domain.actuals.figures import Actuals, StepActual
from funnels.domain.actuals.intervals import TARGET_HALF_WIDTH, buyers_per_arm, shown_needed
from funnels.domain.checks.findings import Finding, Severity

ASSUMPTION_OFF = "assumption-off"
ASSUMPTION_OFF_HINT = (
    "Use the observed rate in the forecast, or change the offer (its price or its words) and test the change."
)


def assumption_findings(actuals: Actuals) -> tuple[Finding, ...]:
    """One warning per step whose assumed rate lies outside its interval, in the funnel's order."""
    found = []
    for step in actuals.steps:
        if not step.assumption_off or step.rate is None or step.interval is None:
            continue
        saw = "buyer saw" if step.shown == 1 else "buyers saw"
        message = (
            f"You assumed {format_percent(step.assumed)} for {step.offer_name}; {step.shown:,} {saw} it and "
            f"{format_percent(step.rate)} said yes (95%: {format_percent(step.interval.low)}–"
            f"{format_percent(step.interval.high)})."
        )
        found.append(
            Finding(
                code=ASSUMPTION_OFF,
                severity=Severity.WARNING,
                stage=step.place.stage,
                step=step.place.key,
                message=message,
                hint=ASSUMPTION_OFF_HINT,
                offer=step.place.offer,
            )
        )
    return tuple(found)


@dataclass(frozen=True)
class NextTest:
    """A step worth more evidence: ``moves`` is how far its uncertainty moves the AOV (thank-you page: revenue
    per buyer); ``more_shown`` how many more buyers must see it for ±2 points, ``more_visits`` how many more
    visits that takes at the step's observed reach (None: no visit reaches it yet)."""

    step: StepActual
    moves: Decimal
    shown_needed: int
    more_shown: int
    more_visits: int | None


def next_tests(actuals: Actuals, target: Decimal = TARGET_HALF_WIDTH) -> tuple[NextTest, ...]:
    """Every step, the one whose uncertainty moves the AOV most first (ties: the funnel's order)."""
    found = []
    for step in actuals.steps:
        needed = shown_needed(step.used, target)
        more = max(0, needed - step.shown)
        found.append(
            NextTest(
                step=step,
                moves=step.uncertainty_moves,
                shown_needed=needed,
                more_shown=more,
                more_visits=_visits_for(more, step, actuals.visits),
            )
        )
    order = {id(t): i for i, t in enumerate(found)}
    return tuple(sorted(found, key=lambda t: (-t.moves, order[id(t)])))


@dataclass(frozen=True)
class PlannedTest:
    """A test of a change to one step: each version must be shown to ``per_arm`` buyers (``visits_per_arm``
    visits at the step's observed reach, None where no visit reaches it yet)."""

    step: StepActual
    rate: Decimal
    changed: Decimal
    per_arm: int
    visits_per_arm: int | None


def planned_test(actuals: Actuals, step: StepActual, change: Decimal) -> PlannedTest:
    """The buyers each version needs to detect the rate moving by ``change`` (0.05: five points, either sign)."""
    changed = step.used + change
    if change == 0:
        raise ValueError("choose a change in take rate other than zero")
    if not 0 <= changed <= 1:
        raise ValueError(
            f"{format_percent(step.used)} changed by {format_percent(change)} leaves 0–100%; choose a smaller change"
        )
    per_arm = buyers_per_arm(step.used, changed)
    return PlannedTest(step, step.used, changed, per_arm, _visits_for(per_arm, step, actuals.visits))


def _visits_for(shown: int, step: StepActual, visits: int) -> int | None:
    """Visits needed for ``shown`` more buyers to see the step, at its observed share of visits."""
    if shown == 0:
        return 0
    if step.shown == 0:
        return None
    return math.ceil(shown * visits / step.shown)
