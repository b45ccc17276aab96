"""Reading orders files: every kind of bad row reported with its row and column, all at once; emails hashed;
the ready mappings of other exports; nothing kept from a file with any problem."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from funnels.domain.actuals import Status
from funnels.interchange.orders import OrdersFileError, buyer_hash_key, hashed_email, read_orders
from funnels.interchange.orders_buyers import EmailHasher
from funnels.interchange.orders_mapping import STRIPE_PAYMENTS, WOOCOMMERCE_ORDERS, ColumnMapping

KEY = buyer_hash_key("test-secret")
CATALOG = ["calm-course", "three-calls", "one-call", "breath-cards", "sleep-audio", "calm-plus"]
HEADER = "buyer,offer,placed_at,amount,order_id,currency,status\n"


def read(text: str | bytes, mapping: ColumnMapping | None = None):  # type: ignore[no-untyped-def]
    raw = text.encode() if isinstance(text, str) else text
    extra = {"mapping": mapping} if mapping is not None else {}
    return read_orders(io.BytesIO(raw), offers=CATALOG, currency="USD", buyer_key=KEY, **extra)


def problems(text: str | bytes, mapping: ColumnMapping | None = None) -> list[str]:
    with pytest.raises(OrdersFileError) as refused:
        read(text, mapping)
    return [str(p) for p in refused.value.problems]


def test_a_good_file_gives_each_buyers_purchases_with_times_in_utc_milliseconds() -> None:
    table = read(
        HEADER
        + "cus_1,calm-course,2026-01-05T10:00:00+02:00,97.00,o1,USD,paid\n"
        + "cus_1,three-calls,2026-01-05T08:01:30Z,300,o1,,\n"
        + "cus_2,calm-course,2026-01-05T09:00:00.250-05:00,97,,USD,refunded\n"
    )
    buyers = list(table.by_buyer())
    assert table.rows == 3 and [len(b) for b in buyers] == [2, 1]
    first, second = buyers[0]
    assert (first.row, first.offer, first.cents, first.status) == (2, "calm-course", 9700, Status.PAID)
    assert second.at - first.at == 90_000  # 10:00+02:00 and 08:01:30Z are 90 seconds apart
    assert buyers[1][0].status is Status.REFUNDED and buyers[1][0].at % 1000 == 250


def test_only_the_required_columns_are_needed_and_a_bom_and_blank_lines_are_fine() -> None:
    table = read("\ufeffbuyer,offer,placed_at,amount\r\na,calm-course,2026-01-05T10:00:00+00:00,97\r\n\r\n")
    assert table.rows == 1 and list(table.by_buyer())[0][0].status is Status.PAID


def test_email_addresses_are_hashed_on_reading_in_any_case_and_never_kept() -> None:
    table = read(
        HEADER
        + "Maya@Example.com,calm-course,2026-01-05T10:00:00+00:00,97,,,\n"
        + " maya@example.com ,breath-cards,2026-01-05T10:00:00+00:00,19,,,\n"
    )
    (buyer,) = list(table.buyers)
    assert buyer == hashed_email(KEY, "maya@example.com") and "maya" not in buyer
    assert len(list(table.by_buyer())[0]) == 2
    assert hashed_email(buyer_hash_key("another-secret"), "maya@example.com") != buyer


def test_every_bad_row_is_reported_with_its_row_and_column_all_at_once() -> None:
    found = problems(
        HEADER
        + "a,calm-course,2026-01-05T10:00:00+00:00,97,,,\n"  # row 2: fine
        + "b,calm-course,yesterday,97,,,\n"  # row 3
        + "c,calm-course,2026-01-05T10:00:00,97,,,\n"  # row 4: no offset
        + "d,mastermind,2026-01-05T10:00:00+00:00,97,,,\n"  # row 5
        + "e,calm-course,2026-01-05T10:00:00+00:00,-97,,,\n"  # row 6
        + "f,calm-course,2026-01-05T10:00:00+00:00,97.001,,,\n"  # row 7
        + "g,calm-course,2026-01-05T10:00:00+00:00,ninety,,,\n"  # row 8
        + "h,calm-course,2026-01-05T10:00:00+00:00,97,,EUR,\n"  # row 9
        + "i,calm-course,2026-01-05T10:00:00+00:00,97,,,shipped\n"  # row 10
        + ",calm-course,2026-01-05T10:00:00+00:00,97,,,\n"  # row 11
        + "j,calm-course,2026-01-05T10:00:00+00:00\n"  # row 12
    )
    assert found == [
        'row 3, column placed_at: "yesterday" is not a date and time (ISO 8601, like 2026-03-01T09:30:00+01:00)',
        'row 4, column placed_at: "2026-01-05T10:00:00" has no offset from UTC; write it like 2026-03-01T09:30:00+01:00',
        'row 5, column offer: unknown offer "mastermind": no offer of the catalog has this key',
        "row 6, column amount: -97 is negative; a refund is a row with the status refunded, not a minus",
        "row 7, column amount: 97.001 has more than 2 decimal places",
        'row 8, column amount: "ninety" is not an amount; write it like 97.00',
        'row 9, column currency: is "EUR", but this funnel is priced in USD',
        'row 10, column status: "shipped" is not a status here; use failed, paid, refunded',
        "row 11, column buyer: is empty; every row needs the buyer's id or email",
        "row 12: has 3 fields where the header has 7",
    ]


def test_the_header_must_have_the_required_columns_and_no_unknown_ones() -> None:
    found = problems("buyer,product,placed_at,amount,stauts\n")
    assert (
        'row 1: the header has no column "offer" (for offer); it has: buyer, product, placed_at, amount, stauts'
        in found
    )
    assert any(p.startswith("row 1, column stauts: is not a column of offer-architect/orders@1") for p in found)
    assert problems("") == ["row 1: the file is empty; it needs a header row (buyer, offer, placed_at, amount, …)"]


def test_bytes_that_are_not_utf8_are_a_problem_of_their_row() -> None:
    raw = (
        HEADER.encode()
        + b"a,calm-course,2026-01-05T10:00:00+00:00,97,,,\n"
        + b"b\xff,calm-course,2026-01-05T10:00:00+00:00,97,,,\n"
    )
    assert problems(raw) == ["row 3: is not UTF-8 text; save the file as CSV UTF-8"]


def test_a_file_with_problems_keeps_nothing_and_counts_every_problem() -> None:
    bad_rows = "".join(f"b{i},calm-course,never,97,,,\n" for i in range(1500))
    with pytest.raises(OrdersFileError) as refused:
        read(HEADER + "a,calm-course,2026-01-05T10:00:00+00:00,97,,,\n" + bad_rows)
    assert refused.value.total == 1500 and len(refused.value.problems) == 1000


def test_a_stripe_payments_export_reads_through_its_ready_mapping() -> None:
    mapping = ColumnMapping(
        **{
            **STRIPE_PAYMENTS.__dict__,
            "products": {"Calm course": "calm-course", "Coaching": "three-calls", "Gift": ""},
        }
    )
    table = read(
        "id,Description,Created (UTC),Amount,Currency,Status,Customer ID,Customer Email\n"
        "ch_1,Calm course,2026-01-05 10:00,$97.00,usd,Paid,cus_9,maya@example.com\n"
        "ch_2,Coaching,2026-01-05 10:03:00,300.00,usd,Refunded,cus_9,maya@example.com\n"
        'ch_3,Gift,2026-01-05 10:04:00,"1,000.00",usd,Paid,cus_9,maya@example.com\n',
        mapping,
    )
    purchases = list(table.by_buyer())[0]
    assert [(p.offer, p.cents, p.status) for p in purchases] == [
        ("calm-course", 9700, Status.PAID),
        ("three-calls", 30000, Status.REFUNDED),
        ("", 100000, Status.PAID),  # mapped to "not an offer": counted as unmatched later
    ]
    assert purchases[0].buyer == "cus_9"
    assert problems(
        "id,Description,Created (UTC),Amount,Customer ID\nch_1,Mystery,2026-01-05 10:00,1,cus_1\n", mapping
    ) == [
        'row 2, column Description: the product "Mystery" is not mapped to an offer; map it (or mark it as not an offer) and upload again'
    ]


def test_a_woocommerce_export_has_month_first_times_and_its_own_status_words() -> None:
    mapping = ColumnMapping(**{**WOOCOMMERCE_ORDERS.__dict__, "products": {"Calm Your Nervous System": "calm-course"}})
    table = read(
        "order_id,order_date,status,customer_email,item_name,item_total,order_currency\n"
        "17,9/6/2026 6:29:00,completed,a@example.com,Calm Your Nervous System,97.00,USD\n"
        "18,9/6/2026 6:30:00,cancelled,a@example.com,Calm Your Nervous System,97.00,USD\n",
        mapping,
    )
    first, second = list(table.by_buyer())[0]
    assert (first.status, second.status) == (Status.PAID, Status.FAILED)
    assert second.at - first.at == 60_000
    assert WOOCOMMERCE_ORDERS.naive_zone is UTC


def test_a_missing_optional_column_of_a_mapping_is_said_not_silently_dropped() -> None:
    table = read(
        "Customer ID,Description,Created (UTC),Amount\ncus_1,calm-course,2026-01-05 10:00,97\n", STRIPE_PAYMENTS
    )
    assert 'The file has no column "Status" for status: every row counts as paid.' in table.notes


def test_the_quick_email_hash_is_the_hmac_exactly_for_any_key() -> None:
    for key in (KEY, b"", b"short", b"k" * 64, b"a much longer key than sha-256's block of sixty-four bytes" * 2):
        quick = EmailHasher(key)
        for address in ("maya@example.com", " Maya@Example.COM ", "ünï@exämple.org"):
            assert quick(address) == hashed_email(key, address)


def test_times_summed_from_remembered_pieces_are_what_datetime_reads() -> None:
    """The reader remembers a time's hour, minutes-and-seconds and offset and sums known pieces; every time
    here is made of pieces seen before in other times, so most are summed, and each must equal datetime's."""
    offsets = ["+00:00", "Z", "-05:00", "+05:30", "+0200", "-23:59", "+01:00:30"]
    hours = ["2026-01-05T00", "2026-01-05 23", "2024-02-29T12", "1970-01-01T00", "1969-12-31T23", "2027-12-31T23"]
    rests = [":00:00", ":59:59", ":30:15"]
    times = [h + r + o for h in hours for r in rests for o in offsets]
    times += ["2026-01-05T10:00:00.250+02:00", "2026-01-05T10:00+02:00", "20260105T100000Z"]  # other shapes
    rows = "".join(f"b{i},calm-course,{t},97,,,\n" for i, t in enumerate(times))
    table = read(HEADER + rows)
    read_ms = [p.at for buyer in table.by_buyer() for p in buyer]
    assert read_ms == [round(datetime.fromisoformat(t).timestamp() * 1000) for t in times]


def test_times_without_an_offset_summed_from_pieces_are_read_in_the_mappings_zone() -> None:
    zone = timezone(timedelta(hours=-3, minutes=-30))
    mapping = ColumnMapping(**{**STRIPE_PAYMENTS.__dict__, "naive_zone": zone})
    times = [
        f"2026-03-0{d} {h:02d}:{m:02d}:{s:02d}" for d in (1, 2) for h in (0, 9, 23) for m in (0, 59) for s in (0, 7)
    ]
    rows = "".join(f"cus_{i},calm-course,{t},97\n" for i, t in enumerate(times))
    table = read("Customer ID,Description,Created (UTC),Amount\n" + rows, mapping)
    read_ms = [p.at for buyer in table.by_buyer() for p in buyer]
    assert read_ms == [round(datetime.fromisoformat(t).replace(tzinfo=zone).timestamp() * 1000) for t in times]


def test_a_cell_of_a_nul_character_is_a_problem_not_a_time_or_a_buyer() -> None:
    assert problems(HEADER + "a,calm-course,\x00,97,,,\n") == [
        'row 2, column placed_at: "\x00" is not a date and time (ISO 8601, like 2026-03-01T09:30:00+01:00)'
    ]


def test_each_buyers_rows_come_in_the_order_of_the_file_wherever_they_are() -> None:
    table = read(
        HEADER
        + "a,calm-course,2026-01-05T10:00:00+00:00,97,,,\n"
        + "b,calm-course,2026-01-05T10:00:00+00:00,97,,,\n"
        + "a,breath-cards,2026-01-05T10:01:00+00:00,19,,,\n"
        + "a,sleep-audio,2026-01-05T10:02:00+00:00,29,,,\n"
        + "b,one-call,2026-01-05T10:03:00+00:00,120,,,\n"
    )
    assert [[(p.row, p.offer) for p in buyer] for buyer in table.by_buyer()] == [
        [(2, "calm-course"), (4, "breath-cards"), (5, "sleep-audio")],
        [(3, "calm-course"), (6, "one-call")],
    ]
