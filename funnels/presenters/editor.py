"""What the editor page shows, built from a loaded funnel: rows per column, "add" choices, findings, figures.

Pure presentation of the engine's answers (no queries, no HTTP): the views load a funnel once, pass it here,
and render the page or the parts an htmx edit swaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.access import WorkspaceRequest
from core.money import format_money, format_percent, percent_input, quantize_money
from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE, UncomputableFunnel, compute_metrics
from funnels.domain.plan import FunnelPlan, Placement, Slot, Stage, Step
from funnels.forms import (
    THANK_YOU_CHOICE,
    Place,
)
from funnels.models import FunnelStep
from funnels.presenters.anchors import COLUMN_IDS as COLUMN_IDS  # the views and tests name them from here
from funnels.presenters.anchors import step_anchor as step_anchor
from funnels.presenters.findings_panel import findings_context
from funnels.selectors import LoadedFunnel
from offers.domain.kinds import OfferKind
from offers.models import Offer, OfferStatus

EDGE_WORDS = {"on_accept": "accept", "on_decline": "decline"}
DRAFT_NOTE = " (draft)"


@dataclass(frozen=True)
class Alert:
    level: str  # "success" | "error"
    text: str
    reload_url: str = ""


@dataclass(frozen=True)
class Refusal:
    """An edit refused as asked: ``control`` names the place its message goes, ``entered`` what was typed."""

    control: str
    message: str
    entered: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SelectOption:
    value: str
    label: str


@dataclass(frozen=True)
class Row:
    """One offer as placed, ready to show: a bump, a cross-sell, or a one-click step."""

    key: str
    anchor: str
    stage: Stage
    column: str
    name: str
    kind: str
    kind_label: str
    primer_words: str
    price: str
    take_rate_input: str
    default_rate: str  # the take rate in force when the input is blank, as a percent number
    rate_in_force: str
    first: bool
    last: bool
    is_start: bool = False
    on_accept: str = THANK_YOU_CHOICE
    on_decline: str = THANK_YOU_CHOICE
    accept_name: str = ""
    decline_name: str = ""
    take_rate_error: str = ""
    edges_error: str = ""
    actions_error: str = ""
    accept_options: str = ""  # the targets as <option>s, pre-rendered: see target_options
    decline_options: str = ""


@dataclass(frozen=True)
class AddForm:
    place: str
    wanted: str
    groups: tuple[tuple[str, tuple[SelectOption, ...]], ...]
    after: tuple[SelectOption, ...] = ()
    error: str = ""
    entered: dict[str, str] = field(default_factory=dict)

    @property
    def has_offers(self) -> bool:
        return any(choices for _, choices in self.groups)


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
class Figures:
    aov: str
    revenue_per_buyer: str
    uplift: str
    uplift_ratio: str
    core_price: str
    thank_you_revenue: str
    steps: tuple[StepFigure, ...]
    expected_max: str
    sensitivity_max: str


def _draft(offer: Offer) -> str:
    return DRAFT_NOTE if offer.status == OfferStatus.DRAFT else ""


def _bar(value: Decimal) -> str:
    """A <meter>'s value: cents, never below zero (a negative figure is still printed beside it)."""
    return str(max(quantize_money(value), Decimal(0)))


def _default_rate(plan: FunnelPlan, placed: Placement | Step) -> Decimal:
    return plan.take_rate(replace(placed, take_rate=None))


def _rows(
    plan: FunnelPlan, steps: Sequence[FunnelStep], stage: Stage, slot: Slot, refusal: Refusal | None
) -> list[Row]:
    placed: dict[str, Placement | Step]
    if stage is Stage.POST_PURCHASE:
        placed = {s.key: s for s in plan.steps}
    else:
        placed = {p.key: p for p in plan.placements if p.stage is stage and p.slot is slot}
    names = {s.key: s.offer.name for s in steps if s.stage == Stage.POST_PURCHASE}
    options = escaped_targets([(key, f"{name} ({key})") for key, name in names.items()])
    chosen = [s for s in steps if s.stage == stage and s.slot == slot]
    rows = []
    for index, step in enumerate(chosen):
        anchor = step_anchor(stage, step.key)
        plan_item = placed[step.key]
        offer = step.offer
        kind = OfferKind(offer.kind)
        take_rate_error = _error(refusal, f"take-rate:{anchor}")
        typed = refusal.entered.get("take_rate") if refusal and take_rate_error else None
        accept = step.on_accept.key if step.on_accept_id and step.on_accept else THANK_YOU_CHOICE
        decline = step.on_decline.key if step.on_decline_id and step.on_decline else THANK_YOU_CHOICE
        rows.append(
            Row(
                key=step.key,
                anchor=anchor,
                stage=stage,
                column=COLUMN_IDS[stage],
                name=offer.name,
                kind=kind.value,
                kind_label=kind.label,
                primer_words=kind.primer_words,
                price=format_money(offer.price, plan.currency),
                take_rate_input=typed if typed is not None else percent_input(step.take_rate),
                default_rate=percent_input(_default_rate(plan, plan_item)),
                rate_in_force=format_percent(plan.take_rate(plan_item)),
                first=index == 0,
                last=index == len(chosen) - 1,
                is_start=stage is Stage.POST_PURCHASE and plan.start == step.key,
                on_accept=accept,
                on_decline=decline,
                accept_name=names.get(accept, "the thank-you page"),
                decline_name=names.get(decline, "the thank-you page"),
                take_rate_error=take_rate_error,
                edges_error=_error(refusal, f"edges:{anchor}"),
                actions_error=_error(refusal, f"actions:{anchor}"),
                accept_options=target_options(options, own=step.key, selected=accept),
                decline_options=target_options(options, own=step.key, selected=decline),
            )
        )
    return rows


def target_options(options: Sequence[tuple[str, str, str]], *, own: str, selected: str) -> SafeString:
    """The other one-click steps as escaped ``<option>``s, one marked selected.

    Built in Python rather than in a template loop: each of n steps lists n targets twice, and at 40 steps
    the template's per-node cost made this most of the page's time. Each target is escaped once per page
    (``escaped_targets``); a row only joins ready strings.
    """
    return mark_safe(  # every piece was escaped by escaped_targets
        "".join(
            selected_html if key == selected else plain_html for key, plain_html, selected_html in options if key != own
        )
    )


def escaped_targets(targets: Sequence[tuple[str, str]]) -> tuple[tuple[str, str, str], ...]:
    """Each (key, label) as (key, its ``<option>``, the same option selected), escaped here and only here."""
    return tuple(
        (
            key,
            f'<option value="{escape(key)}">{escape(label)}</option>',
            f'<option value="{escape(key)}" selected>{escape(label)}</option>',
        )
        for key, label in targets
    )


def _error(refusal: Refusal | None, control: str) -> str:
    return refusal.message if refusal is not None and refusal.control == control else ""


def _add_form(
    place: Place, catalog: Sequence[Offer], currency: str, refusal: Refusal | None, after: tuple[SelectOption, ...] = ()
) -> AddForm:
    groups = []
    for kind in place.kinds:
        choices = tuple(
            SelectOption(o.key, f"{o.name} — {format_money(o.price, currency)}{_draft(o)}")
            for o in catalog
            if o.kind == kind
        )
        groups.append((f"{kind.label}: {kind.primer_words}", choices))
    error = _error(refusal, f"add:{place}")
    return AddForm(
        place=place.value,
        wanted=place.wanted,
        groups=tuple(groups),
        after=after,
        error=error,
        entered=refusal.entered if refusal is not None and error else {},
    )


def _after_choices(steps: Sequence[FunnelStep]) -> tuple[SelectOption, ...]:
    choices = []
    for step in steps:
        if step.stage == Stage.POST_PURCHASE:
            for edge, word in EDGE_WORDS.items():
                choices.append(SelectOption(f"{step.key}:{edge}", f'If they {word} "{step.offer.name}" ({step.key})'))
    return tuple(choices)


def _figures(plan: FunnelPlan) -> Figures:
    metrics = compute_metrics(plan, with_distribution=False)
    cur = metrics.currency
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
        for s in metrics.steps
    )

    def top(values: list[str]) -> str:
        return str(max([Decimal(v) for v in values] + [Decimal("0.01")]))

    return Figures(
        aov=format_money(metrics.aov, cur),
        revenue_per_buyer=format_money(metrics.revenue_per_buyer, cur),
        uplift=format_money(metrics.uplift, cur),
        uplift_ratio=format_percent(metrics.uplift_ratio) if metrics.uplift_ratio is not None else "",
        core_price=format_money(metrics.core_price, cur),
        thank_you_revenue=format_money(metrics.thank_you_revenue, cur),
        steps=steps,
        expected_max=top([s.expected_bar for s in steps]),
        sensitivity_max=top([s.sensitivity_bar for s in steps]),
    )


def editor_context(
    request: WorkspaceRequest,
    loaded: LoadedFunnel,
    catalog: Sequence[Offer],
    *,
    refusal: Refusal | None = None,
    alert: Alert | None = None,
) -> dict[str, object]:
    funnel, plan, steps = loaded.funnel, loaded.plan, loaded.steps
    refused = (refusal.control, refusal.message, refusal.entered.get("reason", "")) if refusal else None
    try:
        figures: Figures | None = _figures(plan)
        uncomputable = ""
    except UncomputableFunnel as problem:
        figures, uncomputable = None, problem.reason
    cores = [o for o in catalog if o.kind == OfferKind.CORE]
    if funnel.core_offer_id not in {o.pk for o in cores}:
        cores.insert(0, funnel.core_offer)
    core = funnel.core_offer
    after = _after_choices(steps)
    return {
        "nav": "funnels",
        "funnel": funnel,
        "version": funnel.version,
        "can_edit": request.workspace.can_edit_funnels,
        "column_ids": COLUMN_IDS,
        "core": {
            "key": core.key,
            "name": core.name,
            "price": format_money(core.price, plan.currency),
            "anchor": step_anchor(Stage.CHECKOUT, core.key),
            "error": _error(refusal, "core"),
        },
        "core_choices": [SelectOption(o.key, f"{o.name} — {format_money(o.price, plan.currency)}") for o in cores],
        "bumps": _rows(plan, steps, Stage.CHECKOUT, Slot.BUMP, refusal),
        "checkout_cross_sells": _rows(plan, steps, Stage.CHECKOUT, Slot.CROSS_SELL, refusal),
        "one_click": _rows(plan, steps, Stage.POST_PURCHASE, Slot.ONE_CLICK, refusal),
        "thank_you": _rows(plan, steps, Stage.THANK_YOU, Slot.CROSS_SELL, refusal),
        "targets": [SelectOption(s.key, f"{s.offer.name} ({s.key})") for s in steps if s.stage == Stage.POST_PURCHASE],
        "add_bump": _add_form(Place.BUMP, catalog, plan.currency, refusal),
        "add_checkout_cross_sell": _add_form(Place.CHECKOUT_CROSS_SELL, catalog, plan.currency, refusal),
        "add_one_click": _add_form(Place.ONE_CLICK, catalog, plan.currency, refusal, after),
        "add_thank_you_cross_sell": _add_form(Place.THANK_YOU_CROSS_SELL, catalog, plan.currency, refusal),
        "order_errors": {stage.value: _error(refusal, f"order:{stage.value}") for stage in Stage},
        "figures": figures,
        "uncomputable": uncomputable,
        "definitions": DEFINITIONS,
        "illustrative_note": ILLUSTRATIVE_NOTE,
        "alert": alert,
    } | findings_context(loaded, can_edit=request.workspace.can_edit_funnels, refused=refused)
