"""Restoring a version as a new version, when the catalog has moved on: offers changed, archived or deleted."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnels.models import Funnel, FunnelVersion, VersionKind
from funnels.selectors import funnel_plan, version_get
from funnels.services.editing import StaleFunnel, funnel_step_add, funnel_step_remove, funnel_step_set_take_rate
from funnels.services.restore import restore_check, version_plan, version_restore
from offers.models import Offer, OfferStatus
from offers.services import offer_archive, offer_delete, offer_update
from tests.factories import make_primer_funnel

pytestmark = pytest.mark.django_db


def test_restoring_an_old_version_is_a_new_version_and_brings_back_its_steps(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.3")
    funnel_step_remove(funnel=funnel, expected_version=4, step=down)
    restored = version_restore(
        funnel=funnel, expected_version=5, version=version_get(practice=practice, funnel=funnel, number=3)
    )
    assert restored.number == 6 and restored.kind == VersionKind.RESTORE and restored.summary == "restored version 3"
    plan = funnel_plan(practice=practice, funnel=funnel)
    assert [s.key for s in plan.steps] == ["up1", "down1"] and plan.step("up1").take_rate == Decimal("0.2")
    assert plan.step("up1").on_decline == "down1" and plan.start == "up1"
    assert restored.aov == Decimal("171.40")
    assert FunnelVersion.objects.filter(funnel=funnel).count() == 6  # nothing overwritten


def test_a_stale_restore_is_refused_and_writes_nothing(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    with pytest.raises(StaleFunnel):
        version_restore(
            funnel=funnel, expected_version=2, version=version_get(practice=practice, funnel=funnel, number=2)
        )
    assert Funnel.objects.get(pk=funnel.pk).version == 3 and FunnelVersion.objects.filter(funnel=funnel).count() == 3


def test_offers_changed_or_archived_since_are_listed_before_the_restore(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    offer_update(offer=primer_catalog["calls"], price="350")
    offer_archive(offer=primer_catalog["call"])
    plan = version_plan(practice=practice, version=version_get(practice=practice, funnel=funnel, number=3))
    drifts = {d.key: d for d in restore_check(practice=practice, plan=plan)}
    assert set(drifts) == {"three-calls", "one-call"}
    assert drifts["three-calls"].differences == ("price then $300.00, today $350.00",)
    assert drifts["one-call"].archived and drifts["one-call"].differences == ("archived",)


def test_keeping_todays_offer_restores_the_steps_at_todays_price(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_remove(funnel=funnel, expected_version=3, step=down)
    offer_update(offer=primer_catalog["calls"], price="350")  # a catalog change: the funnel's version 5
    version = version_restore(
        funnel=funnel, expected_version=5, version=version_get(practice=practice, funnel=funnel, number=3)
    )
    assert Offer.objects.get(pk=primer_catalog["calls"].pk).price == Decimal("350")
    assert version.aov == Decimal("97") + Decimal("0.2") * 350 + Decimal("0.8") * Decimal("0.15") * 120


def test_restoring_the_catalogs_offer_as_it_was_puts_back_its_price_kind_and_status(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    offer_update(offer=primer_catalog["calls"], price="350")
    offer_archive(offer=primer_catalog["call"])  # two catalog changes: versions 4 and 5
    version = version_restore(
        funnel=funnel,
        expected_version=5,
        version=version_get(practice=practice, funnel=funnel, number=3),
        restore_offers=["three-calls", "one-call"],
    )
    calls, call = (Offer.objects.get(pk=primer_catalog[h].pk) for h in ("calls", "call"))
    assert calls.price == Decimal("300") and call.status == OfferStatus.ACTIVE
    assert version.aov == Decimal("171.40")
    # putting the offers back moved the funnel twice more (the catalog's own versions), then the restore
    assert version.number == Funnel.objects.get(pk=funnel.pk).version == 8
    assert "with Three 1-on-1 coaching calls, One coaching call back in the catalog as they were" in version.summary


def test_an_offer_deleted_from_the_catalog_is_added_back_as_it_was(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_remove(funnel=funnel, expected_version=3, step=down)
    offer_delete(offer=primer_catalog["call"])  # no funnel uses it any more
    plan = version_plan(practice=practice, version=version_get(practice=practice, funnel=funnel, number=3))
    (drift,) = restore_check(practice=practice, plan=plan)
    assert drift.gone and drift.key == "one-call"
    version_restore(funnel=funnel, expected_version=4, version=version_get(practice=practice, funnel=funnel, number=3))
    again = Offer.objects.get(practice=practice, key="one-call")
    assert (again.name, again.price, again.kind) == ("One coaching call", Decimal("120.00"), "downsell")
    assert [s.key for s in funnel_plan(practice=practice, funnel=funnel).steps] == ["up1", "down1"]


def test_a_restore_keeps_the_funnels_status_and_an_added_step_is_gone_again(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_add(funnel=funnel, expected_version=3, offer=primer_catalog["cards"], slot="bump")
    version_restore(funnel=funnel, expected_version=4, version=version_get(practice=practice, funnel=funnel, number=3))
    assert funnel_plan(practice=practice, funnel=funnel).bumps == ()
