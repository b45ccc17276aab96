"""The quick reading (``funnels.interchange.orders_columns``) keeps exactly the table the row loop keeps, and
gives the file back to the row loop wherever it cannot vouch for it, so every problem is still reported with its
row and column, in the row loop's words."""

from __future__ import annotations

import io
from dataclasses import astuple

import pytest

from funnels.domain.actuals.purchases import buyer_shapes
from funnels.interchange import orders, orders_columns
from funnels.interchange.orders import OrdersFileError, OrdersTable, buyer_hash_key, read_orders
from funnels.interchange.orders_columns import read_quickly
from funnels.interchange.orders_mapping import ORDERS_FORMAT, ColumnMapping
from funnels.interchange.orders_table import ArrowTexts
from tests.funnels.demo_plans import UPGRADE, demo_plan
from tests.funnels.domain.actuals.order_files import SHAPES, Shape, order_file

KEY = buyer_hash_key("test-secret")
PLAN = demo_plan()
CATALOG = sorted({o.key for plan in (PLAN, demo_plan(UPGRADE)) for o in plan.offers})
HEADER = "buyer,offer,placed_at,amount,order_id,currency,status\n"
GOOD = "a@example.com,calm-course,2026-01-05T10:00:00+00:00,97.00,o1,USD,paid\n"


def quickly(raw: bytes, mapping: ColumnMapping = ORDERS_FORMAT) -> OrdersTable | None:
    """The table the quick reading keeps, or None where it gives the file back."""
    target = orders._Reader(io.BytesIO(raw), offers=CATALOG, currency="USD", buyer_key=KEY, mapping=mapping)
    return target.table if read_quickly(target.stream, target, None, 1 << 16) else None


def carefully(raw: bytes, mapping: ColumnMapping = ORDERS_FORMAT) -> OrdersTable:
    return read_orders(io.BytesIO(raw), offers=CATALOG, currency="USD", buyer_key=KEY, mapping=mapping, quick=False)


def problems(raw: bytes, *, quick: bool) -> tuple[list[str], int]:
    with pytest.raises(OrdersFileError) as refused:
        read_orders(io.BytesIO(raw), offers=CATALOG, currency="USD", buyer_key=KEY, quick=quick)
    return [str(p) for p in refused.value.problems], refused.value.total


def as_plain(table: OrdersTable) -> tuple[object, ...]:
    columns = (table.buyer_of, table.offer_of, table.at, table.status, table.cents)
    return (table.rows, table.notes, table.offers, list(table.buyers), *(list(column) for column in columns))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_quick_reading_keeps_the_table_the_row_loop_keeps(shape: Shape, seed: int) -> None:
    raw, mapping, _expected = order_file(PLAN if seed != 3 else demo_plan(UPGRADE), shape, visits=400, seed=seed)
    table = quickly(raw, mapping)
    assert table is not None, "the quick reading gave a plain file back"
    assert as_plain(table) == as_plain(carefully(raw, mapping))


@pytest.mark.parametrize("shape", [Shape(), Shape(shuffled=True)], ids=str)
def test_the_shapes_worked_out_in_c_are_those_worked_out_a_row_at_a_time(shape: Shape) -> None:
    raw, mapping, _expected = order_file(PLAN, shape, visits=500, seed=5)
    grouped = carefully(raw, mapping).grouped()
    assert grouped.shapes is not None
    assert [list(part) for part in astuple(grouped.shapes)] == [list(part) for part in astuple(buyer_shapes(grouped))]


def test_two_ids_with_one_hash_are_still_two_buyers(monkeypatch: pytest.MonkeyPatch) -> None:
    raw, mapping, _expected = order_file(PLAN, Shape(shuffled=True), visits=300, seed=4)
    monkeypatch.setattr(orders_columns, "hash", lambda _id: 7, raising=False)
    table = quickly(raw, mapping)
    assert table is not None and as_plain(table) == as_plain(carefully(raw, mapping))


@pytest.mark.parametrize(
    "raw",
    [
        (HEADER + 'a,"calm-course",2026-01-05T10:00:00+00:00,97,,,\n').encode(),  # a quote
        (HEADER + "a,calm-course,2026-01-05T10:00:00+00:00,97,o\x001,,\n").encode(),  # a NUL
        (HEADER + GOOD).replace("\n", "\r").encode(),  # old Mac line ends
        ("\n" + HEADER + GOOD).encode(),  # no header on the first line
    ],
    ids=["quote", "nul", "carriage-returns", "blank-first-line"],
)
def test_what_the_two_csv_readers_may_read_differently_is_left_to_the_row_loop(raw: bytes) -> None:
    assert quickly(raw) is None
    try:
        careful: object = as_plain(carefully(raw))
    except OrdersFileError as refused:
        careful = [str(p) for p in refused.problems]
    try:
        read: object = as_plain(read_orders(io.BytesIO(raw), offers=CATALOG, currency="USD", buyer_key=KEY))
    except OrdersFileError as refused:
        read = [str(p) for p in refused.problems]
    assert read == careful


BAD_FILES = {
    "every kind of bad cell": HEADER
    + GOOD
    + "b,calm-course,yesterday,97,,,\n"
    + "c,calm-course,2026-01-05T10:00:00,97,,,\n"
    + "d,mastermind,2026-01-05T10:00:00+00:00,97,,,\n"
    + "e,calm-course,2026-01-05T10:00:00+00:00,-97,,,\n"
    + "f,calm-course,2026-01-05T10:00:00+00:00,97.001,,,\n"
    + "g,calm-course,2026-01-05T10:00:00+00:00,ninety,,,\n"
    + "h,calm-course,2026-01-05T10:00:00+00:00,97,,EUR,\n"
    + "i,calm-course,2026-01-05T10:00:00+00:00,97,,,shipped\n"
    + " ,calm-course,2026-01-05T10:00:00+00:00,97,,,\n",
    "a row of the wrong width": HEADER + GOOD + "j,calm-course,2026-01-05T10:00:00+00:00\n" + GOOD,
    "a header with an unknown column": "buyer,offer,placed_at,amount,stauts\n" + GOOD[:-5] + "\n",
    "a header without the offer": "buyer,product,placed_at,amount\n",
    "nothing at all": "",
    "a bad cell far down": HEADER + GOOD * 40_000 + "z,calm-course,2026-01-05T10:00:00+00:00,97,,,later\n",
    "a time of another shape that is wrong": HEADER + GOOD + "k,calm-course,2026-02-30T10:00:00+00:00,97,,,\n",
}


@pytest.mark.parametrize("text", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_file_with_problems_is_reported_with_every_problem_as_the_row_loop_reports_it(text: str) -> None:
    assert quickly(text.encode()) is None
    assert problems(text.encode(), quick=True) == problems(text.encode(), quick=False)


def test_bytes_that_are_not_utf8_anywhere_are_reported_by_the_row_loop() -> None:
    raw = HEADER.encode() + GOOD.encode() + b"b,calm-course,2026-01-05T10:00:00+00:00,97,o\xff,,\n"
    assert quickly(raw) is None
    assert problems(raw, quick=True) == (["row 3: is not UTF-8 text; save the file as CSV UTF-8"], 1)


def test_a_file_of_a_header_alone_keeps_an_empty_table() -> None:
    table = quickly(HEADER.encode())
    assert table is not None and table.rows == 0 and as_plain(table) == as_plain(carefully(HEADER.encode()))
    assert table.grouped().buyer_count == 0


def test_progress_is_told_as_the_rows_go_and_at_the_end() -> None:
    raw, _mapping, _expected = order_file(PLAN, Shape(), visits=80_000, seed=6)
    told: list[tuple[int, int]] = []
    table = read_orders(
        io.BytesIO(raw), offers=CATALOG, currency="USD", buyer_key=KEY, progress=lambda r, b: told.append((r, b))
    )
    assert len(told) >= 3 and told == sorted(told)
    assert told[-1] == (table.rows, len(raw)) and told[0][0] >= 1 << 16


def test_a_stream_that_cannot_be_read_twice_is_read_by_the_row_loop() -> None:
    class OnceOnly(io.BytesIO):
        def seekable(self) -> bool:
            return False

    table = read_orders(OnceOnly((HEADER + GOOD).encode()), offers=CATALOG, currency="USD", buyer_key=KEY)
    assert table.rows == 1 and isinstance(table.buyers, list)


def test_the_buyers_kept_by_pyarrow_read_like_a_list() -> None:
    table = quickly((HEADER + GOOD + GOOD.replace("a@", "b@")).encode())
    assert table is not None and isinstance(table.buyers, ArrowTexts)
    ids = list(table.buyers)
    assert len(table.buyers) == 2 and table.buyers[1] == ids[1] == table.buyers[-1] and table.buyers[:1] == ids[:1]
    with pytest.raises(IndexError):
        table.buyers[2]
