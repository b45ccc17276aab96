"""Acknowledging a finding on an offer's words from the editor's findings panel, and opening it again.

A coach who knows the words are true ("this cohort really closes on 28 February") marks the finding as
reviewed with the reason. It changes no figure of the funnel, so it is not version-checked like an edit of the
funnel; it is checked against the words instead: the form carries the fingerprint of the copy it was shown, and
words changed since are refused (the coach must read them again). An htmx request gets the findings panel back,
with the flow diagram, the figures bar and the status line out of band; without JavaScript the same POST
redirects to the panel.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.access import WorkspaceRequest, actor_of, workspace_required
from core.http import HttpResponseSeeOther
from funnels.forms import AcknowledgeForm, ReopenForm
from funnels.models import Funnel
from funnels.presenters.editor import Alert, editor_context
from funnels.presenters.editor_rows import Refusal
from funnels.presenters.findings_panel import Refused, acknowledge_control
from funnels.selectors import funnel_load
from funnels.views.lookups import funnel_or_404
from offers.models import Offer
from offers.selectors import OfferNotFound, offer_get
from offers.services import AcknowledgementRefused, copy_acknowledge, copy_acknowledgement_withdraw

TEMPLATE = "funnels/editor.html"


def _funnel_offer(request: WorkspaceRequest, funnel: Funnel, key: str) -> Offer:
    """An offer of this funnel, in the request's practice; any other key is simply not found."""
    loaded = funnel_load(practice=request.workspace.practice, funnel=funnel)
    if loaded.plan.offer(key) is None:
        raise Http404(f'the funnel "{funnel.slug}" has no offer "{key}"')
    try:
        return offer_get(practice=request.workspace.practice, key=key)
    except OfferNotFound as missing:
        raise Http404(str(missing)) from None


def _answer(
    request: WorkspaceRequest, funnel: Funnel, alert: Alert, *, refused: Refused | None = None, status: int = 200
) -> HttpResponse:
    """The findings panel (and, out of band, the diagram and the status line) under htmx; else a redirect."""
    if not request.htmx:
        (messages.error if alert.level == "error" else messages.success)(request, alert.text)
        return HttpResponseSeeOther(reverse("funnels:editor", args=[funnel.slug]) + "#findings")
    loaded = funnel_load(practice=request.workspace.practice, funnel=funnel, with_acknowledgements=True)
    refusal = Refusal(refused[0], refused[1], {"reason": refused[2]}) if refused else None
    context = editor_context(request, loaded, refusal=refusal, alert=alert)
    parts = [render_to_string(f"{TEMPLATE}#findings", {**context, "oob": False}, request)]
    out_of_band = ("diagram", "alert", "figures-bar")
    parts += [render_to_string(f"{TEMPLATE}#{name}", {**context, "oob": True}, request) for name in out_of_band]
    return HttpResponse("".join(parts), status=status)


@require_POST
@workspace_required(edits="funnels")
def finding_acknowledge(request: WorkspaceRequest, slug: str) -> HttpResponse:
    funnel = funnel_or_404(request.workspace.practice, slug)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Say which finding on which offer's words, as the findings panel does.")
    key, code = form.cleaned_data["offer"], form.cleaned_data["code"]
    offer = _funnel_offer(request, funnel, key)
    try:
        copy_acknowledge(
            practice=request.workspace.practice,
            offer=offer,
            code=code,
            reason=form.cleaned_data["reason"],
            fingerprint=form.cleaned_data["fingerprint"],
            actor=actor_of(request),
        )
    except AcknowledgementRefused as refused:
        message = str(refused).rstrip(".") + "."
        typed = (acknowledge_control(key, code), message, form.cleaned_data["reason"])
        return _answer(request, funnel, Alert("error", message), refused=typed, status=422)
    return _answer(request, funnel, Alert("success", f'Marked the {code} finding on "{offer.name}" as reviewed.'))


@require_POST
@workspace_required(edits="funnels")
def finding_reopen(request: WorkspaceRequest, slug: str) -> HttpResponse:
    funnel = funnel_or_404(request.workspace.practice, slug)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Say which finding on which offer's words to open again.")
    code = form.cleaned_data["code"]
    offer = _funnel_offer(request, funnel, form.cleaned_data["offer"])
    copy_acknowledgement_withdraw(practice=request.workspace.practice, offer=offer, code=code)
    return _answer(request, funnel, Alert("success", f'The {code} finding on "{offer.name}" is open again.'))
