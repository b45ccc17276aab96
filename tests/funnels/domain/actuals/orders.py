"""Small builders for the actuals' tests: a purchase is one line, a buyer a few, counted against a plan."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from funnels.domain.actuals import Actuals, PathCounts, Purchase, Status, compute_actuals, new_counter
from funnels.domain.plan import FunnelPlan

T0 = 1_767_600_000_000  # 2026-01-05T08:00:00Z in milliseconds
MINUTE = 60_000
_rows = iter(range(2, 10**9))


def bought(buyer: str, offer: str, minute: float = 0, status: Status = Status.PAID, price: str = "1") -> Purchase:
    return Purchase(next(_rows), buyer, offer, T0 + int(minute * MINUTE), status, int(Decimal(price) * 100))


def count(plan: FunnelPlan, buyers: Iterable[list[Purchase]], window: int = 60) -> PathCounts:
    _places, counter = new_counter(plan, window_minutes=window)
    for purchases in buyers:
        counter.add_buyer(purchases)
    return counter.counts


def actuals_of(plan: FunnelPlan, buyers: Iterable[list[Purchase]], window: int = 60) -> Actuals:
    places, counter = new_counter(plan, window_minutes=window)
    for purchases in buyers:
        counter.add_buyer(purchases)
    return compute_actuals(plan, places, counter.counts, window_minutes=window)


def by_key(plan: FunnelPlan, counts: PathCounts) -> dict[str, tuple[int, int]]:
    """(shown, accepted) by place key."""
    places, _ = new_counter(plan)
    return {p.key: (counts.shown[p.index], counts.accepted[p.index]) for p in places.all}
