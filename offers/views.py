"""The catalog screens (``/offers/``): the list with its filters, the offer form with live hints, archive, delete.

One page template per screen; an htmx request gets only the part it swaps (``"page.html#partial"``).
Offers are looked up only through practice-scoped selectors, so another practice's key is simply not found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from accounts.page_cache import cached_page
from core.http import go, wants_partial
from core.money import format_money
from core.slugs import KEY_PATTERN
from core.text import control_character_in, control_character_message
from offers.forms import FORMAT_SUGGESTIONS, CatalogFilterForm, OfferForm, kind_label
from offers.hints import offer_hints
from offers.impact import FunnelsChanged
from offers.models import Offer
from offers.selectors import OfferNotFound, catalog_stamp, offer_catalog, offer_get, offer_used_by
from offers.services import (
    OfferInUse,
    ProposedChange,
    offer_archive,
    offer_archive_preview,
    offer_delete,
)

CONFIRMED = "yes"
PROPOSAL_CHANGED = (
    "The form changed after you were shown what it would do to the funnels: here is what saving it would do now."
)


@dataclass(frozen=True)
class CatalogRow:
    offer: Offer
    kind: str
    price: str
    funnel_count: int


def _offer_or_404(request: WorkspaceRequest, key: str) -> Offer:
    try:
        return offer_get(practice=request.workspace.practice, key=key)
    except OfferNotFound:
        raise Http404("No such offer in this practice.") from None


@workspace_required()
@require_http_methods(["GET", "HEAD"])
@vary_on_headers("HX-Request")
def offer_list(request: WorkspaceRequest) -> HttpResponse:
    """The page is kept per state of the catalog and of the funnels that use it (``accounts.page_cache``)."""
    practice = request.workspace.practice

    def page(slots: Mapping[str, object]) -> HttpResponse:
        filters = CatalogFilterForm(request.GET)
        criteria = filters.criteria()
        rows = [
            CatalogRow(o, kind_label(o.kind), format_money(o.price, o.currency), o.funnel_count)
            for o in offer_catalog(practice=practice, **criteria)
        ]
        context = {"filters": filters, "filtered": any(criteria.values()), "rows": rows, "nav": "catalog"}
        template = "offers/list.html#table" if wants_partial(request) else "offers/list.html"
        return render(request, template, {**context, **slots})

    parts = ("catalog", request.workspace.can_edit_catalog, *catalog_stamp(practice=practice))
    return cached_page(request, parts=parts, render=page)


def _form_page(
    request: WorkspaceRequest,
    form: OfferForm,
    offer: Offer | None,
    *,
    proposal: ProposedChange | None = None,
    note: str = "",
) -> HttpResponse:
    """The offer form; with ``proposal``, above it what the edit would do to each funnel using the offer and the
    button that confirms it (``note`` says why it is asked again)."""
    practice = request.workspace.practice
    editing_key = offer.key if offer else None
    data = form.data if form.is_bound else {**form.initial, **_initial_text(form)}
    context = {
        "form": form,
        "offer": offer,
        "used_by": offer_used_by(practice=practice, offer=offer) if offer else [],
        "hints": offer_hints(practice=practice, data=data, editing_key=editing_key),
        "hints_url": reverse("offers:hints") + (f"?editing={offer.key}" if offer else ""),
        "format_suggestions": FORMAT_SUGGESTIONS,
        "nav": "catalog",
        "proposal": proposal,
        "impact_note": note,
    }
    return render(request, "offers/form.html", context)


def _seen_versions(request: WorkspaceRequest) -> dict[str, int] | None:
    """The funnels' versions a confirmation was shown at (``slug:version`` each); None when it carries none or
    something no page of ours sent, which then counts as a change not yet confirmed."""
    seen: dict[str, int] = {}
    for value in request.POST.getlist("seen"):
        slug, _, version = value.rpartition(":")
        if not KEY_PATTERN.match(slug) or not version.isascii() or not version.isdigit():
            return None
        seen[slug] = int(version)
    return seen


def _confirmed(request: WorkspaceRequest) -> bool:
    return request.POST.get("confirm") == CONFIRMED


def _saved_message(name: str, proposal: ProposedChange) -> str:
    names = ", ".join(f"“{impact.name}”" for impact in proposal.impacts)
    if not names:
        return f"Saved “{name}”."
    count = len(proposal.impacts)
    return f"Saved “{name}”. {count} funnel{'s' if count != 1 else ''} using it now show the change: {names}."


def _initial_text(form: OfferForm) -> dict[str, str]:
    """The unbound form's values as the hints read posted text (an offer as its key)."""
    replaces = form.initial.get("replaces")
    return {"replaces": replaces.key if isinstance(replaces, Offer) else ""}


@workspace_required(edits="catalog")
@require_http_methods(["GET", "HEAD", "POST"])
def offer_new(request: WorkspaceRequest) -> HttpResponse:
    practice = request.workspace.practice
    form = OfferForm(request.POST or None, practice=practice)
    if request.method == "POST":
        offer = form.submit(actor=actor_of(request)) if form.is_valid() else None
        if offer is not None:
            messages.success(request, f"Added “{offer.name}” to the catalog.")
            return redirect("offers:list")
    return _form_page(request, form, None)


@workspace_required(edits="catalog")
@require_http_methods(["GET", "HEAD", "POST"])
def offer_edit(request: WorkspaceRequest, key: str) -> HttpResponse:
    """Save an edit; one the funnels using the offer would see is first shown with what it does to each of them,
    and saved only once confirmed for exactly that change and those funnels' versions (else shown again)."""
    offer = _offer_or_404(request, key)
    form = OfferForm(request.POST or None, practice=request.workspace.practice, offer=offer)
    if request.method != "POST":
        return _form_page(request, form, offer)
    proposal = form.preview() if form.is_valid() else None
    if proposal is None:
        return _form_page(request, form, offer)
    confirmed = _confirmed(request) and request.POST.get("proposal") == proposal.digest
    if proposal.needs_confirmation and not confirmed:
        return _form_page(request, form, offer, proposal=proposal, note=PROPOSAL_CHANGED if _confirmed(request) else "")
    seen = _seen_versions(request) if confirmed else proposal.versions
    if seen is None:
        return _form_page(request, form, offer, proposal=proposal, note=PROPOSAL_CHANGED)
    try:
        saved = form.submit(actor=actor_of(request), expected_versions=seen)
    except FunnelsChanged as changed:
        offer = _offer_or_404(request, key)
        return _form_page(request, form, offer, proposal=form.preview(), note=str(changed))
    if saved is None:
        return _form_page(request, form, _offer_or_404(request, key))
    messages.success(request, _saved_message(saved.name, proposal))
    return redirect("offers:list")


@workspace_required(edits="catalog")
@require_POST
def offer_hints_view(request: WorkspaceRequest) -> HttpResponse:
    for name, value in request.POST.lists():
        found = control_character_in(value)
        if found:  # the form's own post would refuse it beside the field; the hints only decline to read it
            return HttpResponseBadRequest(f"{name}: {control_character_message(found)}", content_type="text/plain")
    editing = request.GET.get("editing", "")
    hints = offer_hints(
        practice=request.workspace.practice,
        data=request.POST,
        editing_key=editing if KEY_PATTERN.match(editing) else None,
    )
    return render(request, "offers/form.html#hints", {"hints": hints})


@workspace_required(edits="catalog")
@require_POST
def offer_archive_view(request: WorkspaceRequest, key: str) -> HttpResponse:
    """Archive the offer; when funnels use it, first show what it does to each of them and ask to confirm."""
    offer = _offer_or_404(request, key)
    proposal = offer_archive_preview(practice=request.workspace.practice, offer=offer)
    if proposal.needs_confirmation and not _confirmed(request):
        return _archive_page(request, offer, proposal)
    seen = _seen_versions(request) if _confirmed(request) else proposal.versions
    if seen is None:
        return _archive_page(request, offer, proposal)
    try:
        offer = offer_archive(offer=offer, actor=actor_of(request), expected_versions=seen)
    except FunnelsChanged as changed:
        offer = _offer_or_404(request, key)
        again = offer_archive_preview(practice=request.workspace.practice, offer=offer)
        return _archive_page(request, offer, again, note=str(changed))
    messages.success(
        request, f"Archived “{offer.name}”. It stays in the catalog; set its status to Active to sell it again."
    )
    return go(request, reverse("offers:list"))


def _archive_page(request: WorkspaceRequest, offer: Offer, proposal: ProposedChange, *, note: str = "") -> HttpResponse:
    context = {"offer": offer, "proposal": proposal, "impact_note": note, "nav": "catalog"}
    return render(request, "offers/archive.html", context)


@workspace_required(edits="catalog")
@require_POST
def offer_delete_view(request: WorkspaceRequest, key: str) -> HttpResponse:
    offer = _offer_or_404(request, key)
    name = offer.name
    try:
        offer_delete(offer=offer, actor=actor_of(request))
    except OfferInUse as refused:
        messages.error(request, str(refused))
        return go(request, reverse("offers:edit", args=[key]))
    messages.success(request, f"Deleted “{name}”.")
    return go(request, reverse("offers:list"))
