"""What changed between two versions of a funnel, in the product's words, and what the change did to its figures.

Places are matched by stage, slot and key (a placement read from a file is keyed by its offer), so a step that was
removed and added again under the same key reads as changed, not as two events. Offers are matched by key: a price,
a kind, a name or an upgrade that changed in the catalog between the versions is said too, since it moves the AOV
as surely as a take rate does. Findings are matched by code and place, so a finding whose wording merely follows a
new price is neither gained nor lost. Take rates are compared as set: "the default (15%)" is not 15% typed in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.money import format_money, format_percent
from funnels.domain.checks.findings import Finding
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import FunnelMetrics, UncomputableFunnel, compute_metrics, exact_decimal
from funnels.domain.plan import FunnelPlan, Placement, Slot, Stage, Step

ARROW = " → "
THANK_YOU = "the thank-you page"


class ChangeKind(StrEnum):
    NAME = "name"
    CORE = "core"
    ADDED = "added"
    REMOVED = "removed"
    OFFER = "offer"
    REPOINTED = "re-pointed"
    START = "start"
    TAKE_RATE = "take-rate"
    PRICE = "price"
    KIND = "kind"
    OFFER_NAME = "offer-name"
    UPGRADE = "upgrade"
    ORDER = "order"


@dataclass(frozen=True)
class Change:
    """One change, as one sentence a coach reads (lower-case first word: the screen capitalises)."""

    kind: ChangeKind
    text: str


@dataclass(frozen=True)
class StepRevenue:
    """One offer's expected revenue per buyer before and after (zero where a version lacks it)."""

    stage: Stage
    slot: Slot
    key: str
    offer_name: str
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class FunnelDiff:
    """Version a against version b: every "before" is a's, every "after" b's. A figure is None when that
    version's flow cannot be worked out (``problem_before`` / ``problem_after`` say why)."""

    changes: tuple[Change, ...]
    findings_gained: tuple[Finding, ...]
    findings_lost: tuple[Finding, ...]
    aov_before: Decimal | None
    aov_after: Decimal | None
    revenue_per_buyer_before: Decimal | None
    revenue_per_buyer_after: Decimal | None
    problem_before: str | None
    problem_after: str | None
    steps: tuple[StepRevenue, ...]

    def of_kind(self, kind: ChangeKind) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind is kind)

    @property
    def aov_difference(self) -> Decimal | None:
        if self.aov_before is None or self.aov_after is None:
            return None
        return self.aov_after - self.aov_before


Place = tuple[Stage, Slot, str]
SLOTS_IN_ORDER = (
    (Stage.CHECKOUT, Slot.BUMP),
    (Stage.CHECKOUT, Slot.CROSS_SELL),
    (Stage.POST_PURCHASE, Slot.ONE_CLICK),
    (Stage.THANK_YOU, Slot.CROSS_SELL),
)


def where(stage: Stage, slot: Slot) -> str:
    if slot is Slot.BUMP:
        return "as an order bump at the checkout"
    if stage is Stage.CHECKOUT:
        return "alongside the checkout"
    return "after payment" if stage is Stage.POST_PURCHASE else "on the thank-you page"


def _places(plan: FunnelPlan) -> dict[Place, Placement | Step]:
    found: dict[Place, Placement | Step] = {}
    for placed in plan.placements:
        found.setdefault((placed.stage, placed.slot, placed.key), placed)
    for step in plan.steps:
        found.setdefault((Stage.POST_PURCHASE, Slot.ONE_CLICK, step.key), step)
    return found


def _offer_name(plan: FunnelPlan, key: str) -> str:
    offer = plan.offer(key)
    return offer.name if offer is not None else key


def _target(plan: FunnelPlan, key: str | None) -> str:
    if key is None:
        return THANK_YOU
    step = plan.step(key)
    return _offer_name(plan, step.offer) if step is not None else f'a missing step "{key}"'


def _rate(plan: FunnelPlan, placed: Placement | Step) -> str:
    if placed.take_rate is not None:
        return format_percent(placed.take_rate)
    return f"the default ({format_percent(plan.take_rate(placed))})"


def diff_plans(a: FunnelPlan, b: FunnelPlan) -> FunnelDiff:
    """Everything that changed from ``a`` to ``b``, and the figures of both (pure; the engine is exact)."""
    metrics_a, problem_a = _metrics(a)
    metrics_b, problem_b = _metrics(b)
    found_a, found_b = check_funnel(a), check_funnel(b)
    ids_a, ids_b = {_finding_id(f) for f in found_a}, {_finding_id(f) for f in found_b}
    return FunnelDiff(
        changes=tuple(_changes(a, b)),
        findings_gained=tuple(f for f in found_b if _finding_id(f) not in ids_a),
        findings_lost=tuple(f for f in found_a if _finding_id(f) not in ids_b),
        aov_before=metrics_a.aov if metrics_a else None,
        aov_after=metrics_b.aov if metrics_b else None,
        revenue_per_buyer_before=metrics_a.revenue_per_buyer if metrics_a else None,
        revenue_per_buyer_after=metrics_b.revenue_per_buyer if metrics_b else None,
        problem_before=problem_a,
        problem_after=problem_b,
        steps=_step_revenue(a, b, metrics_a, metrics_b),
    )


def _metrics(plan: FunnelPlan) -> tuple[FunnelMetrics | None, str | None]:
    try:
        return compute_metrics(plan, with_distribution=False), None
    except UncomputableFunnel as problem:
        return None, problem.reason


def _finding_id(finding: Finding) -> tuple[str, Stage | None, str | None, str | None]:
    return (finding.code, finding.stage, finding.step, finding.offer)


def _changes(a: FunnelPlan, b: FunnelPlan) -> Iterator[Change]:
    if a.name != b.name:
        yield Change(ChangeKind.NAME, f"name {a.name}{ARROW}{b.name}")
    if a.core != b.core:
        yield Change(ChangeKind.CORE, f"core offer {_offer_name(a, a.core)}{ARROW}{_offer_name(b, b.core)}")
    places_a, places_b = _places(a), _places(b)
    for place, placed in places_a.items():
        if place not in places_b:
            yield Change(ChangeKind.REMOVED, f"removed {_offer_name(a, placed.offer)} {where(place[0], place[1])}")
    for place, placed in places_b.items():
        if place not in places_a:
            said = f"added {_offer_name(b, placed.offer)} {where(place[0], place[1])}"
            yield Change(ChangeKind.ADDED, said + _rate_note(b, placed))
    for place, before in places_a.items():
        after = places_b.get(place)
        if after is not None:
            yield from _place_changes(a, b, place, before, after)
    if a.start != b.start:
        yield Change(ChangeKind.START, f"first offer after payment {_target(a, a.start)}{ARROW}{_target(b, b.start)}")
    yield from _offer_changes(a, b)
    yield from _order_changes(a, b, places_a, places_b)


def _rate_note(plan: FunnelPlan, placed: Placement | Step) -> str:
    return f" at a take rate of {_rate(plan, placed)}"


def _place_changes(
    a: FunnelPlan, b: FunnelPlan, place: Place, before: Placement | Step, after: Placement | Step
) -> Iterator[Change]:
    name_a, name_b = _offer_name(a, before.offer), _offer_name(b, after.offer)
    if before.offer != after.offer:
        yield Change(ChangeKind.OFFER, f"offer shown {where(place[0], place[1])} {name_a}{ARROW}{name_b}")
    if before.take_rate != after.take_rate:
        yield Change(ChangeKind.TAKE_RATE, f"take rate of {name_b} {_rate(a, before)}{ARROW}{_rate(b, after)}")
    if isinstance(before, Step) and isinstance(after, Step):
        for (answer, old), (_, new) in zip(before.edges, after.edges, strict=True):
            if old != new:  # the same target step with another offer is said once, as that step's change
                yield Change(ChangeKind.REPOINTED, f"{answer} of {name_b}: {_target(a, old)}{ARROW}{_target(b, new)}")


def _offer_changes(a: FunnelPlan, b: FunnelPlan) -> Iterator[Change]:
    used_b = _used(b)
    for offer_b in b.offers:
        offer_a = a.offer(offer_b.key)
        if offer_a is None or offer_b.key not in used_b or offer_b.key not in _used(a):
            continue
        if offer_a.price != offer_b.price:
            before, after = format_money(offer_a.price, a.currency), format_money(offer_b.price, b.currency)
            yield Change(ChangeKind.PRICE, f"price of {offer_b.name} {before}{ARROW}{after}")
        if offer_a.kind != offer_b.kind:
            yield Change(ChangeKind.KIND, f"kind of {offer_b.name} {offer_a.kind.label}{ARROW}{offer_b.kind.label}")
        if offer_a.name != offer_b.name:
            yield Change(ChangeKind.OFFER_NAME, f"offer name {offer_a.name}{ARROW}{offer_b.name}")
        if offer_a.replaces != offer_b.replaces:
            was = _offer_name(a, offer_a.replaces) if offer_a.replaces else "nothing"
            now = _offer_name(b, offer_b.replaces) if offer_b.replaces else "nothing"
            yield Change(ChangeKind.UPGRADE, f"what {offer_b.name} upgrades {was}{ARROW}{now}")


def _used(plan: FunnelPlan) -> set[str]:
    return {plan.core} | {p.offer for p in plan.placements} | {s.offer for s in plan.steps}


def _order_changes(
    a: FunnelPlan, b: FunnelPlan, places_a: dict[Place, Placement | Step], places_b: dict[Place, Placement | Step]
) -> Iterator[Change]:
    """A stage whose offers are the same but listed in another order (the flow follows the edges, not this)."""
    for stage, slot in SLOTS_IN_ORDER:
        keys_a = [p[2] for p in places_a if p[:2] == (stage, slot)]
        keys_b = [p[2] for p in places_b if p[:2] == (stage, slot)]
        if keys_a != keys_b and sorted(keys_a) == sorted(keys_b):
            names = ", ".join(_offer_name(b, places_b[(stage, slot, k)].offer) for k in keys_b)
            yield Change(ChangeKind.ORDER, f"new order {where(stage, slot)}: {names}")


def _step_revenue(
    a: FunnelPlan, b: FunnelPlan, metrics_a: FunnelMetrics | None, metrics_b: FunnelMetrics | None
) -> tuple[StepRevenue, ...]:
    """Each offer's expected revenue per buyer in a and in b, a's order first, then what only b has. Empty when
    either version's figures cannot be worked out (a change "from nothing" would mislead)."""
    if metrics_a is None or metrics_b is None:
        return ()
    by_a = {(s.stage, s.slot, s.key): s for s in metrics_a.steps}
    by_b = {(s.stage, s.slot, s.key): s for s in metrics_b.steps}
    rows = []
    for place in [*by_a, *(p for p in by_b if p not in by_a)]:
        step_a, step_b = by_a.get(place), by_b.get(place)
        shown = step_b or step_a
        assert shown is not None
        rows.append(
            StepRevenue(
                stage=place[0],
                slot=place[1],
                key=place[2],
                offer_name=shown.offer_name,
                before=exact_decimal(step_a.expected_revenue_exact) if step_a else Decimal(0),
                after=exact_decimal(step_b.expected_revenue_exact) if step_b else Decimal(0),
            )
        )
    return tuple(rows)
