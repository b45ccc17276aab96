"""The funnel editor (``/funnels/<slug>/``): every edit saves at once, and the figures, the checks and the
diagram answer within the same request.

Each edit is one POST that goes through one service. An htmx request gets back only the parts the edit
changed, each swapped out of band: the card (a take rate), the column (a step added, removed or re-pointed),
the header (a rename), and always the figures bar, the findings, the offer-by-offer figures, the diagram, the
status line and the funnel's version (the one ``#funnel-version`` input every edit includes). Without
JavaScript the same POST saves and redirects back (303). An edit made against an old version is refused with
409 and a reload link; an edit that cannot be made as asked is refused with 422 and the reason beside the
control. Either way nothing is written.

A request reads a fixed number of rows whatever the funnel's size: the funnel, its steps and their offers
(``funnel_load``); the catalog is read only by the controls that list it (``funnels.views.editor_choices``).
The step edits are in ``funnels.views.editor_steps``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from accounts.page_cache import cached_page
from core.http import HttpResponseSeeOther
from core.money import format_money
from funnels.domain.plan import Stage
from funnels.figures import analysis_key
from funnels.forms import CoreOfferForm, RenameForm, StatusForm, first_error
from funnels.models import Funnel, FunnelStatus
from funnels.presenters.editor import COLUMN_IDS, Alert, editor_context
from funnels.presenters.editor_rows import Refusal
from funnels.presenters.history import undo_controls
from funnels.selectors import funnel_load
from funnels.services.editing import FunnelEditError, StaleFunnel, funnel_update
from funnels.services.history import loaded_as_recorded
from funnels.views.lookups import funnel_or_404
from offers.domain.kinds import OfferKind
from offers.models import OfferStatus
from offers.selectors import offer_list

TEMPLATE = "funnels/editor.html"
COLUMN_PARTS = {stage: f"{column}-column" for stage, column in COLUMN_IDS.items()}
SIDE_PARTS = ("version", "alert", "figures-bar", "findings", "metrics", "diagram", "undo")
HEAD = "editor-head"
WORKSPACE_TIMEOUT = 24 * 60 * 60


def card(stage: Stage, key: str) -> str:
    """The name of a reply part that is one card: ``card:post_purchase:up1``."""
    return f"card:{stage.value}:{key}"


# -- reading ----------------------------------------------------------------------------------------------------


def _page(
    request: WorkspaceRequest,
    funnel: Funnel,
    *,
    status: int = 200,
    refusal: Refusal | None = None,
    alert: Alert | None = None,
) -> HttpResponse:
    if refusal is None and alert is None:
        return render(request, TEMPLATE, _from_cache(request, funnel), status=status)
    loaded = funnel_load(practice=request.workspace.practice, funnel=funnel, with_acknowledgements=True)
    return render(request, TEMPLATE, editor_context(request, loaded, refusal=refusal, alert=alert), status=status)


def _from_cache(request: WorkspaceRequest, funnel: Funnel) -> dict[str, object]:
    """The page's context with its figures bar and its workspace (the stages' cards and the side panel) as HTML
    rendered once per version of the funnel and kept in the cache. On a GET of an unchanged funnel neither its
    steps nor its offers are read: only the header (name, status, this person's undo) is rendered. The key holds
    what else they show: the practice's thresholds and catalog version, whether the reader may edit, and the
    practice's acknowledgements (acknowledging a finding moves no version, but counts as a catalog change)."""
    practice, can_edit = request.workspace.practice, request.workspace.can_edit_funnels
    key = analysis_key("editor-page", practice, funnel, can_edit)
    parts = cache.get(key)
    if parts is None:
        loaded = funnel_load(practice=practice, funnel=funnel, with_acknowledgements=True)
        context = editor_context(request, loaded)
        parts = tuple(
            render_to_string(f"{TEMPLATE}#{part}", {**context, "oob": False}, request)
            for part in ("figures-bar", "workspace")
        )
        cache.set(key, parts, WORKSPACE_TIMEOUT)
    else:
        context = {
            "nav": "funnels",
            "funnel": funnel,
            "version": funnel.version,
            "can_edit": can_edit,
            "statuses": FunnelStatus.choices,
            "undo_controls": undo_controls(practice=practice, funnel=funnel, user=request.user) if can_edit else None,
        }
    bar, workspace = parts
    # both were rendered by the template engine, which escaped every value in them
    return {**context, "figures_bar_html": mark_safe(bar), "workspace_html": mark_safe(workspace)}


@require_safe
@workspace_required()
def editor(request: WorkspaceRequest, slug: str) -> HttpResponse:
    """The whole page is kept per version, reader and viewer (``accounts.page_cache``): a GET of an unchanged
    funnel reads only the session, the user, the practice and the funnel row."""
    practice = request.workspace.practice
    key = analysis_key(
        "editor", practice, funnel_or_404(practice, slug, key_only=True), request.workspace.can_edit_funnels
    )

    def page(slots: Mapping[str, object]) -> HttpResponse:
        return render(request, TEMPLATE, {**_from_cache(request, funnel_or_404(practice, slug)), **slots})

    return cached_page(request, parts=(key,), render=page)


# -- the plumbing every edit shares ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """What an edit did, in words, and which parts of the page it changed (besides the side panel)."""

    message: str
    parts: tuple[str, ...]
    anchor: str = ""  # where a browser without JavaScript lands after the redirect
    undo: str = ""  # a signed removal, for the "Undo" beside the message


class Refused(Exception):
    """An edit refused as asked; ``parts`` are re-rendered with the reason beside the control."""

    def __init__(self, refusal: Refusal, parts: Sequence[str]) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal
        self.parts = tuple(parts)


Edit = Callable[[Funnel, int], Saved]


def posted_version(request: WorkspaceRequest) -> int | None:
    """The version the edit was made against: the page's one ``#funnel-version`` input."""
    raw = request.POST.get("version") or request.POST.get("page_version") or ""
    return int(raw) if raw.isascii() and raw.isdigit() else None


def sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def render_parts(request: WorkspaceRequest, context: dict[str, object], parts: Sequence[str]) -> str:
    """Each named part, out of band; a ``card:`` part is one card of the page."""
    html = []
    for part in dict.fromkeys(parts):
        if part.startswith("card:"):
            _, stage, key = part.split(":", 2)
            row = context["rows"].find(Stage(stage), key)  # type: ignore[attr-defined]
            if row is None:  # the card is gone (removed meanwhile): nothing to swap
                continue
            html.append(render_to_string(f"{TEMPLATE}#step-card", {**context, "row": row, "oob": True}, request))
        else:
            html.append(render_to_string(f"{TEMPLATE}#{part}", {**context, "oob": True}, request))
    return "".join(html)


def run_edit(request: WorkspaceRequest, slug: str, edit: Edit) -> HttpResponse:
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    version = posted_version(request)
    if version is None:
        return HttpResponseBadRequest("This edit did not say which version of the funnel it was made against.")
    if version != funnel.version:
        # the version comes first: an edit of a step another tab has removed is stale (409), not "not found"
        return _stale(request, funnel)
    try:
        saved = edit(funnel, version)
    except StaleFunnel:
        return _stale(request, funnel_or_404(practice, slug))
    except Refused as refused:
        return refuse(request, slug, refused.refusal, refused.parts)
    if not request.htmx:
        messages.success(request, saved.message)
        return HttpResponseSeeOther(
            reverse("funnels:editor", args=[slug]) + (f"#{saved.anchor}" if saved.anchor else "")
        )
    loaded = loaded_as_recorded(funnel) or funnel_load(practice=practice, funnel=funnel, with_acknowledgements=True)
    context = editor_context(request, loaded, alert=Alert("success", saved.message, undo=saved.undo))
    return HttpResponse(render_parts(request, context, [*saved.parts, *SIDE_PARTS]))


def _stale(request: WorkspaceRequest, funnel: Funnel) -> HttpResponse:
    """409: nothing was written; say so in words, and offer the current funnel. htmx keeps the page as it is
    (its version stays old, so no later edit can slip through unseen) and shows the message in the status line."""
    text = (
        f"“{funnel.name}” was changed in another tab or by someone else after you opened it, "
        "so this change was not saved. Reload the editor to see the funnel as it is now."
    )
    alert = Alert("error", text, reload_url=reverse("funnels:editor", args=[funnel.slug]))
    if not request.htmx:
        return _page(request, funnel, status=409, alert=alert)
    html = render_to_string(f"{TEMPLATE}#alert", {"alert": alert, "funnel": funnel, "oob": True}, request)
    return HttpResponse(html, status=409)


def refuse(request: WorkspaceRequest, slug: str, refusal: Refusal, parts: Sequence[str]) -> HttpResponse:
    """422: nothing was written (the service's transaction rolled back); the reason goes beside the control."""
    fresh = funnel_or_404(request.workspace.practice, slug)
    if not request.htmx:
        return _page(request, fresh, status=422, refusal=refusal)
    loaded = funnel_load(practice=request.workspace.practice, funnel=fresh, with_acknowledgements=True)
    context = editor_context(request, loaded, refusal=refusal)
    return HttpResponse(render_parts(request, context, [*parts, "alert"]), status=422)


def editing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """POST only, by a member who may change funnels (others get 403)."""
    return require_POST(workspace_required(edits="funnels")(view))


def guarded[T](action: Callable[[], T], refusal: Callable[[str], Refusal], parts: Sequence[str]) -> T:
    """Run a service; a ``FunnelEditError`` (the edit cannot be made as asked) becomes a refusal."""
    try:
        return action()
    except StaleFunnel:
        raise
    except FunnelEditError as error:
        raise Refused(refusal(sentence(str(error))), parts) from None


# -- the funnel itself: core offer, name, status ----------------------------------------------------------------


@editing
def settings_update(request: WorkspaceRequest, slug: str) -> HttpResponse:
    def edit(funnel: Funnel, version: int) -> Saved:
        catalog = offer_list(practice=funnel.practice, kind=OfferKind.CORE).exclude(status=OfferStatus.ARCHIVED)
        form = CoreOfferForm(request.POST, offers=[o for o in catalog if o.currency == funnel.currency])
        parts = [COLUMN_PARTS[Stage.CHECKOUT]]
        if not form.is_valid():
            raise Refused(Refusal("core", first_error(form)), parts)
        offer = form.offer
        guarded(
            lambda: funnel_update(funnel=funnel, expected_version=version, actor=actor_of(request), core_offer=offer),
            lambda message: Refusal("core", message),
            parts,
        )
        price = format_money(offer.price, funnel.currency)
        # the typical take rate of an upsell depends on the core's price, so the steps' defaults change too
        return Saved(
            f"The core offer is now “{offer.name}” ({price}).",
            (*parts, COLUMN_PARTS[Stage.POST_PURCHASE]),
            anchor=COLUMN_IDS[Stage.CHECKOUT],
        )

    return run_edit(request, slug, edit)


@editing
def rename(request: WorkspaceRequest, slug: str) -> HttpResponse:
    def edit(funnel: Funnel, version: int) -> Saved:
        form = RenameForm(request.POST)
        typed = {"name": request.POST.get("name", "")}
        if not form.is_valid():
            raise Refused(Refusal("head", first_error(form), typed), [HEAD])
        old = funnel.name
        guarded(
            lambda: funnel_update(
                funnel=funnel, expected_version=version, actor=actor_of(request), name=form.cleaned_data["name"]
            ),
            lambda message: Refusal("head", message, typed),
            [HEAD],
        )
        return Saved(f"Renamed “{old}” to “{funnel.name}”.", (HEAD,))

    return run_edit(request, slug, edit)


@editing
def status_set(request: WorkspaceRequest, slug: str) -> HttpResponse:
    def edit(funnel: Funnel, version: int) -> Saved:
        form = StatusForm(request.POST)
        if not form.is_valid():
            raise Refused(Refusal("head", first_error(form)), [HEAD])
        status = form.cleaned_data["status"]
        funnel_update(funnel=funnel, expected_version=version, actor=actor_of(request), status=status)
        return Saved(f"“{funnel.name}” is now {FunnelStatus(status).label.lower()}.", (HEAD,))

    return run_edit(request, slug, edit)
