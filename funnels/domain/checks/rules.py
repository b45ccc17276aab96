"""The timing and honesty checks: what is wrong with a funnel, and what may not fit, in a coach's words.

Errors break the primer's timing ("an upsell appears after the first purchase", a downsell "after the
customer declines the upsell", a bump "during checkout, before paying") or the funnel's shape; warnings are
the primer's fit and honesty concerns (a jarring jump in price, an unrelated offer, a promised outcome).

The flow is analysed once (``graph.analyse_flow``); whatever depends on the paths to a step is gathered in
one pass over ``graph.order`` as sets per step, so the time stays linear-ish in steps and edges even where
the number of paths is exponential. On a loop there is no such order: those checks are skipped and the loop
is reported instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from core.money import format_money, format_percent
from funnels.domain.checks.copy import copy_findings
from funnels.domain.checks.findings import ARTICLES, CODES, Finding, Severity, finding, ordinal
from funnels.domain.flow.graph import Edge, FlowGraph, analyse_flow
from funnels.domain.flow.purchases import THANK_YOU, owned_at, owned_before
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Stage, Step
from offers.domain.kinds import OfferKind, TakeRateRange, typical_take_rates

__all__ = ["CODES", "Finding", "Severity", "check_funnel"]

_STAGE_RANK = {None: -1, Stage.CHECKOUT: 0, Stage.POST_PURCHASE: 1, Stage.THANK_YOU: 2}


class _Where(Enum):
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


_AT_CHECKOUT = (_Where.CORE, _Where.BUMP, _Where.CHECKOUT_CROSS_SELL)
_MISPLACED = ((OfferKind.CROSS_SELL, _Where.BUMP), (OfferKind.ORDER_BUMP, _Where.CHECKOUT_CROSS_SELL))


@dataclass(frozen=True)
class _Encounter:
    """One offer as placed; ``index`` orders the places as a buyer meets them (by stage, then as listed)."""

    index: int
    where: _Where
    key: str
    offer_key: str
    placed: Placement | Step | None  # None: the core offer


@dataclass(frozen=True)
class _Paid:
    price: Decimal
    name: str


@dataclass(frozen=True)
class _Paths:
    """What holds on the paths to each reachable step (and to the thank-you page, under ``THANK_YOU``).

    ``met``: offers shown before it on some path; ``last_paid``: the cheapest "last paid thing bought"
    over the paths where something was paid; ``bought_topics``: topics of what may have been bought before
    it (the core included); ``depths``: its possible positions among the one-click offers (capped).
    """

    met: dict[str, frozenset[str]]
    last_paid: dict[str, _Paid | None]
    bought_topics: dict[str, frozenset[str]]
    depths: dict[str, frozenset[int]]


@dataclass(frozen=True)
class _Context:
    plan: FunnelPlan
    graph: FlowGraph
    core: OfferSpec | None
    paths: _Paths | None  # None on a loop
    owned: dict[str, frozenset[str]]
    at_checkout: frozenset[str]  # offers placed at the checkout, the core included
    on_steps: frozenset[str]  # offers of the reachable steps
    repeats: frozenset[int]  # places whose offer already stands earlier in the same stage
    core_paid: _Paid | None  # the core offer, when it is not free


def check_funnel(plan: FunnelPlan) -> tuple[Finding, ...]:
    """Every problem found, errors first; then by stage and by the place's order in it."""
    graph = analyse_flow(plan)
    places = tuple(_places(plan))
    ctx = _context(plan, graph, places)
    ranked: list[tuple[int, Finding]] = []
    for place in places:
        offer = plan.offer(place.offer_key)
        if offer is None:
            ranked.append((place.index, _missing_offer(place)))
            continue
        ranked.extend((place.index, found) for found in _place_findings(ctx, place, offer))
    steps = {place.key: place.index for place in places if place.where is _Where.STEP}
    ranked.extend((steps.get(step or "", -1), found) for step, found in _shape_findings(plan, graph))
    order = sorted(
        range(len(ranked)),
        key=lambda i: (not ranked[i][1].is_error, _STAGE_RANK[ranked[i][1].stage], ranked[i][0], i),
    )
    return tuple(ranked[i][1] for i in order)


def _places(plan: FunnelPlan) -> Iterator[_Encounter]:
    rows: list[tuple[_Where, str, str, Placement | Step | None]] = [(_Where.CORE, plan.core, plan.core, None)]
    rows += [(_Where.BUMP, p.key, p.offer, p) for p in plan.bumps]
    rows += [(_Where.CHECKOUT_CROSS_SELL, p.key, p.offer, p) for p in plan.checkout_cross_sells]
    rows += [(_Where.STEP, s.key, s.offer, s) for s in plan.steps if plan.step(s.key) is s]
    rows += [(_Where.THANK_YOU, p.key, p.offer, p) for p in plan.thank_you_cross_sells]
    for index, (where, key, offer_key, placed) in enumerate(rows):
        yield _Encounter(index, where, key, offer_key, placed)


def _context(plan: FunnelPlan, graph: FlowGraph, places: tuple[_Encounter, ...]) -> _Context:
    seen: set[tuple[Stage, str]] = set()
    repeats: set[int] = set()
    for place in places:
        if place.where is not _Where.STEP:
            if (place.where.stage, place.offer_key) in seen:
                repeats.add(place.index)
            seen.add((place.where.stage, place.offer_key))
    core = plan.core_offer
    core_paid = _Paid(core.price, core.name) if core is not None and core.price > 0 else None
    on_steps = {s.offer for s in plan.steps if s.key in graph.reachable and plan.step(s.key) is s}
    return _Context(
        plan=plan,
        graph=graph,
        core=core,
        paths=_trace_paths(plan, graph, core, core_paid),
        owned=owned_before(plan, graph),
        at_checkout=frozenset(p.offer_key for p in places if p.where in _AT_CHECKOUT),
        on_steps=frozenset(on_steps),
        repeats=frozenset(repeats),
        core_paid=core_paid,
    )


def _trace_paths(plan: FunnelPlan, graph: FlowGraph, core: OfferSpec | None, core_paid: _Paid | None) -> _Paths | None:
    """One pass over the flow's order, each step from its incoming edges (None on a loop)."""
    if graph.cycle is not None:
        return None
    cap = plan.thresholds.max_one_click_offers + 2
    paths = _Paths({}, {}, {}, {})

    def arrive(key: str, edges: tuple[Edge, ...]) -> None:
        met: set[str] = set()
        topics: set[str] = set()
        depths: set[int] = set()
        cheapest: _Paid | None = None
        for source, edge in edges:
            if edge == "start":
                last, depths = core_paid, depths | {1}
                topics |= _topics(core)
            else:
                step = plan.step(source)
                offer = plan.offer(step.offer) if step is not None else None
                last = paths.last_paid[source]
                met |= paths.met[source]
                topics |= paths.bought_topics[source]
                depths |= {min(depth + 1, cap) for depth in paths.depths[source]}
                if offer is not None:
                    met.add(offer.key)
                    if edge == "accept":
                        topics |= _topics(offer)
                        last = _Paid(offer.price, offer.name) if offer.price > 0 else last
            if last is not None and (cheapest is None or last.price < cheapest.price):
                cheapest = last
        paths.met[key], paths.last_paid[key] = frozenset(met), cheapest
        paths.bought_topics[key], paths.depths[key] = frozenset(topics), frozenset(depths)

    ends: list[Edge] = []
    if plan.start is None or plan.start not in graph.reachable:
        ends.append(("", "start"))
    for key in graph.order:
        arrive(key, graph.incoming[key])
        step = plan.step(key)
        assert step is not None
        ends += [(key, edge) for edge, dest in step.edges if dest is None or dest not in graph.reachable]
    arrive(THANK_YOU, tuple(ends))
    return paths


def _topics(offer: OfferSpec | None) -> frozenset[str]:
    if offer is None:
        return frozenset()
    return frozenset(topic.strip().casefold() for topic in offer.topics if topic.strip())


def _place_findings(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    yield from _timing(ctx, place, offer)
    yield from _duplicate(ctx, place, offer)
    yield from _downsell_not_smaller(ctx, place, offer)
    yield from _upgrade(ctx, place, offer)
    yield from _belonging(ctx, place, offer)
    yield from _take_rate_range(ctx, place, offer)
    yield from _price_jump(ctx, place, offer)
    yield from _unrelated(ctx, place, offer)
    yield from _bump_too_big(ctx, place, offer)
    yield from _too_many(ctx, place, offer)
    yield from copy_findings(offer, place.where.stage, place.key)
    yield from _optimistic_take_rate(ctx, place, offer)


def _at(place: _Encounter, wording: str, offer: OfferSpec | None = None, **facts: object) -> Finding:
    named = {"name": offer.name} if offer is not None else {}
    return finding(wording, place.where.stage, place.key, where=place.where.text, **named, **facts)


def _missing_offer(place: _Encounter) -> Finding:
    wording = "missing-offer/core" if place.where is _Where.CORE else "missing-offer"
    return _at(place, wording, noun=place.where.noun, key=place.key, missing=place.offer_key)


def _timing(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    kind, where = offer.kind, place.where
    if where is _Where.CORE:
        if kind is not OfferKind.CORE:
            yield _at(place, "core-not-core", offer, kind=ARTICLES[kind])
    elif kind is OfferKind.CORE:
        yield _at(place, "core-misplaced", offer)
    elif kind is OfferKind.ORDER_BUMP and where in (_Where.STEP, _Where.THANK_YOU):
        yield _at(place, "bump-after-payment", offer)
    elif kind is OfferKind.UPSELL and where in _AT_CHECKOUT:
        yield _at(place, "upsell-before-purchase", offer)
    elif kind is OfferKind.UPSELL and where is _Where.THANK_YOU:
        yield _at(place, "upsell-after-order", offer)
    elif kind is OfferKind.DOWNSELL and where is not _Where.STEP:
        yield _at(place, "downsell-without-decline", offer)
    elif kind is OfferKind.DOWNSELL and not _follows_decline(ctx, place):
        yield _at(place, "downsell-without-decline/step", offer)
    elif (kind, where) in _MISPLACED:
        yield _at(place, "misplaced-offer", offer, kind=ARTICLES[kind])


def _follows_decline(ctx: _Context, place: _Encounter) -> bool:
    """Every way into the step is the decline choice of an upsell (an unreachable step is not judged)."""
    for source, edge in ctx.graph.incoming.get(place.key, ()):
        offer = _step_offer(ctx.plan, source) if edge == "decline" else None
        if offer is None or offer.kind is not OfferKind.UPSELL:
            return False
    return True


def _duplicate(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    earlier: str | None = None
    if place.index in ctx.repeats:
        earlier = "on the thank-you page" if place.where is _Where.THANK_YOU else "at the checkout"
    elif place.where is _Where.THANK_YOU or place.key in ctx.graph.reachable:  # a thank-you or reached step
        met = ctx.paths.met.get(place.key, frozenset()) if ctx.paths is not None else frozenset()
        if offer.key in ctx.at_checkout:
            earlier = "at the checkout"
        elif offer.key in (ctx.on_steps if place.where is _Where.THANK_YOU else met):
            earlier = "after payment" if place.where is _Where.THANK_YOU else "on an earlier step after payment"
    if earlier is not None:
        yield _at(place, "duplicate-offer-on-path", offer, earlier=earlier)


def _downsell_not_smaller(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    if place.where is not _Where.STEP or offer.kind is not OfferKind.DOWNSELL:
        return
    for source, edge in ctx.graph.incoming.get(place.key, ()):
        upsell = _step_offer(ctx.plan, source) if edge == "decline" else None
        if upsell is not None and upsell.kind is OfferKind.UPSELL and offer.price >= upsell.price:
            prices = {"price": _money(ctx, offer.price), "upsell_price": _money(ctx, upsell.price)}
            yield _at(place, "downsell-not-smaller", offer, upsell=upsell.name, **prices)


def _upgrade(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    if offer.replaces is None:
        return
    original = ctx.plan.offer(offer.replaces)
    if original is None:
        yield _at(place, "missing-offer/upgrade", offer, missing=offer.replaces)
        return
    if offer.price <= original.price:
        prices = {"price": _money(ctx, offer.price), "original_price": _money(ctx, original.price)}
        yield _at(place, "upgrade-not-bigger", offer, original=original.name, **prices)
    owned = _owned(ctx, place)
    if owned is not None and original.key not in owned:
        yield _at(place, "upgrade-without-original", offer, original=original.name)


def _owned(ctx: _Context, place: _Encounter) -> frozenset[str] | None:
    """What every buyer owns where the place is shown; None where the paths cannot tell (loop, unreached)."""
    if place.placed is None:
        return frozenset()
    if place.where in _AT_CHECKOUT:
        return owned_at(ctx.owned, place.placed, ctx.plan)
    if ctx.graph.cycle is not None or (place.where is _Where.STEP and place.key not in ctx.graph.reachable):
        return None
    return owned_at(ctx.owned, place.placed, ctx.plan)


def _belonging(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    plan = ctx.plan
    if offer.practice and plan.practice and offer.practice != plan.practice:
        yield _at(place, "foreign-offer", offer)
    if offer.currency != plan.currency:
        yield _at(place, "currency-mismatch", offer, offer_currency=offer.currency, currency=plan.currency)
    if place.where is _Where.STEP and not offer.decline_label.strip():
        yield _at(place, "no-decline-choice", offer)


def _rate(ctx: _Context, place: _Encounter) -> Decimal | None:
    return ctx.plan.take_rate(place.placed) if place.placed is not None else None


def _valid(rate: Decimal) -> bool:
    return rate.is_finite() and Decimal(0) <= rate <= Decimal(1)


def _take_rate_range(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    rate = _rate(ctx, place)
    if rate is not None and not _valid(rate):
        shown = format_percent(rate) if rate.is_finite() else str(rate)
        yield _at(place, "take-rate-out-of-range", offer, rate=shown)


def _last_paid(ctx: _Context, place: _Encounter) -> _Paid | None:
    if place.where in (_Where.BUMP, _Where.CHECKOUT_CROSS_SELL):
        return ctx.core_paid
    if ctx.paths is None or place.where is _Where.CORE:
        return None
    return ctx.paths.last_paid.get(THANK_YOU if place.where is _Where.THANK_YOU else place.key)


def _price_jump(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    last, ratio = _last_paid(ctx, place), ctx.plan.thresholds.price_jump_ratio
    if last is None or offer.price <= ratio * last.price:
        return
    prices = {"price": _money(ctx, offer.price), "last_price": _money(ctx, last.price), "ratio": _number(ratio)}
    before = "it is added to" if place.where in _AT_CHECKOUT else "bought just before it"
    yield _at(
        place, "price-jump", offer, multiple=_times(offer.price / last.price), last=last.name, before=before, **prices
    )


def _unrelated(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    if offer.kind is OfferKind.CORE or place.where is _Where.CORE:
        return
    if place.where in _AT_CHECKOUT:
        before = _topics(ctx.core)
    elif ctx.paths is None:
        return
    else:
        before = ctx.paths.bought_topics.get(THANK_YOU if place.where is _Where.THANK_YOU else place.key, frozenset())
    mine = _topics(offer)
    if mine and before and not mine & before:
        core = f'"{ctx.core.name}"' if ctx.core is not None else "the core offer"
        also = "" if place.where in _AT_CHECKOUT else " or anything bought before it"
        yield _at(place, "unrelated-offer", offer, before=core + also)


def _bump_too_big(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    core, share = ctx.core, ctx.plan.thresholds.bump_max_share
    if place.where is not _Where.BUMP or offer.kind is not OfferKind.ORDER_BUMP or core is None:
        return
    if core.price > 0 and offer.price > share * core.price:
        prices = {"price": _money(ctx, offer.price), "core_price": _money(ctx, core.price)}
        shares = {"share": format_percent(offer.price / core.price, 0), "max_share": format_percent(share, 0)}
        yield _at(place, "bump-too-big", offer, core=core.name, **prices, **shares)


def _too_many(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    limit = ctx.plan.thresholds.max_one_click_offers
    if place.where is _Where.STEP and ctx.paths and limit + 1 in ctx.paths.depths.get(place.key, ()):
        yield _at(place, "too-many-offers", offer, nth=ordinal(limit + 1), limit=limit)


def _typical(ctx: _Context, offer: OfferSpec) -> tuple[TakeRateRange, str]:
    """The typical claimed take rates for the offer, and how the offer is described against them.

    An upsell's range slides from 10–25% (priced up to 3× the core) to 3–10% (5× or more), linearly between.
    """
    core_price = ctx.core.price if ctx.core is not None else None
    typical, described = typical_take_rates(offer.kind, offer.price, core_price), ARTICLES[offer.kind]
    if offer.kind is OfferKind.UPSELL and core_price is not None and core_price > 0:
        described += f" priced at {_times(offer.price / core_price)}× the core offer"
    return typical, described


def _optimistic_take_rate(ctx: _Context, place: _Encounter, offer: OfferSpec) -> Iterator[Finding]:
    rate = _rate(ctx, place)
    if rate is None or not _valid(rate) or offer.kind is OfferKind.CORE:
        return
    typical, described = _typical(ctx, offer)
    if rate > typical.high:
        low, high = format_percent(typical.low).removesuffix("%"), format_percent(typical.high)
        facts = {"rate": format_percent(rate), "span": f"{low}–{high}", "described": described, "high": high}
        yield _at(place, "optimistic-take-rate", offer, **facts)


def _shape_findings(plan: FunnelPlan, graph: FlowGraph) -> Iterator[tuple[str | None, Finding]]:
    """The loop, the missing steps and the unreachable steps, each with the step it concerns."""
    post = Stage.POST_PURCHASE
    if graph.cycle is not None:
        first = graph.cycle[0]
        yield first, finding("cycle", post, first, loop=" → ".join((*graph.cycle, first)))
    for gap in graph.missing:
        if gap.source is None:
            yield None, finding("missing-step/start", post, None, target=gap.target)
        else:
            step = _step_label(plan, gap.source)
            yield (
                gap.source,
                finding("missing-step", post, gap.source, edge=gap.edge, label=step, target=gap.target),
            )
    for key in graph.unreachable:
        yield key, finding("unreachable-step", post, key, label=_step_label(plan, key))


def _step_offer(plan: FunnelPlan, key: str) -> OfferSpec | None:
    step = plan.step(key)
    return plan.offer(step.offer) if step is not None else None


def _step_label(plan: FunnelPlan, key: str) -> str:
    offer = _step_offer(plan, key)
    return f'"{key}" ("{offer.name}")' if offer is not None else f'"{key}"'


def _money(ctx: _Context, amount: Decimal) -> str:
    return format_money(amount, ctx.plan.currency)


def _times(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"
