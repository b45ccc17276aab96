"""The funnel interchange format v1 (DESIGN §4): unreadable files, every problem at once and in file order, and
problems in plain words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnels.interchange.limits import MAX_FILE_BYTES
from funnels.interchange.problems import FunnelFileError, Problem
from funnels.interchange.reading import read_funnel_document
from tests.funnels.interchange.documents import (
    KEY_RULE,
    MONEY_RULE,
    RATE_RULE,
    example,
    minimal,
    problems_of,
    text_of,
)

# -- files that do not read: the file as a whole and every problem at once ------------------------------------


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
