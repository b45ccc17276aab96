"""What the editor page shows, built from a loaded funnel: the figures bar, the cards of each column, the
findings, the offer-by-offer figures and the diagram.

Pure presentation of the engine's answers (no queries, no HTTP): the views load a funnel once, pass it here,
and render the page or the parts an htmx edit swaps. The checks, the metrics and the diagram's layout are
worked out once per version of the funnel and cached (``funnels.presenters.analysis``), then shared by the
figures bar, the cards' marks, the findings panel and the diagram.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accounts.access import WorkspaceRequest
from core.money import format_money, format_percent, quantize_money
from funnels.domain.checks.findings import Tally
from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE, FunnelMetrics
from funnels.domain.plan import FunnelPlan, Slot, Stage
from funnels.models import FunnelStatus
from funnels.presenters.analysis import funnel_analysis
from funnels.presenters.anchors import COLUMN_IDS as COLUMN_IDS  # the views and tests name them from here
from funnels.presenters.anchors import step_anchor as step_anchor
from funnels.presenters.editor_rows import EDGE_WORDS as EDGE_WORDS
from funnels.presenters.editor_rows import Refusal, RowBuilder
from funnels.presenters.findings_panel import finding_items
from funnels.presenters.history import undo_controls
from funnels.selectors import LoadedFunnel


@dataclass(frozen=True)
class Alert:
    """The line under the figures bar that says what an edit did; ``undo`` carries a signed removal to take
    back, ``reload_url`` the way out of a stale edit."""

    level: str  # "success" | "error"
    text: str
    reload_url: str = ""
    undo: str = ""


@dataclass(frozen=True)
class StepFigure:
    key: str
    anchor: str
    href: str
    name: str
    where: str
    take_rate: str
    reach: str
    expected: str
    expected_bar: str
    sensitivity: str
    per_point: str
    sensitivity_bar: str


@dataclass(frozen=True)
class ShownFigures:
    """The editor's figures as text: the bar's and the side panel's, with the weightiest offers' bars."""

    aov: str
    revenue_per_buyer: str
    uplift: str
    uplift_ratio: str
    core_price: str
    thank_you_revenue: str
    steps: tuple[StepFigure, ...]  # the offers whose take rate moves the AOV most, at most SIDE_STEPS of them
    step_count: int  # how many offers the funnel has in all
    expected_max: str
    sensitivity_max: str


def _bar(value: Decimal) -> str:
    """A <meter>'s value: cents, never below zero (a negative figure is still printed beside it)."""
    return str(max(quantize_money(value), Decimal(0)))


SIDE_STEPS = 8
"""The side panel lists the offers whose take rate moves the AOV most, not every offer: a long funnel's panel
stays short (and the page's size linear), and the forecast page lists them all."""


def shown_figures(metrics: FunnelMetrics, names: dict[str, str]) -> ShownFigures:
    cur = metrics.currency
    weightiest = sorted(metrics.steps, key=lambda s: -abs(s.sensitivity))[:SIDE_STEPS]
    steps = tuple(
        StepFigure(
            key=s.key,
            anchor=step_anchor(s.stage, s.key),
            href="#" + step_anchor(s.stage, s.key),
            name=s.offer_name,
            where=s.stage.label,
            take_rate=format_percent(s.take_rate),
            reach=format_percent(s.reach),
            expected=format_money(s.expected_revenue, cur),
            expected_bar=_bar(s.expected_revenue),
            sensitivity=format_money(s.sensitivity, cur),
            per_point=("+" if s.sensitivity >= 0 else "") + format_money(s.sensitivity / 100, cur),
            sensitivity_bar=_bar(s.sensitivity),
        )
        for s in weightiest
    )

    def top(values: list[str]) -> str:
        return str(max([Decimal(v) for v in values] + [Decimal("0.01")]))

    return ShownFigures(
        aov=format_money(metrics.aov, cur),
        revenue_per_buyer=format_money(metrics.revenue_per_buyer, cur),
        uplift=format_money(metrics.uplift, cur),
        uplift_ratio=format_percent(metrics.uplift_ratio) if metrics.uplift_ratio is not None else "",
        core_price=format_money(metrics.core_price, cur),
        thank_you_revenue=format_money(metrics.thank_you_revenue, cur),
        steps=steps,
        step_count=len(metrics.steps),
        expected_max=top([s.expected_bar for s in steps]),
        sensitivity_max=top([s.sensitivity_bar for s in steps]),
    )


def offer_names(plan: FunnelPlan) -> dict[str, str]:
    """Each placed step's key → its offer's name, so no message shows a key where a name exists."""
    offers = {o.key: o.name for o in plan.offers}
    names = {p.key: offers.get(p.offer, p.key) for p in plan.placements}
    return names | {s.key: offers.get(s.offer, s.key) for s in plan.steps}


def _message(refusal: Refusal | None, control: str) -> str:
    return refusal.message if refusal is not None and refusal.control == control else ""


def editor_context(
    request: WorkspaceRequest,
    loaded: LoadedFunnel,
    *,
    refusal: Refusal | None = None,
    alert: Alert | None = None,
    workspace: bool = True,
) -> dict[str, object]:
    funnel, plan, steps = loaded.funnel, loaded.plan, loaded.steps
    analysis = funnel_analysis(practice=funnel.practice, loaded=loaded)  # once per version, then cached
    tally = Tally.of(analysis.findings)
    names = offer_names(plan)
    can_edit = request.workspace.can_edit_funnels
    rows = RowBuilder(plan, steps, analysis.findings, refusal)
    # the cards are built only where the page's workspace is rendered (not when it comes from the cache)
    one_click, stranded = rows.one_click() if workspace else ([], [])
    refused = (refusal.control, refusal.message, refusal.typed("reason")) if refusal else None
    core = funnel.core_offer
    return {
        "nav": "funnels",
        "funnel": funnel,
        "version": funnel.version,
        "can_edit": can_edit,
        "statuses": FunnelStatus.choices,
        "head_error": _message(refusal, "head"),
        "entered_name": refusal.typed("name") if refusal and refusal.control == "head" else "",
        "core": {
            "key": core.key,
            "name": core.name,
            "price": format_money(core.price, plan.currency),
            "anchor": step_anchor(Stage.CHECKOUT, core.key),
            "error": _message(refusal, "core"),
        },
        "bumps": rows.placements(Stage.CHECKOUT, Slot.BUMP) if workspace else [],
        "checkout_cross_sells": rows.placements(Stage.CHECKOUT, Slot.CROSS_SELL) if workspace else [],
        "one_click": one_click,
        "stranded": stranded,
        "open_first_step": not one_click and not stranded,  # an empty funnel opens its first "add" at once
        "start_name": names.get(plan.start or "", "") if plan.start else "",
        "start_anchor": step_anchor(Stage.POST_PURCHASE, plan.start) if plan.start else "",
        "thank_you": rows.placements(Stage.THANK_YOU, Slot.CROSS_SELL) if workspace else [],
        "order_errors": {stage.value: _message(refusal, f"order:{stage.value}") for stage in Stage},
        "add_error": _message(refusal, "add"),
        "figures": shown_figures(analysis.metrics, names) if analysis.metrics is not None else None,
        "uncomputable": analysis.problem or "",
        "definitions": DEFINITIONS,
        "illustrative_note": ILLUSTRATIVE_NOTE,
        "alert": alert,
        "findings": finding_items(analysis.findings, refused=refused, names=names),
        "error_count": tally.errors,
        "warning_count": tally.warnings,
        "acknowledged_count": tally.acknowledged,
        "diagram": analysis.diagram,
        "rows": rows,  # an edit of one card renders just that card: ``rows.find(stage, key)``
        "undo_controls": (
            undo_controls(practice=funnel.practice, funnel=funnel, user=request.user) if can_edit else None
        ),
    }
