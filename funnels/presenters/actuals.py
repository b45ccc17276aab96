"""What the actuals page shows (``/funnels/<slug>/actuals/``), built from loaded rows: no queries, no HTTP.

The kept counts of the latest accepted upload become the figures again against the funnel as it is now, so a
rate the coach has just adopted shows as the new assumption. Each step's interval is drawn as a bar on a 0–100
scale whose geometry is worked out here (the page's CSP allows no inline style, so the SVG carries attributes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from core.money import format_money, format_percent
from funnels.domain.actuals import (
    Actuals,
    ListedRow,
    NoVisits,
    PlannedTest,
    StepActual,
    assumption_findings,
    compute_actuals,
    funnel_places,
    next_tests,
    planned_test,
    project_observed,
)
from funnels.domain.checks.findings import Finding
from funnels.domain.metrics import UncomputableFunnel
from funnels.domain.plan import FunnelPlan, Stage
from funnels.models import OrdersUpload
from funnels.presenters.actuals_diagram import observed_diagram
from funnels.presenters.diagram import FlowDiagram
from funnels.services.orders_uploads import counts_from_data

BAR_WIDTH = 300
PROJECTION_BUYERS = 1000


@dataclass(frozen=True)
class StepRow:
    anchor: str
    key: str
    stage: str
    offer_name: str
    shown: str
    accepted: str
    observed: str
    interval: str
    assumed: str
    off: bool
    seen: bool
    bar_low: int = 0
    bar_width: int = 0
    bar_rate: int = 0
    bar_assumed: int = 0


@dataclass(frozen=True)
class NextRow:
    offer_name: str
    stage: str
    moves: str
    more: str


@dataclass(frozen=True)
class ListedLine:
    row: int
    buyer: str
    offer: str
    placed_at: str
    reason: str


@dataclass
class ActualsResults:
    upload: OrdersUpload
    visits: str
    rows: str
    realised_aov: str
    forecast_aov: str
    observed_aov: str
    observed_range: str
    projection: str
    counts: dict[str, str]
    steps: list[StepRow]
    findings: tuple[Finding, ...]
    next_rows: list[NextRow]
    diagram: FlowDiagram
    off_path_rows: list[ListedLine]
    unmatched_rows: list[ListedLine]
    notes: list[str]
    rates_to_use: int
    step_choices: list[tuple[str, str]]
    planned: str = ""
    planned_problem: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _x(rate: Decimal) -> int:
    return int(rate * BAR_WIDTH)


def _row(step: StepActual) -> StepRow:
    interval = step.interval
    common = {
        "anchor": f"actual-{step.place.stage}-{step.place.key}",
        "key": step.place.key,
        "stage": step.place.stage.label,
        "offer_name": step.offer_name,
        "shown": f"{step.shown:,}",
        "accepted": f"{step.accepted:,}",
        "assumed": format_percent(step.assumed),
        "off": step.assumption_off,
        "seen": step.seen,
        "bar_assumed": _x(step.assumed),
    }
    if step.rate is None or interval is None:
        return StepRow(observed="not seen", interval="", **common)  # type: ignore[arg-type]
    return StepRow(
        observed=format_percent(step.rate),
        interval=f"{format_percent(interval.low)}–{format_percent(interval.high)}",
        bar_low=_x(interval.low),
        bar_width=max(1, _x(interval.high) - _x(interval.low)),
        bar_rate=_x(step.rate),
        **common,  # type: ignore[arg-type]
    )


def _listed(rows: list[ListedRow], offers: dict[str, str]) -> list[ListedLine]:
    return [
        ListedLine(
            row=r.purchase.row,
            buyer=r.purchase.buyer,
            offer=offers.get(r.purchase.offer, r.purchase.offer or "(not an offer)"),
            placed_at=datetime.fromtimestamp(r.purchase.at / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M UTC"),
            reason=r.reason,
        )
        for r in rows[:100]
    ]


class StaleUpload(Exception):
    """The funnel's steps changed since the upload was read: its counts no longer fit."""


def actuals_results(
    plan: FunnelPlan, upload: OrdersUpload, *, planned_step: str = "", change: Decimal | None = None
) -> ActualsResults:
    """Raises ``StaleUpload`` when the funnel's places changed, ``NoVisits``/``UncomputableFunnel`` otherwise."""
    counts = counts_from_data(plan, upload.result or {})
    if counts is None:
        raise StaleUpload("The funnel's steps have changed since this file was read; upload it again.")
    actuals = compute_actuals(plan, funnel_places(plan), counts, window_minutes=upload.window_minutes)
    cur = plan.currency

    def m(value: Decimal) -> str:
        return format_money(value, cur)

    projection = project_observed(actuals, PROJECTION_BUYERS)
    offers = {o.key: o.name for o in plan.offers}
    results = ActualsResults(
        upload=upload,
        visits=f"{actuals.visits:,}",
        rows=f"{counts.rows:,}",
        realised_aov=m(actuals.realised_aov),
        forecast_aov=m(actuals.forecast_aov),
        observed_aov=m(actuals.observed_aov),
        observed_range=f"{m(actuals.observed_interval.low)} to {m(actuals.observed_interval.high)}",
        projection=(
            f"For {PROJECTION_BUYERS:,} future buyers: {m(projection.revenue)} "
            f"(95%: {m(projection.low)} to {m(projection.high)})"
        ),
        counts={
            "explained": f"{counts.explained:,}",
            "off_path": f"{counts.off_path:,}",
            "unmatched": f"{counts.unmatched:,}",
            "refunded": f"{counts.refunded:,}",
            "failed": f"{counts.failed:,}",
        },
        steps=[_row(s) for s in actuals.steps],
        findings=assumption_findings(actuals),
        next_rows=[_next(t.step, t.moves, t.more_visits, t.more_shown, cur) for t in next_tests(actuals)],
        diagram=observed_diagram(plan, actuals),
        off_path_rows=_listed(actuals.off_path_rows, offers),
        unmatched_rows=_listed(actuals.unmatched_rows, offers),
        notes=list((upload.result or {}).get("notes", [])),
        rates_to_use=sum(1 for s in actuals.steps if s.rate is not None),
        step_choices=[
            (f"{s.place.stage}:{s.place.key}", f"{s.offer_name} ({s.place.stage.label})") for s in actuals.steps
        ],
    )
    if planned_step and change is not None:
        step = next((s for s in actuals.steps if f"{s.place.stage}:{s.place.key}" == planned_step), None)
        if step is None:
            results.planned_problem = "Choose one of this funnel's steps."
        else:
            try:
                results.planned = _planned_words(planned_test(actuals, step, change))
            except ValueError as refused:
                results.planned_problem = str(refused).capitalize() + "."
    return results


def _next(step: StepActual, moves: Decimal, more_visits: int | None, more_shown: int, currency: str) -> NextRow:
    if more_shown == 0:
        more = "already within ±2 points"
    elif more_visits is None:
        more = f"{more_shown:,} more buyers must see it; no visit reaches it yet"
    else:
        more = f"{more_visits:,} more visits ({more_shown:,} more buyers seeing it) for ±2 points"
    what = "revenue per buyer" if step.place.stage is Stage.THANK_YOU else "the AOV"
    return NextRow(step.offer_name, step.place.stage.label, f"{format_money(moves, currency)} of {what}", more)


def _planned_words(test: PlannedTest) -> str:
    visits = f" (about {test.visits_per_arm:,} visits each)" if test.visits_per_arm else ""
    return (
        f"To tell {format_percent(test.rate)} from {format_percent(test.changed)} for {test.step.offer_name} at 95% "
        f"confidence and 80% power, show each version to {test.per_arm:,} buyers{visits}."
    )


__all__ = ["ActualsResults", "NoVisits", "StaleUpload", "UncomputableFunnel", "actuals_results"]


def observed_rates_of(plan: FunnelPlan, upload: OrdersUpload) -> dict[tuple[Stage, str], Decimal]:
    """The observed rate of every step some buyer saw, by (stage, key), for "use the observed rates"."""
    counts = counts_from_data(plan, upload.result or {})
    if counts is None:
        raise StaleUpload("The funnel's steps have changed since this file was read; upload it again.")
    actuals: Actuals = compute_actuals(plan, funnel_places(plan), counts, window_minutes=upload.window_minutes)
    return {(place.stage, place.key): rate for place, rate in actuals.observed_rates().items()}
