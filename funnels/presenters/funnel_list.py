"""The practice's funnels at a glance: each one's plan, findings and AOV, read in a fixed number of queries.

The list page must not cost a query per funnel or per step, so all funnels, all their steps and every offer
they name are read at once (three queries whatever their number) and each ``FunnelPlan`` is then built in
memory exactly as ``funnel_load`` builds it, so the list and the editor cannot disagree. The checks and the
metrics are pure and add no queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.db.models import Q

from accounts.models import Practice
from core.money import format_money
from funnels.domain.checks.findings import Tally
from funnels.domain.checks.rules import Finding, check_funnel
from funnels.domain.metrics import UncomputableFunnel, compute_metrics
from funnels.domain.plan import FunnelPlan, OfferSpec
from funnels.models import Funnel, FunnelStep
from funnels.selectors import plan_from_rows
from offers.models import Offer


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


def funnel_summaries(*, practice: Practice) -> list[FunnelSummary]:
    """Every funnel of the practice, by name, with its findings and AOV: three queries however many."""
    funnels = list(Funnel.objects.filter(practice=practice).order_by("name", "slug"))
    if not funnels:
        return []
    steps_by_funnel: dict[int, list[FunnelStep]] = {f.pk: [] for f in funnels}
    for step in FunnelStep.objects.filter(funnel__practice=practice).order_by("funnel", "stage", "position", "id"):
        steps_by_funnel[step.funnel_id].append(step)
    used = {f.core_offer_id for f in funnels} | {s.offer_id for steps in steps_by_funnel.values() for s in steps}
    offers = {
        o.pk: o
        for o in Offer.objects.filter(Q(pk__in=used) | Q(upgrades__pk__in=used))
        .select_related("replaces", "practice")
        .distinct()
    }
    return [
        summarise(f, plan_from_rows(practice=practice, funnel=f, steps=steps, offers=offers), step_count=len(steps))
        for f in funnels
        for steps in (steps_by_funnel[f.pk],)
    ]


def summarise(funnel: Funnel, plan: FunnelPlan, *, step_count: int) -> FunnelSummary:
    """Check and measure one plan (pure: no queries)."""
    try:
        aov: Decimal | None = compute_metrics(plan, with_distribution=False).aov
        problem = None
    except UncomputableFunnel as uncomputable:
        aov, problem = None, uncomputable.reason
    return FunnelSummary(
        funnel=funnel, plan=plan, step_count=step_count, findings=check_funnel(plan), aov=aov, aov_problem=problem
    )


def funnel_step_count(*, practice: Practice, funnel: Funnel) -> int:
    return FunnelStep.objects.filter(funnel=funnel, funnel__practice=practice).count()
