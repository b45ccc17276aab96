"""The buyer's-eye preview (``/funnels/<slug>/preview/``): the checkout, each one-click offer, the thank-you page.

Nothing is stored and no payment is taken: what the buyer has done so far is the URL query
(``preview_links`` reads and writes it), so every screen is a link that works without JavaScript and
can be bookmarked. Under htmx a link swaps only ``#preview`` and pushes its URL; ticking a box re-renders
only the order total (and, out of band, the controls whose links carry the ticks). Every role may preview.
One request reads a fixed number of rows whatever the funnel's size: the funnel, then ``funnel_load``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from accounts.access import WorkspaceRequest, workspace_required
from accounts.page_cache import cached_page
from core.http import wants_partial
from funnels.domain.buyer_walk import PreviewRefused, PreviewState, walk_preview
from funnels.figures import analysis_key
from funnels.presenters.preview import error_count, screen_context
from funnels.selectors import funnel_load
from funnels.views.lookups import funnel_or_404
from funnels.views.preview_links import WIDTHS, PreviewUrls, state_from_query

TEMPLATE = "funnels/preview.html"
TOTAL_TARGET = "checkout-total"


@require_safe
@workspace_required()
def preview(request: WorkspaceRequest, slug: str) -> HttpResponse:
    """The page is kept per version of the funnel and per link (``accounts.page_cache``): a link is a state of
    the walk, and the same state shows the same screen."""
    practice = request.workspace.practice

    def page(slots: Mapping[str, object]) -> HttpResponse:
        funnel = funnel_or_404(practice, slug)
        plan = funnel_load(practice=practice, funnel=funnel).plan
        width = request.GET.get("view", WIDTHS[0])
        width = width if width in WIDTHS else WIDTHS[0]
        urls = PreviewUrls(slug, width)
        context: dict[str, Any] = {
            "funnel": funnel,
            "nav": "funnels",
            "width": width,
            "base_url": urls.base,
            "error_count": error_count(plan),
        }
        status = 200
        try:
            walk = walk_preview(plan, state_from_query({name: request.GET.getlist(name) for name in request.GET}))
        except PreviewRefused as refused:
            walk = walk_preview(plan, PreviewState())
            context["refusal"] = str(refused)
            status = 400
        context.update(screen_context(plan, walk, urls))
        if not wants_partial(request):
            return render(request, TEMPLATE, {**context, **slots}, status=status)
        if request.htmx.target == TOTAL_TARGET and "refusal" not in context:
            html = render_to_string(f"{TEMPLATE}#total", context, request)
            html += render_to_string(f"{TEMPLATE}#tools", {**context, "oob": True}, request)
            return HttpResponse(html)
        # static/js/preview.js lets htmx swap a 400, so a refused link says why in place
        return render(request, f"{TEMPLATE}#preview", context, status=status)

    key = analysis_key("preview", practice, funnel_or_404(practice, slug, key_only=True))
    response = cached_page(request, parts=(key,), render=page)
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response
