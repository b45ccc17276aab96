"""The timing and honesty checks: what is wrong with a funnel, and what may not fit, in a coach's words.

Errors break the primer's timing ("an upsell appears after the first purchase", a downsell "after the
customer declines the upsell", a bump "during checkout, before paying") or the funnel's shape; warnings are
the primer's fit and honesty concerns (a jarring jump in price, an unrelated offer, a promised outcome).

What every rule reads is gathered once (``checks.context``); the fit warnings live in ``checks.fit``. On a
loop the path-dependent checks are skipped and the loop is reported instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.money import format_percent
from funnels.domain.checks.context import (
    AT_CHECKOUT,
    MISPLACED,
    Encounter,
    RuleContext,
    Where,
    at,
    encounters,
    money_of,
    rate_of,
    rule_context,
    valid_rate,
)
from funnels.domain.checks.copy import copy_findings
from funnels.domain.checks.findings import ARTICLES, CODES, Finding, Severity, finding
from funnels.domain.checks.fit import archived, bump_too_big, optimistic_take_rate, price_jump, too_many, unrelated
from funnels.domain.flow.graph import FlowGraph, analyse_flow
from funnels.domain.flow.purchases import owned_at
from funnels.domain.plan import FunnelPlan, OfferSpec, Stage
from offers.domain.kinds import OfferKind

__all__ = ["CODES", "Finding", "Severity", "check_funnel"]

_STAGE_RANK = {None: -1, Stage.CHECKOUT: 0, Stage.POST_PURCHASE: 1, Stage.THANK_YOU: 2}


def check_funnel(plan: FunnelPlan) -> tuple[Finding, ...]:
    """Every problem found, errors first; then by stage and by the place's order in it."""
    graph = analyse_flow(plan)
    places = tuple(encounters(plan))
    ctx = rule_context(plan, graph, places)
    ranked: list[tuple[int, Finding]] = []
    for place in places:
        offer = plan.offer(place.offer_key)
        if offer is None:
            ranked.append((place.index, _missing_offer(place)))
            continue
        ranked.extend((place.index, found) for found in _place_findings(ctx, place, offer))
    steps = {place.key: place.index for place in places if place.where is Where.STEP}
    ranked.extend((steps.get(step or "", -1), found) for step, found in _shape_findings(plan, graph))
    order = sorted(
        range(len(ranked)),
        key=lambda i: (not ranked[i][1].is_error, _STAGE_RANK[ranked[i][1].stage], ranked[i][0], i),
    )
    return tuple(ranked[i][1] for i in order)


def _place_findings(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    yield from _timing(ctx, place, offer)
    yield from _duplicate(ctx, place, offer)
    yield from _downsell_not_smaller(ctx, place, offer)
    yield from _upgrade(ctx, place, offer)
    yield from _belonging(ctx, place, offer)
    yield from _take_rate_range(ctx, place, offer)
    yield from price_jump(ctx, place, offer)
    yield from unrelated(ctx, place, offer)
    yield from bump_too_big(ctx, place, offer)
    yield from too_many(ctx, place, offer)
    yield from copy_findings(offer, place.where.stage, place.key)
    yield from optimistic_take_rate(ctx, place, offer)
    yield from archived(ctx, place, offer)


def _missing_offer(place: Encounter) -> Finding:
    wording = "missing-offer/core" if place.where is Where.CORE else "missing-offer"
    return at(place, wording, noun=place.where.noun, key=place.key, missing=place.offer_key)


def _timing(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    kind, where = offer.kind, place.where
    if where is Where.CORE:
        if kind is not OfferKind.CORE:
            yield at(place, "core-not-core", offer, kind=ARTICLES[kind])
    elif kind is OfferKind.CORE:
        yield at(place, "core-misplaced", offer)
    elif kind is OfferKind.ORDER_BUMP and where in (Where.STEP, Where.THANK_YOU):
        yield at(place, "bump-after-payment", offer)
    elif kind is OfferKind.UPSELL and where in AT_CHECKOUT:
        yield at(place, "upsell-before-purchase", offer)
    elif kind is OfferKind.UPSELL and where is Where.THANK_YOU:
        yield at(place, "upsell-after-order", offer)
    elif kind is OfferKind.DOWNSELL and where is not Where.STEP:
        yield at(place, "downsell-without-decline", offer)
    elif kind is OfferKind.DOWNSELL and not _follows_decline(ctx, place):
        yield at(place, "downsell-without-decline/step", offer)
    elif (kind, where) in MISPLACED:
        yield at(place, "misplaced-offer", offer, kind=ARTICLES[kind])


def _follows_decline(ctx: RuleContext, place: Encounter) -> bool:
    """Every way into the step is the decline choice of an upsell (an unreachable step is not judged)."""
    for source, edge in ctx.graph.incoming.get(place.key, ()):
        offer = _step_offer(ctx.plan, source) if edge == "decline" else None
        if offer is None or offer.kind is not OfferKind.UPSELL:
            return False
    return True


def _duplicate(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    earlier: str | None = None
    if place.index in ctx.repeats:
        earlier = "on the thank-you page" if place.where is Where.THANK_YOU else "at the checkout"
    elif place.where is Where.THANK_YOU or place.key in ctx.graph.reachable:  # a thank-you or reached step
        met = ctx.paths.met.get(place.key, frozenset()) if ctx.paths is not None else frozenset()
        if offer.key in ctx.at_checkout:
            earlier = "at the checkout"
        elif offer.key in (ctx.on_steps if place.where is Where.THANK_YOU else met):
            earlier = "after payment" if place.where is Where.THANK_YOU else "on an earlier step after payment"
    if earlier is not None:
        yield at(place, "duplicate-offer-on-path", offer, earlier=earlier)


def _downsell_not_smaller(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    if place.where is not Where.STEP or offer.kind is not OfferKind.DOWNSELL:
        return
    for source, edge in ctx.graph.incoming.get(place.key, ()):
        upsell = _step_offer(ctx.plan, source) if edge == "decline" else None
        if upsell is not None and upsell.kind is OfferKind.UPSELL and offer.price >= upsell.price:
            prices = {"price": money_of(ctx, offer.price), "upsell_price": money_of(ctx, upsell.price)}
            yield at(place, "downsell-not-smaller", offer, upsell=upsell.name, **prices)


def _upgrade(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    if offer.replaces is None:
        return
    original = ctx.plan.offer(offer.replaces)
    if original is None:
        yield at(place, "missing-offer/upgrade", offer, missing=offer.replaces)
        return
    if offer.price <= original.price:
        prices = {"price": money_of(ctx, offer.price), "original_price": money_of(ctx, original.price)}
        yield at(place, "upgrade-not-bigger", offer, original=original.name, **prices)
    owned = _owned(ctx, place)
    if owned is not None and original.key not in owned:
        yield at(place, "upgrade-without-original", offer, original=original.name)


def _owned(ctx: RuleContext, place: Encounter) -> frozenset[str] | None:
    """What every buyer owns where the place is shown; None where the paths cannot tell (loop, unreached)."""
    if place.placed is None:
        return frozenset()
    if place.where in AT_CHECKOUT:
        return owned_at(ctx.owned, place.placed, ctx.plan)
    if ctx.graph.cycle is not None or (place.where is Where.STEP and place.key not in ctx.graph.reachable):
        return None
    return owned_at(ctx.owned, place.placed, ctx.plan)


def _belonging(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    plan = ctx.plan
    if offer.practice and plan.practice and offer.practice != plan.practice:
        yield at(place, "foreign-offer", offer)
    if offer.currency != plan.currency:
        yield at(place, "currency-mismatch", offer, offer_currency=offer.currency, currency=plan.currency)
    if place.where is Where.STEP and not offer.decline_label.strip():
        yield at(place, "no-decline-choice", offer)


def _take_rate_range(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    rate = rate_of(ctx, place)
    if rate is not None and not valid_rate(rate):
        shown = format_percent(rate) if rate.is_finite() else str(rate)
        yield at(place, "take-rate-out-of-range", offer, rate=shown)


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
