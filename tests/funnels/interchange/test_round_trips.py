"""The funnel interchange format v1 (DESIGN §4): round trips and any input at all (hypothesis)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funnels.interchange.limits import FORMAT_ID
from funnels.interchange.models import FunnelDocument
from funnels.interchange.plans import document_from_plan, plan_from_document
from funnels.interchange.problems import FunnelFileError
from funnels.interchange.reading import read_funnel_document
from funnels.interchange.writing import dump_document
from offers.domain.kinds import DEFAULT_ACCEPT_LABEL, DEFAULT_DECLINE_LABEL, OfferKind
from tests.funnels.interchange.documents import (
    Data,
)
from tests.profiles import examples

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
            # an offer never upgrades itself (the reader refuses that since issue 10)
            "replaces": draw(st.none() | st.sampled_from([k for k in keys if k != key] or [None])),
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


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_export_then_import_gives_back_an_equal_document_and_identical_text(doc: FunnelDocument) -> None:
    text = dump_document(doc)
    again = read_funnel_document(text.encode())
    assert again == doc
    assert dump_document(again) == text


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
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


@settings(max_examples=examples(300))
@given(st.one_of(_json, _near))
def test_any_json_either_reads_or_raises_a_funnel_file_error(value: object) -> None:
    raw = json.dumps(value, default=_default)
    try:
        read_funnel_document(raw)
    except FunnelFileError as error:
        assert error.problems
        assert all(p.path and p.message for p in error.problems)


@settings(max_examples=examples(100))
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
