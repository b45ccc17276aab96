"""The practice's funnels at a glance: each one's findings and AOV, from plans already loaded.

``funnels.selectors.funnel_load_all`` reads every funnel in four queries whatever their number; the checks
and the metrics here are pure and add none. The page passes each funnel's ``EngineFigures`` from the cache of work
done once per version (``funnels.presenters.analysis``), so a list of unchanged funnels recomputes none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.money import format_money
from funnels.domain.checks.acknowledged import acknowledge
from funnels.domain.checks.findings import Tally
from funnels.domain.checks.rules import Finding
from funnels.domain.plan import FunnelPlan, OfferSpec
from funnels.figures import EngineFigures, figures_of
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
    def error_count(self) -> int:
        return Tally.of(self.findings).errors

    @property
    def warning_count(self) -> int:
        return Tally.of(self.findings).warnings

    @property
    def acknowledged_count(self) -> int:
        """Copy findings a coach has reviewed and explained: listed in the editor, not counted as warnings."""
        return Tally.of(self.findings).acknowledged


def funnel_summaries(loaded: list[LoadedFunnel], figures: Sequence[EngineFigures] | None = None) -> list[FunnelSummary]:
    """Every loaded funnel checked and measured, in the order given (pure: no queries). ``figures``: each one's
    findings and metrics already worked out (cached), in the same order; else they are worked out here."""
    found = figures if figures is not None else [figures_of(item.plan) for item in loaded]
    return [
        summarise(
            item.funnel,
            item.plan,
            step_count=len(item.steps),
            acknowledgements=item.acknowledgements,
            figures=figured,
        )
        for item, figured in zip(loaded, found, strict=True)
    ]


def summarise(
    funnel: Funnel,
    plan: FunnelPlan,
    *,
    step_count: int,
    acknowledgements: tuple[Acknowledgement, ...] = (),
    figures: EngineFigures | None = None,
) -> FunnelSummary:
    """One row (pure: no queries): acknowledged copy findings are marked, not counted."""
    figured = figures if figures is not None else figures_of(plan)
    return FunnelSummary(
        funnel=funnel,
        plan=plan,
        step_count=step_count,
        findings=acknowledge(figured.findings, acknowledgements),
        aov=figured.metrics.aov if figured.metrics is not None else None,
        aov_problem=figured.problem,
    )
