"""Funnel files for the interchange tests: DESIGN §4's example, the smallest file that reads, and ways
to write and read them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from funnels.interchange.limits import FORMAT_ID
from funnels.interchange.problems import FunnelFileError
from funnels.interchange.reading import read_funnel_document

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


def offer_data(key: str, kind: str = "upsell", price: object = "150", **more: object) -> Data:
    return {"key": key, "name": key.title(), "kind": kind, "price": price, **more}


KEY_RULE = 'must be 1-64 characters from a-z, 0-9 and "-"'
MONEY_RULE = 'must be an amount such as 97 or "97.00"'
RATE_RULE = "must be a number between 0 and 1 such as 0.2"
