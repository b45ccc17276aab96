"""Random funnels for property tests: valid in shape (no loop, every edge has a target), free in numbers.

A funnel has a core offer, 0–4 bumps, 0–2 checkout and 0–2 thank-you cross-sells, and 0–8 post-purchase
steps whose edges only point forward in a random order (listed in the plan in another order, and some
possibly unreachable). Some one-click offers are upgrades of the core. Prices have at most 2 decimals and
may be 0; take rates have at most 4 decimals, or are left to the offer's or the kind's default.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step
from offers.domain.kinds import OfferKind

CURRENCY = "USD"
ONE_CLICK_KINDS = (OfferKind.UPSELL, OfferKind.DOWNSELL, OfferKind.CROSS_SELL)


def prices(max_cents: int = 200_000) -> st.SearchStrategy[Decimal]:
    """Money with at most 2 decimals, 0 included."""
    return st.integers(0, max_cents).map(lambda cents: Decimal(cents).scaleb(-2))


def take_rates() -> st.SearchStrategy[Decimal]:
    """Take rates 0..1 with at most 4 decimals."""
    return st.integers(0, 10_000).map(lambda n: Decimal(n).scaleb(-4))


@st.composite
def funnels(draw: st.DrawFn, *, max_bumps: int = 4, max_steps: int = 8, declines_cheaper: bool = False) -> FunnelPlan:
    """A random acyclic funnel.

    ``declines_cheaper``: every decline edge leads where no path can add more than the declined offer's
    price, so saying yes never lowers the order value and every take rate raises the AOV.
    """
    core_price = draw(prices())
    offers = [OfferSpec("core", "Core offer", OfferKind.CORE, core_price, CURRENCY)]

    def offer(key: str, kind: OfferKind, price: Decimal, replaces: str | None = None) -> str:
        own_rate = draw(st.none() | take_rates())
        offers.append(OfferSpec(key, key, kind, price, CURRENCY, replaces=replaces, default_take_rate=own_rate))
        return key

    def placements(prefix: str, count: int, kind: OfferKind, slot: Slot, stage: Stage) -> tuple[Placement, ...]:
        placed = []
        for i in range(count):
            key = offer(f"{prefix}-{i}", kind, draw(prices()))
            placed.append(Placement(key, key, slot, stage, draw(st.none() | take_rates())))
        return tuple(placed)

    bumps = placements("bump", draw(st.integers(0, max_bumps)), OfferKind.ORDER_BUMP, Slot.BUMP, Stage.CHECKOUT)
    alongside = placements("along", draw(st.integers(0, 2)), OfferKind.CROSS_SELL, Slot.CROSS_SELL, Stage.CHECKOUT)
    later = placements("later", draw(st.integers(0, 2)), OfferKind.CROSS_SELL, Slot.CROSS_SELL, Stage.THANK_YOU)

    count = draw(st.integers(0, max_steps))
    keys = [f"s{n}" for n in draw(st.permutations(range(count)))]  # keys[i]: the step at flow position i
    steps: dict[str, Step] = {}
    most: dict[str | None, Decimal] = {None: Decimal(0)}  # the most any path from a step can add
    for position in reversed(range(count)):
        key = keys[position]
        if draw(st.integers(0, 3)) == 0:
            added = draw(prices().filter(lambda p: p > 0))
            offer_key = offer(f"offer-{key}", OfferKind.UPSELL, core_price + added, replaces="core")
        else:
            added = draw(prices())
            offer_key = offer(f"offer-{key}", draw(st.sampled_from(ONE_CLICK_KINDS)), added)
        later_keys: list[str | None] = [None, *keys[position + 1 :]]
        on_accept = draw(st.sampled_from(later_keys))
        declines = [k for k in later_keys if not declines_cheaper or most[k] <= added]
        on_decline = draw(st.sampled_from(declines))
        steps[key] = Step(key, offer_key, draw(st.none() | take_rates()), on_accept, on_decline)
        most[key] = max(added + most[on_accept], most[on_decline])

    return FunnelPlan(
        name="Random funnel",
        currency=CURRENCY,
        offers=tuple(offers),
        core="core",
        bumps=bumps,
        checkout_cross_sells=alongside,
        start=keys[0] if keys else None,
        steps=tuple(steps[f"s{n}"] for n in range(count)),
        thank_you_cross_sells=later,
    )
