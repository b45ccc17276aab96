"""The funnel editor (``/funnels/<slug>/``): every edit saves at once, and the checks, the figures and the
diagram answer within the same request.

Each edit is one POST that goes through one service. An htmx request gets back the column it changed, swapped
in place, and out of band the findings, the metrics, the diagram, the status line and the funnel's version
(the one ``#funnel-version`` input every form includes), so the page never falls behind what was saved. Without
JavaScript the same POST saves and redirects back (303). An edit made against an old version is refused with
409 and a reload link; an edit that cannot be made as asked is refused with 422 and the reason beside the
control. Either way nothing is written.

A request reads a fixed number of rows whatever the funnel's size: the funnel, its steps and their offers
(``funnel_load``), and the catalog for the "add" choices.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap, retarget

from accounts.access import workspace_required
from funnels.domain.findings import Finding, Severity
from funnels.domain.layout import layout_flow
from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE, UncomputableFunnel, compute_metrics
from funnels.domain.plan import FunnelPlan, Placement, Slot, Stage, Step
from funnels.domain.rules import check_funnel
from funnels.forms import (
    THANK_YOU_CHOICE,
    CoreOfferForm,
    EdgesForm,
    MoveForm,
    Place,
    StartForm,
    StepAddForm,
    TakeRateForm,
    first_error,
    rate_to_percent,
)
from funnels.models import Funnel, FunnelStep
from funnels.selectors import FunnelNotFound, LoadedFunnel, funnel_get, funnel_load
from funnels.services import (
    FunnelEditError,
    Reconnected,
    StaleFunnel,
    funnel_start_set,
    funnel_step_add,
    funnel_step_move,
    funnel_step_remove,
    funnel_step_set_edges,
    funnel_step_set_take_rate,
    funnel_steps_reorder,
    funnel_update,
)
from offers.domain import OfferKind, format_money, format_percent, quantize_money
from offers.models import Offer, OfferStatus, Practice
from offers.selectors import offer_list

TEMPLATE = "funnels/editor.html"
COLUMN_IDS = {Stage.CHECKOUT: "checkout", Stage.POST_PURCHASE: "post-purchase", Stage.THANK_YOU: "thank-you"}
COLUMN_PARTIALS = {stage: f"{column}-column" for stage, column in COLUMN_IDS.items()}
SIDE_PARTIALS = ("alert", "version", "findings", "metrics", "diagram")
EDGE_WORDS = {"on_accept": "accept", "on_decline": "decline"}
DRAFT_NOTE = " (draft)"


def step_anchor(stage: Stage, key: str) -> str:
    """The id of a step's element, as a finding names it: ``step-up1``, ``step-checkout-cards``…"""
    if stage is Stage.POST_PURCHASE:
        return f"step-{key}"
    return f"step-{COLUMN_IDS[stage]}-{key}"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


# -- what the page shows ----------------------------------------------------------------------------------------


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
class Choice:
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


@dataclass(frozen=True)
class AddForm:
    place: str
    wanted: str
    groups: tuple[tuple[str, tuple[Choice, ...]], ...]
    after: tuple[Choice, ...] = ()
    error: str = ""
    entered: dict[str, str] = field(default_factory=dict)

    @property
    def has_offers(self) -> bool:
        return any(choices for _, choices in self.groups)


@dataclass(frozen=True)
class FindingItem:
    severity: str
    label: str
    code: str
    message: str
    hint: str
    href: str
    where: str


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


def _money(value: Decimal, currency: str) -> str:
    return format_money(value, currency)


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
                price=_money(offer.price, plan.currency),
                take_rate_input=typed if typed is not None else (
                    rate_to_percent(step.take_rate) if step.take_rate is not None else ""
                ),
                default_rate=rate_to_percent(_default_rate(plan, plan_item)),
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
            )
        )
    return rows


def _error(refusal: Refusal | None, control: str) -> str:
    return refusal.message if refusal is not None and refusal.control == control else ""


def _add_form(
    place: Place, catalog: Sequence[Offer], currency: str, refusal: Refusal | None, after: tuple[Choice, ...] = ()
) -> AddForm:
    groups = []
    for kind in place.kinds:
        choices = tuple(
            Choice(o.key, f"{o.name} — {_money(o.price, currency)}{_draft(o)}")
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


def _after_choices(steps: Sequence[FunnelStep]) -> tuple[Choice, ...]:
    choices = []
    for step in steps:
        if step.stage == Stage.POST_PURCHASE:
            for edge, word in EDGE_WORDS.items():
                choices.append(Choice(f"{step.key}:{edge}", f'If they {word} "{step.offer.name}" ({step.key})'))
    return tuple(choices)


def _finding_items(findings: Sequence[Finding]) -> list[FindingItem]:
    items = []
    for found in findings:
        if found.stage is not None and found.step:
            href = "#" + step_anchor(found.stage, found.step)
        elif found.stage is not None:
            href = "#" + COLUMN_IDS[found.stage]
        else:
            href = ""
        where = " · ".join(part for part in (found.stage.label if found.stage else "Whole funnel", found.step) if part)
        items.append(
            FindingItem(
                severity=found.severity.value,
                label="Error" if found.severity is Severity.ERROR else "Warning",
                code=found.code,
                message=found.message,
                hint=found.hint,
                href=href,
                where=where,
            )
        )
    return items


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
            expected=_money(s.expected_revenue, cur),
            expected_bar=_bar(s.expected_revenue),
            sensitivity=_money(s.sensitivity, cur),
            per_point=("+" if s.sensitivity >= 0 else "") + _money(s.sensitivity / 100, cur),
            sensitivity_bar=_bar(s.sensitivity),
        )
        for s in metrics.steps
    )

    def top(values: list[str]) -> str:
        return str(max([Decimal(v) for v in values] + [Decimal("0.01")]))

    return Figures(
        aov=_money(metrics.aov, cur),
        revenue_per_buyer=_money(metrics.revenue_per_buyer, cur),
        uplift=_money(metrics.uplift, cur),
        uplift_ratio=format_percent(metrics.uplift_ratio) if metrics.uplift_ratio is not None else "",
        core_price=_money(metrics.core_price, cur),
        thank_you_revenue=_money(metrics.thank_you_revenue, cur),
        steps=steps,
        expected_max=top([s.expected_bar for s in steps]),
        sensitivity_max=top([s.sensitivity_bar for s in steps]),
    )


def _context(
    request: HttpRequest,
    loaded: LoadedFunnel,
    catalog: Sequence[Offer],
    *,
    refusal: Refusal | None = None,
    alert: Alert | None = None,
) -> dict[str, object]:
    funnel, plan, steps = loaded.funnel, loaded.plan, loaded.steps
    findings = check_funnel(plan)
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
        "can_edit": request.workspace.can_edit_funnels,  # type: ignore[attr-defined]
        "column_ids": COLUMN_IDS,
        "core": {
            "key": core.key,
            "name": core.name,
            "price": _money(core.price, plan.currency),
            "anchor": step_anchor(Stage.CHECKOUT, core.key),
            "error": _error(refusal, "core"),
        },
        "core_choices": [Choice(o.key, f"{o.name} — {_money(o.price, plan.currency)}") for o in cores],
        "bumps": _rows(plan, steps, Stage.CHECKOUT, Slot.BUMP, refusal),
        "checkout_cross_sells": _rows(plan, steps, Stage.CHECKOUT, Slot.CROSS_SELL, refusal),
        "one_click": _rows(plan, steps, Stage.POST_PURCHASE, Slot.ONE_CLICK, refusal),
        "thank_you": _rows(plan, steps, Stage.THANK_YOU, Slot.CROSS_SELL, refusal),
        "targets": [Choice(s.key, f"{s.offer.name} ({s.key})") for s in steps if s.stage == Stage.POST_PURCHASE],
        "add_bump": _add_form(Place.BUMP, catalog, plan.currency, refusal),
        "add_checkout_cross_sell": _add_form(Place.CHECKOUT_CROSS_SELL, catalog, plan.currency, refusal),
        "add_one_click": _add_form(Place.ONE_CLICK, catalog, plan.currency, refusal, after),
        "add_thank_you_cross_sell": _add_form(Place.THANK_YOU_CROSS_SELL, catalog, plan.currency, refusal),
        "order_errors": {stage.value: _error(refusal, f"order:{stage.value}") for stage in Stage},
        "findings": _finding_items(findings),
        "error_count": sum(1 for f in findings if f.is_error),
        "warning_count": sum(1 for f in findings if not f.is_error),
        "figures": figures,
        "uncomputable": uncomputable,
        "definitions": DEFINITIONS,
        "illustrative_note": ILLUSTRATIVE_NOTE,
        "diagram": layout_flow(plan, findings),
        "alert": alert,
    }


# -- reading ----------------------------------------------------------------------------------------------------


def _funnel_or_404(practice: Practice, slug: str) -> Funnel:
    try:
        return funnel_get(practice=practice, slug=slug)
    except FunnelNotFound as missing:
        raise Http404(str(missing)) from None


def _catalog(practice: Practice, funnel: Funnel) -> list[Offer]:
    """The offers the "add" and "core offer" choices list: on sale or in draft, in the funnel's currency."""
    return list(offer_list(practice=practice).exclude(status=OfferStatus.ARCHIVED).filter(currency=funnel.currency))


def _stage_or_404(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise Http404(f'no stage "{value}"') from None


def _step_or_404(funnel: Funnel, stage: Stage, key: str) -> FunnelStep:
    step = FunnelStep.objects.filter(funnel=funnel, stage=stage, key=key).select_related("offer").first()
    if step is None:
        raise Http404(f'the funnel "{funnel.slug}" has no step "{key}" in {stage.label.lower()}')
    return step


def _page(
    request: HttpRequest,
    funnel: Funnel,
    *,
    status: int = 200,
    refusal: Refusal | None = None,
    alert: Alert | None = None,
) -> HttpResponse:
    practice = request.workspace.practice  # type: ignore[attr-defined]
    loaded = funnel_load(practice=practice, funnel=funnel)
    context = _context(request, loaded, _catalog(practice, funnel), refusal=refusal, alert=alert)
    return render(request, TEMPLATE, context, status=status)


@require_safe
@workspace_required()
def editor(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _funnel_or_404(request.workspace.practice, slug))  # type: ignore[attr-defined]


# -- editing ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    message: str
    column: Stage
    also: tuple[Stage, ...] = ()


class Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


Edit = Callable[[Funnel, int, list[Offer]], Saved]


def _posted_version(request: HttpRequest) -> int | None:
    """The version the edit was made against: the page's one ``#funnel-version`` input (htmx), else the copy
    each form carries for browsers without JavaScript."""
    raw = request.POST.get("version") or request.POST.get("page_version") or ""
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _render_parts(request: HttpRequest, context: dict[str, object], main: str, oob: Sequence[str]) -> str:
    parts = [render_to_string(f"{TEMPLATE}#{main}", {**context, "oob": False}, request)]
    parts += [render_to_string(f"{TEMPLATE}#{name}", {**context, "oob": True}, request) for name in oob]
    return "".join(parts)


def _run_edit(request: HttpRequest, slug: str, *, column: Stage, control: str, edit: Edit) -> HttpResponse:
    practice = request.workspace.practice  # type: ignore[attr-defined]
    funnel = _funnel_or_404(practice, slug)
    catalog = _catalog(practice, funnel)
    version = _posted_version(request)
    if version is None:
        return HttpResponseBadRequest("This edit did not say which version of the funnel it was made against.")
    try:
        saved = edit(funnel, version, catalog)
    except StaleFunnel as stale:
        return _stale(request, slug, stale)
    except FunnelEditError as error:
        return _refused(request, slug, column, Refusal(control, _sentence(str(error))))
    except Refused as refused:
        return _refused(request, slug, column, refused.refusal)
    if not request.htmx:
        messages.success(request, saved.message)
        return HttpResponseSeeOther(reverse("funnels:editor", args=[slug]) + "#" + COLUMN_IDS[saved.column])
    loaded = funnel_load(practice=practice, funnel=funnel)
    context = _context(request, loaded, catalog, alert=Alert("success", saved.message))
    extra = [COLUMN_PARTIALS[stage] for stage in saved.also if stage is not saved.column]
    return HttpResponse(_render_parts(request, context, COLUMN_PARTIALS[saved.column], [*extra, *SIDE_PARTIALS]))


def _stale(request: HttpRequest, slug: str, stale: StaleFunnel) -> HttpResponse:
    """409: nothing was written; say so, and offer the current funnel. htmx keeps the page as it is (its
    version stays old, so no later edit can slip through unseen) and shows the message in ``#editor-alert``."""
    alert = Alert("error", _sentence(str(stale)), reload_url=reverse("funnels:editor", args=[slug]))
    if not request.htmx:
        fresh = _funnel_or_404(request.workspace.practice, slug)  # type: ignore[attr-defined]
        return _page(request, fresh, status=409, alert=alert)
    html = render_to_string(f"{TEMPLATE}#alert-message", {"alert": alert}, request)
    response = HttpResponse(html, status=409)
    return reswap(retarget(response, "#editor-alert"), "innerHTML")


def _refused(request: HttpRequest, slug: str, column: Stage, refusal: Refusal) -> HttpResponse:
    """422: nothing was written (the service's transaction rolled back); the reason goes beside the control."""
    fresh = _funnel_or_404(request.workspace.practice, slug)  # type: ignore[attr-defined]
    if not request.htmx:
        return _page(request, fresh, status=422, refusal=refusal)
    practice = request.workspace.practice  # type: ignore[attr-defined]
    loaded = funnel_load(practice=practice, funnel=fresh)
    context = _context(request, loaded, _catalog(practice, fresh), refusal=refusal)
    response = HttpResponse(_render_parts(request, context, COLUMN_PARTIALS[column], ["alert"]), status=422)
    return reswap(retarget(response, "#" + COLUMN_IDS[column]), "outerHTML")


def editing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """POST only, by a member who may change funnels (others get 403)."""
    return require_POST(workspace_required(edits="funnels")(view))


@editing
def settings_update(request: HttpRequest, slug: str) -> HttpResponse:
    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        form = CoreOfferForm(request.POST, offers=[o for o in catalog if o.kind == OfferKind.CORE])
        if not form.is_valid():
            raise Refused(Refusal("core", first_error(form)))
        offer = form.offer
        funnel_update(funnel=funnel, expected_version=version, core_offer=offer)
        price = format_money(offer.price, funnel.currency)
        # the typical take rate of an upsell depends on the core's price, so the steps' defaults change too
        return Saved(f'The core offer is now "{offer.name}" ({price}).', Stage.CHECKOUT, also=(Stage.POST_PURCHASE,))

    return _run_edit(request, slug, column=Stage.CHECKOUT, control="core", edit=edit)


@editing
def step_add(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        place = Place(request.POST.get("place", ""))
    except ValueError:
        return HttpResponseBadRequest(f"Say where the offer goes: {', '.join(Place)}.")
    control = f"add:{place}"

    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        form = StepAddForm(request.POST, offers=catalog)
        entered = {name: request.POST.get(name, "") for name in ("offer", "take_rate", "after")}
        if not form.is_valid():
            raise Refused(Refusal(control, first_error(form), entered))
        offer: Offer = form.cleaned_data["offer_obj"]
        source = None
        if form.cleaned_data.get("after_step"):
            key = form.cleaned_data["after_step"]
            source = FunnelStep.objects.filter(funnel=funnel, stage=Stage.POST_PURCHASE, key=key).first()
            if source is None:
                raise Refused(Refusal(control, f'There is no step "{key}" after payment in this funnel.', entered))
        step = funnel_step_add(
            funnel=funnel,
            expected_version=version,
            offer=offer,
            slot=place.slot,
            stage=place.stage,
            take_rate=form.cleaned_data["take_rate"],
            connect_from=source,
            edge=form.cleaned_data.get("after_edge") or "on_decline",
        )
        message = f'Added "{offer.name}" as {place.noun} ({step.key})'
        if source is not None:
            message += f'; it follows the {EDGE_WORDS[form.cleaned_data["after_edge"]]} edge of {source.key}'
        return Saved(message + ".", place.stage)

    return _run_edit(request, slug, column=place.stage, control=control, edit=edit)


@editing
def step_take_rate(request: HttpRequest, slug: str, stage: str, key: str) -> HttpResponse:
    where = _stage_or_404(stage)

    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        step = _step_or_404(funnel, where, key)
        form = TakeRateForm(request.POST)
        if not form.is_valid():
            entered = {"take_rate": request.POST.get("take_rate", "")}
            raise Refused(Refusal(f"take-rate:{step_anchor(where, key)}", first_error(form), entered))
        rate = form.cleaned_data["take_rate"]
        funnel_step_set_take_rate(funnel=funnel, expected_version=version, step=step, take_rate=rate)
        said = format_percent(rate) if rate is not None else "the default in force"
        return Saved(f'The take rate of "{step.offer.name}" ({key}) is now {said}.', where)

    return _run_edit(request, slug, column=where, control=f"take-rate:{step_anchor(where, key)}", edit=edit)


@editing
def step_edges(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    control = f"edges:{step_anchor(Stage.POST_PURCHASE, key)}"

    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        form = EdgesForm(request.POST)
        wanted = {key} | {request.POST.get(edge, "") for edge in EDGE_WORDS} - {THANK_YOU_CHOICE}
        found = {
            s.key: s
            for s in FunnelStep.objects.filter(funnel=funnel, stage=Stage.POST_PURCHASE, key__in=wanted)
            .select_related("offer")
        }
        step = found.get(key)
        if step is None:
            raise Http404(f'the funnel "{funnel.slug}" has no step "{key}" after payment')
        if not form.is_valid():
            raise Refused(Refusal(control, first_error(form)))
        targets: dict[str, FunnelStep | None] = {}
        for edge in EDGE_WORDS:
            value = form.cleaned_data[edge]
            if value == THANK_YOU_CHOICE:
                targets[edge] = None
            elif value in found:
                targets[edge] = found[value]
            else:
                raise Refused(Refusal(control, f'There is no step "{value}" after payment in this funnel.'))
        funnel_step_set_edges(
            funnel=funnel,
            expected_version=version,
            step=step,
            on_accept=targets["on_accept"],
            on_decline=targets["on_decline"],
        )

        def name(target: FunnelStep | None) -> str:
            return f'"{target.offer.name}" ({target.key})' if target is not None else "the thank-you page"

        return Saved(
            f'"{step.offer.name}": if they accept → {name(targets["on_accept"])}; '
            f'if they decline → {name(targets["on_decline"])}.',
            Stage.POST_PURCHASE,
        )

    return _run_edit(request, slug, column=Stage.POST_PURCHASE, control=control, edit=edit)


def removal_message(name: str, changed: Sequence[Reconnected]) -> str:
    """'Removed "One call"; the decline edge of up1 now leads to the thank-you page.'"""
    parts = []
    if any(c.edge == "start" for c in changed):
        parts.append("buyers now go from payment straight to the thank-you page")
    edges = [f"the {EDGE_WORDS[c.edge]} edge of {c.step}" for c in changed if c.edge != "start"]
    if edges:
        listed = edges[0] if len(edges) == 1 else ", ".join(edges[:-1]) + " and " + edges[-1]
        parts.append(f"{listed} now {'leads' if len(edges) == 1 else 'lead'} to the thank-you page")
    return "; ".join([f'Removed "{name}"', *parts]) + "."


@editing
def step_remove(request: HttpRequest, slug: str, stage: str, key: str) -> HttpResponse:
    where = _stage_or_404(stage)

    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        step = _step_or_404(funnel, where, key)
        changed = funnel_step_remove(funnel=funnel, expected_version=version, step=step)
        return Saved(removal_message(step.offer.name, changed), where)

    return _run_edit(request, slug, column=where, control=f"actions:{step_anchor(where, key)}", edit=edit)


@editing
def step_move(request: HttpRequest, slug: str, stage: str, key: str) -> HttpResponse:
    where = _stage_or_404(stage)
    control = f"actions:{step_anchor(where, key)}"

    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        step = _step_or_404(funnel, where, key)
        form = MoveForm(request.POST)
        if not form.is_valid():
            raise Refused(Refusal(control, first_error(form)))
        direction = form.cleaned_data["direction"]
        funnel_step_move(funnel=funnel, expected_version=version, step=step, direction=direction)
        return Saved(f'Moved "{step.offer.name}" ({key}) {direction}.', where)

    return _run_edit(request, slug, column=where, control=control, edit=edit)


@editing
def steps_reorder(request: HttpRequest, slug: str, stage: str) -> HttpResponse:
    where = _stage_or_404(stage)

    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        keys = request.POST.getlist("key")
        funnel_steps_reorder(funnel=funnel, expected_version=version, stage=where, keys=keys)
        return Saved(f"Saved the new order: {', '.join(keys)}.", where)

    return _run_edit(request, slug, column=where, control=f"order:{where.value}", edit=edit)


@editing
def start_set(request: HttpRequest, slug: str) -> HttpResponse:
    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        form = StartForm(request.POST)
        if not form.is_valid():
            raise Refused(Refusal("order:post_purchase", first_error(form)))
        key = form.cleaned_data["step"]
        step = _step_or_404(funnel, Stage.POST_PURCHASE, key) if key else None
        funnel_start_set(funnel=funnel, expected_version=version, step=step)
        if step is None:
            return Saved("Buyers now go from payment straight to the thank-you page.", Stage.POST_PURCHASE)
        return Saved(f'Buyers now meet "{step.offer.name}" ({step.key}) first after payment.', Stage.POST_PURCHASE)

    return _run_edit(request, slug, column=Stage.POST_PURCHASE, control="order:post_purchase", edit=edit)
