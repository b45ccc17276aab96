"""The funnel interchange format v1 (DESIGN §4): files that read, every value typed and exact."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnels.interchange.limits import MAX_FILE_BYTES
from funnels.interchange.reading import read_funnel_document
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind
from tests.funnels.interchange.documents import (
    DESIGN_EXAMPLE,
    example,
    minimal,
    problems_of,
    text_of,
)

# -- files that read ---------------------------------------------------------------------------------------


def test_the_design_example_reads_with_its_placeholders_filled() -> None:
    # given DESIGN §4's example, with real offers where it writes "…"
    raw = text_of(example())

    # when it is read
    doc = read_funnel_document(raw.encode())

    # then every value is typed and exact
    assert doc.name == "Calm Your Nervous System"
    assert doc.currency == "USD"
    assert [o.key for o in doc.offers] == [
        "calm-course",
        "three-calls",
        "one-call",
        "calm-plus",
        "breath-guide",
        "journal",
    ]
    assert [o.price for o in doc.offers] == [Decimal(p) for p in ("97", "300", "120", "147", "19", "25")]
    assert doc.offers[0].kind is OfferKind.CORE
    assert doc.offers[0].topics == ("anxiety", "nervous-system")
    assert doc.offers[0].format == "course"
    assert doc.offers[0].accept_label == "…"
    assert doc.offers[1].accept_label == DEFAULT_ACCEPT_LABEL
    assert doc.offers[1].decline_label == DEFAULT_DECLINE_LABEL
    assert doc.offers[3].replaces == "calm-course"
    assert doc.checkout.core == "calm-course"
    assert doc.checkout.bumps[0].offer == "breath-guide"
    assert doc.checkout.bumps[0].take_rate == Decimal("0.3")
    assert doc.post_purchase.start == "up1"
    assert [(s.key, s.offer, s.take_rate, s.on_accept, s.on_decline) for s in doc.post_purchase.steps] == [
        ("up1", "three-calls", Decimal("0.2"), None, "down1"),
        ("down1", "one-call", Decimal("0.15"), None, None),
    ]
    assert doc.thank_you.cross_sells[0].take_rate == Decimal("0.05")


def test_the_design_example_as_written_reports_only_its_placeholders() -> None:
    assert problems_of(DESIGN_EXAMPLE) == [
        'checkout.bumps[0].offer: must be 1-64 characters from a-z, 0-9 and "-", not "…"',
        'thank_you.cross_sells[0].offer: must be 1-64 characters from a-z, 0-9 and "-", not "…"',
    ]


def test_numbers_are_read_as_exact_decimals() -> None:
    # given a price of 19.99 and a take rate of 0.1234 written as JSON numbers
    raw = '{"format": "offer-architect/funnel@1", "name": "Calm", "currency": "USD", "offers": [{"key": "c", '
    raw += '"name": "C", "kind": "core", "price": 19.99, "take_rate": 0.1234}], "checkout": {"core": "c"}}'

    # when read
    offer = read_funnel_document(raw).offers[0]

    # then they are exactly those decimals
    assert offer.price == Decimal("19.99")
    assert str(offer.price) == "19.99"
    assert offer.take_rate == Decimal("0.1234")
    assert str(offer.take_rate) == "0.1234"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('"97.00"', "97.00"),
        ("300", "300.00"),
        ('"120"', "120.00"),
        ("0", "0.00"),
        ("1000000", "1000000.00"),
        ("19.9", "19.90"),
        ("-0", "0.00"),
    ],
)
def test_a_price_is_a_number_or_a_decimal_string_kept_in_cents(written: str, read: str) -> None:
    raw = text_of(minimal()).replace('"price": "97"', f'"price": {written}')
    assert str(read_funnel_document(raw).offers[0].price) == read


def test_left_out_fields_take_their_defaults_and_take_rates_stay_none() -> None:
    # given a file with only the required fields, and a bump without a take rate
    data = minimal()
    data["offers"].append({"key": "guide", "name": "Guide", "kind": "order_bump", "price": "19"})
    data["checkout"]["bumps"] = [{"offer": "guide"}]

    # when read
    doc = read_funnel_document(text_of(data))

    # then nothing is resolved: the plan decides later
    guide = doc.offers[1]
    assert (guide.replaces, guide.take_rate, guide.topics, guide.format, guide.headline, guide.body) == (
        None,
        None,
        (),
        "",
        "",
        "",
    )
    assert (guide.accept_label, guide.decline_label) == (DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL)
    assert doc.checkout.bumps[0].take_rate is None
    assert doc.checkout.cross_sells == ()
    assert (doc.post_purchase.start, doc.post_purchase.steps) == (None, ())
    assert doc.thank_you.cross_sells == ()


def test_an_explicit_null_take_rate_and_an_empty_decline_label_are_allowed() -> None:
    data = minimal()
    data["offers"][0].update(take_rate=None, decline_label="")
    offer = read_funnel_document(text_of(data)).offers[0]
    assert (offer.take_rate, offer.decline_label) == (None, "")


def test_topics_are_kept_sorted() -> None:
    data = minimal()
    data["offers"][0]["topics"] = ["sleep", "anxiety", "nervous-system"]
    assert read_funnel_document(text_of(data)).offers[0].topics == ("anxiety", "nervous-system", "sleep")


def test_a_file_with_a_loop_reads_fine_the_rules_report_it() -> None:
    # given up1 -accept-> up2 -decline-> up1
    data = example()
    data["post_purchase"]["steps"] = [
        {"key": "up1", "offer": "three-calls", "on_accept": "up2", "on_decline": None},
        {"key": "up2", "offer": "calm-plus", "on_accept": None, "on_decline": "up1"},
    ]

    # when read, then the loop is in the document as written
    steps = read_funnel_document(text_of(data)).post_purchase.steps
    assert [(s.key, s.on_accept, s.on_decline) for s in steps] == [("up1", "up2", None), ("up2", None, "up1")]


def test_timing_mistakes_are_not_file_problems() -> None:
    # given a downsell at the checkout, an upsell on the thank-you page and a core offer after payment
    data = example()
    data["checkout"]["bumps"] = [{"offer": "one-call"}]
    data["thank_you"]["cross_sells"] = [{"offer": "three-calls"}]
    data["post_purchase"]["steps"][1]["offer"] = "calm-course"

    # then the file still reads
    assert read_funnel_document(text_of(data)).checkout.bumps[0].offer == "one-call"


def test_a_file_of_exactly_1_mb_is_not_too_large() -> None:
    raw = text_of(minimal()).encode()
    raw += b" " * (MAX_FILE_BYTES - len(raw))
    assert len(raw) == MAX_FILE_BYTES
    assert read_funnel_document(raw).name == "Calm"


def test_a_byte_order_mark_is_ignored() -> None:
    assert read_funnel_document("\ufeff".encode() + text_of(minimal()).encode()).name == "Calm"
