"""The choices an editor control fetches when the coach opens it (GET, htmx): what may be added here, where
an answer may lead, which core offer. Read only; each is one small fragment, so the editor page itself never
carries the catalog or every step's list of targets (its size grows with the funnel, not its square)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import WorkspaceRequest, workspace_required
from core.slugs import KEY_PATTERN
from funnels.domain.plan import Stage
from funnels.forms import Place
from funnels.presenters.editor_choices import add_choices, core_choices, target_choices
from funnels.presenters.editor_rows import EDGE_WORDS
from funnels.selectors import funnel_steps, funnel_steps_by_key
from funnels.views.lookups import funnel_or_404
from offers.selectors import offer_list

TEMPLATE = "funnels/editor_choices.html"


def choosing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET only, by a member who may change funnels: the choices exist to be chosen."""
    return require_safe(workspace_required(edits="funnels")(view))


@choosing
def add_form(request: WorkspaceRequest, slug: str) -> HttpResponse:
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    try:
        place = Place(request.GET.get("place", ""))
    except ValueError:
        raise Http404("no such place for an offer") from None
    key, _, edge = request.GET.get("after", "").partition(":")
    source = None
    if key:
        if place is not Place.ONE_CLICK or edge not in EDGE_WORDS or not KEY_PATTERN.match(key):
            raise Http404("no such answer to follow")
        source = funnel_steps_by_key(practice=practice, funnel=funnel, stage=Stage.POST_PURCHASE, keys=[key]).get(key)
        if source is None:
            raise Http404(f'the funnel has no step "{key}" after payment')
    same_stage: set[int] = set()
    if place is not Place.ONE_CLICK:
        same_stage = {s.offer_id for s in funnel_steps(practice=practice, funnel=funnel) if s.stage == place.stage}
    add = add_choices(
        funnel=funnel,
        place=place,
        catalog=list(offer_list(practice=practice)),
        used=same_stage,
        after=source,
        edge=edge or "on_decline",
    )
    return render(request, f"{TEMPLATE}#add-form", {"funnel": funnel, "add": add, "errors": {}, "entered": {}})


@choosing
def edge_form(request: WorkspaceRequest, slug: str, key: str) -> HttpResponse:
    """Both answers of one step, each a choice of the other steps and the thank-you page, saved together."""
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    steps = funnel_steps(practice=practice, funnel=funnel)
    step = next((s for s in steps if s.stage == Stage.POST_PURCHASE and s.key == key), None)
    if step is None:
        raise Http404(f'the funnel has no step "{key}" after payment')
    answers = [
        {"edge": edge, "word": word, "choices": target_choices(step, edge, steps)} for edge, word in EDGE_WORDS.items()
    ]
    context = {"funnel": funnel, "step": step, "answers": answers}
    return render(request, f"{TEMPLATE}#edge-form", context)


@choosing
def core_form(request: WorkspaceRequest, slug: str) -> HttpResponse:
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    choices = core_choices(funnel, list(offer_list(practice=practice, kind="core")))
    return render(request, f"{TEMPLATE}#core-form", {"funnel": funnel, "choices": choices})
