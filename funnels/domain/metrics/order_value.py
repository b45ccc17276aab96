"""One buyer's order value, exactly: its mean (the AOV), its spread, and what each step adds to it.

The checkout's bumps and cross-sells are independent yes/no choices. After payment the buyer walks the
flow; with ``V(end) = 0`` a step with price p, take rate q, accept edge a and decline edge d is worth
``V(n) = q·(p + V(a)) + (1−q)·V(d)``, and its second moment ``S(n) = q·(p² + 2p·V(a) + S(a)) + (1−q)·S(d)``.
Both come from one pass backwards over the flow's order; one pass forwards gives each step's reach. So the
cost is linear in steps and edges however many paths the flow has, and nothing recurses.

Thank-you cross-sells are separate, later orders: they count in revenue per buyer, never in the AOV.
Everything is computed with fractions and only turned into ``Decimal`` (40 significant digits, not rounded
to cents: presentation does that) at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction

from funnels.domain.flow.graph import FlowGraph, analyse_flow
from funnels.domain.flow.purchases import THANK_YOU, effective_price, owned_before
from funnels.domain.metrics.distribution import (
    CheckoutOdds,
    Distribution,
    TooManyOutcomes,
    WalkStep,
    order_distribution,
)
from funnels.domain.plan import FunnelPlan, Placement, Slot, Stage, Step

PRECISION = 40
DEFAULT_MAX_OUTCOMES = 10_000


class UncomputableFunnel(Exception):
    """The funnel's figures cannot be worked out until its structure is fixed; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_DIRECT_LIMIT = 10**50


def exact_decimal(value: Fraction) -> Decimal:
    """A fraction as a decimal of 40 significant digits, correctly rounded (exact for any amount of money)."""
    numerator, denominator = value.numerator, value.denominator
    context = Context(prec=PRECISION)
    if abs(numerator) < _DIRECT_LIMIT and denominator < _DIRECT_LIMIT:
        return context.divide(Decimal(numerator), Decimal(denominator))
    # Huge terms (chances along a long chain): turning them into decimals costs more than dividing them
    # as integers to a few more digits than needed; a last "sticky" digit keeps the rounding exact.
    magnitude = (abs(numerator).bit_length() - denominator.bit_length()) * 30103 // 100000
    shift = PRECISION + 3 - magnitude
    if shift >= 0:
        quotient, remainder = divmod(abs(numerator) * 10**shift, denominator)
    else:
        quotient, remainder = divmod(abs(numerator), denominator * 10**-shift)
    digits = tuple(int(c) for c in str(quotient * 10 + (1 if remainder else 0)))
    return context.create_decimal(Decimal((1 if numerator < 0 else 0, digits, -shift - 1)))


@dataclass(frozen=True)
class StepMetrics:
    """What one offer adds: ``price`` is what a yes adds (an upgrade: the difference), ``reach`` the chance
    a buyer is shown it, ``take`` the chance a buyer says yes, ``sensitivity`` the change in AOV per unit
    of take rate (thank-you page: in revenue per buyer)."""

    key: str
    offer: str
    offer_name: str
    stage: Stage
    slot: Slot
    price: Decimal
    take_rate: Decimal
    reach: Decimal
    take: Decimal
    expected_revenue: Decimal
    sensitivity: Decimal
    expected_revenue_exact: Fraction
    sensitivity_exact: Fraction


@dataclass(frozen=True)
class FunnelMetrics:
    """The funnel's figures. ``steps``: the checkout's, then the post-purchase steps in flow order, then
    the thank-you page's. ``distribution`` is None (with ``distribution_note`` saying why) when too many
    totals are possible to list; every other figure is exact all the same."""

    currency: str
    core_price: Decimal
    aov: Decimal
    aov_exact: Fraction
    uplift: Decimal
    uplift_ratio: Decimal | None
    revenue_per_buyer: Decimal
    revenue_per_buyer_exact: Fraction
    thank_you_revenue: Decimal
    variance: Decimal
    variance_exact: Fraction
    std: Decimal
    min_order: Decimal
    max_order: Decimal
    steps: tuple[StepMetrics, ...]
    distribution: Distribution | None
    distribution_note: str | None

    def step(self, key: str, stage: Stage | None = None) -> StepMetrics | None:
        """The first step with this key (in this stage, when given)."""
        for found in self.steps:
            if found.key == key and (stage is None or found.stage is stage):
                return found
        return None


@dataclass(frozen=True)
class _Priced:
    placed: Placement | Step
    stage: Stage
    slot: Slot
    take_rate: Decimal
    price: Decimal

    @property
    def take(self) -> Fraction:
        return Fraction(self.take_rate)


def compute_metrics(
    plan: FunnelPlan, *, max_outcomes: int = DEFAULT_MAX_OUTCOMES, with_distribution: bool = True
) -> FunnelMetrics:
    """All the funnel's figures, exactly. Raises ``UncomputableFunnel`` when the flow loops, an edge leads
    nowhere, or an offer it shows is missing. ``with_distribution=False`` skips listing the totals (the
    distribution and its note are then None), for callers that need only the means."""
    graph = analyse_flow(plan)
    _check_structure(plan, graph)
    core_price = _price_of(plan, plan.core, "core offer", plan.core)
    checkout, walk, thank_you = _priced_offers(plan, graph)
    walk_steps = [_walk_step(priced) for priced in walk]

    flow = _backward(walk_steps)
    value, second, lowest, highest = flow.value, flow.second, flow.lowest, flow.highest
    reach = _reach(walk_steps, plan.start)

    core = Fraction(core_price)
    start = plan.start
    aov = core + sum((c.take * Fraction(c.price) for c in checkout), Fraction(0)) + value[start]
    variance = (
        second[start]
        - value[start] ** 2
        + sum((c.take * (1 - c.take) * Fraction(c.price) ** 2 for c in checkout), Fraction(0))
    )
    low = core + lowest[start] + sum((_extreme(c, lowest=True) for c in checkout), Fraction(0))
    high = core + highest[start] + sum((_extreme(c, lowest=False) for c in checkout), Fraction(0))
    thank_you_revenue = sum((t.take * Fraction(t.price) for t in thank_you), Fraction(0))

    steps = [_step_metrics(plan, c, Fraction(1), Fraction(c.price)) for c in checkout]
    for priced, step in zip(walk, walk_steps, strict=True):
        gain = Fraction(step.price) + value[step.accept] - value[step.decline]
        steps.append(_step_metrics(plan, priced, reach[step.key], reach[step.key] * gain))
    steps += [_step_metrics(plan, t, Fraction(1), Fraction(t.price)) for t in thank_you]

    distribution, note = None, None
    if with_distribution:
        distribution, note = _distribution(core_price, checkout, walk_steps, start, max_outcomes)
    uplift = aov - core
    std = Context(prec=PRECISION).sqrt(exact_decimal(variance))
    return FunnelMetrics(
        currency=plan.currency,
        core_price=core_price,
        aov=exact_decimal(aov),
        aov_exact=aov,
        uplift=exact_decimal(uplift),
        uplift_ratio=exact_decimal(uplift / core) if core > 0 else None,
        revenue_per_buyer=exact_decimal(aov + thank_you_revenue),
        revenue_per_buyer_exact=aov + thank_you_revenue,
        thank_you_revenue=exact_decimal(thank_you_revenue),
        variance=exact_decimal(variance),
        variance_exact=variance,
        std=std,
        min_order=exact_decimal(low),
        max_order=exact_decimal(high),
        steps=tuple(steps),
        distribution=distribution,
        distribution_note=note,
    )


@dataclass(frozen=True)
class _Flow:
    """Per step (None: the thank-you page): the expected amount still to come, its second moment, and
    the least and most it can be."""

    value: dict[str | None, Fraction]
    second: dict[str | None, Fraction]
    lowest: dict[str | None, Fraction]
    highest: dict[str | None, Fraction]


def _backward(walk: list[WalkStep]) -> _Flow:
    zero: dict[str | None, Fraction] = {None: Fraction(0)}
    flow = _Flow(dict(zero), dict(zero), dict(zero), dict(zero))
    value, second, lowest, highest = flow.value, flow.second, flow.lowest, flow.highest
    for step in reversed(walk):
        q, p, a, d = step.take, Fraction(step.price), step.accept, step.decline
        value[step.key] = q * (p + value[a]) + (1 - q) * value[d]
        second[step.key] = q * (p * p + 2 * p * value[a] + second[a]) + (1 - q) * second[d]
        ends = ([p + lowest[a], p + highest[a]] if q > 0 else []) + ([lowest[d], highest[d]] if q < 1 else [])
        lowest[step.key], highest[step.key] = min(ends), max(ends)
    return flow


def _reach(walk: list[WalkStep], start: str | None) -> dict[str, Fraction]:
    """The chance each step is shown, summed over the edges into it (each step after all that lead to it)."""
    reach = {step.key: Fraction(0) for step in walk}
    if start is not None:
        reach[start] = Fraction(1)
    for step in walk:
        if step.accept is not None:
            reach[step.accept] += reach[step.key] * step.take
        if step.decline is not None:
            reach[step.decline] += reach[step.key] * (1 - step.take)
    return reach


def too_many_outcomes_note(max_outcomes: int) -> str:
    return (
        f"This funnel has more than {max_outcomes:,} possible order totals, too many to list; "
        "the mean, spread and sensitivities above are still exact."
    )


def _check_structure(plan: FunnelPlan, graph: FlowGraph) -> None:
    if graph.cycle is not None:
        loop = " → ".join((*graph.cycle, graph.cycle[0]))
        raise UncomputableFunnel(
            f"The post-purchase flow loops ({loop}), so a buyer could be offered the same steps forever; "
            "every path must end at the thank-you page before the figures can be worked out."
        )
    for missing in graph.missing:
        if missing.source is None:
            where = "The post-purchase flow starts at"
        else:
            where = f'The {missing.edge} choice of step "{missing.source}" leads to'
        raise UncomputableFunnel(
            f'{where} "{missing.target}", which is not a step of this funnel; '
            "point it at an existing step or at the thank-you page."
        )
    if plan.core_offer is None:
        raise UncomputableFunnel(f'The core offer "{plan.core}" is not among this funnel\'s offers.')
    placed: list[tuple[str, Placement | Step]] = [("order bump", p) for p in plan.bumps]
    placed += [("checkout cross-sell", p) for p in plan.checkout_cross_sells]
    placed += [("step", s) for s in plan.steps]
    placed += [("thank-you cross-sell", p) for p in plan.thank_you_cross_sells]
    for label, item in placed:
        if plan.offer(item.offer) is None:
            raise UncomputableFunnel(
                f'The {label} "{item.key}" shows the offer "{item.offer}", which is not among this funnel\'s offers.'
            )


def _priced_offers(plan: FunnelPlan, graph: FlowGraph) -> tuple[list[_Priced], list[_Priced], list[_Priced]]:
    owned = owned_before(plan, graph)
    at_checkout = frozenset({plan.core})
    checkout = [_priced(plan, p, Stage.CHECKOUT, Slot.BUMP, at_checkout) for p in plan.bumps]
    checkout += [_priced(plan, p, Stage.CHECKOUT, Slot.CROSS_SELL, at_checkout) for p in plan.checkout_cross_sells]
    walk = []
    for key in graph.order:
        step = plan.step(key)
        assert step is not None  # graph.order lists only steps of the plan
        walk.append(_priced(plan, step, Stage.POST_PURCHASE, Slot.ONE_CLICK, owned.get(key, at_checkout)))
    at_thank_you = owned.get(THANK_YOU, at_checkout)
    thank_you = [_priced(plan, p, Stage.THANK_YOU, Slot.CROSS_SELL, at_thank_you) for p in plan.thank_you_cross_sells]
    return checkout, walk, thank_you


def _priced(plan: FunnelPlan, placed: Placement | Step, stage: Stage, slot: Slot, owned: frozenset[str]) -> _Priced:
    name = "step" if isinstance(placed, Step) else f"{stage.label.lower()} offer"
    _price_of(plan, placed.offer, name, placed.key)
    take_rate = plan.take_rate(placed)
    if not take_rate.is_finite() or not 0 <= take_rate <= 1:
        raise UncomputableFunnel(
            f'The take rate of {name} "{placed.key}" is {take_rate}; it must lie between 0 and 1 (0.2 means 20%).'
        )
    price = effective_price(plan, placed.offer, owned)
    return _Priced(placed, stage, slot, take_rate, price)


def _price_of(plan: FunnelPlan, offer_key: str, name: str, key: str) -> Decimal:
    offer = plan.offer(offer_key)
    assert offer is not None  # _check_structure has seen every placed offer
    if not offer.price.is_finite():
        raise UncomputableFunnel(f'The price of {name} "{key}" is {offer.price}, which is not an amount.')
    return offer.price


def _walk_step(priced: _Priced) -> WalkStep:
    step = priced.placed
    assert isinstance(step, Step)
    return WalkStep(step.key, priced.take, priced.price, step.on_accept, step.on_decline)


def _extreme(choice: _Priced, *, lowest: bool) -> Fraction:
    """The least (or most) a checkout choice can add: nothing or its price, as far as either can happen."""
    price = Fraction(choice.price)
    options = ([price] if choice.take > 0 else []) + ([Fraction(0)] if choice.take < 1 else [])
    return min(options) if lowest else max(options)


def _step_metrics(plan: FunnelPlan, priced: _Priced, reach: Fraction, sensitivity: Fraction) -> StepMetrics:
    offer = plan.offer(priced.placed.offer)
    assert offer is not None
    take = reach * priced.take
    expected = take * Fraction(priced.price)
    return StepMetrics(
        key=priced.placed.key,
        offer=offer.key,
        offer_name=offer.name,
        stage=priced.stage,
        slot=priced.slot,
        price=priced.price,
        take_rate=priced.take_rate,
        reach=exact_decimal(reach),
        take=exact_decimal(take),
        expected_revenue=exact_decimal(expected),
        sensitivity=exact_decimal(sensitivity),
        expected_revenue_exact=expected,
        sensitivity_exact=sensitivity,
    )


def _distribution(
    core: Decimal, checkout: Sequence[_Priced], walk: Sequence[WalkStep], start: str | None, bound: int
) -> tuple[Distribution | None, str | None]:
    choices = [CheckoutOdds(c.take, c.price) for c in checkout]
    try:
        found = order_distribution(core=core, checkout=choices, walk=walk, start=start, max_outcomes=bound)
    except TooManyOutcomes:
        return None, too_many_outcomes_note(bound)
    return found, None
