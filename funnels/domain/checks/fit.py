"""The fit warnings: the primer's worries about an offer that does not suit the moment (a jarring jump in
price, an unrelated offer, a bump too big for the till, too many offers, a rosy take rate, an offer the
catalog took off sale). Thresholds are the practice's own."""

from __future__ import annotations

from collections.abc import Iterator

from core.money import format_percent
from funnels.domain.checks.context import (
    AT_CHECKOUT,
    Encounter,
    RuleContext,
    Where,
    at,
    last_paid,
    money_of,
    number,
    rate_of,
    times,
    topics_of,
    valid_rate,
)
from funnels.domain.checks.findings import ARTICLES, Finding, ordinal
from funnels.domain.flow.purchases import THANK_YOU
from funnels.domain.plan import OfferSpec
from offers.domain.kinds import OfferKind, TakeRateRange, typical_take_rates


def price_jump(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    last, ratio = last_paid(ctx, place), ctx.plan.thresholds.price_jump_ratio
    if last is None or offer.price <= ratio * last.price:
        return
    prices = {"price": money_of(ctx, offer.price), "last_price": money_of(ctx, last.price), "ratio": number(ratio)}
    before = "it is added to" if place.where in AT_CHECKOUT else "bought just before it"
    yield at(
        place, "price-jump", offer, multiple=times(offer.price / last.price), last=last.name, before=before, **prices
    )


def unrelated(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    if offer.kind is OfferKind.CORE or place.where is Where.CORE:
        return
    if place.where in AT_CHECKOUT:
        before = topics_of(ctx.core)
    elif ctx.paths is None:
        return
    else:
        before = ctx.paths.bought_topics.get(THANK_YOU if place.where is Where.THANK_YOU else place.key, frozenset())
    mine = topics_of(offer)
    if mine and before and not mine & before:
        core = f'"{ctx.core.name}"' if ctx.core is not None else "the core offer"
        also = "" if place.where in AT_CHECKOUT else " or anything bought before it"
        yield at(place, "unrelated-offer", offer, before=core + also)


def bump_too_big(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    core, share = ctx.core, ctx.plan.thresholds.bump_max_share
    if place.where is not Where.BUMP or offer.kind is not OfferKind.ORDER_BUMP or core is None:
        return
    if core.price > 0 and offer.price > share * core.price:
        prices = {"price": money_of(ctx, offer.price), "core_price": money_of(ctx, core.price)}
        shares = {"share": format_percent(offer.price / core.price, 0), "max_share": format_percent(share, 0)}
        yield at(place, "bump-too-big", offer, core=core.name, **prices, **shares)


def too_many(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    limit = ctx.plan.thresholds.max_one_click_offers
    if place.where is Where.STEP and ctx.paths and limit + 1 in ctx.paths.depths.get(place.key, ()):
        yield at(place, "too-many-offers", offer, nth=ordinal(limit + 1), limit=limit)


def _typical(ctx: RuleContext, offer: OfferSpec) -> tuple[TakeRateRange, str]:
    """The typical claimed take rates for the offer, and how the offer is described against them.

    An upsell's range slides from 10–25% (priced up to 3× the core) to 3–10% (5× or more), linearly between.
    """
    core_price = ctx.core.price if ctx.core is not None else None
    typical, described = typical_take_rates(offer.kind, offer.price, core_price), ARTICLES[offer.kind]
    if offer.kind is OfferKind.UPSELL and core_price is not None and core_price > 0:
        described += f" priced at {times(offer.price / core_price)}× the core offer"
    return typical, described


def optimistic_take_rate(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    rate = rate_of(ctx, place)
    if rate is None or not valid_rate(rate) or offer.kind is OfferKind.CORE:
        return
    typical, described = _typical(ctx, offer)
    if rate > typical.high:
        low, high = format_percent(typical.low).removesuffix("%"), format_percent(typical.high)
        facts = {"rate": format_percent(rate), "span": f"{low}–{high}", "described": described, "high": high}
        yield at(place, "optimistic-take-rate", offer, **facts)


def archived(ctx: RuleContext, place: Encounter, offer: OfferSpec) -> Iterator[Finding]:
    """An offer the catalog archived is no longer sold: a funnel that still shows it offers what the practice
    has stopped selling, so it says so wherever it stands (the core offer too)."""
    if offer.archived:
        yield at(place, "archived-offer", offer)
