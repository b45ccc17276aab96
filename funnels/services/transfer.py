"""Moving funnels in and out as interchange files (DESIGN §4), all or nothing.

An import first reads the whole file and compares its offers with the catalog (matched by key); every
problem is collected with its JSON path and reported at once, and only a file with none is written, in a
single transaction. An export is the same plan the editor and the metrics read, so it re-imports equal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction

from accounts.audit import SYSTEM, Actor, audit_record
from accounts.models import AuditAction, Practice
from core.money import format_money
from funnels.domain.checks.acknowledged import acknowledge
from funnels.domain.checks.findings import Tally
from funnels.domain.checks.rules import Finding, check_funnel
from funnels.domain.metrics import UncomputableFunnel, compute_metrics
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Stage
from funnels.interchange.plans import document_from_plan, plan_from_document
from funnels.interchange.problems import FunnelFileError, Problem
from funnels.interchange.reading import read_funnel_document
from funnels.interchange.writing import dump_document
from funnels.models import Funnel, FunnelStep
from funnels.selectors import funnel_load, funnel_plan, offer_spec, practice_thresholds
from funnels.services.editing import FunnelEditError, funnel_slug_for
from funnels.services.history import record_version
from offers.models import Offer
from offers.selectors import copy_acknowledgements, offers_by_key


@dataclass(frozen=True)
class ImportResult:
    funnel: Funnel
    offers_created: tuple[str, ...]
    offers_reused: tuple[str, ...]


def funnel_export(*, practice: Practice, funnel: Funnel) -> str:
    """The funnel as interchange JSON text."""
    return dump_document(document_from_plan(funnel_plan(practice=practice, funnel=funnel)))


def read_plan(*, raw: bytes | str, practice: Practice | None = None) -> FunnelPlan:
    """Read a file into a plan (with the practice's thresholds when given); FunnelFileError lists every problem."""
    document = read_funnel_document(raw)
    if practice is None:
        return plan_from_document(document)
    return plan_from_document(document, practice=practice.slug, thresholds=practice_thresholds(practice))


def catalog_clashes(*, practice: Practice, plan: FunnelPlan) -> list[Problem]:
    """Where the file's offers disagree with the catalog's offers of the same key on what matters for money."""
    problems: list[Problem] = []
    if plan.currency != practice.currency:
        problems.append(
            Problem(
                "currency",
                f'the file is in {plan.currency} but "{practice.name}" sells in {practice.currency}',
            )
        )
    catalog = offers_by_key(practice=practice, keys=[o.key for o in plan.offers])
    for index, spec in enumerate(plan.offers):
        existing = catalog.get(spec.key)
        if existing is not None:
            problems += offer_clashes(spec=spec, existing=existing, where=f"offers[{index}]", currency=plan.currency)
    return problems


def offer_clashes(*, spec: OfferSpec, existing: Offer, where: str, currency: str) -> list[Problem]:
    """Where one of the file's offers disagrees with the catalog's offer of its key (kind, price, what it
    upgrades): an offer with any of these is not "matched at the same price", and the import page says so."""
    problems: list[Problem] = []
    if existing.kind != spec.kind:
        problems.append(
            Problem(
                f"{where}.kind",
                f'the catalog\'s "{spec.key}" is of kind {existing.kind}, the file says {spec.kind}',
            )
        )
    if existing.price != spec.price:
        problems.append(
            Problem(
                f"{where}.price",
                f'the catalog\'s "{spec.key}" costs {format_money(existing.price, existing.currency)}, '
                f"the file says {format_money(spec.price, currency)}",
            )
        )
    existing_replaces = existing.replaces.key if existing.replaces else None
    if existing_replaces != spec.replaces:
        problems.append(
            Problem(
                f"{where}.replaces",
                f'the catalog\'s "{spec.key}" upgrades {existing_replaces or "nothing"}, '
                f"the file says {spec.replaces or 'nothing'}",
            )
        )
    return problems


def read_writable_plan(*, raw: bytes | str, practice: Practice) -> FunnelPlan:
    """A file read into a plan that may be written over the catalog: FunnelFileError lists every problem, the
    file's own and its clashes with the catalog (an import and a replace refuse the same files)."""
    plan = read_plan(raw=raw, practice=practice)
    problems = catalog_clashes(practice=practice, plan=plan)
    if problems:
        raise FunnelFileError(tuple(problems))
    return plan


def offers_added(created: tuple[str, ...]) -> str:
    """The end of a version's summary that says how many offers the file added to the catalog (none: nothing)."""
    return f", adding {len(created)} offer{'s' if len(created) != 1 else ''} to the catalog" if created else ""


def offers_reused(plan: FunnelPlan, created: tuple[str, ...]) -> tuple[str, ...]:
    """The plan's offers the catalog already had, by key."""
    return tuple(o.key for o in plan.offers if o.key not in created)


def funnel_import(
    *, practice: Practice, raw: bytes | str, slug: str | None = None, actor: Actor = SYSTEM
) -> ImportResult:
    """Create a funnel (and the offers the catalog lacks) from a file, or write nothing and say why; the import
    is on the practice's audit trail with the offers it added."""
    plan = read_writable_plan(raw=raw, practice=practice)
    with transaction.atomic():
        offers, created = ensure_offers(practice, plan)
        funnel = Funnel.objects.create(
            practice=practice,
            name=plan.name,
            slug=funnel_slug_for(practice=practice, name=plan.name, wanted=slug),
            currency=plan.currency,
            core_offer=offers[plan.core],
        )
        create_steps(funnel, plan, offers)
        record_version(funnel=funnel, actor=actor, summary=f"imported the funnel from a file{offers_added(created)}")
        audit_record(
            practice=practice,
            actor=actor,
            action=AuditAction.FUNNEL_IMPORTED,
            target=funnel.name,
            detail={"slug": funnel.slug, "offers_created": list(created)},
        )
    return ImportResult(funnel=funnel, offers_created=created, offers_reused=offers_reused(plan, created))


def ensure_offers(practice: Practice, plan: FunnelPlan) -> tuple[dict[str, Offer], tuple[str, ...]]:
    offers = offers_by_key(practice=practice, keys=[o.key for o in plan.offers])
    new_specs = [spec for spec in plan.offers if spec.key not in offers]
    created = Offer.objects.bulk_create([_new_offer(practice, spec) for spec in new_specs])
    for offer in created:
        offers[offer.key] = offer
    upgrades = []
    for spec in new_specs:
        if spec.replaces is not None:
            offer = offers[spec.key]
            offer.replaces = offers[spec.replaces]
            upgrades.append(offer)
    Offer.objects.bulk_update(upgrades, ["replaces"])
    return offers, tuple(spec.key for spec in new_specs)


def _new_offer(practice: Practice, spec: OfferSpec) -> Offer:
    return Offer(
        practice=practice,
        key=spec.key,
        name=spec.name,
        kind=spec.kind.value,
        price=spec.price,
        currency=spec.currency,
        topics=sorted(spec.topics),
        format=spec.format,
        headline=spec.headline,
        body=spec.body,
        accept_label=spec.accept_label,
        decline_label=spec.decline_label,
        default_take_rate=spec.default_take_rate,
    )


def create_steps(funnel: Funnel, plan: FunnelPlan, offers: dict[str, Offer]) -> None:
    rows: list[FunnelStep] = []

    def place(placements: tuple[Placement, ...]) -> None:
        for position, placed in enumerate(placements, start=1):
            rows.append(
                FunnelStep(
                    funnel=funnel,
                    key=placed.key,
                    stage=placed.stage,
                    slot=placed.slot,
                    offer=offers[placed.offer],
                    take_rate=placed.take_rate,
                    position=position,
                )
            )

    place(plan.bumps)
    place(plan.checkout_cross_sells)
    place(plan.thank_you_cross_sells)
    one_click = [
        FunnelStep(
            funnel=funnel,
            key=step.key,
            stage=Stage.POST_PURCHASE,
            slot="one_click",
            offer=offers[step.offer],
            take_rate=step.take_rate,
            position=position,
        )
        for position, step in enumerate(plan.steps, start=1)
    ]
    FunnelStep.objects.bulk_create(rows + one_click)
    by_key = {row.key: row for row in one_click}
    for step in plan.steps:
        row = by_key[step.key]
        row.on_accept = by_key[step.on_accept] if step.on_accept else None
        row.on_decline = by_key[step.on_decline] if step.on_decline else None
    FunnelStep.objects.bulk_update(one_click, ["on_accept", "on_decline"])
    if plan.start is not None:
        funnel.start_step = by_key[plan.start]
        funnel.save(update_fields=["start_step"])


def funnel_duplicate(*, practice: Practice, funnel: Funnel, name: str | None = None, actor: Actor = SYSTEM) -> Funnel:
    """A new draft with the same offers, steps, edges, take rates and start, under a fresh slug.

    The copy is written from the funnel's plan, the same value its export holds, so it is the funnel as the
    coach sees it; the catalog's offers are shared, not copied.
    """
    if funnel.practice_id != practice.pk:
        raise FunnelEditError(f'"{funnel.name}" belongs to another practice')
    copy_name = (name or "").strip() or f"{funnel.name} (copy)"
    copy_name = copy_name[: Funnel._meta.get_field("name").max_length]
    with transaction.atomic():
        loaded = funnel_load(practice=practice, funnel=funnel)
        offers = {step.offer.key: step.offer for step in loaded.steps}
        offers[loaded.plan.core] = funnel.core_offer
        copy = Funnel.objects.create(
            practice=practice,
            name=copy_name,
            slug=funnel_slug_for(practice=practice, name=copy_name),
            currency=funnel.currency,
            core_offer=funnel.core_offer,
        )
        create_steps(copy, loaded.plan, offers)
        said = f"copied from {funnel.name} as it stood at version {funnel.version}"
        record_version(funnel=copy, actor=actor, summary=said)
    return copy


@dataclass(frozen=True)
class ImportCheck:
    """What importing a file would do, worked out without writing anything.

    ``plan`` is the funnel as it will be once imported: an offer matched by key is the catalog's offer (its
    name, copy, topics and default take rate win over the file's), so the findings (with the acknowledgements
    made on the catalog's copy) and the AOV shown before the import are the ones the editor shows after it.
    ``clashes`` non-empty means the import would be refused.
    """

    plan: FunnelPlan
    slug: str
    offers_created: tuple[OfferSpec, ...]
    offers_matched: tuple[OfferSpec, ...]
    clashes: tuple[Problem, ...]
    findings: tuple[Finding, ...]
    aov: Decimal | None
    aov_problem: str | None
    offers_clashing: tuple[OfferSpec, ...] = ()
    """The file's offers whose key the catalog has but which disagree with it (``clashes`` says how): listed
    apart, never as "matched at the same price"."""

    @property
    def step_count(self) -> int:
        plan = self.plan
        return len(plan.bumps) + len(plan.checkout_cross_sells) + len(plan.steps) + len(plan.thank_you_cross_sells)

    @property
    def error_count(self) -> int:
        return Tally.of(self.findings).errors

    @property
    def warning_count(self) -> int:
        return Tally.of(self.findings).warnings

    @property
    def acknowledged_count(self) -> int:
        return Tally.of(self.findings).acknowledged


def funnel_import_check(*, practice: Practice, raw: bytes | str, slug: str | None = None) -> ImportCheck:
    """The dry run of :func:`funnel_import`: read the file (FunnelFileError lists every problem), compare it
    with the catalog, and say which offers it would add and which it would reuse. Reads only."""
    plan = read_plan(raw=raw, practice=practice)
    clashes = tuple(catalog_clashes(practice=practice, plan=plan))
    catalog = offers_by_key(practice=practice, keys=[o.key for o in plan.offers])
    clashing = tuple(
        spec
        for spec in plan.offers
        if spec.key in catalog
        and offer_clashes(spec=spec, existing=catalog[spec.key], where="", currency=plan.currency)
    )
    slugs = {practice.pk: practice.slug}
    matched = {key: offer_spec(offer, slugs) for key, offer in catalog.items()}
    plan = replace(plan, offers=tuple(matched.get(spec.key, spec) for spec in plan.offers))
    try:
        aov: Decimal | None = compute_metrics(plan, with_distribution=False).aov
        aov_problem = None
    except UncomputableFunnel as problem:
        aov, aov_problem = None, problem.reason
    return ImportCheck(
        plan=plan,
        slug=funnel_slug_for(practice=practice, name=plan.name, wanted=slug),
        offers_created=tuple(spec for spec in plan.offers if spec.key not in matched),
        offers_matched=tuple(
            spec for spec in plan.offers if spec.key in matched and spec.key not in {c.key for c in clashing}
        ),
        offers_clashing=clashing,
        clashes=clashes,
        findings=acknowledge(check_funnel(plan), copy_acknowledgements(practice=practice, keys=list(matched))),
        aov=aov,
        aov_problem=aov_problem,
    )
