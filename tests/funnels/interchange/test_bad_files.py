"""The funnel interchange format v1 (DESIGN §4): a file with one thing wrong reports exactly that problem, with its
path."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from tests.funnels.interchange.documents import (
    KEY_RULE,
    MONEY_RULE,
    RATE_RULE,
    Data,
    minimal,
    offer_data,
    problems_of,
    text_of,
)

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


def _with_offers(*offers: Data) -> Edit:
    return lambda data: data["offers"].extend(offers)


def _steps(*steps: Data, start: str | None = "up1") -> Edit:
    return _set("post_purchase", {"start": start, "steps": list(steps)})


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
        _all(_with_offers(offer_data("calls")), _steps({"key": "up1", "offer": "calls", "colur": 1})),
        ["post_purchase.steps[0].colur: unknown field"],
    ),
    (
        "unknown field in a placement",
        _all(
            _with_offers(offer_data("guide", "order_bump")),
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
        _all(_with_offers(offer_data("calls")), _steps({"key": "up1", "offer": "calls", "on_accept": 2})),
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
        _with_offers(offer_data("calls"), offer_data("calls", "downsell")),
        ['offers[2].key: "calls" is already the key of offers[1]'],
    ),
    (
        "duplicate step keys",
        _all(
            _with_offers(offer_data("calls")),
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
            _with_offers(offer_data("calls"), offer_data("call", "downsell")),
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
            _with_offers(offer_data("guide", "order_bump")),
            _set("checkout.bumps", [{"offer": "guide"}]),
            _set("checkout.cross_sells", [{"offer": "guide"}]),
        ),
        ['checkout.cross_sells[0].offer: "guide" is already placed at checkout.bumps[0]'],
    ),
    (
        "an offer twice on the thank-you page",
        _all(
            _with_offers(offer_data("journal", "cross_sell")),
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
        _with_offers(*(offer_data(f"o{i}") for i in range(200))),
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
            _with_offers(*(offer_data(f"b{i}", "order_bump") for i in range(51))),
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
