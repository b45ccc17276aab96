"""The practice's funnels at a glance: each one's findings and AOV, from plans already loaded.

``funnels.selectors.funnel_load_all`` reads every funnel in four queries whatever their number; the checks
and the metrics here are pure and add none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import naturaltime

from core.money import format_money
from funnels.domain.checks.acknowledged import acknowledge
from funnels.domain.checks.findings import Tally
from funnels.domain.checks.rules import Finding, check_funnel
from funnels.domain.metrics import UncomputableFunnel, compute_metrics
from funnels.domain.plan import FunnelPlan, OfferSpec
from funnels.models import Funnel
from funnels.selectors import LoadedFunnel
from offers.domain.copy import Acknowledgement


@dataclass(frozen=True)
class FunnelSummary:
    """One row of the funnel list. ``aov`` is None when the funnel's figures cannot be worked out
    (a loop, an edge to nowhere), and ``aov_problem`` then says why."""

    funnel: Funnel
    plan: FunnelPlan
    step_count: int
    findings: tuple[Finding, ...]
    aov: Decimal | None
    aov_problem: str | None

    @property
    def core_offer(self) -> OfferSpec | None:
        return self.plan.core_offer

    @property
    def core_price(self) -> str:
        core = self.plan.core_offer
        return format_money(core.price, core.currency) if core is not None else ""

    @property
    def aov_text(self) -> str:
        return format_money(self.aov, self.plan.currency) if self.aov is not None else "—"

    @property
    def last_change(self) -> str:
        """When the funnel last changed, as people say it ("now", "3 hours ago")."""
        return naturaltime(self.funnel.updated_at)

    @property
    def error_count(self) -> int:
        return Tally.of(self.findings).errors

    @property
    def warning_count(self) -> int:
        return Tally.of(self.findings).warnings

    @property
    def acknowledged_count(self) -> int:
        """Copy findings a coach has reviewed and explained: listed in the editor, not counted as warnings."""
        return Tally.of(self.findings).acknowledged


def funnel_summaries(loaded: list[LoadedFunnel]) -> list[FunnelSummary]:
    """Every loaded funnel checked and measured, in the order given (pure: no queries)."""
    return [
        summarise(item.funnel, item.plan, step_count=len(item.steps), acknowledgements=item.acknowledgements)
        for item in loaded
    ]


def summarise(
    funnel: Funnel, plan: FunnelPlan, *, step_count: int, acknowledgements: tuple[Acknowledgement, ...] = ()
) -> FunnelSummary:
    """Check and measure one plan (pure: no queries); acknowledged copy findings are marked, not counted."""
    try:
        aov: Decimal | None = compute_metrics(plan, with_distribution=False).aov
        problem = None
    except UncomputableFunnel as uncomputable:
        aov, problem = None, uncomputable.reason
    return FunnelSummary(
        funnel=funnel,
        plan=plan,
        step_count=step_count,
        findings=acknowledge(check_funnel(plan), acknowledgements),
        aov=aov,
        aov_problem=problem,
    )
