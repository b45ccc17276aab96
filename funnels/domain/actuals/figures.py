"""The figures of a reality check: each step's observed rate with its interval beside the rate assumed, and
the funnel's realised, forecast and observed AOV.

The **observed AOV** is the engine's exact AOV (``compute_metrics``) with each step's observed rate in place of
the assumed one; a step no buyer saw keeps its assumed rate and says so. Expected revenue is linear in
reach × rate, and along each path the observed rates multiply back to the share of visits that reached a step,
so the observed AOV equals the realised AOV (the mean order value over visits): the engine is held to that.
What the observed rates add is their uncertainty: the observed AOV's 95% interval comes from the rates' Wilson
intervals through the delta method, Var(AOV) ≈ Σ (dAOV/dqᵢ · σᵢ)² with σᵢ the interval's width / (2·1.96), using
the sensitivities the engine already works out. Thank-you cross-sells are separate orders: they have rates and
intervals, but they move revenue per buyer, not the AOV.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Context, Decimal, localcontext

from funnels.domain.actuals.intervals import PRECISION, Z_95, Interval, observed_rate, wilson_interval
from funnels.domain.actuals.paths import ListedRow, PathCounts
from funnels.domain.actuals.purchases import FunnelPlaces, Place
from funnels.domain.metrics import FunnelMetrics, StepMetrics, compute_metrics
from funnels.domain.plan import FunnelPlan, Placement, Stage, Step


class NoVisits(ValueError):
    """The orders hold no paid purchase of the funnel's core offer, so there is nothing to learn from."""


@dataclass(frozen=True)
class StepActual:
    """One place of the funnel: how many visits saw it and said yes, against the rate assumed.

    ``rate`` and ``interval`` are None where no buyer saw it; ``used`` is the rate the observed figures take
    (the observed one, else the assumed). ``sensitivity`` and ``reach`` are the engine's, at the observed rates.
    """

    place: Place
    offer_name: str
    shown: int
    accepted: int
    rate: Decimal | None
    interval: Interval | None
    assumed: Decimal
    used: Decimal
    sensitivity: Decimal
    reach: Decimal

    @property
    def seen(self) -> bool:
        return self.shown > 0

    @property
    def assumption_off(self) -> bool:
        """The assumed rate lies outside the observed rate's 95% interval."""
        return self.interval is not None and not self.interval.holds(self.assumed)

    @property
    def uncertainty_moves(self) -> Decimal:
        """How far the AOV (thank-you page: revenue per buyer) could move across the rate's interval:
        |sensitivity| × the interval's width; a step nobody saw could lie anywhere in 0..1."""
        width = self.interval.width if self.interval is not None else Decimal(1)
        return abs(self.sensitivity) * width


@dataclass(frozen=True)
class Actuals:
    """Everything one orders file says about one funnel. Money is exact (40 digits); screens round to cents."""

    currency: str
    window_minutes: int
    counts: PathCounts
    visits: int
    realised_aov: Decimal
    paid_aov: Decimal
    forecast_aov: Decimal
    observed_aov: Decimal
    observed_interval: Interval
    observed_revenue_per_buyer: Decimal
    rates_variance: Decimal
    """The delta method's variance of the observed AOV, from the rates' uncertainty alone."""
    observed_metrics: FunnelMetrics
    steps: tuple[StepActual, ...]

    @property
    def off_path_rows(self) -> list[ListedRow]:
        return sorted(self.counts.off_path_rows, key=lambda listed: listed.purchase.row)

    @property
    def unmatched_rows(self) -> list[ListedRow]:
        return sorted(self.counts.unmatched_rows, key=lambda listed: listed.purchase.row)

    def observed_rates(self) -> dict[Place, Decimal]:
        """The observed rate of every step some buyer saw, by place."""
        return {s.place: s.rate for s in self.steps if s.rate is not None}


def place_prices(plan: FunnelPlan, places: FunnelPlaces, metrics: FunnelMetrics | None = None) -> list[int]:
    """What a yes at each place adds, in cents, at the engine's prices (an upgrade: the difference); a step no
    path reaches is never shown, so its price does not matter (0)."""
    metrics = metrics or compute_metrics(plan, with_distribution=False)
    by_place = _metrics_by_place(places, metrics)
    return [int(by_place[place].price * 100) if place in by_place else 0 for place in places.all]


def core_cents(plan: FunnelPlan) -> int:
    core = plan.core_offer
    if core is None:
        raise ValueError(f'the core offer "{plan.core}" is not among the funnel\'s offers')
    return int(core.price * 100)


def compute_actuals(plan: FunnelPlan, places: FunnelPlaces, counts: PathCounts, *, window_minutes: int) -> Actuals:
    """The figures of ``counts`` (from ``PathCounter`` over the same plan and places). Raises ``NoVisits``."""
    if counts.visits == 0:
        raise NoVisits(
            f'no paid purchase of the core offer "{plan.core}" was found, so no visit can be counted; '
            "check that the offer column holds this funnel's offer keys"
        )
    assumed_metrics = compute_metrics(plan, with_distribution=False)
    rates: dict[Place, Decimal] = {}
    for place in places.all:
        if counts.shown[place.index]:
            rates[place] = observed_rate(counts.accepted[place.index], counts.shown[place.index])
    observed_plan = with_place_rates(plan, places, rates)
    observed = compute_metrics(observed_plan, with_distribution=False)
    by_place = _metrics_by_place(places, observed)

    steps = []
    for place in places.all:
        shown, accepted = counts.shown[place.index], counts.accepted[place.index]
        offer = plan.offer(place.offer)
        metric = by_place.get(place)
        assumed = _assumed_rate(plan, places, place)
        steps.append(
            StepActual(
                place=place,
                offer_name=offer.name if offer is not None else place.offer,
                shown=shown,
                accepted=accepted,
                rate=rates.get(place),
                interval=wilson_interval(accepted, shown) if shown else None,
                assumed=assumed,
                used=rates.get(place, assumed),
                sensitivity=metric.sensitivity if metric is not None else Decimal(0),
                reach=metric.reach if metric is not None else Decimal(0),
            )
        )
    with localcontext(Context(prec=PRECISION)):
        variance = Decimal(0)
        for step in steps:
            if step.interval is not None and step.place.is_in_order:
                sigma = step.interval.width / (2 * Z_95)
                variance += (step.sensitivity * sigma) ** 2
        margin = Z_95 * variance.sqrt()
        visits = Decimal(counts.visits)
        realised = Decimal(counts.order_cents) / 100 / visits
        paid = Decimal(counts.paid_cents) / 100 / visits
    return Actuals(
        currency=plan.currency,
        window_minutes=window_minutes,
        counts=counts,
        visits=counts.visits,
        realised_aov=realised,
        paid_aov=paid,
        forecast_aov=assumed_metrics.aov,
        observed_aov=observed.aov,
        observed_interval=Interval(max(Decimal(0), observed.aov - margin), observed.aov + margin),
        observed_revenue_per_buyer=observed.revenue_per_buyer,
        rates_variance=variance,
        observed_metrics=observed,
        steps=tuple(steps),
    )


@dataclass(frozen=True)
class ObservedProjection:
    """Revenue from ``buyers`` future buyers at the observed rates: N·AOV, and a 95% interval that holds both the
    rates' uncertainty (which grows with N) and one buyer's spread (which grows with √N)."""

    buyers: int
    revenue: Decimal
    low: Decimal
    high: Decimal


def project_observed(actuals: Actuals, buyers: int) -> ObservedProjection:
    if buyers < 0:
        raise ValueError("the number of buyers cannot be negative")
    with localcontext(Context(prec=PRECISION)):
        n = Decimal(buyers)
        revenue = n * actuals.observed_aov
        margin = Z_95 * (n * n * actuals.rates_variance + n * actuals.observed_metrics.variance).sqrt()
    return ObservedProjection(buyers, revenue, max(Decimal(0), revenue - margin), revenue + margin)


def with_place_rates(plan: FunnelPlan, places: FunnelPlaces, rates: Mapping[Place, Decimal]) -> FunnelPlan:
    """The plan with these places' take rates set; each place is changed on its own (keys may repeat across stages)."""
    checkout = {p.index: rate for p, rate in rates.items()}
    ordered = list(places.checkout)

    def placed[T: (Placement, Step)](item: T, place: Place | None) -> T:
        if place is not None and place.index in checkout:
            return replace(item, take_rate=checkout[place.index])
        return item

    n_bumps = len(plan.bumps)
    bumps = tuple(placed(p, ordered[i]) for i, p in enumerate(plan.bumps))
    alongside = tuple(placed(p, ordered[n_bumps + i]) for i, p in enumerate(plan.checkout_cross_sells))
    seen: set[str] = set()
    steps = []
    for step in plan.steps:
        first = step.key not in seen
        seen.add(step.key)
        steps.append(placed(step, places.steps.get(step.key) if first else None))
    later = tuple(placed(p, places.thank_you[i]) for i, p in enumerate(plan.thank_you_cross_sells))
    return replace(plan, bumps=bumps, checkout_cross_sells=alongside, steps=tuple(steps), thank_you_cross_sells=later)


def _assumed_rate(plan: FunnelPlan, places: FunnelPlaces, place: Place) -> Decimal:
    if place.stage is Stage.POST_PURCHASE:
        step = plan.step(place.key)
        return plan.take_rate(step) if step is not None else Decimal(0)
    if place.stage is Stage.CHECKOUT:
        placements: Sequence[Placement] = (*plan.bumps, *plan.checkout_cross_sells)
        return plan.take_rate(placements[place.index])
    return plan.take_rate(plan.thank_you_cross_sells[place.index - places.thank_you[0].index])


def _metrics_by_place(places: FunnelPlaces, metrics: FunnelMetrics) -> dict[Place, StepMetrics]:
    """The engine lists the checkout's places first, then the reachable steps in flow order, then the thank-you
    page's, each stage in the plan's order: matched by position there, by key after payment."""
    found: dict[Place, StepMetrics] = {}
    checkout = [m for m in metrics.steps if m.stage is Stage.CHECKOUT]
    later = [m for m in metrics.steps if m.stage is Stage.THANK_YOU]
    found.update(zip(places.checkout, checkout, strict=True))
    found.update(zip(places.thank_you, later, strict=True))
    for metric in metrics.steps:
        if metric.stage is Stage.POST_PURCHASE and metric.key in places.steps:
            found.setdefault(places.steps[metric.key], metric)
    return found
