"""The catalog screens (``/offers/``): the list with its filters, the offer form with live hints, archive, delete.

One page template per screen; an htmx request gets only the part it swaps (``"page.html#partial"``).
Offers are looked up only through practice-scoped selectors, so another practice's key is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from core.http import go, wants_partial
from core.money import format_money
from core.slugs import KEY_PATTERN
from core.text import control_character_in, control_character_message
from offers.forms import FORMAT_SUGGESTIONS, CatalogFilterForm, OfferForm, kind_label
from offers.hints import offer_hints
from offers.models import Offer
from offers.selectors import OfferNotFound, offer_catalog, offer_get, offer_used_by
from offers.services import OfferInUse, offer_archive, offer_delete


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
    filters = CatalogFilterForm(request.GET)
    criteria = filters.criteria()
    rows = [
        CatalogRow(o, kind_label(o.kind), format_money(o.price, o.currency), o.funnel_count)
        for o in offer_catalog(practice=request.workspace.practice, **criteria)
    ]
    context = {"filters": filters, "filtered": any(criteria.values()), "rows": rows, "nav": "catalog"}
    template = "offers/list.html#table" if wants_partial(request) else "offers/list.html"
    return render(request, template, context)


def _form_page(request: WorkspaceRequest, form: OfferForm, offer: Offer | None) -> HttpResponse:
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
    }
    return render(request, "offers/form.html", context)


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
    offer = _offer_or_404(request, key)
    form = OfferForm(request.POST or None, practice=request.workspace.practice, offer=offer)
    if request.method == "POST":
        saved = form.submit(actor=actor_of(request)) if form.is_valid() else None
        if saved is not None:
            messages.success(request, f"Saved “{saved.name}”.")
            return redirect("offers:list")
        # the service may have changed the object in memory before refusing; show the stored one
        offer = _offer_or_404(request, key)
    return _form_page(request, form, offer)


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
    offer = offer_archive(offer=_offer_or_404(request, key), actor=actor_of(request))
    messages.success(
        request, f"Archived “{offer.name}”. It stays in the catalog; set its status to Active to sell it again."
    )
    return go(request, reverse("offers:list"))


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
