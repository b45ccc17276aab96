"""The forecast (``/funnels/<slug>/forecast/``): what the funnel's figures mean for a number of buyers, under
lower and higher take rates, offer by offer, as a distribution of order totals, and against another funnel.

GET only, and every input is a query parameter (``buyers``, ``compare``), so every forecast is a link. htmx
re-renders only the results as the coach types (with the field's message out of band), and pushes the URL;
without JavaScript the same form submits as a plain GET. Every role may read.

A request reads a fixed number of rows whatever the funnels' size: the practice's funnels (one query: the page's
funnel, the comparison's and the choices all come from it), ``funnel_load`` for this funnel and, when
comparing, ``funnel_load`` for the other. What depends only on the funnel's version (its metrics, scenarios,
sensitivities and charts) is worked out once per version and cached (``funnels.presenters.analysis``).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from accounts.access import WorkspaceRequest, workspace_required
from accounts.models import Practice
from accounts.page_cache import cached_page
from core.http import wants_partial
from funnels.figures import analysis_key
from funnels.models import Funnel
from funnels.presenters.forecast import NOT_IN_PRACTICE, SAME_FUNNEL, CompareRequest, forecast_context, read_buyers
from funnels.selectors import funnel_list, funnel_load, funnels_stamp

TEMPLATE = "funnels/forecast.html"


def _comparing(practice: Practice, funnel: Funnel, funnels: list[Funnel], slug: str) -> CompareRequest:
    if not slug:
        return CompareRequest()
    if slug == funnel.slug:
        return CompareRequest(slug=slug, problem=SAME_FUNNEL)
    other = next((f for f in funnels if f.slug == slug), None)
    if other is None:  # not this practice's: say nothing of whose it might be
        return CompareRequest(slug=slug, problem=NOT_IN_PRACTICE)
    return CompareRequest(slug=slug, other=funnel_load(practice=practice, funnel=other))


@require_safe
@workspace_required()
def forecast(request: WorkspaceRequest, slug: str) -> HttpResponse:
    """The page is kept per version of this funnel and of the practice's funnels (``accounts.page_cache``): the
    comparison's choices name them, and a comparison reads the other one."""
    practice = request.workspace.practice
    funnels = list(funnel_list(practice=practice))
    funnel = next((f for f in funnels if f.slug == slug), None)
    if funnel is None:
        raise Http404("This practice has no such funnel.")

    def page(slots: Mapping[str, object]) -> HttpResponse:
        compare_slug = request.GET.get("compare", "").strip()
        context = forecast_context(
            loaded=funnel_load(practice=practice, funnel=funnel),
            buyers=read_buyers(request.GET.get("buyers")),
            others=[f for f in funnels if f.pk != funnel.pk],
            comparing=_comparing(practice, funnel, funnels, compare_slug),
            practice=practice,
        )
        if wants_partial(request):
            html = render_to_string(f"{TEMPLATE}#results", context, request)
            html += render_to_string(f"{TEMPLATE}#buyers-feedback", {**context, "oob": True}, request)
            return HttpResponse(html)
        return render(request, TEMPLATE, {**context, **slots})

    key = analysis_key("forecast", practice, funnel)
    response = cached_page(request, parts=(key, funnels_stamp(funnels)), render=page)
    patch_vary_headers(response, ["HX-Request"])
    return response
