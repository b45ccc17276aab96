"""The funnel interchange format v1 (DESIGN §4): reading, every problem with its path, writing, plans."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step, Thresholds
from funnels.interchange.limits import FORMAT_ID, MAX_FILE_BYTES
from funnels.interchange.models import FunnelDocument
from funnels.interchange.plans import document_from_plan, plan_from_document
from funnels.interchange.problems import FunnelFileError, Problem
from funnels.interchange.reading import read_funnel_document
from funnels.interchange.writing import dump_document
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind

Data = dict[str, Any]

# DESIGN §4's example as written there: its "…" placeholders stand for offers it does not list.
DESIGN_EXAMPLE = """{
  "format": "offer-architect/funnel@1",
  "name": "Calm Your Nervous System",
  "currency": "USD",
  "offers": [
    {"key": "calm-course", "name": "Calm Your Nervous System", "kind": "core", "price": "97.00",
     "topics": ["anxiety", "nervous-system"], "format": "course",
     "headline": "…", "body": "…", "accept_label": "…", "decline_label": "…"},
    {"key": "three-calls", "name": "Three 1-on-1 coaching calls", "kind": "upsell", "price": 300,
     "topics": ["anxiety"], "format": "one_on_one"},
    {"key": "one-call", "name": "One coaching call", "kind": "downsell", "price": "120",
     "topics": ["anxiety"]},
    {"key": "calm-plus", "name": "Calm course + community", "kind": "upsell", "price": "147",
     "replaces": "calm-course", "topics": ["anxiety"]}
  ],
  "checkout": {"core": "calm-course", "bumps": [{"offer": "…", "take_rate": 0.3}], "cross_sells": []},
  "post_purchase": {
    "start": "up1",
    "steps": [
      {"key": "up1", "offer": "three-calls", "take_rate": 0.2, "on_accept": null, "on_decline": "down1"},
      {"key": "down1", "offer": "one-call", "take_rate": 0.15, "on_accept": null, "on_decline": null}
    ]
  },
  "thank_you": {"cross_sells": [{"offer": "…", "take_rate": 0.05}]}
}
"""


def example() -> Data:
    """DESIGN's example with its placeholders filled: a bump and a thank-you cross-sell of their own."""
    data: Data = json.loads(DESIGN_EXAMPLE)
    data["offers"] += [
        {
            "key": "breath-guide",
            "name": "Breathing guide",
            "kind": "order_bump",
            "price": "19",
            "topics": ["anxiety"],
        },
        {
            "key": "journal",
            "name": "Calm journal",
            "kind": "cross_sell",
            "price": "25",
            "topics": ["anxiety"],
        },
    ]
    data["checkout"]["bumps"][0]["offer"] = "breath-guide"
    data["thank_you"]["cross_sells"][0]["offer"] = "journal"
    return data


def minimal() -> Data:
    return {
        "format": FORMAT_ID,
        "name": "Calm",
        "currency": "USD",
        "offers": [{"key": "calm-course", "name": "Calm course", "kind": "core", "price": "97"}],
        "checkout": {"core": "calm-course"},
    }


def text_of(data: object) -> str:
    """JSON text; a ``Decimal`` is written as the number literal it is (``19.999``, ``1E-999999999``)."""
    text = json.dumps(data, ensure_ascii=False, default=lambda value: f"<decimal {value}>")
    return re.sub(r'"<decimal ([^>]+)>"', r"\1", text)


def problems_of(raw: bytes | str) -> list[str]:
    with pytest.raises(FunnelFileError) as caught:
        read_funnel_document(raw)
    return [str(problem) for problem in caught.value.problems]


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


# -- files that do not read: each problem with its path ----------------------------------------------------

Edit = Callable[[Data], object]


def _set(path: str, value: object) -> Edit:
    """An edit setting ``a.b[0].c`` (created when missing) in the minimal file's data."""

    def edit(data: Data) -> None:
        parts: list[str | int] = [
            int(p) if p.isdigit() else p for p in path.replace("[", ".").replace("]", "").split(".")
        ]
        target: Any = data
        for part in parts[:-1]:
            target = target[part]
        target[parts[-1]] = value

    return edit


def _drop(path: str) -> Edit:
    def edit(data: Data) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return edit


def _all(*edits: Edit) -> Edit:
    def edit(data: Data) -> None:
        for one in edits:
            one(data)

    return edit


def _offer(key: str, kind: str = "upsell", price: object = "150", **more: object) -> Data:
    return {"key": key, "name": key.title(), "kind": kind, "price": price, **more}


def _with_offers(*offers: Data) -> Edit:
    return lambda data: data["offers"].extend(offers)


def _steps(*steps: Data, start: str | None = "up1") -> Edit:
    return _set("post_purchase", {"start": start, "steps": list(steps)})


KEY_RULE = 'must be 1-64 characters from a-z, 0-9 and "-"'
MONEY_RULE = 'must be an amount such as 97 or "97.00"'
RATE_RULE = "must be a number between 0 and 1 such as 0.2"

BAD_FILES: list[tuple[str, Edit, list[str]]] = [
    # the file as a whole
    (
        "wrong format id",
        _set("format", "offer-architect/funnel@2"),
        ['format: must be "offer-architect/funnel@1", not "offer-architect/funnel@2"'],
    ),
    ("unknown field at the top", _set("colour", "blue"), ["colour: unknown field"]),
    ("unknown field with an odd name", _set("my field", 1), ['["my field"]: unknown field']),
    ("unknown field in an offer", _set("offers[0].colour", "blue"), ["offers[0].colour: unknown field"]),
    (
        "unknown field in a step",
        _all(_with_offers(_offer("calls")), _steps({"key": "up1", "offer": "calls", "colur": 1})),
        ["post_purchase.steps[0].colur: unknown field"],
    ),
    (
        "unknown field in a placement",
        _all(
            _with_offers(_offer("guide", "order_bump")),
            _set("checkout.bumps", [{"offer": "guide", "rate": 0.3}]),
        ),
        ["checkout.bumps[0].rate: unknown field"],
    ),
    # missing fields
    ("missing core", _drop("checkout.core"), ["checkout.core: field required"]),
    (
        "missing everything",
        lambda d: d.clear(),
        [
            "format: field required",
            "name: field required",
            "currency: field required",
            "offers: field required",
            "checkout: field required",
        ],
    ),
    (
        "missing offer fields",
        _set("offers[0]", {"key": "calm-course"}),
        [
            "offers[0].name: field required",
            "offers[0].kind: field required",
            "offers[0].price: field required",
        ],
    ),
    (
        "missing step fields",
        _steps({}, start=None),
        ["post_purchase.steps[0].key: field required", "post_purchase.steps[0].offer: field required"],
    ),
    (
        "missing placement offer",
        _set("checkout.bumps", [{"take_rate": 0.3}]),
        ["checkout.bumps[0].offer: field required"],
    ),
    # wrong types
    ("name a number", _set("name", 5), ["name: must be text, not 5"]),
    ("name blank", _set("name", "   "), ["name: must not be empty"]),
    ("offers an object", _set("offers", {}), ["offers: must be a list, not an object"]),
    ("checkout a list", _set("checkout", []), ["checkout: must be an object, not a list"]),
    ("post_purchase null", _set("post_purchase", None), ["post_purchase: must be an object, not null"]),
    (
        "topics a string",
        _set("offers[0].topics", "anxiety"),
        ['offers[0].topics: must be a list, not "anxiety"'],
    ),
    (
        "an offer a string",
        _set("offers", ["calm-course"]),
        ['offers[0]: must be an object, not "calm-course"', 'checkout.core: no offer "calm-course"'],
    ),
    (
        "unknown kind",
        _set("offers[0].kind", "bump"),
        ['offers[0].kind: must be one of core, order_bump, upsell, downsell, cross_sell, not "bump"'],
    ),
    (
        "lower-case currency",
        _set("currency", "usd"),
        ['currency: must be 3 capital letters such as "USD", not "usd"'],
    ),
    (
        "edge a number",
        _all(_with_offers(_offer("calls")), _steps({"key": "up1", "offer": "calls", "on_accept": 2})),
        [f"post_purchase.steps[0].on_accept: {KEY_RULE}, not 2"],
    ),
    # keys
    (
        "key with spaces",
        _set("offers[0].key", "Calm Course"),
        [f'offers[0].key: {KEY_RULE}, not "Calm Course"', 'checkout.core: no offer "calm-course"'],
    ),
    ("key too long", _set("checkout.core", "a" * 65), [f'checkout.core: {KEY_RULE}, not "{"a" * 39}…"']),
    ("empty key", _set("checkout.core", ""), [f'checkout.core: {KEY_RULE}, not ""']),
    (
        "key with a newline",
        _set("checkout.core", "calm-course\n"),
        [f'checkout.core: {KEY_RULE}, not "calm-course\\n"'],
    ),
    (
        "duplicate offer keys",
        _with_offers(_offer("calls"), _offer("calls", "downsell")),
        ['offers[2].key: "calls" is already the key of offers[1]'],
    ),
    (
        "duplicate step keys",
        _all(
            _with_offers(_offer("calls")),
            _steps({"key": "up1", "offer": "calls"}, {"key": "up1", "offer": "calls"}),
        ),
        ['post_purchase.steps[1].key: "up1" is already the key of post_purchase.steps[0]'],
    ),
    # references
    ("core names no offer", _set("checkout.core", "calm-cours"), ['checkout.core: no offer "calm-cours"']),
    (
        "bump names no offer",
        _set("checkout.bumps", [{"offer": "guide"}]),
        ['checkout.bumps[0].offer: no offer "guide"'],
    ),
    (
        "thank-you cross-sell names no offer",
        _set("thank_you", {"cross_sells": [{"offer": "journal"}]}),
        ['thank_you.cross_sells[0].offer: no offer "journal"'],
    ),
    (
        "replaces names no offer",
        _set("offers[0].replaces", "calm-lite"),
        ['offers[0].replaces: no offer "calm-lite"'],
    ),
    (
        "step names no offer",
        _steps({"key": "up1", "offer": "calls"}),
        ['post_purchase.steps[0].offer: no offer "calls"'],
    ),
    (
        "edge names no step",
        _all(
            _with_offers(_offer("calls"), _offer("call", "downsell")),
            _steps(
                {"key": "up1", "offer": "calls", "on_decline": "down1"},
                {"key": "down1", "offer": "call", "on_decline": "dwn1"},
            ),
        ),
        ['post_purchase.steps[1].on_decline: no step "dwn1"'],
    ),
    ("start names no step", _steps(start="up9"), ['post_purchase.start: no step "up9"']),
    (
        "an offer twice at the checkout",
        _all(
            _with_offers(_offer("guide", "order_bump")),
            _set("checkout.bumps", [{"offer": "guide"}]),
            _set("checkout.cross_sells", [{"offer": "guide"}]),
        ),
        ['checkout.cross_sells[0].offer: "guide" is already placed at checkout.bumps[0]'],
    ),
    (
        "an offer twice on the thank-you page",
        _all(
            _with_offers(_offer("journal", "cross_sell")),
            _set("thank_you", {"cross_sells": [{"offer": "journal"}, {"offer": "journal", "take_rate": 0.1}]}),
        ),
        ['thank_you.cross_sells[1].offer: "journal" is already placed at thank_you.cross_sells[0]'],
    ),
    # money
    (
        "price with 3 places",
        _set("offers[0].price", "97.001"),
        ["offers[0].price: has more than 2 decimal places"],
    ),
    (
        "price with 3 places as a number",
        _set("offers[0].price", Decimal("19.999")),
        ["offers[0].price: has more than 2 decimal places"],
    ),
    (
        "price with 31 digits",
        _set("offers[0].price", Decimal("999999.9999999999999999999999999")),
        ["offers[0].price: has more than 2 decimal places"],
    ),
    (
        "price far below a cent",
        _set("offers[0].price", Decimal("1E-999999999")),
        ["offers[0].price: has more than 2 decimal places"],
    ),
    (
        "negative price",
        _set("offers[0].price", Decimal("-1")),
        ["offers[0].price: must lie between 0 and 1,000,000"],
    ),
    (
        "price above the limit",
        _set("offers[0].price", "1000000.01"),
        ["offers[0].price: must lie between 0 and 1,000,000"],
    ),
    ("price a boolean", _set("offers[0].price", True), [f"offers[0].price: {MONEY_RULE}, not true"]),
    ("price a word", _set("offers[0].price", "abc"), [f'offers[0].price: {MONEY_RULE}, not "abc"']),
    (
        "price with a currency sign",
        _set("offers[0].price", "$97"),
        [f'offers[0].price: {MONEY_RULE}, not "$97"'],
    ),
    ("price null", _set("offers[0].price", None), [f"offers[0].price: {MONEY_RULE}, not null"]),
    ("price a list", _set("offers[0].price", [97]), [f"offers[0].price: {MONEY_RULE}, not a list"]),
    # take rates
    (
        "take rate 1.5",
        _set("offers[0].take_rate", Decimal("1.5")),
        ["offers[0].take_rate: must lie between 0 and 1 (0.2 means 20%)"],
    ),
    (
        "take rate negative",
        _set("checkout.bumps", [{"offer": "calm-course", "take_rate": Decimal("-0.1")}]),
        ["checkout.bumps[0].take_rate: must lie between 0 and 1 (0.2 means 20%)"],
    ),
    (
        "take rate with 5 places",
        _set("offers[0].take_rate", Decimal("0.12345")),
        ["offers[0].take_rate: has more than 4 decimal places"],
    ),
    (
        "take rate a boolean",
        _set("offers[0].take_rate", False),
        [f"offers[0].take_rate: {RATE_RULE}, not false"],
    ),
    (
        "take rate a word",
        _set("offers[0].take_rate", "high"),
        [f'offers[0].take_rate: {RATE_RULE}, not "high"'],
    ),
    # texts and topics
    (
        "name too long",
        _set("offers[0].name", "x" * 201),
        ["offers[0].name: must be at most 200 characters (this has 201)"],
    ),
    (
        "body too long",
        _set("offers[0].body", "x" * 5001),
        ["offers[0].body: must be at most 5,000 characters (this has 5,001)"],
    ),
    (
        "label too long",
        _set("offers[0].decline_label", "x" * 101),
        ["offers[0].decline_label: must be at most 100 characters (this has 101)"],
    ),
    (
        "control character",
        _set("offers[0].headline", "Calm\x00"),
        ["offers[0].headline: contains a character that is not allowed (U+0000)"],
    ),
    (
        "bad topic",
        _set("offers[0].topics", ["anxiety", "Nervous System"]),
        ['offers[0].topics[1]: must be 1-40 characters from a-z, 0-9 and "-", not "Nervous System"'],
    ),
    (
        "repeated topic",
        _set("offers[0].topics", ["anxiety", "sleep", "anxiety"]),
        ['offers[0].topics: lists "anxiety" more than once'],
    ),
    (
        "too many topics",
        _set("offers[0].topics", [f"t{i}" for i in range(21)]),
        ["offers[0].topics: has 21 items; at most 20 are allowed"],
    ),
    # limits
    (
        "too many offers",
        _with_offers(*(_offer(f"o{i}") for i in range(200))),
        ["offers: has 201 items; at most 200 are allowed"],
    ),
    (
        "too many steps",
        _steps(*({"key": f"s{i}", "offer": "calm-course"} for i in range(101)), start=None),
        ["post_purchase.steps: has 101 items; at most 100 are allowed"],
    ),
    (
        "too many bumps",
        _all(
            _with_offers(*(_offer(f"b{i}", "order_bump") for i in range(51))),
            _set("checkout.bumps", [{"offer": f"b{i}"} for i in range(51)]),
        ),
        ["checkout.bumps: has 51 items; at most 50 are allowed"],
    ),
]


@pytest.mark.parametrize(("edit", "expected"), [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_a_bad_file_reports_each_problem_with_its_path(edit: Edit, expected: list[str]) -> None:
    # given the minimal file with one thing wrong
    data = minimal()
    edit(data)

    # when read, then exactly that problem is reported
    assert problems_of(text_of(data)) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b'{"format": "x",\n "name" "Calm"}',
            "(file): not valid JSON: Expecting ':' delimiter at line 2 column 9",
        ),
        (b"[1, 2]", "(file): must be a JSON object, not a list"),
        (b'"funnel"', '(file): must be a JSON object, not "funnel"'),
        (b"  \n", "(file): empty; expected a JSON object"),
        (b"\xff{}", "(file): not UTF-8 text (at byte 0)"),
        (b" " * (MAX_FILE_BYTES + 1), "(file): larger than 1 MB"),
        (b"[" * 100_000 + b"]" * 100_000, "(file): not valid JSON: nested too deeply"),
    ],
    ids=["bad JSON", "a list", "a string", "empty", "not UTF-8", "over 1 MB", "too deep"],
)
def test_an_unreadable_file_reports_one_problem_for_the_file(raw: bytes, expected: str) -> None:
    assert problems_of(raw) == [expected]


def test_size_is_checked_before_parsing_and_counts_bytes_not_characters() -> None:
    # given text of 500,001 two-byte characters: under a million characters, over a million bytes
    raw = '"' + "é" * 500_001 + '"'
    assert problems_of(raw) == ["(file): larger than 1 MB"]


def test_a_name_given_twice_in_one_object_is_a_problem() -> None:
    raw = text_of(minimal()).replace('"kind": "core"', '"kind": "core", "kind": "upsell"')
    assert problems_of(raw) == ["offers[0].kind: given more than once"]


def test_a_bad_file_gets_every_problem_at_once_in_file_order() -> None:
    # given a file wrong in every section
    data = example()
    data["currency"] = "dollars"
    data["extra"] = True
    data["offers"][1]["price"] = "300.005"
    data["offers"][2]["key"] = "three-calls"
    data["offers"][3]["replaces"] = "calm-lite"
    data["offers"][4]["take_rate"] = Decimal("1.5")
    del data["checkout"]["core"]
    data["checkout"]["cross_sells"] = [{"offer": "breath-guide"}]
    data["post_purchase"]["steps"][0]["on_decline"] = "dwn1"
    data["post_purchase"]["steps"][1]["offer"] = "one-call"
    data["thank_you"]["cross_sells"][0]["offer"] = "Journal"

    # when read, then all of them are listed, in the order they stand in the file
    assert problems_of(text_of(data)) == [
        'currency: must be 3 capital letters such as "USD", not "dollars"',
        "offers[1].price: has more than 2 decimal places",
        'offers[2].key: "three-calls" is already the key of offers[1]',
        'offers[3].replaces: no offer "calm-lite"',
        "offers[4].take_rate: must lie between 0 and 1 (0.2 means 20%)",
        "checkout.core: field required",
        'checkout.cross_sells[0].offer: "breath-guide" is already placed at checkout.bumps[0]',
        'post_purchase.steps[0].on_decline: no step "dwn1"',
        'post_purchase.steps[1].offer: no offer "one-call"',
        f'thank_you.cross_sells[0].offer: {KEY_RULE}, not "Journal"',
        "extra: unknown field",
    ]


def test_references_are_checked_even_where_the_file_is_otherwise_malformed() -> None:
    # given a malformed offer list entry, a malformed checkout and malformed steps
    data = example()
    data["offers"][0]["price"] = "free"
    data["checkout"]["bumps"] = "breath-guide"
    data["post_purchase"]["steps"][0]["take_rate"] = "often"
    data["post_purchase"]["steps"][0]["on_accept"] = "up2"

    # when read, then the broken reference is reported beside the malformed values
    assert problems_of(text_of(data)) == [
        f'offers[0].price: {MONEY_RULE}, not "free"',
        'checkout.bumps: must be a list, not "breath-guide"',
        f'post_purchase.steps[0].take_rate: {RATE_RULE}, not "often"',
        'post_purchase.steps[0].on_accept: no step "up2"',
    ]


def test_references_are_not_guessed_when_their_list_is_unreadable() -> None:
    # given an offers field that is not a list: "no offer" would be noise
    data = minimal()
    data["offers"] = "calm-course"
    assert problems_of(text_of(data)) == ['offers: must be a list, not "calm-course"']


def test_a_hopeless_file_lists_200_problems_then_how_many_more() -> None:
    data = minimal()
    data["offers"] = [{"key": f"o{i}"} for i in range(100)]  # 300 missing fields, and no "calm-course"
    problems = problems_of(text_of(data))
    assert len(problems) == 201
    assert problems[0] == "offers[0].name: field required"
    assert problems[-1] == "(file): and 101 more problems not listed"


def test_the_error_lists_its_problems_one_a_line() -> None:
    data = minimal()
    data["name"] = ""
    data["checkout"]["core"] = "calm"
    with pytest.raises(FunnelFileError) as caught:
        read_funnel_document(text_of(data))
    assert caught.value.problems == (
        Problem("name", "must not be empty"),
        Problem("checkout.core", 'no offer "calm"'),
    )
    assert str(caught.value) == 'name: must not be empty\ncheckout.core: no offer "calm"'
    assert str(Problem("(file)", "larger than 1 MB")) == "(file): larger than 1 MB"


def test_pydantic_words_never_reach_the_reader() -> None:
    data = minimal()
    data.update(name=[1], offers=[{"key": 1, "name": {}, "kind": None, "price": {}, "topics": [1], "body": 2}])
    data["checkout"] = {"core": None, "bumps": [None], "cross_sells": {}}
    data["post_purchase"] = {"start": [], "steps": [[]]}
    data["thank_you"] = "none"
    text = "\n".join(problems_of(text_of(data)))
    for jargon in ("Input should", "pydantic", "http", "dictionary", "tuple", "type="):
        assert jargon not in text


# -- plans -------------------------------------------------------------------------------------------------


def test_a_document_becomes_the_plan_the_engine_reads() -> None:
    # given the example file
    doc = read_funnel_document(text_of(example()))

    # when turned into a plan for a practice
    plan = plan_from_document(doc, practice="calm-practice", thresholds=Thresholds(price_jump_ratio=Decimal("4")))

    # then offers carry the file's currency and the practice; placements are keyed by their offer
    assert plan.offers[0] == OfferSpec(
        key="calm-course",
        name="Calm Your Nervous System",
        kind=OfferKind.CORE,
        price=Decimal("97.00"),
        currency="USD",
        topics=frozenset({"anxiety", "nervous-system"}),
        format="course",
        headline="…",
        body="…",
        accept_label="…",
        decline_label="…",
        practice="calm-practice",
    )
    assert plan.core == "calm-course"
    assert plan.bumps == (
        Placement(
            key="breath-guide",
            offer="breath-guide",
            slot=Slot.BUMP,
            stage=Stage.CHECKOUT,
            take_rate=Decimal("0.3"),
        ),
    )
    assert plan.checkout_cross_sells == ()
    assert plan.thank_you_cross_sells == (
        Placement(
            key="journal",
            offer="journal",
            slot=Slot.CROSS_SELL,
            stage=Stage.THANK_YOU,
            take_rate=Decimal("0.05"),
        ),
    )
    assert plan.start == "up1"
    assert plan.steps == (
        Step(key="up1", offer="three-calls", take_rate=Decimal("0.2"), on_accept=None, on_decline="down1"),
        Step(key="down1", offer="one-call", take_rate=Decimal("0.15"), on_accept=None, on_decline=None),
    )
    assert (plan.practice, plan.thresholds.price_jump_ratio) == ("calm-practice", Decimal("4"))


def test_a_plan_becomes_its_document_again() -> None:
    doc = read_funnel_document(text_of(example()))
    assert document_from_plan(plan_from_document(doc, practice="p")) == doc


def test_a_plan_with_an_offer_in_another_currency_cannot_be_written() -> None:
    # given a plan (from the database, say) with a euro offer in a dollar funnel
    plan = FunnelPlan(
        name="Calm",
        currency="USD",
        core="calm",
        offers=(
            OfferSpec(key="calm", name="Calm", kind=OfferKind.CORE, price=Decimal("97"), currency="USD"),
            OfferSpec(key="calls", name="Calls", kind=OfferKind.UPSELL, price=Decimal("300"), currency="EUR"),
        ),
    )

    # when written, then the problem is reported as for a file
    with pytest.raises(FunnelFileError) as caught:
        document_from_plan(plan)
    assert [str(p) for p in caught.value.problems] == ["offers[1]: is priced in EUR, but the funnel is in USD"]


# -- writing -----------------------------------------------------------------------------------------------


def test_dump_writes_the_canonical_text() -> None:
    # given a small funnel with every kind of field
    data = minimal()
    data["offers"][0].update(topics=["sleep", "anxiety"], take_rate=Decimal("1"), body="Calm.")
    data["offers"].append(_offer("calls", price=300, replaces="calm-course", take_rate=Decimal("0.1500")))
    data["checkout"]["bumps"] = []
    data["post_purchase"] = {
        "steps": [{"key": "up1", "offer": "calls", "take_rate": Decimal("0.2")}],
        "start": "up1",
    }

    # when dumped
    text = dump_document(read_funnel_document(text_of(data)))

    # then the text is exactly
    assert text == (
        "{\n"
        '  "format": "offer-architect/funnel@1",\n'
        '  "name": "Calm",\n'
        '  "currency": "USD",\n'
        '  "offers": [\n'
        "    {\n"
        '      "key": "calm-course",\n'
        '      "name": "Calm course",\n'
        '      "kind": "core",\n'
        '      "price": "97.00",\n'
        '      "take_rate": 1,\n'
        '      "topics": [\n'
        '        "anxiety",\n'
        '        "sleep"\n'
        "      ],\n"
        '      "body": "Calm.",\n'
        '      "accept_label": "Yes, add this to my order",\n'
        '      "decline_label": "No, thank you"\n'
        "    },\n"
        "    {\n"
        '      "key": "calls",\n'
        '      "name": "Calls",\n'
        '      "kind": "upsell",\n'
        '      "price": "300.00",\n'
        '      "replaces": "calm-course",\n'
        '      "take_rate": 0.15,\n'
        '      "topics": [],\n'
        '      "accept_label": "Yes, add this to my order",\n'
        '      "decline_label": "No, thank you"\n'
        "    }\n"
        "  ],\n"
        '  "checkout": {\n'
        '    "core": "calm-course",\n'
        '    "bumps": [],\n'
        '    "cross_sells": []\n'
        "  },\n"
        '  "post_purchase": {\n'
        '    "start": "up1",\n'
        '    "steps": [\n'
        "      {\n"
        '        "key": "up1",\n'
        '        "offer": "calls",\n'
        '        "take_rate": 0.2,\n'
        '        "on_accept": null,\n'
        '        "on_decline": null\n'
        "      }\n"
        "    ]\n"
        "  },\n"
        '  "thank_you": {\n'
        '    "cross_sells": []\n'
        "  }\n"
        "}\n"
    )


def test_dump_keeps_text_readable_and_exact() -> None:
    data = minimal()
    data["name"] = "Calme – ton système nerveux"
    text = dump_document(read_funnel_document(text_of(data)))
    assert '"name": "Calme – ton système nerveux"' in text
    assert read_funnel_document(text.encode()).name == "Calme – ton système nerveux"


# -- round trips (hypothesis) ------------------------------------------------------------------------------

_keys = st.text("abcz019-", min_size=1, max_size=6)
_texts = st.text(st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=12)
_names = _texts.filter(str.strip)
_rates = st.none() | st.integers(0, 10_000).map(lambda n: Decimal(n).scaleb(-4))
_prices = st.integers(0, 100_000_000).map(lambda n: Decimal(n).scaleb(-2)) | st.integers(0, 1_000_000).map(Decimal)


@st.composite
def documents(draw: st.DrawFn) -> FunnelDocument:
    keys = draw(st.lists(_keys, min_size=1, max_size=6, unique=True))
    offers = [
        {
            "key": key,
            "name": draw(_names),
            "kind": draw(st.sampled_from(OfferKind)).value,
            "price": draw(_prices),
            "replaces": draw(st.none() | st.sampled_from(keys)),
            "take_rate": draw(_rates),
            "topics": draw(st.lists(st.text("abn-7", min_size=1, max_size=5), max_size=3, unique=True)),
            "format": draw(st.sampled_from(["", "course", "one_on_one"])),
            "headline": draw(_texts),
            "body": draw(_texts),
            "accept_label": draw(st.just(DEFAULT_ACCEPT_LABEL) | _texts),
            "decline_label": draw(st.just(DEFAULT_DECLINE_LABEL) | _texts),
        }
        for key in keys
    ]

    def placements(allowed: list[str]) -> list[Data]:
        chosen = draw(st.lists(st.sampled_from(allowed), max_size=3, unique=True)) if allowed else []
        return [{"offer": key, "take_rate": draw(_rates)} for key in chosen]

    bumps = placements(keys)
    cross_sells = placements([k for k in keys if k not in {b["offer"] for b in bumps}])
    step_keys = draw(st.lists(_keys, max_size=5, unique=True))
    targets = st.none() | st.sampled_from(step_keys) if step_keys else st.none()
    steps = [
        {
            "key": key,
            "offer": draw(st.sampled_from(keys)),
            "take_rate": draw(_rates),
            "on_accept": draw(targets),
            "on_decline": draw(targets),
        }
        for key in step_keys
    ]
    data = {
        "format": FORMAT_ID,
        "name": draw(_names),
        "currency": draw(st.sampled_from(["USD", "EUR", "CHF"])),
        "offers": offers,
        "checkout": {"core": draw(st.sampled_from(keys)), "bumps": bumps, "cross_sells": cross_sells},
        "post_purchase": {"start": draw(targets), "steps": steps},
        "thank_you": {"cross_sells": placements(keys)},
    }
    return FunnelDocument.model_validate(data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_export_then_import_gives_back_an_equal_document_and_identical_text(doc: FunnelDocument) -> None:
    text = dump_document(doc)
    again = read_funnel_document(text.encode())
    assert again == doc
    assert dump_document(again) == text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_read_plan_document_dump_is_identical_and_plans_are_equal(doc: FunnelDocument) -> None:
    # (a) read -> plan -> document -> dump -> read -> plan gives an equal plan
    text = dump_document(doc)
    plan = plan_from_document(read_funnel_document(text))
    exported = dump_document(document_from_plan(plan))
    assert plan_from_document(read_funnel_document(exported)) == plan
    # (b) export -> import -> export is identical byte for byte
    assert exported == text


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False, places=5) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_fields = [
    "format",
    "name",
    "currency",
    "offers",
    "checkout",
    "post_purchase",
    "thank_you",
    "key",
    "offer",
    "price",
    "kind",
    "core",
    "bumps",
    "steps",
    "start",
    "on_accept",
    "take_rate",
    "topics",
    "replaces",
]
_near = st.recursive(
    st.none() | st.booleans() | st.sampled_from(["calm", "USD", FORMAT_ID, "core", "up1", "1.5"]) | _json,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_fields), inner, max_size=6),
    max_leaves=30,
)


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError


@settings(max_examples=300)
@given(st.one_of(_json, _near))
def test_any_json_either_reads_or_raises_a_funnel_file_error(value: object) -> None:
    raw = json.dumps(value, default=_default)
    try:
        read_funnel_document(raw)
    except FunnelFileError as error:
        assert error.problems
        assert all(p.path and p.message for p in error.problems)


@settings(max_examples=100)
@given(documents(), st.data())
def test_a_damaged_export_never_breaks_the_reader(doc: FunnelDocument, data: st.DataObject) -> None:
    text = dump_document(doc)
    cut = data.draw(st.integers(0, len(text)))
    damaged = text[:cut] + data.draw(st.sampled_from(["", "x", "}", '"', ",", "null", "1e999", "[]"])) + text[cut + 1 :]
    try:
        read_funnel_document(damaged)
    except FunnelFileError as error:
        assert error.problems


@given(st.binary(max_size=200))
def test_any_bytes_either_read_or_raise_a_funnel_file_error(raw: bytes) -> None:
    with pytest.raises(FunnelFileError):
        read_funnel_document(raw)
