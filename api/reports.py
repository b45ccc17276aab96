"""The forecast as the command line prints it: ``manage.py funnel aov FILE --json`` builds this same object from
the same presenters (``funnels.presenters.cli``), so a script reading ``/metrics`` and one running the command
on the exported file get equal answers (a test holds them to it)."""

from __future__ import annotations

from typing import Any

from accounts.models import Practice
from funnels.domain.checks.acknowledged import acknowledge
from funnels.domain.checks.findings import Finding
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import UncomputableFunnel, compute_metrics, project, scenarios
from funnels.domain.plan import FunnelPlan
from funnels.presenters.cli import finding_data, metrics_data
from offers.selectors import copy_acknowledgements

BUYERS_DEFAULT = 1000
BUYERS_MAX = 1_000_000_000


def checked(plan: FunnelPlan, practice: Practice) -> tuple[Finding, ...]:
    """The plan's findings, those the practice acknowledged on the same words marked (as ``--practice`` does)."""
    return acknowledge(check_funnel(plan), copy_acknowledgements(practice=practice, keys=[o.key for o in plan.offers]))


def aov_report(plan: FunnelPlan, findings: tuple[Finding, ...], buyers: int) -> dict[str, Any]:
    """``funnel aov --json``'s object for ``plan``: the figures, or the reason there are none."""
    try:
        metrics = compute_metrics(plan)
    except UncomputableFunnel as error:
        return {
            "name": plan.name,
            "currency": plan.currency,
            "aov": None,
            "error": str(error),
            "findings": [finding_data(f) for f in findings],
        }
    data = {"name": plan.name, **metrics_data(metrics, project(metrics, buyers), scenarios(plan))}
    data["findings"] = [finding_data(f) for f in findings]
    return data
