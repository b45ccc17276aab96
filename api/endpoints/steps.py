"""``/api/v1/funnels/{slug}/steps``: the editor's step edits for scripts. Each needs ``If-Match`` (the funnel's
version), makes one new version, and answers with it (also as the ``ETag``).

A step is addressed by its stage and key (keys are unique within a stage): ``/steps/post_purchase/up1``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router

from api.auth import actor_of, token_of, write
from api.endpoints.common import VERSIONED_ERRORS, IfMatch, PathKey, decimal_string, funnel_of, json_response, versioned
from api.errors import invalid
from api.headers import expected_version
from api.schemas.funnels import (
    EdgesChange,
    StageName,
    StartChange,
    StepAdd,
    StepRemoved,
    StepWritten,
    TakeRateChange,
    VersionOnly,
)
from funnels.domain.plan import Stage
from funnels.models import Funnel, FunnelStep
from funnels.selectors import StepNotFound, funnel_step_get
from funnels.services.editing import (
    funnel_start_set,
    funnel_step_add,
    funnel_step_remove,
    funnel_step_set_edges,
    funnel_step_set_take_rate,
)
from offers.selectors import OfferNotFound, offer_get

router = Router(tags=["steps"])
ONE_CLICK = Stage.POST_PURCHASE.value


def step_out(step: FunnelStep) -> dict[str, Any]:
    return {
        "key": step.key,
        "offer": step.offer.key,
        "take_rate": decimal_string(step.take_rate),
        "on_accept": step.on_accept.key if step.on_accept_id and step.on_accept else None,
        "on_decline": step.on_decline.key if step.on_decline_id and step.on_decline else None,
        "stage": step.stage,
        "slot": step.slot,
    }


def _written(funnel: Funnel, step: FunnelStep, status: int = 200) -> HttpResponse:
    return json_response(status, {"version": funnel.version, "step": step_out(step)}, versioned(funnel))


def _step_edit(
    request: HttpRequest, slug: str, stage: str, key: str, if_match: str | None
) -> tuple[Funnel, int, FunnelStep]:
    """What an edit of one step needs, in the order its failures answer: the funnel (404), the version ``If-Match``
    names (428, 400), the step (404)."""
    funnel = funnel_of(request, slug)
    version = expected_version(if_match)
    return funnel, version, funnel_step_get(practice=token_of(request).practice, funnel=funnel, stage=stage, key=key)


def _target(request: HttpRequest, funnel: Funnel, key: str | None, where: str) -> FunnelStep | None:
    """A one-click step a body names (None: the thank-you page); 422 at ``where`` when there is none."""
    if key is None:
        return None
    try:
        return funnel_step_get(practice=token_of(request).practice, funnel=funnel, stage=ONE_CLICK, key=key)
    except StepNotFound as missing:
        raise invalid(where, str(missing)) from None


@router.post(
    "/funnels/{slug}/steps",
    response={201: StepWritten, **VERSIONED_ERRORS},
    auth=write,
    summary="Add a step",
)
def add_step(request: HttpRequest, slug: PathKey, step: StepAdd, if_match: IfMatch = None) -> HttpResponse:
    funnel = funnel_of(request, slug)
    version = expected_version(if_match)
    try:
        offer = offer_get(practice=token_of(request).practice, key=step.offer)
    except OfferNotFound as missing:
        raise invalid("offer", str(missing)) from None
    after = _target(request, funnel, step.after.step, "after.step") if step.after else None
    made = funnel_step_add(
        funnel=funnel,
        expected_version=version,
        offer=offer,
        slot=step.slot,
        stage=step.stage,
        take_rate=step.take_rate,
        key=step.key,
        connect_from=after,
        edge=step.after.edge if step.after else "on_decline",
        actor=actor_of(request),
    )
    return _written(funnel, made, status=201)


@router.patch(
    "/funnels/{slug}/steps/{stage}/{key}",
    response={200: StepWritten, **VERSIONED_ERRORS},
    auth=write,
    summary="Change a step's take rate",
)
def change_take_rate(
    request: HttpRequest,
    slug: PathKey,
    stage: StageName,
    key: PathKey,
    change: TakeRateChange,
    if_match: IfMatch = None,
) -> HttpResponse:
    funnel, version, step = _step_edit(request, slug, stage, key, if_match)
    done = funnel_step_set_take_rate(
        funnel=funnel, expected_version=version, step=step, take_rate=change.take_rate, actor=actor_of(request)
    )
    return _written(funnel, done)


@router.put(
    "/funnels/{slug}/steps/post_purchase/{key}/edges",
    response={200: StepWritten, **VERSIONED_ERRORS},
    auth=write,
    summary="Re-point a one-click step's answers",
)
def set_edges(
    request: HttpRequest, slug: PathKey, key: PathKey, edges: EdgesChange, if_match: IfMatch = None
) -> HttpResponse:
    """Where "yes" and "no thanks" lead: another one-click step's key, or null for the thank-you page."""
    funnel, version, step = _step_edit(request, slug, ONE_CLICK, key, if_match)
    done = funnel_step_set_edges(
        funnel=funnel,
        expected_version=version,
        step=step,
        on_accept=_target(request, funnel, edges.on_accept, "on_accept"),
        on_decline=_target(request, funnel, edges.on_decline, "on_decline"),
        actor=actor_of(request),
    )
    return _written(funnel, done)


@router.put(
    "/funnels/{slug}/start",
    response={200: VersionOnly, **VERSIONED_ERRORS},
    auth=write,
    summary="Choose the first one-click step",
)
def set_start(request: HttpRequest, slug: PathKey, start: StartChange, if_match: IfMatch = None) -> HttpResponse:
    funnel = funnel_of(request, slug)
    version = expected_version(if_match)
    step = _target(request, funnel, start.step, "step")
    done = funnel_start_set(funnel=funnel, expected_version=version, step=step, actor=actor_of(request))
    return json_response(200, {"version": done.version}, versioned(done))


@router.delete(
    "/funnels/{slug}/steps/{stage}/{key}",
    response={200: StepRemoved, **VERSIONED_ERRORS},
    auth=write,
    summary="Remove a step",
)
def remove_step(
    request: HttpRequest, slug: PathKey, stage: StageName, key: PathKey, if_match: IfMatch = None
) -> HttpResponse:
    """Every answer that led to the step now leads to the thank-you page; ``reconnected`` says which."""
    funnel, version, step = _step_edit(request, slug, stage, key, if_match)
    changed = funnel_step_remove(funnel=funnel, expected_version=version, step=step, actor=actor_of(request))
    data = {"version": funnel.version, "reconnected": [{"step": c.step, "edge": c.edge} for c in changed]}
    return json_response(200, StepRemoved.model_validate(data).model_dump(mode="json"), versioned(funnel))
