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
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import reswap, retarget

from accounts.access import WorkspaceRequest, workspace_required
from accounts.models import Practice
from core.http import HttpResponseSeeOther
from core.money import format_money, format_percent
from core.slugs import KEY_PATTERN
from funnels.domain.plan import Stage
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
)
from funnels.models import Funnel, FunnelStep
from funnels.presenters.editor import COLUMN_IDS, EDGE_WORDS, Alert, Refusal, editor_context, step_anchor
from funnels.selectors import (
    StepNotFound,
    funnel_load,
    funnel_step_get,
    funnel_steps_by_key,
)
from funnels.services.editing import (
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
from funnels.views.lookups import funnel_or_404
from offers.domain.kinds import OfferKind
from offers.models import Offer, OfferStatus
from offers.selectors import offer_list

TEMPLATE = "funnels/editor.html"
COLUMN_PARTIALS = {stage: f"{column}-column" for stage, column in COLUMN_IDS.items()}
SIDE_PARTIALS = ("alert", "version", "findings", "metrics", "diagram")


# -- what the page shows ----------------------------------------------------------------------------------------


# -- reading ----------------------------------------------------------------------------------------------------


def _catalog(practice: Practice, funnel: Funnel) -> list[Offer]:
    """The offers the "add" and "core offer" choices list: on sale or in draft, in the funnel's currency."""
    return list(offer_list(practice=practice).exclude(status=OfferStatus.ARCHIVED).filter(currency=funnel.currency))


def _stage_or_404(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise Http404(f'no stage "{value}"') from None


def _step_or_404(funnel: Funnel, stage: Stage, key: str) -> FunnelStep:
    try:
        return funnel_step_get(practice=funnel.practice, funnel=funnel, stage=stage, key=key)
    except StepNotFound as missing:
        raise Http404(str(missing)) from None


def _page(
    request: WorkspaceRequest,
    funnel: Funnel,
    *,
    status: int = 200,
    refusal: Refusal | None = None,
    alert: Alert | None = None,
) -> HttpResponse:
    practice = request.workspace.practice
    loaded = funnel_load(practice=practice, funnel=funnel, with_acknowledgements=True)
    context = editor_context(request, loaded, _catalog(practice, funnel), refusal=refusal, alert=alert)
    return render(request, TEMPLATE, context, status=status)


@require_safe
@workspace_required()
def editor(request: WorkspaceRequest, slug: str) -> HttpResponse:
    return _page(request, funnel_or_404(request.workspace.practice, slug))


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


def _posted_version(request: WorkspaceRequest) -> int | None:
    """The version the edit was made against: the page's one ``#funnel-version`` input (htmx), else the copy
    each form carries for browsers without JavaScript."""
    raw = request.POST.get("version") or request.POST.get("page_version") or ""
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def _render_parts(request: WorkspaceRequest, context: dict[str, object], main: str, oob: Sequence[str]) -> str:
    parts = [render_to_string(f"{TEMPLATE}#{main}", {**context, "oob": False}, request)]
    parts += [render_to_string(f"{TEMPLATE}#{name}", {**context, "oob": True}, request) for name in oob]
    return "".join(parts)


def _run_edit(request: WorkspaceRequest, slug: str, *, column: Stage, control: str, edit: Edit) -> HttpResponse:
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    catalog = _catalog(practice, funnel)
    version = _posted_version(request)
    if version is None:
        return HttpResponseBadRequest("This edit did not say which version of the funnel it was made against.")
    if version != funnel.version:
        # the version comes first: an edit of a step another tab has removed is stale (409), not "not found"
        return _stale(request, slug, StaleFunnel(funnel, version, funnel.version))
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
    loaded = funnel_load(practice=practice, funnel=funnel, with_acknowledgements=True)
    context = editor_context(request, loaded, catalog, alert=Alert("success", saved.message))
    extra = [COLUMN_PARTIALS[stage] for stage in saved.also if stage is not saved.column]
    return HttpResponse(_render_parts(request, context, COLUMN_PARTIALS[saved.column], [*extra, *SIDE_PARTIALS]))


def _stale(request: WorkspaceRequest, slug: str, stale: StaleFunnel) -> HttpResponse:
    """409: nothing was written; say so, and offer the current funnel. htmx keeps the page as it is (its
    version stays old, so no later edit can slip through unseen) and shows the message in ``#editor-alert``."""
    alert = Alert("error", _sentence(str(stale)), reload_url=reverse("funnels:editor", args=[slug]))
    if not request.htmx:
        fresh = funnel_or_404(request.workspace.practice, slug)
        return _page(request, fresh, status=409, alert=alert)
    html = render_to_string(f"{TEMPLATE}#alert-message", {"alert": alert}, request)
    response = HttpResponse(html, status=409)
    return reswap(retarget(response, "#editor-alert"), "innerHTML")


def _refused(request: WorkspaceRequest, slug: str, column: Stage, refusal: Refusal) -> HttpResponse:
    """422: nothing was written (the service's transaction rolled back); the reason goes beside the control."""
    fresh = funnel_or_404(request.workspace.practice, slug)
    if not request.htmx:
        return _page(request, fresh, status=422, refusal=refusal)
    practice = request.workspace.practice
    loaded = funnel_load(practice=practice, funnel=fresh, with_acknowledgements=True)
    context = editor_context(request, loaded, _catalog(practice, fresh), refusal=refusal)
    response = HttpResponse(_render_parts(request, context, COLUMN_PARTIALS[column], ["alert"]), status=422)
    return reswap(retarget(response, "#" + COLUMN_IDS[column]), "outerHTML")


def editing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """POST only, by a member who may change funnels (others get 403)."""
    return require_POST(workspace_required(edits="funnels")(view))


@editing
def settings_update(request: WorkspaceRequest, slug: str) -> HttpResponse:
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
def step_add(request: WorkspaceRequest, slug: str) -> HttpResponse:
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
            source = funnel_steps_by_key(
                practice=funnel.practice, funnel=funnel, stage=Stage.POST_PURCHASE, keys=[key]
            ).get(key)
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
            message += f"; it follows the {EDGE_WORDS[form.cleaned_data['after_edge']]} edge of {source.key}"
        return Saved(message + ".", place.stage)

    return _run_edit(request, slug, column=place.stage, control=control, edit=edit)


@editing
def step_take_rate(request: WorkspaceRequest, slug: str, stage: str, key: str) -> HttpResponse:
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
def step_edges(request: WorkspaceRequest, slug: str, key: str) -> HttpResponse:
    control = f"edges:{step_anchor(Stage.POST_PURCHASE, key)}"

    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        form = EdgesForm(request.POST)
        # only well-formed keys are looked up: a stray NUL must never reach the database
        posted = {request.POST.get(edge, "") for edge in EDGE_WORDS}
        wanted = {key} | {value for value in posted if KEY_PATTERN.match(value)}
        found = funnel_steps_by_key(practice=funnel.practice, funnel=funnel, stage=Stage.POST_PURCHASE, keys=wanted)
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
            f"if they decline → {name(targets['on_decline'])}.",
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
def step_remove(request: WorkspaceRequest, slug: str, stage: str, key: str) -> HttpResponse:
    where = _stage_or_404(stage)

    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        step = _step_or_404(funnel, where, key)
        changed = funnel_step_remove(funnel=funnel, expected_version=version, step=step)
        return Saved(removal_message(step.offer.name, changed), where)

    return _run_edit(request, slug, column=where, control=f"actions:{step_anchor(where, key)}", edit=edit)


@editing
def step_move(request: WorkspaceRequest, slug: str, stage: str, key: str) -> HttpResponse:
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
def steps_reorder(request: WorkspaceRequest, slug: str, stage: str) -> HttpResponse:
    where = _stage_or_404(stage)

    def edit(funnel: Funnel, version: int, catalog: list[Offer]) -> Saved:
        keys = request.POST.getlist("key")
        funnel_steps_reorder(funnel=funnel, expected_version=version, stage=where, keys=keys)
        return Saved(f"Saved the new order: {', '.join(keys)}.", where)

    return _run_edit(request, slug, column=where, control=f"order:{where.value}", edit=edit)


@editing
def start_set(request: WorkspaceRequest, slug: str) -> HttpResponse:
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
