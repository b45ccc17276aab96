"""The funnel list and the whole-funnel actions: start a funnel (blank or from a demo), duplicate, delete.

Every change is a POST with its CSRF token and needs the right to edit funnels; another practice's funnel is
simply not found. Plain posts redirect, so all of it works without JavaScript; under htmx a success answers
with a client redirect and a refused new-funnel form swaps back into the page in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from accounts.forms import PasswordConfirmForm
from accounts.models import Practice
from accounts.page_cache import cached_page
from accounts.sessions import confirm_password, password_recently_entered
from core.http import go
from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE
from funnels.figures import FORMAT, funnels_figures, practice_stamp
from funnels.forms import BlankFunnelForm, DemoFunnelForm
from funnels.interchange.problems import FunnelFileError, Problem
from funnels.models import Funnel, FunnelStatus
from funnels.presenters.funnel_list import funnel_summaries
from funnels.selectors import funnel_load_all, funnel_stamps, funnel_step_count
from funnels.services.creation import funnel_start
from funnels.services.demo import DEMO_DIR
from funnels.services.editing import FunnelEditError, StaleFunnel
from funnels.services.editing import funnel_delete as delete_funnel
from funnels.services.transfer import funnel_duplicate as duplicate_funnel
from funnels.services.transfer import funnel_import
from funnels.views.lookups import funnel_or_404
from offers.domain.kinds import OfferKind
from offers.models import Offer, OfferStatus
from offers.selectors import offer_list

LEGEND = (
    ("AOV", DEFINITIONS["aov"]),
    (
        "Errors",
        "Timing or shape problems (a bump after payment, a loop, a step no buyer reaches…); "
        "fix these before the funnel goes live.",
    ),
    (
        "Warnings",
        "Fit and honesty worries (a jarring price jump, an unrelated offer, promised results…) worth a second look.",
    ),
)


BLANK_OFFER_FIELDS = {"name": "offer_name", "price": "offer_price"}
"""Where the catalog's refusal of a new core offer shows on the blank-funnel form (else above the form)."""


def core_offers(practice: Practice) -> list[Offer]:
    """The catalog's core offers a funnel may start from (not the archived ones)."""
    return list(offer_list(practice=practice, kind=OfferKind.CORE.value).exclude(status=OfferStatus.ARCHIVED))


def new_funnel_context(
    request: WorkspaceRequest,
    *,
    blank: BlankFunnelForm | None = None,
    demo: DemoFunnelForm | None = None,
    problems: tuple[Problem, ...] = (),
    opened: bool = False,
) -> dict[str, Any]:
    offers = core_offers(request.workspace.practice)
    return {
        "has_core_offers": bool(offers),
        "blank_form": blank or BlankFunnelForm(core_offers=offers),
        "demo_form": demo or DemoFunnelForm(),
        "demo_problems": problems,
        "new_open": opened,
    }


STATUS_FILTERS = (("", "All"), *FunnelStatus.choices)


def status_filter(request: WorkspaceRequest) -> str:
    """The list's ``?status=``: one of ``FunnelStatus``, else "" (all), so an unknown value shows every funnel."""
    status = request.GET.get("status", "")
    return status if status in FunnelStatus.values else ""


def list_context(request: WorkspaceRequest) -> dict[str, Any]:
    status = status_filter(request)
    practice = request.workspace.practice
    loaded = funnel_load_all(practice=practice, status=status or None)
    return {
        "nav": "funnels",
        "summaries": funnel_summaries(loaded, funnels_figures(practice=practice, loaded=loaded)),
        "status": status,
        "status_filters": [
            {"value": value, "label": label, "current": value == status} for value, label in STATUS_FILTERS
        ],
        "legend": LEGEND,
        "illustrative_note": ILLUSTRATIVE_NOTE,
    }


@require_safe
@workspace_required()
def funnel_list(request: WorkspaceRequest) -> HttpResponse:
    """The page is kept per state of the funnels it lists and of the catalog (``accounts.page_cache``), so a
    GET of an unchanged practice reads one row per funnel and works nothing out; the times it says ("3 hours
    ago") are filled in as of each request."""
    practice, can_edit = request.workspace.practice, request.workspace.can_edit_funnels

    def page(slots: Mapping[str, object]) -> HttpResponse:
        context = list_context(request)
        if can_edit:
            context |= new_funnel_context(request)
        return render(request, "funnels/list.html", {**context, **slots})

    shown = tuple(funnel_stamps(practice=practice, status=status_filter(request) or None))
    return cached_page(request, parts=("funnel-list", FORMAT, can_edit, *practice_stamp(practice), shown), render=page)


@require_POST
@workspace_required(edits="funnels")
def funnel_new(request: WorkspaceRequest) -> HttpResponse:
    practice = request.workspace.practice
    source = request.POST.get("source", "blank")
    if source not in ("blank", "demo"):
        return HttpResponseBadRequest("Say which kind of new funnel: blank or demo.")
    if source == "demo":
        demo = DemoFunnelForm(request.POST)
        if not demo.is_valid():
            return refused(request, demo=demo)
        try:
            result = funnel_import(
                practice=practice, raw=(DEMO_DIR / demo.cleaned_data["demo"]).read_bytes(), actor=actor_of(request)
            )
        except FunnelFileError as clash:
            return refused(request, demo=demo, problems=clash.problems)
        funnel = result.funnel
        added = f" It added {len(result.offers_created)} offers to your catalog." if result.offers_created else ""
        messages.success(request, f'"{funnel.name}" is ready to edit.{added}')
        return go(request, reverse("funnels:editor", args=[funnel.slug]))
    blank = BlankFunnelForm(request.POST, core_offers=core_offers(practice))
    if not blank.is_valid():
        return refused(request, blank=blank)
    data = blank.cleaned_data
    try:
        funnel = funnel_start(
            practice=practice,
            name=data["name"],
            core_offer=data.get("core_offer"),
            offer_name=data["offer_name"],
            offer_price=data["offer_price"],
            actor=actor_of(request),
        )
    except FunnelEditError as problem:
        blank.add_error("name", str(problem))
        return refused(request, blank=blank)
    except ValidationError as problem:  # the catalog refused the new core offer: beside its own fields
        said = problem.message_dict if hasattr(problem, "error_dict") else {"": problem.messages}
        for field, messages_ in said.items():
            blank.add_error(BLANK_OFFER_FIELDS.get(field), " ".join(messages_))
        return refused(request, blank=blank)
    added = " Its core offer is in your catalog now." if blank.makes_core_offer else ""
    messages.success(request, f'"{funnel.name}" is ready: add what follows the first yes.{added}')
    return go(request, reverse("funnels:editor", args=[funnel.slug]))


def refused(
    request: WorkspaceRequest,
    *,
    blank: BlankFunnelForm | None = None,
    demo: DemoFunnelForm | None = None,
    problems: tuple[Problem, ...] = (),
) -> HttpResponse:
    """The new-funnel form again, open, with what was wrong. htmx 2 swaps no 4xx answer, so it gets a 200."""
    context = new_funnel_context(request, blank=blank, demo=demo, problems=problems, opened=True)
    if request.htmx:
        return render(request, "funnels/list.html#new-funnel", context)
    return render(request, "funnels/list.html", list_context(request) | context, status=400)


@require_POST
@workspace_required(edits="funnels")
def funnel_duplicate(request: WorkspaceRequest, slug: str) -> HttpResponse:
    practice = request.workspace.practice
    copy = duplicate_funnel(
        practice=practice, funnel=funnel_or_404(request.workspace.practice, slug), actor=actor_of(request)
    )
    messages.success(request, f'Made a copy: "{copy.name}". It is a draft; the original is unchanged.')
    return go(request, reverse("funnels:editor", args=[copy.slug]))


@require_http_methods(["GET", "POST"])
@workspace_required(edits="funnels")
def funnel_delete(request: WorkspaceRequest, slug: str) -> HttpResponse:
    funnel = funnel_or_404(request.workspace.practice, slug)
    if request.method == "GET":
        return confirm_page(request, funnel)
    version = request.POST.get("version", "")
    if not (version.isascii() and version.isdigit()):  # int() would also read "١" or " 1_0 "
        return HttpResponseBadRequest("The confirmation did not say which version of the funnel to delete.")
    if not password_recently_entered(request):
        password = PasswordConfirmForm(request.POST)
        typed = password.cleaned_data["password"] if password.is_valid() else ""
        if not confirm_password(request, typed):
            if password.is_valid():
                password.add_error("password", "That is not your password; nothing was deleted.")
            return confirm_page(request, funnel, password=password)
    try:
        delete_funnel(funnel=funnel, expected_version=int(version), actor=actor_of(request))
    except StaleFunnel as stale:
        return confirm_page(request, funnel, stale=stale, status=409)
    messages.success(
        request,
        f'Moved "{funnel.name}" to the trash: it can be restored from there for {settings.FUNNEL_TRASH_DAYS} days. '
        "The offers it used are still in your catalog.",
    )
    return go(request, reverse("funnels:list"))


def confirm_page(
    request: WorkspaceRequest,
    funnel: Funnel,
    *,
    stale: StaleFunnel | None = None,
    password: PasswordConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The confirmation; it asks for the password too unless it was typed a few minutes ago (accounts.sessions)."""
    practice = request.workspace.practice
    if password is None and not password_recently_entered(request):
        password = PasswordConfirmForm()
    context = {
        "nav": "funnels",
        "funnel": funnel,
        "step_count": funnel_step_count(practice=practice, funnel=funnel),
        "stale": stale,
        "password_form": password,
        "trash_days": settings.FUNNEL_TRASH_DAYS,
    }
    return render(request, "funnels/confirm_delete.html", context, status=status)
