"""What an import would do, in words (funnels.presenters.import_summary): offers added and reused in the order a
buyer meets their kinds, the steps counted in words, and the AOV the editor will show."""

from __future__ import annotations

import pytest

from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE
from funnels.presenters.import_summary import import_summary
from funnels.services.demo import DEMO_DIR
from funnels.services.transfer import funnel_import_check

pytestmark = pytest.mark.django_db

CLASSIC = (DEMO_DIR / "calm-classic.json").read_bytes()


def test_into_an_empty_catalog_every_offer_is_added_core_first(practice):
    summary = import_summary(funnel_import_check(practice=practice, raw=CLASSIC))
    assert [(o["key"], o["kind"], o["price"]) for o in summary["created"]] == [
        ("calm-course", "Core offer", "$97.00"),
        ("breath-cards", "Order bump", "$19.00"),
        ("three-calls", "Upsell", "$300.00"),
        ("one-call", "Downsell", "$120.00"),
        ("sleep-audio", "Cross-sell", "$29.00"),
    ]
    assert summary["matched"] == []
    assert summary["step_parts"] == [
        "1 order bump",
        "2 one-click offers after payment",
        "1 cross-sell on the thank-you page",
    ]
    assert (summary["aov_text"], summary["core_price"]) == ("$177.10", "$97.00")
    assert (summary["aov_definition"], summary["illustrative_note"]) == (DEFINITIONS["aov"], ILLUSTRATIVE_NOTE)


def test_the_primers_catalog_is_reused_by_key_with_its_own_names(practice, primer_catalog):
    # the catalog's offers match the file's keys: the catalog's names win, nothing is added
    summary = import_summary(funnel_import_check(practice=practice, raw=CLASSIC))
    assert summary["created"] == []
    assert [(o["key"], o["name"]) for o in summary["matched"]] == [
        ("calm-course", "Calm Your Nervous System"),
        ("breath-cards", "Printable breathing cards"),
        ("three-calls", "Three 1-on-1 coaching calls"),
        ("one-call", "One coaching call"),
        ("sleep-audio", "Sleep wind-down audio series"),
    ]
    assert summary["aov_text"] == "$177.10"
