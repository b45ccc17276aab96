"""The funnel interchange format v1 (DESIGN §4): the canonical text a document is written as."""

from __future__ import annotations

from decimal import Decimal

from funnels.interchange.reading import read_funnel_document
from funnels.interchange.writing import dump_document
from tests.funnels.interchange.documents import (
    minimal,
    offer_data,
    text_of,
)

# -- writing -----------------------------------------------------------------------------------------------


def test_dump_writes_the_canonical_text() -> None:
    # given a small funnel with every kind of field
    data = minimal()
    data["offers"][0].update(topics=["sleep", "anxiety"], take_rate=Decimal("1"), body="Calm.")
    data["offers"].append(offer_data("calls", price=300, replaces="calm-course", take_rate=Decimal("0.1500")))
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
