"""The editor's edits of steps: add one where the coach is (with a new offer if need be), change a take rate,
re-point an answer, remove a step and take the removal back, reorder the bumps and cross-sells, choose the
first step after payment. The plumbing they share (versions, 409, 422, the reply's parts) is in
``funnels.views.editor``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

from accounts.access import WorkspaceRequest, actor_of
from core.money import format_percent
from core.slugs import KEY_PATTERN
from funnels.domain.plan import Stage
from funnels.forms import AddHereForm, EdgeForm, EdgesForm, MoveForm, Place, StartForm, TakeRateForm, first_error
from funnels.models import Funnel, FunnelStep
from funnels.presenters.editor import step_anchor
from funnels.presenters.editor_choices import add_choices, kinds_for
from funnels.presenters.editor_rows import EDGE_WORDS, Refusal
from funnels.selectors import StepNotFound, funnel_load, funnel_step_get, funnel_steps_by_key
from funnels.services.building import NewOffer, OfferRefused, RemovedStep, funnel_step_add_offer, funnel_step_reinstate
from funnels.services.editing import (
    FunnelEditError,
    Reconnected,
    StaleFunnel,
    funnel_start_set,
    funnel_step_move,
    funnel_step_remove,
    funnel_step_set_edges,
    funnel_step_set_take_rate,
    funnel_steps_reorder,
)
from funnels.views.editor import (
    COLUMN_PARTS,
    Refused,
    Saved,
    card,
    editing,
    guarded,
    run_edit,
    sentence,
)
from funnels.views.lookups import funnel_or_404
from offers.domain.kinds import OfferKind
from offers.models import Offer, OfferStatus
from offers.selectors import offer_list

CHOICES_TEMPLATE = "funnels/editor_choices.html"
REINSTATE_SALT = "funnels.step-reinstate"
REINSTATE_MAX_AGE = 24 * 60 * 60  # an "Undo" offered yesterday is still honoured; older ones are refused


def stage_or_404(value: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        raise Http404(f'no stage "{value}"') from None


def step_or_404(funnel: Funnel, stage: Stage, key: str) -> FunnelStep:
    try:
        return funnel_step_get(practice=funnel.practice, funnel=funnel, stage=stage, key=key)
    except StepNotFound as missing:
        raise Http404(str(missing)) from None


# -- add where you are -------------------------------------------------------------------------------------


class AddRefused(Exception):
    """The add form comes back with every field's message (``errors``) and what was typed."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


FIELD_OF = {"new_name": "name", "new_kind": "kind", "new_price": "price", "new_key": "key", "new_topics": "topics"}


def _form_errors(form: AddHereForm) -> dict[str, str]:
    return {FIELD_OF.get(name, name): str(errors[0]) for name, errors in form.errors.items()}


def _added_message(offer: Offer, place: Place, source: FunnelStep | None, edge: str, created: bool) -> str:
    answer = "yes" if edge == "on_accept" else "no"
    where = place.noun if source is None else f"the step after a {answer} to “{source.offer.name}”"
    made = " (new in the catalog)" if created else ""
    return f"Added “{offer.name}”{made} as {where}."


@editing
def step_add(request: WorkspaceRequest, slug: str) -> HttpResponse:
    try:
        place = Place(request.POST.get("place", ""))
    except ValueError:
        return HttpResponseBadRequest(f"Say where the offer goes: {', '.join(Place)}.")
    column = COLUMN_PARTS[place.stage]

    def edit(funnel: Funnel, version: int) -> Saved:
        form = AddHereForm(request.POST)
        valid = form.is_valid()
        errors = _form_errors(form) if not valid else {}
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        source, edge = None, str(data.get("after_edge") or "on_decline")
        if data.get("after_step"):
            if place is not Place.ONE_CLICK:
                raise AddRefused({"form": "Only steps after payment follow an answer."})
            found = funnel_steps_by_key(
                practice=funnel.practice, funnel=funnel, stage=Stage.POST_PURCHASE, keys=[data["after_step"]]
            )
            source = found.get(data["after_step"])
            if source is None:
                raise AddRefused({"form": "The step this was to follow is no longer in the funnel; reload the editor."})
        kinds = kinds_for(place, source, edge)
        offer: Offer | None = None
        new: NewOffer | None = None
        if data.get("offer"):
            offer = offer_list(practice=funnel.practice).filter(key=data["offer"]).first()
            if offer is None or OfferKind(offer.kind) not in kinds or offer.status == OfferStatus.ARCHIVED:
                errors["offer"] = f"Choose {place.wanted} from the catalog that may stand here."
            elif offer.currency != funnel.currency:
                errors["offer"] = f"That offer is priced in {offer.currency}; this funnel sells in {funnel.currency}."
        else:
            try:
                kind = OfferKind(str(data.get("new_kind") or kinds[0].value))
            except ValueError:
                kind = None
            if kind is None or kind not in kinds:
                allowed = ", ".join(k.label.lower() for k in kinds)
                errors["kind"] = f"Here the offer may be: {allowed}."
            if not errors and kind is not None:
                new = NewOffer(
                    name=str(data["new_name"]).strip(),
                    kind=kind,
                    price=data["price"],
                    topics=data.get("topics") or (),
                    key=str(data.get("new_key") or "").strip(),
                )
        if errors:
            raise AddRefused(errors)
        try:
            step = funnel_step_add_offer(
                funnel=funnel,
                expected_version=version,
                slot=place.slot,
                stage=place.stage,
                offer=offer,
                new_offer=new,
                take_rate=data.get("take_rate"),
                after=source,
                edge=edge,
                actor=actor_of(request),
            )
        except OfferRefused as refused:
            raise AddRefused({FIELD_OF.get(f, f): " ".join(m) for f, m in refused.fields.items()}) from None
        except StaleFunnel:
            raise
        except FunnelEditError as error:
            raise AddRefused({"form": sentence(str(error))}) from None
        message = _added_message(step.offer, place, source, edge, created=new is not None)
        return Saved(message, (column,), anchor=step_anchor(place.stage, step.key))

    try:
        return run_edit(request, slug, edit)
    except AddRefused as refused:
        return _add_refused(request, slug, place, refused.errors)


def _add_refused(request: WorkspaceRequest, slug: str, place: Place, errors: dict[str, str]) -> HttpResponse:
    """422 with the add form again, out of band where it was opened, every message beside its field."""
    practice = request.workspace.practice
    funnel = funnel_or_404(practice, slug)
    after_key, _, edge = request.POST.get("after", "").partition(":")
    source = None
    if after_key and KEY_PATTERN.match(after_key):
        found = funnel_steps_by_key(practice=practice, funnel=funnel, stage=Stage.POST_PURCHASE, keys=[after_key])
        source = found.get(after_key)
    add = add_choices(
        funnel=funnel,
        place=place,
        catalog=list(offer_list(practice=practice)),
        used=set(),
        after=source,
        edge=edge if edge in EDGE_WORDS else "on_decline",
    )
    entered = {name: request.POST.get(name, "") for name in AddHereForm.base_fields}
    context = {"funnel": funnel, "add": add, "errors": errors, "entered": entered, "oob": True}
    html = render_to_string(f"{CHOICES_TEMPLATE}#add-form", context, request)
    return HttpResponse(html, status=422)


# -- one card at a time ------------------------------------------------------------------------------------


@editing
def step_take_rate(request: WorkspaceRequest, slug: str, stage: str, key: str) -> HttpResponse:
    where = stage_or_404(stage)

    def edit(funnel: Funnel, version: int) -> Saved:
        step = step_or_404(funnel, where, key)
        control = f"take-rate:{step_anchor(where, key)}"
        form = TakeRateForm(request.POST)
        if not form.is_valid():
            typed = {"take_rate": request.POST.get("take_rate", "")}
            raise Refused(Refusal(control, first_error(form), typed), [card(where, key)])
        rate = form.cleaned_data["take_rate"]
        guarded(
            lambda: funnel_step_set_take_rate(
                funnel=funnel, expected_version=version, actor=actor_of(request), step=step, take_rate=rate
            ),
            lambda message: Refusal(control, message),
            [card(where, key)],
        )
        said = format_percent(rate) if rate is not None else "the default in force"
        message = f"The take rate of “{step.offer.name}” is now {said}."
        return Saved(message, (card(where, key),), anchor=step_anchor(where, key))

    return run_edit(request, slug, edit)


@editing
def step_edges(request: WorkspaceRequest, slug: str, key: str) -> HttpResponse:
    """Re-point one answer (``edge`` and ``target``) or, as files and scripts do, both at once."""
    control = f"edges:{step_anchor(Stage.POST_PURCHASE, key)}"
    column = [COLUMN_PARTS[Stage.POST_PURCHASE]]

    def edit(funnel: Funnel, version: int) -> Saved:
        # only well-formed keys are looked up: a stray NUL must never reach the database
        posted = {request.POST.get(name, "") for name in ("target", *EDGE_WORDS)}
        wanted = {key} | {value for value in posted if KEY_PATTERN.match(value)}
        found = funnel_steps_by_key(practice=funnel.practice, funnel=funnel, stage=Stage.POST_PURCHASE, keys=wanted)
        step = found.get(key)
        if step is None:
            raise Http404(f'the funnel "{funnel.slug}" has no step "{key}" after payment')
        targets = _targets(request, step, found, control, column)
        guarded(
            lambda: funnel_step_set_edges(
                funnel=funnel,
                expected_version=version,
                actor=actor_of(request),
                step=step,
                on_accept=targets["on_accept"],
                on_decline=targets["on_decline"],
            ),
            lambda message: Refusal(control, message),
            column,
        )

        def name(target: FunnelStep | None) -> str:
            return f"“{target.offer.name}”" if target is not None else "the thank-you page"

        return Saved(
            f"“{step.offer.name}”: if they accept → {name(targets['on_accept'])}; "
            f"if they decline → {name(targets['on_decline'])}.",
            tuple(column),
            anchor=step_anchor(Stage.POST_PURCHASE, key),
        )

    return run_edit(request, slug, edit)


def _targets(
    request: WorkspaceRequest, step: FunnelStep, found: dict[str, FunnelStep], control: str, parts: Sequence[str]
) -> dict[str, FunnelStep | None]:
    current = {"on_accept": step.on_accept, "on_decline": step.on_decline}
    if "edge" in request.POST:
        form = EdgeForm(request.POST)
        if not form.is_valid():
            raise Refused(Refusal(control, first_error(form)), parts)
        chosen = {form.cleaned_data["edge"]: form.cleaned_data["target"]}
    else:
        both = EdgesForm(request.POST)
        if not both.is_valid():
            raise Refused(Refusal(control, first_error(both)), parts)
        chosen = {edge: both.cleaned_data[edge] for edge in EDGE_WORDS}
    for edge, value in chosen.items():
        if not value:
            current[edge] = None
        elif value in found:
            current[edge] = found[value]
        else:
            raise Refused(Refusal(control, "That step is no longer in the funnel; reload the editor."), parts)
    return current


# -- remove, and take it back ------------------------------------------------------------------------------


def removal_message(name: str, changed: Sequence[Reconnected], names: dict[str, str]) -> str:
    """'Removed “One call”; a no to “Three calls” now leads to the thank-you page.'"""
    parts = []
    if any(c.edge == "start" for c in changed):
        parts.append("buyers now go from payment straight to the thank-you page")
    answers = [
        f"a {'yes' if c.edge == 'on_accept' else 'no'} to “{names.get(c.step, c.step)}”"
        for c in changed
        if c.edge != "start"
    ]
    if answers:
        listed = answers[0] if len(answers) == 1 else ", ".join(answers[:-1]) + " and " + answers[-1]
        parts.append(f"{listed} now {'leads' if len(answers) == 1 else 'lead'} to the thank-you page")
    return "; ".join([f"Removed “{name}”", *parts]) + "."


@editing
def step_remove(request: WorkspaceRequest, slug: str, stage: str, key: str) -> HttpResponse:
    where = stage_or_404(stage)

    def edit(funnel: Funnel, version: int) -> Saved:
        step = step_or_404(funnel, where, key)
        names = {s.key: s.offer.name for s in funnel_load(practice=funnel.practice, funnel=funnel).steps}
        changed = guarded(
            lambda: funnel_step_remove(funnel=funnel, expected_version=version, actor=actor_of(request), step=step),
            lambda message: Refusal(f"actions:{step_anchor(where, key)}", message),
            [card(where, key)],
        )
        removed = RemovedStep.of(step, changed)
        token = signing.dumps({"funnel": funnel.pk, "step": removed.as_data()}, salt=REINSTATE_SALT, compress=True)
        return Saved(removal_message(step.offer.name, changed, names), (COLUMN_PARTS[where],), undo=token)

    return run_edit(request, slug, edit)


@editing
def step_reinstate(request: WorkspaceRequest, slug: str) -> HttpResponse:
    """The "Undo" beside a removal's message: the signed removal puts the step back, as a new version."""

    def edit(funnel: Funnel, version: int) -> Saved:
        try:
            data = signing.loads(request.POST.get("token", ""), salt=REINSTATE_SALT, max_age=REINSTATE_MAX_AGE)
            if data.get("funnel") != funnel.pk:
                raise signing.BadSignature("another funnel's removal")
            removed = RemovedStep.from_data(data["step"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            expired = Refusal("order:post_purchase", "This undo has expired or is not for this funnel.")
            raise Refused(expired, [COLUMN_PARTS[Stage.POST_PURCHASE]]) from None
        where = Stage(removed.stage)
        step = guarded(
            lambda: funnel_step_reinstate(
                funnel=funnel, expected_version=version, actor=actor_of(request), removed=removed
            ),
            lambda message: Refusal(f"order:{where.value}", message),
            [COLUMN_PARTS[where]],
        )
        return Saved(f"“{step.offer.name}” is back.", (COLUMN_PARTS[where],), anchor=step_anchor(where, step.key))

    return run_edit(request, slug, edit)


# -- order ---------------------------------------------------------------------------------------------------


@editing
def step_move(request: WorkspaceRequest, slug: str, stage: str, key: str) -> HttpResponse:
    where = stage_or_404(stage)
    control = f"actions:{step_anchor(where, key)}"

    def edit(funnel: Funnel, version: int) -> Saved:
        step = step_or_404(funnel, where, key)
        form = MoveForm(request.POST)
        if not form.is_valid():
            raise Refused(Refusal(control, first_error(form)), [card(where, key)])
        direction = form.cleaned_data["direction"]
        guarded(
            lambda: funnel_step_move(
                funnel=funnel, expected_version=version, actor=actor_of(request), step=step, direction=direction
            ),
            lambda message: Refusal(control, message),
            [card(where, key)],
        )
        return Saved(f"Moved “{step.offer.name}” {direction}.", (COLUMN_PARTS[where],), anchor=step_anchor(where, key))

    return run_edit(request, slug, edit)


@editing
def steps_reorder(request: WorkspaceRequest, slug: str, stage: str) -> HttpResponse:
    where = stage_or_404(stage)
    column = [COLUMN_PARTS[where]]

    def edit(funnel: Funnel, version: int) -> Saved:
        keys = request.POST.getlist("key")
        steps = guarded(
            lambda: funnel_steps_reorder(
                funnel=funnel, expected_version=version, actor=actor_of(request), stage=where, keys=keys
            ),
            lambda message: Refusal(f"order:{where.value}", message),
            column,
        )
        return Saved(f"Saved the new order: {', '.join(f'“{s.offer.name}”' for s in steps)}.", tuple(column))

    return run_edit(request, slug, edit)


@editing
def start_set(request: WorkspaceRequest, slug: str) -> HttpResponse:
    column = [COLUMN_PARTS[Stage.POST_PURCHASE]]

    def edit(funnel: Funnel, version: int) -> Saved:
        form = StartForm(request.POST)
        if not form.is_valid():
            raise Refused(Refusal("order:post_purchase", first_error(form)), column)
        key = form.cleaned_data["step"]
        step = step_or_404(funnel, Stage.POST_PURCHASE, key) if key else None
        guarded(
            lambda: funnel_start_set(funnel=funnel, expected_version=version, actor=actor_of(request), step=step),
            lambda message: Refusal("order:post_purchase", message),
            column,
        )
        if step is None:
            return Saved("Buyers now go from payment straight to the thank-you page.", tuple(column))
        return Saved(f"Buyers now meet “{step.offer.name}” first after payment.", tuple(column))

    return run_edit(request, slug, edit)
