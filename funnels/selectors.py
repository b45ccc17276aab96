"""Reads of funnels. Each takes the practice; a funnel becomes a ``FunnelPlan`` in a fixed number of queries.

``funnel_plan`` is the one bridge from rows to the engine: the rules, the metrics and the export all read
the same plan, so what the coach sees, what the command line prints and what a file holds cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts.models import Practice
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step, Thresholds
from funnels.models import Funnel, FunnelStep, FunnelVersion
from offers.domain.copy import Acknowledgement
from offers.domain.kinds import OfferKind
from offers.models import Offer, OfferStatus
from offers.selectors import copy_acknowledgements


class FunnelNotFound(LookupError):
    """The practice has no funnel with that slug."""


def _in_use(practice: Practice) -> QuerySet[Funnel]:
    """The practice's funnels that are not in the trash: every list and lookup starts here."""
    return Funnel.objects.filter(practice=practice, deleted_at__isnull=True)


def funnel_list(*, practice: Practice, status: str | None = None) -> QuerySet[Funnel]:
    """The practice's funnels by name; ``status`` (a ``FunnelStatus`` value) keeps only those in it."""
    funnels = _in_use(practice)
    if status is not None:
        funnels = funnels.filter(status=status)
    return funnels.select_related("core_offer").order_by("name", "slug")


STAMP_FIELDS = ("pk", "slug", "name", "status", "version", "updated_at")
"""What a page that names or reads several funnels depends on of each: part of its cache key. A rename, a status
change or any edit moves the version or the last change; a funnel added or trashed changes the list."""


def _stamp(
    pk: object, slug: object, name: object, status: object, version: object, updated_at: object
) -> tuple[object, ...]:
    return (pk, slug, name, status, version, updated_at.isoformat() if isinstance(updated_at, datetime) else "")


def funnel_stamps(*, practice: Practice, status: str | None = None) -> list[tuple[object, ...]]:
    """The ``STAMP_FIELDS`` of the funnels ``funnel_list`` gives, in its order, read as plain values: a page
    served from the cache reads no more than this."""
    rows = funnel_list(practice=practice, status=status).select_related(None).values_list(*STAMP_FIELDS)
    return [_stamp(*row) for row in rows]


def funnels_stamp(funnels: Iterable[Funnel]) -> tuple[tuple[object, ...], ...]:
    """The same stamps of funnels already read (the forecast reads them for its choices anyway)."""
    return tuple(_stamp(*(getattr(f, name) for name in STAMP_FIELDS)) for f in funnels)


KEY_FIELDS = ("pk", "slug", "version", "updated_at")
"""All that a kept page's key reads of its funnel (``funnels.figures.analysis_key``)."""


def funnel_get(*, practice: Practice, slug: str, key_only: bool = False) -> Funnel:
    """The funnel with its practice and core offer; ``key_only`` reads only ``KEY_FIELDS`` (no join), enough to
    tell whether a kept page is still current: a page served from the cache reads nothing more."""
    rows = _in_use(practice)
    try:
        return (rows.only(*KEY_FIELDS) if key_only else rows.select_related("practice", "core_offer")).get(slug=slug)
    except Funnel.DoesNotExist:
        known = ", ".join(funnel_list(practice=practice).values_list("slug", flat=True)[:20]) or "none yet"
        raise FunnelNotFound(f'the practice "{practice.slug}" has no funnel "{slug}" (known: {known})') from None


def funnel_steps(*, practice: Practice, funnel: Funnel) -> list[FunnelStep]:
    return list(
        FunnelStep.objects.filter(funnel=funnel, funnel__practice=practice)
        .select_related("offer", "on_accept", "on_decline")
        .order_by("stage", "position", "id")
    )


class StepNotFound(LookupError):
    """The funnel has no step with that key in that stage."""


def funnel_steps_by_key(
    *, practice: Practice, funnel: Funnel, stage: str, keys: Iterable[str]
) -> dict[str, FunnelStep]:
    """The funnel's steps of one stage with these keys (one query), by key; missing keys are simply absent."""
    rows = FunnelStep.objects.filter(funnel=funnel, funnel__practice=practice, stage=stage, key__in=set(keys))
    return {step.key: step for step in rows.select_related("offer")}


def funnel_step_get(*, practice: Practice, funnel: Funnel, stage: str, key: str) -> FunnelStep:
    step = funnel_steps_by_key(practice=practice, funnel=funnel, stage=stage, keys=[key]).get(key)
    if step is None:
        raise StepNotFound(f'the funnel "{funnel.slug}" has no step "{key}" in {stage.replace("_", "-")}')
    return step


def step_offer_names(*, practice: Practice, funnel: Funnel, step_ids: Iterable[int | None]) -> dict[int, str]:
    """The names of the offers these steps show, by step id (one query): how a summary names an old edge's target."""
    rows = FunnelStep.objects.filter(funnel=funnel, funnel__practice=practice, pk__in={i for i in step_ids if i})
    return dict(rows.values_list("pk", "offer__name"))


def practice_thresholds(practice: Practice) -> Thresholds:
    return Thresholds(
        price_jump_ratio=practice.price_jump_ratio,
        bump_max_share=practice.bump_max_share,
        max_one_click_offers=practice.max_one_click_offers,
    )


def offer_spec(offer: Offer, practice_slugs: dict[int, str]) -> OfferSpec:
    return OfferSpec(
        key=offer.key,
        name=offer.name,
        kind=OfferKind(offer.kind),
        price=offer.price,
        currency=offer.currency,
        topics=frozenset(offer.topics or ()),
        replaces=offer.replaces.key if offer.replaces_id and offer.replaces else None,
        format=offer.format,
        headline=offer.headline,
        body=offer.body,
        accept_label=offer.accept_label,
        decline_label=offer.decline_label,
        default_take_rate=offer.default_take_rate,
        practice=practice_slugs.get(offer.practice_id),
        archived=offer.status == OfferStatus.ARCHIVED,
    )


@dataclass(frozen=True)
class LoadedFunnel:
    """A funnel's rows and its plan, read together so a page can show both without asking twice, with the
    acknowledgements coaches made on its offers' copy findings (``funnels.domain.checks.acknowledged``)."""

    funnel: Funnel
    steps: list[FunnelStep]
    plan: FunnelPlan
    acknowledgements: tuple[Acknowledgement, ...] = ()


def _offers_with_originals(used: set[int | None] | set[int]) -> dict[int, Offer]:
    """The offers with these ids and every offer they upgrade, with ``replaces`` and ``practice``: one query."""
    return {
        o.pk: o
        for o in Offer.objects.filter(Q(pk__in=used) | Q(upgrades__pk__in=used))
        .select_related("replaces", "practice")
        .distinct()
    }


def funnel_load(*, practice: Practice, funnel: Funnel, with_acknowledgements: bool = False) -> LoadedFunnel:
    """Read a funnel's steps and every offer they name (with what those upgrade): two queries; a third reads the
    acknowledgements made on those offers' copy, for the screens that show findings."""
    steps = list(
        FunnelStep.objects.filter(funnel=funnel, funnel__practice=practice).order_by("stage", "position", "id")
    )
    used = {funnel.core_offer_id} | {s.offer_id for s in steps}
    offers = _offers_with_originals(used)
    _link(steps, offers)
    return LoadedFunnel(
        funnel=funnel,
        steps=steps,
        plan=plan_from_rows(practice=practice, funnel=funnel, steps=steps, offers=offers),
        acknowledgements=tuple(copy_acknowledgements(practice=practice, offer_ids=offers))
        if with_acknowledgements
        else (),
    )


def _link(steps: list[FunnelStep], offers: Mapping[int, Offer]) -> None:
    """Give each step its offer and the steps its edges lead to from the rows already read, as ``funnel_steps``'
    joins would: the same objects, without reading every offer twice (a join per step and the offers' query)."""
    by_id = {s.pk: s for s in steps}
    for step in steps:
        step.offer = offers[step.offer_id]
        for edge in ("on_accept", "on_decline"):
            target = getattr(step, f"{edge}_id")
            if target is None:
                setattr(step, edge, None)
            elif target in by_id:  # the services keep edges inside their funnel; another is read when used
                setattr(step, edge, by_id[target])


def plan_from_rows(
    *, practice: Practice, funnel: Funnel, steps: Iterable[FunnelStep], offers: Mapping[int, Offer]
) -> FunnelPlan:
    """The plan of ``funnel`` from rows already read, as ``funnels.selectors.funnel_load`` builds it.

    ``steps`` are the funnel's steps in (stage, position, id) order; ``offers`` holds at least every offer
    they and the core name, with what those upgrade (with ``replaces`` and ``practice`` loaded). The plan
    holds exactly those offers, as ``funnel_load`` reads them, so both give equal plans.
    """
    steps = list(steps)
    used = {i for i in (funnel.core_offer_id, *(s.offer_id for s in steps)) if i is not None}
    wanted = used | {r for i in used if (r := offers[i].replaces_id) is not None}
    mine = [offers[i] for i in wanted if i in offers]
    slugs = {o.practice_id: o.practice.slug for o in mine}
    keys = {i: offers[i].key for i in used}
    by_id = {s.pk: s for s in steps}

    def edge(step_id: int | None) -> str | None:
        target = by_id.get(step_id) if step_id is not None else None
        return target.key if target is not None else None

    def placement(step: FunnelStep) -> Placement:
        return Placement(
            key=step.key,
            offer=keys[step.offer_id],
            slot=Slot(step.slot),
            stage=Stage(step.stage),
            take_rate=step.take_rate,
        )

    start = by_id.get(funnel.start_step_id) if funnel.start_step_id else None
    return FunnelPlan(
        name=funnel.name,
        currency=funnel.currency,
        offers=tuple(offer_spec(o, slugs) for o in sorted(mine, key=lambda o: (o.key, o.pk))),
        core=keys[funnel.core_offer_id],
        bumps=tuple(placement(s) for s in steps if s.slot == Slot.BUMP),
        checkout_cross_sells=tuple(
            placement(s) for s in steps if s.stage == Stage.CHECKOUT and s.slot == Slot.CROSS_SELL
        ),
        start=start.key if start is not None else None,
        steps=tuple(
            Step(
                key=s.key,
                offer=keys[s.offer_id],
                take_rate=s.take_rate,
                on_accept=edge(s.on_accept_id),
                on_decline=edge(s.on_decline_id),
            )
            for s in steps
            if s.stage == Stage.POST_PURCHASE
        ),
        thank_you_cross_sells=tuple(placement(s) for s in steps if s.stage == Stage.THANK_YOU),
        practice=practice.slug,
        thresholds=practice_thresholds(practice),
    )


def funnel_plan(*, practice: Practice, funnel: Funnel) -> FunnelPlan:
    return funnel_load(practice=practice, funnel=funnel).plan


def funnel_slugs_taken(*, practice: Practice, prefix: str) -> set[str]:
    """The practice's funnel slugs that start with ``prefix``: a new funnel's slug must be none of them. A funnel in
    the trash keeps its slug (it can be restored under it), so it counts as taken."""
    return set(Funnel.objects.filter(practice=practice, slug__startswith=prefix).values_list("slug", flat=True))


def funnel_load_all(*, practice: Practice, status: str | None = None) -> list[LoadedFunnel]:
    """Every funnel of the practice, by name, with its rows, plan and acknowledgements: four queries however many.

    The list page must not cost a query per funnel or per step, so all funnels, all their steps and every
    offer they name are read at once, and each plan is built by ``plan_from_rows`` exactly as ``funnel_load``
    builds it, so the list and the editor cannot disagree. ``status`` keeps only the funnels in that status
    (the list's filter), still in four queries.
    """
    shown = _in_use(practice) if status is None else _in_use(practice).filter(status=status)
    funnels = list(shown.order_by("name", "slug"))
    if not funnels:
        return []
    steps_by_funnel: dict[int, list[FunnelStep]] = {f.pk: [] for f in funnels}
    in_use = FunnelStep.objects.filter(funnel__practice=practice, funnel__in=shown.values("pk"))
    for step in in_use.order_by("funnel", "stage", "position", "id"):
        steps_by_funnel[step.funnel_id].append(step)
    used = {f.core_offer_id for f in funnels} | {s.offer_id for steps in steps_by_funnel.values() for s in steps}
    offers = _offers_with_originals(used)
    acknowledged = tuple(copy_acknowledgements(practice=practice, offer_ids=offers))
    return [
        LoadedFunnel(
            funnel=f,
            steps=steps_by_funnel[f.pk],
            plan=plan_from_rows(practice=practice, funnel=f, steps=steps_by_funnel[f.pk], offers=offers),
            acknowledgements=acknowledged,
        )
        for f in funnels
    ]


def funnels_using_offer(*, practice: Practice, offer: Offer, for_update: bool = False) -> list[Funnel]:
    """The practice's funnels (not in the trash) whose plan holds ``offer``: as the core, in a step, or as what
    an offer of theirs upgrades (its price is what the upgrade adds beyond). One query; ``for_update`` locks
    the rows, for a change that moves their versions."""
    steps = FunnelStep.objects.filter(funnel__practice=practice).filter(Q(offer=offer) | Q(offer__replaces=offer))
    used = Q(core_offer=offer) | Q(core_offer__replaces=offer) | Q(pk__in=steps.values("funnel"))
    rows = _in_use(practice).filter(used).order_by("name", "slug")
    return list(rows.select_for_update(of=("self",)) if for_update else rows)


def funnel_step_count(*, practice: Practice, funnel: Funnel) -> int:
    return FunnelStep.objects.filter(funnel=funnel, funnel__practice=practice).count()


# -- the trash -------------------------------------------------------------------------------------------------


def funnel_trash(*, practice: Practice) -> QuerySet[Funnel]:
    """The practice's funnels in the trash, the most recently deleted first."""
    return (
        Funnel.objects.filter(practice=practice, deleted_at__isnull=False)
        .select_related("core_offer")
        .order_by("-deleted_at", "slug")
    )


def funnel_get_trashed(*, practice: Practice, slug: str) -> Funnel:
    try:
        return funnel_trash(practice=practice).select_related("practice").get(slug=slug)
    except Funnel.DoesNotExist:
        raise FunnelNotFound(f'the practice "{practice.slug}" has no funnel "{slug}" in the trash') from None


# -- versions --------------------------------------------------------------------------------------------------


class VersionNotFound(LookupError):
    """The funnel has no version with that number."""


def version_list(*, practice: Practice, funnel: Funnel) -> QuerySet[FunnelVersion]:
    """The funnel's versions, newest first, without their snapshots (a page of the history never needs them)."""
    return (
        FunnelVersion.objects.filter(funnel=funnel, funnel__practice=practice)
        .defer("snapshot")
        .select_related("actor")
        .order_by("-number")
    )


def version_get(*, practice: Practice, funnel: Funnel, number: int) -> FunnelVersion:
    """One version with its snapshot."""
    found = FunnelVersion.objects.filter(funnel=funnel, funnel__practice=practice, number=number).first()
    if found is None:
        raise VersionNotFound(f'"{funnel.name}" has no version {number}')
    return found


def versions_by_number(*, practice: Practice, funnel: Funnel, numbers: Iterable[int]) -> dict[int, FunnelVersion]:
    """Some versions with their snapshots, by number, in one query; missing numbers are simply absent."""
    rows = FunnelVersion.objects.filter(funnel=funnel, funnel__practice=practice, number__in=set(numbers))
    return {row.number: row for row in rows}


def version_latest(*, practice: Practice, funnel: Funnel) -> FunnelVersion | None:
    """The newest version, without its snapshot."""
    return version_list(practice=practice, funnel=funnel).first()


def version_recent(*, practice: Practice, funnel: Funnel, limit: int) -> list[FunnelVersion]:
    """The newest ``limit`` versions without snapshots, newest first: what undo and redo walk back over."""
    return list(version_list(practice=practice, funnel=funnel)[:limit])


def version_aov_series(*, practice: Practice, funnel: Funnel, limit: int) -> list[tuple[int, Decimal | None]]:
    """(number, AOV) of the newest ``limit`` versions, oldest first: the history's chart, in one query."""
    rows = (
        FunnelVersion.objects.filter(funnel=funnel, funnel__practice=practice)
        .order_by("-number")
        .values_list("number", "aov")[:limit]
    )
    return list(reversed(list(rows)))


def funnel_trash_expired(*, before: datetime) -> list[Funnel]:
    """Funnels of every practice moved to the trash before ``before``: the one read across practices, for the
    system's ``purge_trash`` job (each is purged on its own practice's audit trail)."""
    return list(
        Funnel.objects.filter(deleted_at__isnull=False, deleted_at__lt=before).select_related("practice").order_by("pk")
    )
