"""One buyer's order value, exactly: its mean (the AOV), its spread, and what each step adds to it.

The checkout's bumps and cross-sells are independent yes/no choices. After payment the buyer walks the
flow; with ``V(end) = 0`` a step with price p, take rate q, accept edge a and decline edge d is worth
``V(n) = q·(p + V(a)) + (1−q)·V(d)``, and its second moment ``S(n) = q·(p² + 2p·V(a) + S(a)) + (1−q)·S(d)``.
Both come from one pass backwards over the flow's order; one pass forwards gives each step's reach. So the
cost is linear in steps and edges however many paths the flow has, and nothing recurses.

Thank-you cross-sells are separate, later orders: they count in revenue per buyer, never in the AOV.
Everything is computed exactly, as finite decimals in a context that cannot round (``exact``: a ``Fraction``
would hold the same values but reduce each one, which made a long chain's figures grow with its square), and only
rounded to 40 significant digits (not to cents: presentation does that) at the end. The shown figures of a step
carry their exact values beside them; the ``Fraction`` views of those are worked out only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction
from functools import cached_property

from funnels.domain.flow.graph import FlowGraph, analyse_flow
from funnels.domain.flow.purchases import THANK_YOU, effective_price, owned_before
from funnels.domain.metrics.distribution import (
    CheckoutOdds,
    Distribution,
    TooManyOutcomes,
    WalkStep,
    order_distribution,
)
from funnels.domain.metrics.exact import ONE, PRECISION, ZERO, exact, exact_decimal, quotient, rounded, total
from funnels.domain.plan import FunnelPlan, Placement, Slot, Stage, Step

__all__ = [
    "DEFAULT_MAX_OUTCOMES",
    "PRECISION",
    "FunnelMetrics",
    "Prepared",
    "StepMetrics",
    "UncomputableFunnel",
    "compute_metrics",
    "exact_decimal",
    "means",
    "prepare",
    "too_many_outcomes_note",
]

DEFAULT_MAX_OUTCOMES = 10_000


class UncomputableFunnel(Exception):
    """The funnel's figures cannot be worked out until its structure is fixed; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StepMetrics:
    """What one offer adds: ``price`` is what a yes adds (an upgrade: the difference), ``reach`` the chance
    a buyer is shown it, ``take`` the chance a buyer says yes, ``sensitivity`` the change in AOV per unit
    of take rate (thank-you page: in revenue per buyer). ``exact_expected_revenue`` and ``exact_sensitivity``
    are the unrounded values (finite decimals, exact)."""

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
    exact_expected_revenue: Decimal
    exact_sensitivity: Decimal

    @cached_property
    def expected_revenue_exact(self) -> Fraction:
        return Fraction(self.exact_expected_revenue)

    @cached_property
    def sensitivity_exact(self) -> Fraction:
        return Fraction(self.exact_sensitivity)


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


@dataclass(frozen=True)
class _Placed:
    """An offer where it stands, before its take rate is checked: ``price`` is what a yes adds there (None with
    ``problem`` when its price is not an amount)."""

    placed: Placement | Step
    stage: Stage
    slot: Slot
    name: str
    price: Decimal | None
    problem: UncomputableFunnel | None


@dataclass(frozen=True)
class Prepared:
    """What does not depend on the take rates, worked out once: the flow's shape (checked), the core's price and
    each offer where it stands, in the order its problems are reported. ``scenarios`` reuses it three times."""

    plan: FunnelPlan
    core_price: Decimal
    checkout: tuple[_Placed, ...]
    walk: tuple[_Placed, ...]
    thank_you: tuple[_Placed, ...]


def prepare(plan: FunnelPlan) -> Prepared:
    """Check the flow's structure and place every offer; raises ``UncomputableFunnel`` on a loop, a missing
    step or offer, or a core price that is not an amount."""
    graph = analyse_flow(plan)
    _check_structure(plan, graph)
    core_price = _price_of(plan, plan.core, "core offer", plan.core)
    owned = owned_before(plan, graph)
    at_checkout = frozenset({plan.core})
    checkout = [_place(plan, p, Stage.CHECKOUT, Slot.BUMP, at_checkout) for p in plan.bumps]
    checkout += [_place(plan, p, Stage.CHECKOUT, Slot.CROSS_SELL, at_checkout) for p in plan.checkout_cross_sells]
    walk = []
    for key in graph.order:
        step = plan.step(key)
        assert step is not None  # graph.order lists only steps of the plan
        walk.append(_place(plan, step, Stage.POST_PURCHASE, Slot.ONE_CLICK, owned.get(key, at_checkout)))
    at_thank_you = owned.get(THANK_YOU, at_checkout)
    thank_you = [_place(plan, p, Stage.THANK_YOU, Slot.CROSS_SELL, at_thank_you) for p in plan.thank_you_cross_sells]
    return Prepared(plan, core_price, tuple(checkout), tuple(walk), tuple(thank_you))


def compute_metrics(
    plan: FunnelPlan, *, max_outcomes: int = DEFAULT_MAX_OUTCOMES, with_distribution: bool = True
) -> FunnelMetrics:
    """All the funnel's figures, exactly. Raises ``UncomputableFunnel`` when the flow loops, an edge leads
    nowhere, or an offer it shows is missing. ``with_distribution=False`` skips listing the totals (the
    distribution and its note are then None), for callers that need only the means."""
    prepared = prepare(plan)
    checkout, walk, thank_you = _priced(prepared, plan.take_rate)
    walk_steps = [_walk_step(priced) for priced in walk]
    start = plan.start
    core = prepared.core_price
    with exact():
        flow = _backward(walk_steps, second_moment=True)
        value, second, lowest, highest = flow.value, flow.second, flow.lowest, flow.highest
        reach = _reach(walk_steps, start)
        aov = core + total(c.take_rate * c.price for c in checkout) + value[start]
        variance = (
            second[start]
            - value[start] * value[start]
            + total(c.take_rate * (1 - c.take_rate) * c.price * c.price for c in checkout)
        )
        low = core + lowest[start] + total(_extreme(c, lowest=True) for c in checkout)
        high = core + highest[start] + total(_extreme(c, lowest=False) for c in checkout)
        thank_you_revenue = total(t.take_rate * t.price for t in thank_you)
        steps = [_step_metrics(plan, c, ONE, c.price) for c in checkout]
        for priced, step in zip(walk, walk_steps, strict=True):
            gain = step.price + value[step.accept] - value[step.decline]
            steps.append(_step_metrics(plan, priced, reach[step.key], reach[step.key] * gain))
        steps += [_step_metrics(plan, t, ONE, t.price) for t in thank_you]
        uplift = aov - core
        revenue_per_buyer = aov + thank_you_revenue

    distribution, note = None, None
    if with_distribution:
        distribution, note = _distribution(core, checkout, walk_steps, start, max_outcomes)
    return FunnelMetrics(
        currency=plan.currency,
        core_price=core,
        aov=rounded(aov),
        aov_exact=Fraction(aov),
        uplift=rounded(uplift),
        uplift_ratio=quotient(uplift, core) if core > 0 else None,
        revenue_per_buyer=rounded(revenue_per_buyer),
        revenue_per_buyer_exact=Fraction(revenue_per_buyer),
        thank_you_revenue=rounded(thank_you_revenue),
        variance=rounded(variance),
        variance_exact=Fraction(variance),
        std=Context(prec=PRECISION).sqrt(rounded(variance)),
        min_order=rounded(low),
        max_order=rounded(high),
        steps=tuple(steps),
        distribution=distribution,
        distribution_note=note,
    )


def means(prepared: Prepared, rates: Callable[[Placement | Step], Decimal]) -> tuple[Decimal, Decimal]:
    """The AOV and revenue per buyer (rounded as ``compute_metrics`` shows them) with the take rate ``rates``
    gives each placement and step, checked as ``compute_metrics`` checks them: only the expected values, in one
    pass backwards over the prepared flow, for the scenarios."""
    checkout, walk, thank_you = _priced(prepared, rates)
    walk_steps = [_walk_step(priced) for priced in walk]
    with exact():
        value = _backward(walk_steps, second_moment=False).value
        aov = prepared.core_price + total(c.take_rate * c.price for c in checkout) + value[prepared.plan.start]
        revenue_per_buyer = aov + total(t.take_rate * t.price for t in thank_you)
    return rounded(aov), rounded(revenue_per_buyer)


@dataclass(frozen=True)
class _Flow:
    """Per step (None: the thank-you page): the expected amount still to come, its second moment, and
    the least and most it can be."""

    value: dict[str | None, Decimal]
    second: dict[str | None, Decimal]
    lowest: dict[str | None, Decimal]
    highest: dict[str | None, Decimal]


def _backward(walk: list[WalkStep], *, second_moment: bool) -> _Flow:
    """In an exact context: each step from the steps it leads to (``walk`` lists each before those)."""
    zero: dict[str | None, Decimal] = {None: ZERO}
    flow = _Flow(dict(zero), dict(zero), dict(zero), dict(zero))
    value, second, lowest, highest = flow.value, flow.second, flow.lowest, flow.highest
    for step in reversed(walk):
        q, p, a, d = step.take, step.price, step.accept, step.decline
        value[step.key] = q * (p + value[a]) + (1 - q) * value[d]
        if second_moment:
            second[step.key] = q * (p * p + 2 * p * value[a] + second[a]) + (1 - q) * second[d]
            ends = ([p + lowest[a], p + highest[a]] if q > 0 else []) + ([lowest[d], highest[d]] if q < 1 else [])
            lowest[step.key], highest[step.key] = min(ends), max(ends)
    return flow


def _reach(walk: list[WalkStep], start: str | None) -> dict[str, Decimal]:
    """The chance each step is shown, summed over the edges into it (each step after all that lead to it)."""
    reach = {step.key: ZERO for step in walk}
    if start is not None:
        reach[start] = ONE
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


def _place(plan: FunnelPlan, placed: Placement | Step, stage: Stage, slot: Slot, owned: frozenset[str]) -> _Placed:
    name = "step" if isinstance(placed, Step) else f"{stage.label.lower()} offer"
    try:
        _price_of(plan, placed.offer, name, placed.key)
    except UncomputableFunnel as problem:
        return _Placed(placed, stage, slot, name, None, problem)
    return _Placed(placed, stage, slot, name, effective_price(plan, placed.offer, owned), None)


def _priced(
    prepared: Prepared, rates: Callable[[Placement | Step], Decimal]
) -> tuple[list[_Priced], list[_Priced], list[_Priced]]:
    """Each placed offer with its take rate, checked in the order the problems are reported (price, then rate)."""
    return (
        [_checked(placed, rates) for placed in prepared.checkout],
        [_checked(placed, rates) for placed in prepared.walk],
        [_checked(placed, rates) for placed in prepared.thank_you],
    )


def _checked(placed: _Placed, rates: Callable[[Placement | Step], Decimal]) -> _Priced:
    if placed.problem is not None:
        raise placed.problem
    assert placed.price is not None
    take_rate = rates(placed.placed)
    if not take_rate.is_finite() or not 0 <= take_rate <= 1:
        raise UncomputableFunnel(
            f'The take rate of {placed.name} "{placed.placed.key}" is {take_rate}; it must lie between 0 and 1 '
            "(0.2 means 20%)."
        )
    return _Priced(placed.placed, placed.stage, placed.slot, take_rate, placed.price)


def _price_of(plan: FunnelPlan, offer_key: str, name: str, key: str) -> Decimal:
    offer = plan.offer(offer_key)
    assert offer is not None  # _check_structure has seen every placed offer
    if not offer.price.is_finite():
        raise UncomputableFunnel(f'The price of {name} "{key}" is {offer.price}, which is not an amount.')
    return offer.price


def _walk_step(priced: _Priced) -> WalkStep:
    step = priced.placed
    assert isinstance(step, Step)
    return WalkStep(step.key, priced.take_rate, priced.price, step.on_accept, step.on_decline)


def _extreme(choice: _Priced, *, lowest: bool) -> Decimal:
    """The least (or most) a checkout choice can add: nothing or its price, as far as either can happen."""
    options = ([choice.price] if choice.take_rate > 0 else []) + ([ZERO] if choice.take_rate < 1 else [])
    return min(options) if lowest else max(options)


def _step_metrics(plan: FunnelPlan, priced: _Priced, reach: Decimal, sensitivity: Decimal) -> StepMetrics:
    """In an exact context."""
    offer = plan.offer(priced.placed.offer)
    assert offer is not None
    take = reach * priced.take_rate
    expected = take * priced.price
    return StepMetrics(
        key=priced.placed.key,
        offer=offer.key,
        offer_name=offer.name,
        stage=priced.stage,
        slot=priced.slot,
        price=priced.price,
        take_rate=priced.take_rate,
        reach=rounded(reach),
        take=rounded(take),
        expected_revenue=rounded(expected),
        sensitivity=rounded(sensitivity),
        exact_expected_revenue=expected,
        exact_sensitivity=sensitivity,
    )


def _distribution(
    core: Decimal, checkout: Sequence[_Priced], walk: Sequence[WalkStep], start: str | None, bound: int
) -> tuple[Distribution | None, str | None]:
    choices = [CheckoutOdds(c.take_rate, c.price) for c in checkout]
    try:
        found = order_distribution(core=core, checkout=choices, walk=walk, start=start, max_outcomes=bound)
    except TooManyOutcomes:
        return None, too_many_outcomes_note(bound)
    return found, None
