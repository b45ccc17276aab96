"""The funnel list and whole-funnel actions (new, duplicate, delete). Placeholder until filled in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import workspace_required
from funnels.selectors import funnel_list as select_funnels


@workspace_required()
def funnel_list(request: HttpRequest) -> HttpResponse:
    practice = request.workspace.practice  # type: ignore[attr-defined]
    return render(request, "funnels/list.html", {"funnels": select_funnels(practice=practice), "nav": "funnels"})


funnel_new = funnel_duplicate = funnel_delete = funnel_list
