"""Import and export through the database: atomic, matched to the catalog by key, and round-tripping."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from funnels.domain.metrics import compute_metrics
from funnels.interchange.problems import FunnelFileError
from funnels.models import Funnel, FunnelStep
from funnels.selectors import funnel_plan
from funnels.services.demo import DEMO_DIR, DEMO_FILES
from funnels.services.transfer import funnel_export, funnel_import
from offers.models import Offer
from tests.factories import make_offer, make_practice

pytestmark = pytest.mark.django_db

CLASSIC = (DEMO_DIR / "calm-classic.json").read_text()


def table_counts() -> tuple[int, int, int]:
    return Offer.objects.count(), Funnel.objects.count(), FunnelStep.objects.count()


def test_importing_the_classic_demo_builds_the_funnel_and_its_offers(practice):
    result = funnel_import(practice=practice, raw=CLASSIC)
    funnel = result.funnel
    plan = funnel_plan(practice=practice, funnel=funnel)
    assert funnel.slug == "calm-course-classic"
    assert set(result.offers_created) == {"calm-course", "breath-cards", "three-calls", "one-call", "sleep-audio"}
    assert plan.start == "up1" and plan.step("up1").on_decline == "down1"
    assert compute_metrics(plan).aov == Decimal("177.10")


@pytest.mark.parametrize("name", DEMO_FILES)
def test_export_then_import_then_export_gives_the_same_document(practice, name):
    first = funnel_import(practice=practice, raw=(DEMO_DIR / name).read_bytes()).funnel
    exported = funnel_export(practice=practice, funnel=first)
    fresh = make_practice()
    second = funnel_import(practice=fresh, raw=exported).funnel
    assert funnel_export(practice=fresh, funnel=second) == exported
    assert (
        compute_metrics(funnel_plan(practice=fresh, funnel=second)).aov_exact
        == compute_metrics(funnel_plan(practice=practice, funnel=first)).aov_exact
    )


def test_a_second_import_reuses_the_catalog_offers_and_gets_a_new_slug(practice):
    funnel_import(practice=practice, raw=CLASSIC)
    result = funnel_import(practice=practice, raw=CLASSIC)
    assert result.offers_created == ()
    assert result.funnel.slug == "calm-course-classic-2"
    assert Offer.objects.filter(practice=practice).count() == 5


def test_a_bad_file_reports_every_problem_and_writes_nothing(practice):
    make_offer(practice, key="existing", kind="upsell", price="10")
    before = table_counts()
    document = json.loads(CLASSIC)
    document["offers"][2]["price"] = "300.001"
    document["post_purchase"]["steps"][0]["on_decline"] = "dwn1"
    document["surprise"] = True
    with pytest.raises(FunnelFileError) as refused:
        funnel_import(practice=practice, raw=json.dumps(document))
    paths = {p.path for p in refused.value.problems}
    assert {"offers[2].price", "post_purchase.steps[0].on_decline", "surprise"} <= paths
    assert table_counts() == before


def test_a_clash_with_the_catalog_is_reported_before_anything_is_written(practice):
    make_offer(practice, key="three-calls", kind="upsell", price="250")
    make_offer(practice, key="one-call", kind="upsell", price="120")
    before = table_counts()
    with pytest.raises(FunnelFileError) as refused:
        funnel_import(practice=practice, raw=CLASSIC)
    messages = [str(p) for p in refused.value.problems]
    assert 'offers[2].price: the catalog\'s "three-calls" costs $250.00, the file says $300.00' in messages
    assert 'offers[3].kind: the catalog\'s "one-call" is of kind upsell, the file says downsell' in messages
    assert table_counts() == before


def test_a_file_in_another_currency_is_refused(practice):
    document = json.loads(CLASSIC)
    document["currency"] = "EUR"
    with pytest.raises(FunnelFileError, match="sells in USD"):
        funnel_import(practice=practice, raw=json.dumps(document))
    assert not Funnel.objects.exists()


def test_a_failure_midway_rolls_back_everything(practice, monkeypatch):
    # given an import that fails after its offers were created (the database refuses the funnel's steps)
    import funnels.services.transfer as transfer

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(transfer, "create_steps", explode)
    with pytest.raises(RuntimeError):
        funnel_import(practice=practice, raw=CLASSIC)
    # then not even the offers remain
    assert table_counts() == (0, 0, 0)


def test_a_file_with_timing_mistakes_imports_so_the_checks_can_speak(practice):
    result = funnel_import(practice=practice, raw=(DEMO_DIR / "calm-first-draft.json").read_bytes())
    assert result.funnel.steps.count() == 4


def test_demo_files_are_in_the_repository():
    assert all((Path(DEMO_DIR) / name).is_file() for name in DEMO_FILES)
