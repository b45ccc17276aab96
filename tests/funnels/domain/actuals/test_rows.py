"""Counting a whole file's rows at once (``PathCounter.add_rows``: plain visits tallied by kind, the rest one by
one) gives exactly what counting its buyers one at a time (``add_buyer``) gives: every count, every cent, every
listed row in the same order, on every shape of funnel and every kind of buyer."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from funnels.domain.actuals import PathCounter, PathCounts, Purchase, Status, funnel_places, new_counter
from funnels.domain.actuals.paths import LISTED, OFF_PATH_NOT_SHOWN
from funnels.domain.actuals.purchases import BuyerRows, buyer_shapes
from funnels.domain.plan import FunnelPlan
from tests.funnels.demo_plans import FIRST_DRAFT, UPGRADE, demo_plan
from tests.funnels.domain.actuals.order_files import CHAIN
from tests.funnels.domain.actuals.orders import MINUTE, T0
from tests.funnels.domain.plans import CORE, funnel, offer, step

CLASSIC = demo_plan()
LOOP = funnel(offer("a1"), offer("a2"), start="s1", steps=(step("s1", "a1", "s2", "s2"), step("s2", "a2", "s1", None)))
PLANS = [CLASSIC, demo_plan(UPGRADE), demo_plan(FIRST_DRAFT), CHAIN, LOOP]


def rows_of(buyers: Sequence[Sequence[Purchase]]) -> BuyerRows:
    """The buyers' rows as a table hands them on: grouped by buyer, offers numbered as they first appear."""
    offers: list[str] = []
    starts, numbers = array("i", [0]), array("i")
    offer_of, at, status, cents = array("H"), array("q"), array("b"), array("q")
    for purchases in buyers:
        for purchase in purchases:
            if purchase.offer not in offers:
                offers.append(purchase.offer)
            numbers.append(purchase.row)
            offer_of.append(offers.index(purchase.offer))
            at.append(purchase.at)
            status.append(int(purchase.status))
            cents.append(purchase.cents)
        starts.append(len(numbers))
    ids = [purchases[0].buyer for purchases in buyers]
    return BuyerRows(offers, ids, starts, numbers, offer_of, at, status, cents)


def counter_for(plan: FunnelPlan, window: int) -> PathCounter:
    if plan is LOOP:  # the engine prices no funnel with a loop; the counter still must not walk it forever
        places = funnel_places(plan)
        return PathCounter(plan, places, core_cents=9700, prices=[100] * len(places.all), window_minutes=window)
    return new_counter(plan, window_minutes=window)[1]


def one_by_one(plan: FunnelPlan, buyers: Sequence[Sequence[Purchase]], window: int) -> PathCounts:
    counter = counter_for(plan, window)
    for purchases in buyers:
        counter.add_buyer(purchases)
    return counter.counts


def all_at_once(plan: FunnelPlan, buyers: Sequence[Sequence[Purchase]], window: int) -> PathCounts:
    counter = counter_for(plan, window)
    counter.add_rows(rows_of(buyers))
    return counter.counts


@st.composite
def files(draw: st.DrawFn) -> tuple[FunnelPlan, list[list[Purchase]], int]:
    """A plan and its buyers: mostly a core purchase first and then the funnel's offers (plain visits), with
    refunds and failures, purchases before the core or long after it, other offers, several visits, ties."""
    plan = draw(st.sampled_from(PLANS))
    funnel_offers = sorted({o.key for o in plan.offers} - {plan.core})
    anything = st.sampled_from([plan.core, *funnel_offers, "elsewhere", ""])
    minutes = st.sampled_from([0, 0, 0, 1, 2, 3, 5, 10, 59, 60, 61, 24 * 60, -1])
    statuses = st.sampled_from([Status.PAID] * 8 + [Status.REFUNDED, Status.FAILED])
    row = 2
    buyers: list[list[Purchase]] = []
    for number in range(draw(st.integers(1, 30))):
        plain = draw(st.booleans()) or draw(st.booleans())
        start = draw(st.integers(0, 10_000)) * MINUTE
        purchases = [(plan.core, 0, Status.PAID)] if plain else []
        extra = draw(st.lists(st.tuples(st.sampled_from(funnel_offers) if plain else anything, minutes, statuses)))
        purchases += sorted(extra, key=lambda p: p[1]) if plain and draw(st.booleans()) else extra
        purchases = purchases or [(plan.core, 0, Status.PAID)]
        buyer = []
        for offer_key, minute, status in purchases:
            cents = draw(st.sampled_from([0, 1900, 9700, 30000, 12345]))
            buyer.append(Purchase(row, f"b{number}", offer_key, T0 + start + minute * MINUTE, status, cents))
            row += 1
        buyers.append(buyer)
    return plan, buyers, draw(st.sampled_from([60, 3, 0]))


@settings(max_examples=400, deadline=None)
@given(files())
def test_counting_all_rows_at_once_is_counting_buyer_by_buyer(case: tuple[FunnelPlan, list[list[Purchase]], int]):  # type: ignore[no-untyped-def]
    plan, buyers, window = case
    assert all_at_once(plan, buyers, window) == one_by_one(plan, buyers, window)


def test_the_listed_rows_come_in_the_same_order_and_stop_at_the_same_row() -> None:
    """Plain visits with an off-path row and buyers counted one by one (a refund makes them so) take turns, past
    the number of rows listed: both ways list the same rows, in the order of the buyers, and count them all."""
    buyers = []
    row = 2
    for number in range(3 * LISTED // 2):
        at = T0 + number * 3 * MINUTE
        purchases = [Purchase(row, f"b{number}", "calm-course", at, Status.PAID, 9700)]
        purchases.append(Purchase(row + 1, f"b{number}", "three-calls", at + MINUTE, Status.PAID, 30000))
        purchases.append(Purchase(row + 2, f"b{number}", "one-call", at + 2 * MINUTE, Status.PAID, 12000))
        if number % 3 == 0:
            purchases.append(Purchase(row + 3, f"b{number}", "breath-cards", at, Status.REFUNDED, 1900))
        if number % 5 == 0:
            purchases.append(
                Purchase(row + 4, f"b{number}", "sleep-audio", at + 2 * 24 * 60 * MINUTE, Status.PAID, 2900)
            )
        row += 5
        buyers.append(purchases)
    together, apart = all_at_once(CLASSIC, buyers, 60), one_by_one(CLASSIC, buyers, 60)
    assert together == apart
    assert together.off_path == 3 * LISTED // 2 and len(together.off_path_rows) == LISTED
    assert together.off_path_rows[0].reason == OFF_PATH_NOT_SHOWN


def test_a_file_without_its_funnels_core_offer_has_no_visit_and_every_row_unmatched() -> None:
    buyers = [[Purchase(2, "a", "three-calls", T0, Status.PAID, 30000)], [Purchase(3, "b", "", T0, Status.FAILED, 0)]]
    counts = all_at_once(CLASSIC, buyers, 60)
    assert counts == one_by_one(CLASSIC, buyers, 60)
    assert (counts.visits, counts.unmatched, counts.failed) == (0, 1, 1)


def test_an_empty_table_counts_nothing() -> None:
    assert all_at_once(CLASSIC, [], 60) == one_by_one(CLASSIC, [], 60)


def test_the_shapes_of_buyers_are_their_kinds_their_spans_and_whether_their_rows_come_in_time_order() -> None:
    buyers = [
        [Purchase(2, "a", CORE, T0, Status.PAID, 1), Purchase(3, "a", "x", T0 + 5, Status.PAID, 1)],
        [Purchase(4, "b", CORE, T0, Status.PAID, 1)],
        [Purchase(5, "c", CORE, T0 + 9, Status.PAID, 1), Purchase(6, "c", "x", T0, Status.PAID, 1)],
        [Purchase(7, "d", CORE, T0, Status.PAID, 1)],
    ]
    shapes = buyer_shapes(rows_of(buyers))
    assert shapes.kinds == [(0, 1), (0,)]
    assert list(shapes.kind_of) == [0, 1, 0, 1]
    assert [list(shapes.of_kind(kind)) for kind in range(2)] == [[0, 2], [1, 3]]
    assert list(shapes.spans) == [5, 0, -9, 0]
    assert list(shapes.out_of_order) == [2]
