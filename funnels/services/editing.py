"""Edits to funnels. Each runs in one transaction and first claims the version it was made against.

The claim is a conditional UPDATE (``version = expected`` → ``expected + 1``): two edits made from the same
copy cannot both win, and the loser gets ``StaleFunnel`` instead of silently overwriting the winner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from accounts.audit import SYSTEM, Actor, audit_record
from accounts.models import AuditAction, Practice
from core.money import read_rate
from core.slugs import KEY_PATTERN, slug_base, unique_slug
from funnels.domain.plan import Slot, Stage
from funnels.models import RESERVED_SLUGS, Funnel, FunnelStatus, FunnelStep
from funnels.selectors import funnel_slugs_taken
from funnels.services import summaries
from funnels.services.history import TRASHED, record_version
from offers.models import Offer

EDGES = ("on_accept", "on_decline")


class FunnelEditError(ValueError):
    """An edit that cannot be made as asked; the message says what and where."""


class StaleFunnel(FunnelEditError):
    """The funnel changed since the copy this edit was made against."""

    def __init__(self, funnel: Funnel, expected: int, current: int | None) -> None:
        self.funnel = funnel
        self.expected = expected
        self.current = current
        super().__init__(
            f'"{funnel.name}" was changed elsewhere (you edited version {expected}, it is now at version '
            f"{current}); reload it and make your change again."
        )


def claim_version(*, funnel: Funnel, expected_version: int) -> Funnel:
    """Move the funnel to the next version if, and only if, it is still at ``expected_version``."""
    now = timezone.now()
    claimed = Funnel.objects.filter(pk=funnel.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=now
    )
    if not claimed:
        current = Funnel.objects.filter(pk=funnel.pk).values_list("version", flat=True).first()
        raise StaleFunnel(funnel, expected_version, current)
    funnel.version = expected_version + 1
    funnel.updated_at = now  # as written: the per-version caches' keys read it (``funnels.figures``)
    return funnel


def funnel_slug_for(*, practice: Practice, name: str, wanted: str | None = None) -> str:
    """The slug a new funnel gets: ``wanted`` or one made from its name, never a page's address, and
    numbered (``-2``, ``-3``…) when another funnel of the practice has it."""
    base = slug_base(wanted or slugify(name), fallback="funnel")
    if base in RESERVED_SLUGS:
        base = f"{base}-funnel"
    if not KEY_PATTERN.match(base):
        raise FunnelEditError(f'the slug "{base}" may use only lower-case letters, digits and hyphens')
    return unique_slug(base=base, taken=funnel_slugs_taken(practice=practice, prefix=base))


def _own_offer(practice: Practice, offer: Offer) -> Offer:
    if offer.practice_id != practice.pk:
        raise FunnelEditError(f'"{offer.name}" belongs to another practice')
    return offer


def _take_rate(value: object) -> Decimal | None:
    try:
        return read_rate(value)
    except ValueError as problem:
        raise FunnelEditError(f"take rate: {problem}") from None


def funnel_create(
    *,
    practice: Practice,
    name: str,
    core_offer: Offer,
    slug: str | None = None,
    status: str = FunnelStatus.DRAFT,
    actor: Actor = SYSTEM,
) -> Funnel:
    name = name.strip()
    if not name:
        raise FunnelEditError("a funnel needs a name")
    with transaction.atomic():
        funnel = Funnel.objects.create(
            practice=practice,
            name=name,
            slug=funnel_slug_for(practice=practice, name=name, wanted=slug),
            currency=practice.currency,
            core_offer=_own_offer(practice, core_offer),
            status=status,
        )
        record_version(funnel=funnel, actor=actor, summary=summaries.created(core_offer))
    return funnel


def funnel_update(
    *,
    funnel: Funnel,
    expected_version: int,
    name: str | None = None,
    status: str | None = None,
    core_offer: Offer | None = None,
    actor: Actor = SYSTEM,
) -> Funnel:
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        before = (funnel.name, funnel.status, funnel.core_offer)
        fields = ["version", "updated_at"]
        if name is not None:
            if not name.strip():
                raise FunnelEditError("a funnel needs a name")
            funnel.name = name.strip()
            fields.append("name")
        if status is not None:
            if status not in FunnelStatus.values:
                raise FunnelEditError(f'unknown status "{status}" (use {", ".join(FunnelStatus.values)})')
            funnel.status = status
            fields.append("status")
        if core_offer is not None:
            funnel.core_offer = _own_offer(funnel.practice, core_offer)
            fields.append("core_offer")
        funnel.save(update_fields=fields)
        said = summaries.updated(
            name=(before[0], funnel.name), status=(before[1], funnel.status), core=(before[2], funnel.core_offer)
        )
        fold = summaries.update_fold_key(name=name, status=status, core_offer=core_offer)
        record_version(funnel=funnel, actor=actor, summary=said, fold_key=fold)
    return funnel


def _step_key(funnel: Funnel, stage: Stage, offer: Offer, wanted: str | None) -> str:
    if wanted is not None:
        if not KEY_PATTERN.match(wanted):
            raise FunnelEditError(f'the step key "{wanted}" may use only lower-case letters, digits and hyphens')
        if FunnelStep.objects.filter(funnel=funnel, stage=stage, key=wanted).exists():
            raise FunnelEditError(f'this funnel already has a step "{wanted}" in {stage.label.lower()}')
        return wanted
    taken = set(FunnelStep.objects.filter(funnel=funnel, stage=stage).values_list("key", flat=True))
    base = offer.key[:60]
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def funnel_step_add(
    *,
    funnel: Funnel,
    expected_version: int,
    offer: Offer,
    slot: Slot | str,
    stage: Stage | str | None = None,
    take_rate: object = None,
    key: str | None = None,
    connect_from: FunnelStep | None = None,
    edge: str = "on_decline",
    actor: Actor = SYSTEM,
) -> FunnelStep:
    """Place an offer in the funnel. The first one-click step becomes the start; ``connect_from`` points
    that step's ``edge`` at the new one (an upsell's decline edge leading to its downsell, say)."""
    slot = Slot(slot)
    stage = Stage(stage) if stage is not None else slot.stage_choices[0]
    if stage not in slot.stage_choices:
        raise FunnelEditError(f"a {slot.value.replace('_', '-')} cannot stand on the {stage.label.lower()}")
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        _own_offer(funnel.practice, offer)
        position = (FunnelStep.objects.filter(funnel=funnel, stage=stage).aggregate(m=Max("position"))["m"] or 0) + 1
        step = FunnelStep.objects.create(
            funnel=funnel,
            key=_step_key(funnel, stage, offer, key),
            stage=stage,
            slot=slot,
            offer=offer,
            take_rate=_take_rate(take_rate),
            position=position,
        )
        if stage is Stage.POST_PURCHASE:
            if connect_from is not None:
                _connect(funnel, connect_from, edge, step)
            elif funnel.start_step_id is None:
                funnel.start_step = step
                funnel.save(update_fields=["start_step"])
        said = summaries.step_added(step, offer, connect_from if stage is Stage.POST_PURCHASE else None, edge)
        record_version(funnel=funnel, actor=actor, summary=said)
    return step


def _own_step(funnel: Funnel, step: FunnelStep) -> FunnelStep:
    if step.funnel_id != funnel.pk:
        raise FunnelEditError(f'the step "{step.key}" belongs to another funnel')
    return step


def _check_edge(funnel: Funnel, step: FunnelStep, edge: str, target: FunnelStep | None) -> None:
    if edge not in EDGES:
        raise FunnelEditError(f'unknown edge "{edge}" (use on_accept or on_decline)')
    _own_step(funnel, step)
    if step.stage != Stage.POST_PURCHASE:
        raise FunnelEditError(f'only one-click steps lead somewhere; "{step.key}" is at the {step.stage}')
    if target is not None:
        _own_step(funnel, target)
        if target.stage != Stage.POST_PURCHASE:
            raise FunnelEditError(
                f'an edge can lead only to a one-click step or the thank-you page, not "{target.key}"'
            )


def _connect(funnel: Funnel, step: FunnelStep, edge: str, target: FunnelStep | None) -> None:
    _check_edge(funnel, step, edge, target)
    setattr(step, edge, target)
    step.save(update_fields=[edge])


def funnel_step_set_edges(
    *,
    funnel: Funnel,
    expected_version: int,
    step: FunnelStep,
    on_accept: FunnelStep | None,
    on_decline: FunnelStep | None,
    actor: Actor = SYSTEM,
) -> FunnelStep:
    """Point both answers of a one-click step at once (None: the thank-you page), as one edit and one version,
    so the editor's pair of choices is saved whole or not at all. A step never leads to itself."""
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        for edge, target in (("on_accept", on_accept), ("on_decline", on_decline)):
            _check_edge(funnel, step, edge, target)
            if target is not None and target.pk == step.pk:
                raise FunnelEditError(f'the step "{step.key}" cannot lead to itself')
        before = {"on_accept": step.on_accept_id, "on_decline": step.on_decline_id}
        step.on_accept, step.on_decline = on_accept, on_decline
        step.save(update_fields=list(EDGES))
        said = summaries.edges_changed(funnel, step, before, {"on_accept": on_accept, "on_decline": on_decline})
        record_version(funnel=funnel, actor=actor, summary=said, fold_key=f"edges:{step.key}")
    return step


MOVES = ("up", "down")


def funnel_step_move(
    *, funnel: Funnel, expected_version: int, step: FunnelStep, direction: str, actor: Actor = SYSTEM
) -> list[FunnelStep]:
    """Swap a step with its neighbour of the same kind of place (a bump with the bump above it, say), so the
    coach can reorder from the keyboard; the stage's other steps keep their order."""
    if direction not in MOVES:
        raise FunnelEditError(f'unknown direction "{direction}" (use up or down)')
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        _own_step(funnel, step)
        ordered = list(FunnelStep.objects.filter(funnel=funnel, stage=step.stage).order_by("position", "id"))
        alike = [i for i, s in enumerate(ordered) if s.slot == step.slot]
        here = next((n for n, i in enumerate(alike) if ordered[i].pk == step.pk), None)
        if here is None:
            raise FunnelEditError(f'the step "{step.key}" is not in this funnel')
        there = here - 1 if direction == "up" else here + 1
        if not 0 <= there < len(alike):
            raise FunnelEditError(f'"{step.key}" is already the {"first" if direction == "up" else "last"}')
        a, b = alike[here], alike[there]
        ordered[a], ordered[b] = ordered[b], ordered[a]
        for position, moved in enumerate(ordered, start=1):
            moved.position = position
        FunnelStep.objects.bulk_update(ordered, ["position"])
        record_version(funnel=funnel, actor=actor, summary=summaries.moved(step, direction))
    return ordered


def funnel_start_set(
    *, funnel: Funnel, expected_version: int, step: FunnelStep | None, actor: Actor = SYSTEM
) -> Funnel:
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        before = funnel.start_step_id
        if step is not None:
            _own_step(funnel, step)
            if step.stage != Stage.POST_PURCHASE:
                raise FunnelEditError("the flow after payment can start only at a one-click step")
        funnel.start_step = step
        funnel.save(update_fields=["start_step"])
        said = summaries.start_changed(funnel, before, step)
        record_version(funnel=funnel, actor=actor, summary=said, fold_key="start")
    return funnel


def funnel_step_set_take_rate(
    *, funnel: Funnel, expected_version: int, step: FunnelStep, take_rate: object, actor: Actor = SYSTEM
) -> FunnelStep:
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        _own_step(funnel, step)
        before = step.take_rate
        step.take_rate = _take_rate(take_rate)
        step.save(update_fields=["take_rate"])
        said = summaries.take_rate_changed(step, before, step.take_rate)
        record_version(funnel=funnel, actor=actor, summary=said, fold_key=f"take-rate:{step.stage}:{step.key}")
    return step


@dataclass(frozen=True)
class Reconnected:
    """An edge that led to a removed step and now leads to the thank-you page."""

    step: str  # the step whose edge changed, or "start"
    edge: str  # "on_accept", "on_decline" or "start"


def funnel_step_remove(
    *, funnel: Funnel, expected_version: int, step: FunnelStep, actor: Actor = SYSTEM
) -> tuple[Reconnected, ...]:
    """Remove a step; every edge that led to it now leads to the thank-you page, and we say which."""
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        _own_step(funnel, step)
        changed: list[Reconnected] = []
        if funnel.start_step_id == step.pk:
            funnel.start_step = None
            funnel.save(update_fields=["start_step"])
            changed.append(Reconnected("start", "start"))
        for edge in EDGES:
            sources = FunnelStep.objects.filter(funnel=funnel, **{f"{edge}_id": step.pk}).exclude(pk=step.pk)
            changed.extend(Reconnected(key, edge) for key in sources.order_by("position").values_list("key", flat=True))
            sources.update(**{edge: None})
        step.delete()
        record_version(funnel=funnel, actor=actor, summary=summaries.removed(step, len(changed)))
    return tuple(changed)


def funnel_steps_reorder(
    *, funnel: Funnel, expected_version: int, stage: Stage | str, keys: Sequence[str], actor: Actor = SYSTEM
) -> list[FunnelStep]:
    """Put a stage's steps in the coach's order (the order shown; the flow follows the edges, not this)."""
    stage = Stage(stage)
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        steps = {s.key: s for s in FunnelStep.objects.filter(funnel=funnel, stage=stage).select_related("offer")}
        if sorted(keys) != sorted(steps) or len(set(keys)) != len(keys):
            raise FunnelEditError(
                f"reorder needs each {stage.label.lower()} step exactly once: have {sorted(steps)}, got {list(keys)}"
            )
        for position, key in enumerate(keys, start=1):
            steps[key].position = position
        FunnelStep.objects.bulk_update(list(steps.values()), ["position"])
        record_version(funnel=funnel, actor=actor, summary=summaries.reordered(stage, [steps[k] for k in keys]))
    return [steps[k] for k in keys]


def funnel_delete(*, funnel: Funnel, expected_version: int, actor: Actor = SYSTEM) -> None:
    """Move the funnel to the trash for ``FUNNEL_TRASH_DAYS`` (``funnels.services.trash`` restores or purges it),
    as a version of its own; on the practice's audit trail. Its offers stay in the catalog."""
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        steps = FunnelStep.objects.filter(funnel=funnel).count()
        funnel.deleted_at = timezone.now()
        funnel.save(update_fields=["deleted_at"])
        record_version(funnel=funnel, actor=actor, summary=TRASHED)
        audit_record(
            practice=funnel.practice,
            actor=actor,
            action=AuditAction.FUNNEL_DELETED,
            target=funnel.name,
            detail={"slug": funnel.slug, "steps": steps, "trash": True},
        )
