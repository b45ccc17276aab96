"""Orders made up from known choices: the demo's file, the benchmark's million rows, and the tests' ground truth.

Each simulated buyer walks the funnel as the engine models it: every checkout bump and cross-sell and every
thank-you cross-sell is a yes with its true rate; after payment each step is a yes with its rate, and a yes leads
along the accept edge. A yes whose payment fails (``failed``) or is later refunded (``refunded``) is not a yes
under the format's rule, so the buyer's path continues as after a no, exactly as the reader will infer it. Some
visits also carry a purchase the path cannot explain (off-path: an offer of a step it never showed, or a second
purchase of one it did), and some rows fall outside any visit (unmatched: bought long after the window, or by a
buyer who never bought the core offer). ``Expected`` keeps the true count of everything, so a test can demand
the reader's counts be exactly these.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from functools import partial

from funnels.domain.actuals.figures import place_prices
from funnels.domain.actuals.purchases import Place, funnel_places
from funnels.domain.plan import FunnelPlan

HEADER = ("buyer", "offer", "placed_at", "amount", "order_id", "currency", "status")
ZONES = (
    UTC,
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=30)),
)


@dataclass
class Expected:
    """What the reader must find: per place index (shown, accepted), and every row's count."""

    shown: dict[int, int] = field(default_factory=dict)
    accepted: dict[int, int] = field(default_factory=dict)
    visits: int = 0
    off_path: int = 0
    unmatched: int = 0
    refunded: int = 0
    failed: int = 0
    order_cents: int = 0
    rows: int = 0


@dataclass(frozen=True)
class Simulation:
    """``rates`` are the true take rates by place (default: the plan's own); shares are chances per visit."""

    plan: FunnelPlan
    visits: int
    seed: int
    rates: Mapping[Place, Decimal] | None = None
    failed_share: float = 0.01
    refunded_share: float = 0.01
    off_path_share: float = 0.01
    unmatched_share: float = 0.01
    start: datetime = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    email_share: float = 0.5


def simulate(sim: Simulation, expected: Expected | None = None) -> Iterator[tuple[str, ...]]:
    """Rows of the orders format (without the header), one per item bought; ``expected`` is filled as they go."""
    plan, places = sim.plan, funnel_places(sim.plan)
    truth = expected if expected is not None else Expected()
    rng = random.Random(sim.seed)
    rates = {p: float(sim.rates[p]) if sim.rates and p in sim.rates else float(_plan_rate(plan, p)) for p in places.all}
    prices = {p.offer: (o.price if (o := plan.offer(p.offer)) else Decimal(0)) for p in places.all}
    core = plan.core_offer
    assert core is not None
    cents = place_prices(plan, places)
    order_number = 100_000
    for visit in range(sim.visits):
        zone = ZONES[visit % len(ZONES)]
        t0 = sim.start + timedelta(minutes=3 * visit)
        buyer = f"buyer{visit}@example.com" if rng.random() < sim.email_share else f"cus_{visit:07d}"
        order_number += 1
        order = f"ord-{order_number}"

        def row(
            offer: str,
            minutes: float,
            status: str = "paid",
            amount: Decimal | None = None,
            *,
            t0: datetime = t0,
            zone: timezone = zone,
            buyer: str = buyer,
            order: str = order,
        ) -> tuple[str, ...]:
            when = (t0 + timedelta(minutes=minutes)).astimezone(zone).isoformat()
            value = amount if amount is not None else prices.get(offer, core.price)
            truth.rows += 1
            return (buyer, offer, when, f"{value:.2f}", order, plan.currency, status)

        truth.visits += 1
        truth.order_cents += int(core.price * 100)
        yield row(plan.core, 0, amount=core.price)
        shown_here: set[str] = set()
        bought_here: list[Place] = []
        for place in places.checkout:
            yes = yield from _choose(rng, sim, truth, place, rates[place], partial(row, place.offer, 0))
            shown_here.add(place.offer)
            if yes:
                truth.order_cents += cents[place.index]
                bought_here.append(place)
        key, minute = plan.start, 1.0
        walked = 0
        while key is not None and key in places.steps and walked <= len(places.steps):
            place = places.steps[key]
            step = plan.step(key)
            assert step is not None
            yes = yield from _choose(rng, sim, truth, place, rates[place], partial(row, place.offer, minute))
            shown_here.add(place.offer)
            if yes:
                truth.order_cents += cents[place.index]
                bought_here.append(place)
            key = step.on_accept if yes else step.on_decline
            minute += 1
            walked += 1
        for place in places.thank_you:
            yes = yield from _choose(rng, sim, truth, place, rates[place], partial(row, place.offer, 5))
            shown_here.add(place.offer)
            if yes:
                bought_here.append(place)
        if rng.random() < sim.off_path_share:
            # only what no reading of the path can explain: an offer it never showed, or a second purchase
            hidden = [p for p in places.all if p.offer not in shown_here]
            extra = rng.choice(hidden) if hidden else rng.choice(bought_here) if bought_here else None
            if extra is not None:
                truth.off_path += 1
                yield row(extra.offer, 10)
        if rng.random() < sim.unmatched_share and places.all:
            truth.unmatched += 1
            yield row(rng.choice(places.all).offer, 24 * 60)  # a day later: outside the window


Row = tuple[str, ...]


def _choose(
    rng: random.Random, sim: Simulation, truth: Expected, place: Place, rate: float, make: Callable[[str], Row]
) -> Generator[Row, None, bool]:
    """One offer shown: a yes with its rate; a yes may fail or be refunded, which the format counts as a no."""
    truth.shown[place.index] = truth.shown.get(place.index, 0) + 1
    if rng.random() >= rate:
        return False
    spoilt = rng.random()
    if spoilt < sim.failed_share:
        truth.failed += 1
        yield make("failed")
        return False
    if spoilt < sim.failed_share + sim.refunded_share:
        truth.refunded += 1
        yield make("refunded")
        return False
    truth.accepted[place.index] = truth.accepted.get(place.index, 0) + 1
    yield make("paid")
    return True


def _plan_rate(plan: FunnelPlan, place: Place) -> Decimal:
    for placed in (*plan.bumps, *plan.checkout_cross_sells, *plan.thank_you_cross_sells):
        if placed.key == place.key and placed.offer == place.offer:
            return plan.take_rate(placed)
    step = plan.step(place.key)
    return plan.take_rate(step) if step is not None else Decimal(0)
