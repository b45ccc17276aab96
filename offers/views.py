"""The catalog screens (``/offers/``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import workspace_required
from offers.selectors import offer_list as select_offers


@workspace_required()
def offer_list(request: HttpRequest) -> HttpResponse:
    practice = request.workspace.practice  # type: ignore[attr-defined]
    return render(request, "offers/list.html", {"offers": select_offers(practice=practice), "nav": "catalog"})
