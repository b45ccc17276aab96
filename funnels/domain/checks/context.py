"""What every rule reads: where each offer stands, and what holds on the paths to it.

The flow is analysed once (``graph.analyse_flow``); whatever depends on the paths to a step is gathered in
one pass over ``graph.order`` as sets per step, so the time stays linear-ish in steps and edges even where
the number of paths is exponential. On a loop there is no such order (``RuleContext.paths`` is None).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from core.money import format_money
from funnels.domain.checks.findings import Finding, finding
from funnels.domain.flow.graph import Edge, FlowGraph
from funnels.domain.flow.purchases import THANK_YOU, owned_before
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Stage, Step
from offers.domain.kinds import OfferKind


class Where(Enum):
    """The five places an offer can stand: (stage, what the place is called, where it is shown)."""

    CORE = (Stage.CHECKOUT, "The core offer", "as the core offer at the checkout")
    BUMP = (Stage.CHECKOUT, "The order bump", "as an order bump at the checkout")
    CHECKOUT_CROSS_SELL = (Stage.CHECKOUT, "The checkout cross-sell", "alongside the checkout")
    STEP = (Stage.POST_PURCHASE, "The step", "after payment")
    THANK_YOU = (Stage.THANK_YOU, "The thank-you cross-sell", "on the thank-you page")

    @property
    def stage(self) -> Stage:
        return self.value[0]

    @property
    def noun(self) -> str:
        return self.value[1]

    @property
    def text(self) -> str:
        return self.value[2]


AT_CHECKOUT = (Where.CORE, Where.BUMP, Where.CHECKOUT_CROSS_SELL)


MISPLACED = ((OfferKind.CROSS_SELL, Where.BUMP), (OfferKind.ORDER_BUMP, Where.CHECKOUT_CROSS_SELL))


@dataclass(frozen=True)
class Encounter:
    """One offer as placed; ``index`` orders the places as a buyer meets them (by stage, then as listed)."""

    index: int
    where: Where
    key: str
    offer_key: str
    placed: Placement | Step | None  # None: the core offer


@dataclass(frozen=True)
class Paid:
    price: Decimal
    name: str


@dataclass(frozen=True)
class Paths:
    """What holds on the paths to each reachable step (and to the thank-you page, under ``THANK_YOU``).

    ``met``: offers shown before it on some path, among those shown on more than one step (only they can repeat
    on a path; tracking every offer would copy a set as long as the path at every step); ``last_paid``: the
    cheapest "last paid thing bought" over the paths where something was paid; ``bought_topics``: topics of
    what may have been bought before it (the core included); ``depths``: its possible positions among the
    one-click offers (capped).
    """

    met: dict[str, frozenset[str]]
    last_paid: dict[str, Paid | None]
    bought_topics: dict[str, frozenset[str]]
    depths: dict[str, frozenset[int]]


@dataclass(frozen=True)
class RuleContext:
    plan: FunnelPlan
    graph: FlowGraph
    core: OfferSpec | None
    paths: Paths | None  # None on a loop
    owned: dict[str, frozenset[str]]
    at_checkout: frozenset[str]  # offers placed at the checkout, the core included
    on_steps: frozenset[str]  # offers of the reachable steps
    repeats: frozenset[int]  # places whose offer already stands earlier in the same stage
    core_paid: Paid | None  # the core offer, when it is not free


def encounters(plan: FunnelPlan) -> Iterator[Encounter]:
    rows: list[tuple[Where, str, str, Placement | Step | None]] = [(Where.CORE, plan.core, plan.core, None)]
    rows += [(Where.BUMP, p.key, p.offer, p) for p in plan.bumps]
    rows += [(Where.CHECKOUT_CROSS_SELL, p.key, p.offer, p) for p in plan.checkout_cross_sells]
    rows += [(Where.STEP, s.key, s.offer, s) for s in plan.steps if plan.step(s.key) is s]
    rows += [(Where.THANK_YOU, p.key, p.offer, p) for p in plan.thank_you_cross_sells]
    for index, (where, key, offer_key, placed) in enumerate(rows):
        yield Encounter(index, where, key, offer_key, placed)


def rule_context(plan: FunnelPlan, graph: FlowGraph, places: tuple[Encounter, ...]) -> RuleContext:
    seen: set[tuple[Stage, str]] = set()
    repeats: set[int] = set()
    for place in places:
        if place.where is not Where.STEP:
            if (place.where.stage, place.offer_key) in seen:
                repeats.add(place.index)
            seen.add((place.where.stage, place.offer_key))
    core = plan.core_offer
    core_paid = Paid(core.price, core.name) if core is not None and core.price > 0 else None
    on_steps = {s.offer for s in plan.steps if s.key in graph.reachable and plan.step(s.key) is s}
    return RuleContext(
        plan=plan,
        graph=graph,
        core=core,
        paths=trace_paths(plan, graph, core, core_paid),
        owned=owned_before(plan, graph),
        at_checkout=frozenset(p.offer_key for p in places if p.where in AT_CHECKOUT),
        on_steps=frozenset(on_steps),
        repeats=frozenset(repeats),
        core_paid=core_paid,
    )


def trace_paths(plan: FunnelPlan, graph: FlowGraph, core: OfferSpec | None, core_paid: Paid | None) -> Paths | None:
    """One pass over the flow's order, each step from its incoming edges. On a loop the pass follows the
    forward edges only (the edge that closes the loop is left out), so the fit checks still speak while the
    loop is being fixed: a loop switches off the figures, not the other checks."""
    order, incoming = (graph.order, graph.incoming) if graph.cycle is None else forward_view(plan)
    cap = plan.thresholds.max_one_click_offers + 2
    paths = Paths({}, {}, {}, {})
    shown: dict[str, int] = {}
    for key in order:
        step = plan.step(key)
        if step is not None:
            shown[step.offer] = shown.get(step.offer, 0) + 1
    repeated = frozenset(offer for offer, count in shown.items() if count > 1)

    def arrive(key: str, edges: tuple[Edge, ...]) -> None:
        met: set[str] = set()
        topics: set[str] = set()
        depths: set[int] = set()
        cheapest: Paid | None = None
        for source, edge in edges:
            if edge == "start":
                last, depths = core_paid, depths | {1}
                topics |= topics_of(core)
            else:
                step = plan.step(source)
                offer = plan.offer(step.offer) if step is not None else None
                last = paths.last_paid[source]
                met |= paths.met[source]
                topics |= paths.bought_topics[source]
                depths |= {min(depth + 1, cap) for depth in paths.depths[source]}
                if offer is not None:
                    if offer.key in repeated:
                        met.add(offer.key)
                    if edge == "accept":
                        topics |= topics_of(offer)
                        last = Paid(offer.price, offer.name) if offer.price > 0 else last
            if last is not None and (cheapest is None or last.price < cheapest.price):
                cheapest = last
        paths.met[key], paths.last_paid[key] = frozenset(met), cheapest
        paths.bought_topics[key], paths.depths[key] = frozenset(topics), frozenset(depths)

    ends: list[Edge] = []
    if plan.start is None or plan.start not in graph.reachable:
        ends.append(("", "start"))
    for key in order:
        arrive(key, incoming[key])
        step = plan.step(key)
        assert step is not None
        ends += [(key, edge) for edge, dest in step.edges if dest is None or dest not in graph.reachable]
    arrive(THANK_YOU, tuple(ends))
    return paths


def forward_view(plan: FunnelPlan) -> tuple[tuple[str, ...], dict[str, tuple[Edge, ...]]]:
    """The flow without the edges that close a loop: the reachable steps in an order where every kept edge
    points forward (reverse postorder of a depth-first walk from the start, accept before decline), and each
    step's incoming kept edges. Linear in the steps; used by the fit checks when the flow has a loop."""
    steps: dict[str, Step] = {}
    for step in plan.steps:
        steps.setdefault(step.key, step)
    if plan.start is None or plan.start not in steps:
        return (), {}
    finished: list[str] = []
    state: dict[str, int] = {plan.start: 1}  # 1: on the walk's stack, 2: finished
    incoming: dict[str, list[Edge]] = {plan.start: [("", "start")]}
    stack: list[tuple[str, int]] = [(plan.start, 0)]
    while stack:
        key, next_edge = stack.pop()
        edges = steps[key].edges
        if next_edge < len(edges):
            stack.append((key, next_edge + 1))
            edge, dest = edges[next_edge]
            if dest is None or dest not in steps or state.get(dest) == 1:
                continue  # the thank-you page, a missing step, or the edge that closes a loop
            incoming.setdefault(dest, []).append((key, edge))
            if dest not in state:
                state[dest] = 1
                stack.append((dest, 0))
        else:
            state[key] = 2
            finished.append(key)
    order = tuple(reversed(finished))
    return order, {key: tuple(incoming.get(key, ())) for key in order}


def topics_of(offer: OfferSpec | None) -> frozenset[str]:
    if offer is None:
        return frozenset()
    return frozenset(topic.strip().casefold() for topic in offer.topics if topic.strip())


def at(place: Encounter, wording: str, offer: OfferSpec | None = None, **facts: object) -> Finding:
    named = {"name": offer.name} if offer is not None else {}
    return finding(wording, place.where.stage, place.key, where=place.where.text, **named, **facts)


def rate_of(ctx: RuleContext, place: Encounter) -> Decimal | None:
    return ctx.plan.take_rate(place.placed) if place.placed is not None else None


def valid_rate(rate: Decimal) -> bool:
    return rate.is_finite() and Decimal(0) <= rate <= Decimal(1)


def last_paid(ctx: RuleContext, place: Encounter) -> Paid | None:
    if place.where in (Where.BUMP, Where.CHECKOUT_CROSS_SELL):
        return ctx.core_paid
    if ctx.paths is None or place.where is Where.CORE:
        return None
    return ctx.paths.last_paid.get(THANK_YOU if place.where is Where.THANK_YOU else place.key)


def money_of(ctx: RuleContext, amount: Decimal) -> str:
    return format_money(amount, ctx.plan.currency)


def times(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def number(value: Decimal) -> str:
    return f"{value.normalize():f}"
