"""``funnel actuals FILE ORDERS.csv`` — the reality check on the command line, and its figures as plain data.

The funnel file's offers are the catalog here, so an orders row naming any other key is an unknown offer (a
problem, exit 2). Money is printed as decimal strings to the cent, rates as decimal strings (six places), as
``funnel aov`` prints them. Exit codes as the other subcommands: 0, 1 when the funnel itself has errors, 2 when
a file cannot be used (each problem with its row and column).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from io import TextIOBase
from pathlib import Path
from typing import Any

from core.money import format_money, format_percent, money_string
from funnels.domain.actuals import (
    Actuals,
    ListedRow,
    NoVisits,
    assumption_findings,
    next_tests,
    planned_test,
    project_observed,
)
from funnels.domain.checks.findings import Finding
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import UncomputableFunnel
from funnels.domain.plan import FunnelPlan
from funnels.interchange.orders import OrdersFileError
from funnels.presenters.cli import finding_data, finding_line, has_errors, probability
from funnels.services.actuals import orders_actuals, orders_count
from funnels.services.transfer import read_plan

EXIT_OK, EXIT_ERRORS, EXIT_UNUSABLE = 0, 1, 2
MAX_WINDOW = 7 * 24 * 60
DEFAULT_CHANGE = Decimal("0.05")


def add_actuals_arguments(parser: Any) -> None:
    parser.add_argument("file", help="a funnel JSON file")
    parser.add_argument("orders", help="an orders CSV file (offer-architect/orders@1)")
    parser.add_argument("--window", type=int, default=60, help="minutes after a core purchase that belong to it")
    parser.add_argument("--buyers", type=int, default=1000, help="future buyers for the projection (default 1000)")
    parser.add_argument("--change", default="0.05", help="take-rate change a planned test should detect (0.05)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def rate(value: Decimal | None) -> str | None:
    return probability(value) if value is not None else None


def when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat()


def listed(rows: list[ListedRow]) -> list[dict[str, Any]]:
    return [
        {
            "row": r.purchase.row,
            "buyer": r.purchase.buyer,
            "offer": r.purchase.offer,
            "placed_at": when(r.purchase.at),
            "reason": r.reason,
        }
        for r in rows
    ]


def actuals_data(
    plan: FunnelPlan, actuals: Actuals, *, buyers: int, change: Decimal, funnel_findings: tuple[Finding, ...] = ()
) -> dict[str, Any]:
    """The whole reality check as one JSON-able object."""
    counts = actuals.counts
    projection = project_observed(actuals, buyers)
    planned: list[dict[str, Any]] = []
    for step in actuals.steps:
        try:
            test = planned_test(actuals, step, change)
        except ValueError as refused:
            planned.append({"key": step.place.key, "stage": str(step.place.stage), "problem": str(refused)})
            continue
        planned.append(
            {
                "key": step.place.key,
                "stage": str(step.place.stage),
                "rate": probability(test.rate),
                "changed": probability(test.changed),
                "per_arm": test.per_arm,
                "visits_per_arm": test.visits_per_arm,
            }
        )
    return {
        "name": plan.name,
        "currency": plan.currency,
        "window_minutes": actuals.window_minutes,
        "rows": counts.rows,
        "visits": actuals.visits,
        "realised_aov": money_string(actuals.realised_aov),
        "paid_aov": money_string(actuals.paid_aov),
        "forecast_aov": money_string(actuals.forecast_aov),
        "observed_aov": money_string(actuals.observed_aov),
        "observed_aov_low": money_string(actuals.observed_interval.low),
        "observed_aov_high": money_string(actuals.observed_interval.high),
        "observed_revenue_per_buyer": money_string(actuals.observed_revenue_per_buyer),
        "explained": counts.explained,
        "off_path": counts.off_path,
        "unmatched": counts.unmatched,
        "refunded": counts.refunded,
        "failed": counts.failed,
        "steps": [
            {
                "key": s.place.key,
                "stage": str(s.place.stage),
                "offer": s.place.offer,
                "offer_name": s.offer_name,
                "shown": s.shown,
                "accepted": s.accepted,
                "rate": rate(s.rate),
                "low": rate(s.interval.low) if s.interval else None,
                "high": rate(s.interval.high) if s.interval else None,
                "assumed": probability(s.assumed),
                "seen": s.seen,
                "assumption_off": s.assumption_off,
                "sensitivity": money_string(s.sensitivity),
            }
            for s in actuals.steps
        ],
        "projection": {
            "buyers": projection.buyers,
            "revenue": money_string(projection.revenue),
            "low": money_string(projection.low),
            "high": money_string(projection.high),
        },
        "test_next": [
            {
                "key": t.step.place.key,
                "stage": str(t.step.place.stage),
                "moves": money_string(t.moves),
                "shown_needed": t.shown_needed,
                "more_shown": t.more_shown,
                "more_visits": t.more_visits,
            }
            for t in next_tests(actuals)
        ],
        "planned_change": {"change": probability(change), "steps": planned},
        "findings": [finding_data(f) for f in assumption_findings(actuals)],
        "funnel_findings": [finding_data(f) for f in funnel_findings],
        "off_path_rows": listed(actuals.off_path_rows),
        "unmatched_rows": listed(actuals.unmatched_rows),
    }


def actuals_lines(plan: FunnelPlan, actuals: Actuals, *, buyers: int) -> list[str]:
    cur = plan.currency

    def m(value: Decimal) -> str:
        return format_money(value, cur)

    counts = actuals.counts
    low, high = actuals.observed_interval.low, actuals.observed_interval.high
    lines = [
        f"{plan.name} — {actuals.visits:,} visits from {counts.rows:,} rows (window {actuals.window_minutes} minutes)",
        f"  Realised AOV   {m(actuals.realised_aov):>12}   the mean order value over the visits",
        f"  Forecast AOV   {m(actuals.forecast_aov):>12}   at the take rates you assumed",
        f"  Observed AOV   {m(actuals.observed_aov):>12}   at the observed rates (95%: {m(low)} to {m(high)})",
        f"  Rows: {counts.explained:,} explained, {counts.off_path:,} off-path, {counts.unmatched:,} unmatched, "
        f"{counts.refunded:,} refunded, {counts.failed:,} failed",
        "",
        f"  {'step':<20}{'stage':<15}{'shown':>9}{'yes':>8}{'observed':>10}{'95% interval':>18}{'assumed':>9}",
    ]
    for s in actuals.steps:
        observed = format_percent(s.rate) if s.rate is not None else "not seen"
        interval = f"{format_percent(s.interval.low)}–{format_percent(s.interval.high)}" if s.interval else ""
        mark = "  ← off" if s.assumption_off else ""
        lines.append(
            f"  {s.place.key[:19]:<20}{str(s.place.stage):<15}{s.shown:>9,}{s.accepted:>8,}{observed:>10}"
            f"{interval:>18}{format_percent(s.assumed):>9}{mark}"
        )
    projection = project_observed(actuals, buyers)
    lines += [
        "",
        f"  For {buyers:,} future buyers: {m(projection.revenue)} (95%: {m(projection.low)} to {m(projection.high)})",
        "  What to test next (how far each step's uncertainty moves the AOV):",
    ]
    for t in next_tests(actuals)[:5]:
        more = f"{t.more_visits:,} more visits" if t.more_visits is not None else "no visit reaches it yet"
        lines.append(f"    {t.step.place.key:<20} {m(t.moves):>10} across its interval; for ±2 points: {more}")
    return lines


def run_actuals(options: dict[str, Any], funnel_raw: bytes, out: TextIOBase, err: TextIOBase) -> int:
    """The subcommand; a bad funnel file raises ``FunnelFileError`` for the command to report."""
    window, buyers = options["window"], options["buyers"]
    orders_name = options["orders"]
    if not 0 <= window <= MAX_WINDOW:
        err.write(f"--window must be between 0 and {MAX_WINDOW:,} minutes, not {window}\n")
        return EXIT_UNUSABLE
    if not 1 <= buyers <= 1_000_000_000:
        err.write(f"--buyers must be between 1 and 1,000,000,000, not {buyers}\n")
        return EXIT_UNUSABLE
    try:
        change = Decimal(options["change"])
        if not change.is_finite() or not 0 < abs(change) < 1:
            raise ValueError
    except (ArithmeticError, ValueError):
        err.write(
            "--change must be a take-rate change between -1 and 1 other than 0, such as 0.05, "
            f"not {options['change']}\n"
        )
        return EXIT_UNUSABLE
    plan = read_plan(raw=funnel_raw)
    try:
        with Path(orders_name).open("rb") as stream:
            counted = orders_count(
                plan=plan, stream=stream, catalog=[o.key for o in plan.offers], window_minutes=window
            )
        actuals = orders_actuals(plan=plan, counted=counted)
    except OSError as error:
        err.write(f"{orders_name}: cannot be read: {error.strerror or error}\n")
        return EXIT_UNUSABLE
    except OrdersFileError as refused:
        for problem in refused.problems:
            err.write(f"{orders_name}: {problem}\n")
        if refused.total > len(refused.problems):
            err.write(f"{orders_name}: and {refused.total - len(refused.problems):,} more problems\n")
        return EXIT_UNUSABLE
    except (NoVisits, UncomputableFunnel) as error:
        err.write(f"{orders_name}: {error}\n")
        return EXIT_UNUSABLE
    funnel_findings = check_funnel(plan)
    if options["json"]:
        data = actuals_data(plan, actuals, buyers=buyers, change=change, funnel_findings=funnel_findings)
        data["notes"] = list(counted.notes)
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        for line in actuals_lines(plan, actuals, buyers=buyers):
            out.write(line + "\n")
        findings = assumption_findings(actuals)
        if findings:
            out.write("\n")
            for finding in findings:
                out.write(finding_line(finding) + "\n")
    return EXIT_ERRORS if has_errors(funnel_findings) else EXIT_OK
