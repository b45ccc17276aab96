"""The engine's answers as plain data for the command line and the API: money as strings rounded to cents.

One place turns findings and metrics into text and JSON, so the command line, the API and the tests all
print the same figures the same way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.money import format_money, format_percent, money_string
from funnels.domain.checks.findings import Tally
from funnels.domain.checks.rules import Finding, Severity
from funnels.domain.metrics import (
    DEFINITIONS,
    ILLUSTRATIVE_NOTE,
    FunnelMetrics,
    Projection,
    Scenario,
)

PROBABILITY_PLACES = Decimal("0.000001")


def probability(value: Decimal) -> str:
    rounded = value.quantize(PROBABILITY_PLACES, rounding=ROUND_HALF_UP).normalize()
    return f"{rounded:f}"


def finding_where(finding: Finding) -> str:
    if finding.step:
        return finding.step
    return finding.stage.value if finding.stage else "funnel"


def finding_line(finding: Finding) -> str:
    """``error cycle up1: The flow loops … Hint: …`` — severity and code first, so it greps well; an acknowledged
    finding ends with ``(acknowledged: <the coach's reason>)``."""
    line = f"{finding.severity} {finding.code} {finding_where(finding)}: {finding.message} Hint: {finding.hint}"
    said = finding.acknowledgement
    return f"{line} (acknowledged: {said.reason})" if said is not None else line


def finding_data(finding: Finding) -> dict[str, Any]:
    """A finding as JSON; one on an offer's words also says whether (by whom, when, why) it was acknowledged."""
    data: dict[str, Any] = {
        "code": finding.code,
        "severity": str(finding.severity),
        "stage": str(finding.stage) if finding.stage else None,
        "step": finding.step,
        "message": finding.message,
        "hint": finding.hint,
    }
    if finding.can_be_acknowledged:
        said = finding.acknowledgement
        data["offer"] = finding.offer
        data["acknowledged"] = (
            {"reason": said.reason, "by": said.by, "at": said.at.isoformat()} if said is not None else None
        )
    return data


def tally_line(name: str, tally: Tally) -> str:
    """``Calm: 0 errors, 2 warnings`` (and ``, 1 acknowledged`` when a coach acknowledged any)."""
    line = f"{name}: {tally.errors} errors, {tally.warnings} warnings"
    return f"{line}, {tally.acknowledged} acknowledged" if tally.acknowledged else line


def has_errors(findings: tuple[Finding, ...]) -> bool:
    return any(f.severity is Severity.ERROR and f.is_open for f in findings)


def metrics_data(metrics: FunnelMetrics, projection: Projection, scenarios: tuple[Scenario, ...]) -> dict[str, Any]:
    distribution = metrics.distribution
    return {
        "currency": metrics.currency,
        "aov": money_string(metrics.aov),
        "revenue_per_buyer": money_string(metrics.revenue_per_buyer),
        "core_price": money_string(metrics.core_price),
        "uplift": money_string(metrics.uplift),
        "thank_you_revenue": money_string(metrics.thank_you_revenue),
        "std": money_string(metrics.std),
        "steps": [
            {
                "key": s.key,
                "offer": s.offer,
                "stage": str(s.stage),
                "slot": str(s.slot),
                "price": money_string(s.price),
                "take_rate": probability(s.take_rate),
                "reach": probability(s.reach),
                "take": probability(s.take),
                "expected_revenue": money_string(s.expected_revenue),
                "sensitivity": money_string(s.sensitivity),
            }
            for s in metrics.steps
        ],
        "projection": {
            "buyers": projection.buyers,
            "revenue": money_string(projection.revenue),
            "low": money_string(projection.low),
            "high": money_string(projection.high),
        },
        "percentiles": (
            {f"p{p}": money_string(v) for p, v in distribution.percentiles().items()} if distribution else None
        ),
        "distribution": (
            [
                {
                    "total": money_string(o.total),
                    "probability": probability(Decimal(o.probability.numerator) / Decimal(o.probability.denominator)),
                }
                for o in distribution.outcomes
            ]
            if distribution
            else None
        ),
        "distribution_note": metrics.distribution_note,
        "scenarios": [
            {
                "name": s.name,
                "label": s.label,
                "aov": money_string(s.aov),
                "revenue_per_buyer": money_string(s.revenue_per_buyer),
            }
            for s in scenarios
        ],
        "definitions": dict(DEFINITIONS),
        "note": ILLUSTRATIVE_NOTE,
    }


def metrics_lines(
    name: str, metrics: FunnelMetrics, projection: Projection, scenarios: tuple[Scenario, ...]
) -> list[str]:
    """A readable report: each figure with its definition beside it, and the note that it is illustrative."""
    cur = metrics.currency

    def m(value: Decimal) -> str:
        return format_money(value, cur)

    uplift_ratio = f"+{format_percent(metrics.uplift_ratio)}" if metrics.uplift_ratio is not None else "n/a"
    lines = [
        f"{name} — {cur}",
        f"  AOV                {m(metrics.aov):>14}   {DEFINITIONS['aov']}",
        f"  Revenue per buyer  {m(metrics.revenue_per_buyer):>14}   {DEFINITIONS['revenue_per_buyer']}",
        f"  Uplift over core   {m(metrics.uplift):>14}   ({uplift_ratio} of the core price) {DEFINITIONS['uplift']}",
        f"  Standard deviation {m(metrics.std):>14}   {DEFINITIONS['std']}",
        "",
        f"  {'stage':<14}{'step':<22}{'price':>12}{'reach':>9}{'take':>9}{'exp. revenue':>14}{'sensitivity':>14}",
    ]
    for s in metrics.steps:
        lines.append(
            f"  {str(s.stage):<14}{s.key[:21]:<22}{m(s.price):>12}{format_percent(s.reach):>9}"
            f"{format_percent(s.take):>9}{m(s.expected_revenue):>14}{m(s.sensitivity):>14}"
        )
    lines += [
        f"  reach: {DEFINITIONS['reach']}",
        f"  sensitivity: {DEFINITIONS['sensitivity']}",
        "",
        f"  Projection for {projection.buyers:,} buyers: {m(projection.revenue)} "
        f"(95% interval {m(projection.low)} to {m(projection.high)})",
        f"    {DEFINITIONS['projection']}",
    ]
    if metrics.distribution is not None:
        percentiles = ", ".join(f"p{p} {m(v)}" for p, v in metrics.distribution.percentiles().items())
        lines.append(f"  Order totals: {len(metrics.distribution.outcomes)} possible; {percentiles}")
    elif metrics.distribution_note:
        lines.append(f"  Order totals: {metrics.distribution_note}")
    lines.append("  Scenarios: " + "; ".join(f"{s.label} AOV {m(s.aov)}" for s in scenarios))
    lines += ["", f"  {ILLUSTRATIVE_NOTE}"]
    return lines
