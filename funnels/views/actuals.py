"""The reality check (``/funnels/<slug>/actuals/``): upload an export, map its columns and products, watch it
being read in the background, then see assumed against observed per step, the annotated diagram, the findings,
what to test next, and "use the observed rates".

Every role may read the page; uploading, mapping and using the rates need the right to edit funnels. Another
practice's funnel or upload is simply not found (404). Progress is polled by htmx (``every 1s`` on the progress
partial); when the upload is done the partial asks the page to refresh, and without JavaScript the page itself
has a link to reload. The page stays usable while a file is read: nothing on it waits for the task.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from accounts.access import WorkspaceRequest, workspace_required
from core.http import go, wants_partial
from funnels.domain.actuals import NoVisits
from funnels.domain.metrics import UncomputableFunnel
from funnels.forms_actuals import (
    ApplyRatesForm,
    OrdersMappingForm,
    OrdersUploadForm,
    PlannedChangeForm,
    SizeLimitedUpload,
    upload_limit,
)
from funnels.interchange.orders_mapping import READY_MAPPINGS, offset_minutes_of
from funnels.models import Funnel, OrdersUpload
from funnels.presenters.actuals import StaleUpload, actuals_results, observed_rates_of
from funnels.selectors import funnel_load
from funnels.selectors_actuals import (
    UploadNotFound,
    catalog_names,
    orders_upload_get,
    orders_upload_latest_done,
    orders_uploads_recent,
)
from funnels.services.actuals import funnel_take_rates_set
from funnels.services.editing import FunnelEditError
from funnels.services.orders_uploads import (
    mapping_for,
    needs_mapping,
    orders_mapping_save,
    orders_upload_create,
    orders_upload_queue,
    orders_upload_task_set,
)
from funnels.tasks import read_orders_upload
from funnels.views.lookups import funnel_or_404

TEMPLATE = "funnels/actuals.html"


def _upload_or_404(request: WorkspaceRequest, funnel: Funnel, pk: int) -> OrdersUpload:
    try:
        return orders_upload_get(practice=request.workspace.practice, pk=pk, funnel=funnel)
    except UploadNotFound:
        raise Http404("This funnel has no such upload.") from None


def _enqueue(upload: OrdersUpload) -> None:
    orders_upload_queue(upload=upload)
    result = read_orders_upload.enqueue(upload.practice_id, upload.pk)
    orders_upload_task_set(upload=upload, task_id=str(result.id))


@require_safe
@workspace_required()
def actuals_page(request: WorkspaceRequest, slug: str) -> HttpResponse:
    return _page(request, funnel_or_404(request.workspace.practice, slug))


def _page(
    request: WorkspaceRequest, funnel: Funnel, upload_form: OrdersUploadForm | None = None, status: int = 200
) -> HttpResponse:
    """The page; ``upload_form``: an upload refused, shown again with its errors beside its fields."""
    practice = request.workspace.practice
    plan = funnel_load(practice=practice, funnel=funnel).plan
    recent = orders_uploads_recent(practice=practice, funnel=funnel)
    running = next((u for u in recent if u.is_running), None)
    latest = orders_upload_latest_done(practice=practice, funnel=funnel)
    refused = next((u for u in recent if u.status == "refused"), None)
    if refused is not None and latest is not None and latest.created_at > refused.created_at:
        refused = None
    results, problem = None, ""
    planned = PlannedChangeForm(request.GET or None, steps=[])
    if latest is not None:
        try:
            results = actuals_results(plan, latest)
            planned = PlannedChangeForm(request.GET or None, steps=results.step_choices)
            if planned.is_valid():
                results = actuals_results(
                    plan,
                    latest,
                    planned_step=planned.cleaned_data["step"],
                    change=Decimal(planned.cleaned_data["change"]),
                )
        except (StaleUpload, NoVisits, UncomputableFunnel) as why:
            problem = str(why)
    context = {
        "funnel": funnel,
        "nav": "funnels",
        "upload_form": upload_form or OrdersUploadForm(),
        "recent": recent,
        "running": running,
        "refused": refused,
        "results": results,
        "problem": problem,
        "planned_form": planned,
        "apply_form": ApplyRatesForm(initial={"version": funnel.version}),
        "can_edit": request.workspace.can_edit_funnels,
    }
    return render(request, TEMPLATE, context, status=status)


@csrf_exempt  # only so that the size limit is in place before the body is parsed: _upload checks the token
@require_POST
def upload(request: HttpRequest, slug: str) -> HttpResponse:
    """A file over ``ORDERS_UPLOAD_MAX_BYTES`` is refused before it is read: past the limit its bytes are kept
    nowhere (``SizeLimitedUpload``), and the form says so beside the file field."""
    request.upload_handlers.insert(0, SizeLimitedUpload(request, upload_limit()))
    return _upload(request, slug)


@csrf_protect
@workspace_required(edits="funnels")
def _upload(request: WorkspaceRequest, slug: str) -> HttpResponse:
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    form = OrdersUploadForm(request.POST, request.FILES)
    page = reverse("funnels:actuals", args=[funnel.slug])
    if not form.is_valid():
        return _page(request, funnel, upload_form=form, status=422)
    try:
        created = orders_upload_create(
            practice=practice,
            funnel=funnel,
            user=request.user if isinstance(request.user, User) else None,
            uploaded=form.cleaned_data["file"],
            source=form.cleaned_data["source"],
            window_minutes=form.cleaned_data["window"],
        )
    except FunnelEditError as refused:
        messages.error(request, str(refused))
        return go(request, page)
    if needs_mapping(practice=practice, upload=created):
        return go(request, reverse("funnels:actuals-map", args=[funnel.slug, created.pk]))
    _enqueue(created)
    messages.success(request, f"Reading {created.file_name} in the background; the page shows how far it got.")
    return go(request, page)


@require_http_methods(["GET", "POST"])
@workspace_required(edits="funnels")
def mapping(request: WorkspaceRequest, slug: str, pk: int) -> HttpResponse:
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    found = _upload_or_404(request, funnel, pk)
    current = mapping_for(practice=practice, source=found.source)
    form = OrdersMappingForm(
        request.POST or None,
        header=list(found.header),
        products=list(found.sample_products),
        offers=catalog_names(practice=practice),
        columns=current.columns,
        mapped=current.products,
        offset=offset_minutes_of(current.naive_zone),
        month_first=current.month_first,
        strict=READY_MAPPINGS[found.source].is_strict,
    )
    if request.method == "POST" and found.status == "mapping" and form.is_valid():
        try:
            orders_mapping_save(
                practice=practice,
                source=found.source,
                columns=form.columns(),
                products=form.product_map(),
                naive_offset_minutes=form.offset(),
                month_first=bool(form.cleaned_data.get("month_first")),
            )
        except FunnelEditError as refused:
            form.add_error(None, str(refused))
        else:
            _enqueue(found)
            messages.success(request, f"Mapping saved. Reading {found.file_name} in the background.")
            return go(request, reverse("funnels:actuals", args=[funnel.slug]))
    context = {"funnel": funnel, "upload": found, "form": form, "nav": "funnels"}
    return render(request, "funnels/actuals_mapping.html", context)


@require_safe
@workspace_required()
def progress(request: WorkspaceRequest, slug: str, pk: int) -> HttpResponse:
    funnel = funnel_or_404(request.workspace.practice, slug)
    found = _upload_or_404(request, funnel, pk)
    if wants_partial(request) and not found.is_running:
        return HttpResponseClientRefresh()
    return render(request, f"{TEMPLATE}#progress", {"funnel": funnel, "running": found})


@require_POST
@workspace_required(edits="funnels")
def apply_rates(request: WorkspaceRequest, slug: str, pk: int) -> HttpResponse:
    """Use the observed rates: every step some buyer saw takes its observed rate, as one edit and one version."""
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    found = _upload_or_404(request, funnel, pk)
    page = reverse("funnels:actuals", args=[funnel.slug])
    form = ApplyRatesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date; reload it and try again.")
        return go(request, page)
    plan = funnel_load(practice=practice, funnel=funnel).plan
    try:
        rates = observed_rates_of(plan, found)
        steps = funnel_take_rates_set(funnel=funnel, expected_version=form.cleaned_data["version"], rates=rates)
    except (StaleUpload, FunnelEditError) as refused:
        messages.error(request, str(refused))
        return go(request, page)
    messages.success(
        request, f"The funnel now assumes the observed rates of {len(steps)} steps (version {funnel.version})."
    )
    return go(request, page)
