"""The whole count the background task runs (``orders_count``: the quick reading, then every buyer at once) is
held to the careful way, row by row and buyer by buyer: on many generated files (funnel shapes, seeds, windows,
the format and the Stripe and WooCommerce mappings, emails and ids, refunds and failures, off-path and unmatched
rows, rows in any order, blank lines) every field of the counts, every listed row and every note is the same,
and where the file is as the simulation wrote it, the counts are what it chose."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from funnels.domain.actuals import PathCounts, Purchase, Status, new_counter
from funnels.domain.actuals.paths import LISTED
from funnels.domain.actuals.simulation import Expected
from funnels.domain.plan import FunnelPlan
from funnels.interchange import orders as orders_reading
from funnels.interchange.orders import OrdersTable, buyer_hash_key, read_orders
from funnels.interchange.orders_mapping import ColumnMapping
from funnels.services.actuals import orders_count
from tests.funnels.demo_plans import FIRST_DRAFT, UPGRADE, demo_plan
from tests.funnels.domain.actuals.order_files import CHAIN, SHAPES, Shape, order_file

KEY = buyer_hash_key("quick-and-careful")
PLANS = {"classic": demo_plan(), "upgrade": demo_plan(UPGRADE), "first-draft": demo_plan(FIRST_DRAFT), "chain": CHAIN}


def buyer_by_buyer(table: OrdersTable) -> Iterator[list[Purchase]]:
    """Each buyer's rows in the order of the file, gathered a row at a time: nothing of the quick way."""
    rows: dict[int, list[Purchase]] = {}
    for position, buyer in enumerate(table.buyer_of):
        rows.setdefault(buyer, []).append(
            Purchase(
                position + 2,
                table.buyers[buyer],
                table.offers[table.offer_of[position]],
                table.at[position],
                Status(table.status[position]),
                table.cents[position],
            )
        )
    for buyer in range(len(table.buyers)):
        yield rows[buyer]


def careful(plan: FunnelPlan, raw: bytes, mapping: ColumnMapping, window: int) -> tuple[PathCounts, list[str]]:
    catalog = [o.key for o in plan.offers]
    table = read_orders(
        io.BytesIO(raw), offers=catalog, currency=plan.currency, buyer_key=KEY, mapping=mapping, quick=False
    )
    _places, counter = new_counter(plan, window_minutes=window)
    for purchases in buyer_by_buyer(table):
        counter.add_buyer(purchases)
    return counter.counts, table.notes


@pytest.fixture
def quick_readings(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each reading went the quick way."""
    said: list[bool] = []
    read_quickly = orders_reading.read_quickly

    def spied(*args, **kwargs) -> bool:  # type: ignore[no-untyped-def]
        said.append(read_quickly(*args, **kwargs))
        return said[-1]

    monkeypatch.setattr(orders_reading, "read_quickly", spied)
    return said


def assert_as_simulated(plan: FunnelPlan, counts: PathCounts, expected: Expected) -> None:
    places, _counter = new_counter(plan)
    for place in places.all:
        assert counts.shown[place.index] == expected.shown.get(place.index, 0), place.key
        assert counts.accepted[place.index] == expected.accepted.get(place.index, 0), place.key
    assert (counts.visits, counts.off_path, counts.unmatched) == (
        expected.visits,
        expected.off_path,
        expected.unmatched,
    )
    assert (counts.refunded, counts.failed) == (expected.refunded, expected.failed)
    assert counts.rows == expected.rows
    assert counts.order_cents == expected.order_cents


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(PLANS))
@pytest.mark.parametrize("seed", [1, 2])
def test_the_quick_count_is_the_careful_count_on_every_kind_of_file(
    name: str, shape: Shape, seed: int, quick_readings: list[bool]
) -> None:
    plan = PLANS[name]
    raw, mapping, expected = order_file(plan, shape, visits=300, seed=seed)
    for window in (60, 7, 0):
        counted = orders_count(
            plan=plan,
            stream=io.BytesIO(raw),
            catalog=[o.key for o in plan.offers],
            window_minutes=window,
            mapping=mapping,
            buyer_key=KEY,
        )
        counts, notes = careful(plan, raw, mapping, window)
        assert counted.counts == counts
        assert list(counted.notes) == notes
        if window == 60:
            assert_as_simulated(plan, counted.counts, expected)
    assert quick_readings == [True, True, True]


@pytest.mark.parametrize("shuffled", [False, True])
def test_past_the_rows_listed_both_ways_list_the_same_rows_and_count_them_all(
    shuffled: bool, quick_readings: list[bool]
) -> None:
    plan = PLANS["classic"]
    raw, mapping, expected = order_file(
        plan, Shape(shuffled=shuffled), visits=12_000, seed=7, off_path=0.3, unmatched=0.15
    )
    counted = orders_count(plan=plan, stream=io.BytesIO(raw), catalog=[o.key for o in plan.offers], buyer_key=KEY)
    counts, _notes = careful(plan, raw, mapping, 60)
    assert counted.counts == counts and quick_readings == [True]
    assert counts.off_path > LISTED and counts.unmatched > LISTED
    assert len(counts.off_path_rows) == len(counts.unmatched_rows) == LISTED
    assert_as_simulated(plan, counted.counts, expected)


def test_a_file_the_quick_way_cannot_vouch_for_is_counted_the_careful_way_alike(quick_readings: list[bool]) -> None:
    plan = PLANS["classic"]
    raw, mapping, _expected = order_file(plan, Shape(), visits=200, seed=3)
    quoted = raw.replace(b"three-calls,", b'"three-calls",', 5)
    counted = orders_count(plan=plan, stream=io.BytesIO(quoted), catalog=[o.key for o in plan.offers], buyer_key=KEY)
    assert counted.counts == careful(plan, raw, mapping, 60)[0] and quick_readings == [False]
