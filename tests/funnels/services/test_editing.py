"""Editing funnels through the services: every edit claims a version; removal reconnects; offers stay in the
practice. (What an offer in use may still do: tests/offers/test_services.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnels.models import Funnel, FunnelStep
from funnels.selectors import funnel_list, funnel_load, funnel_plan
from funnels.services.editing import (
    FunnelEditError,
    Reconnected,
    StaleFunnel,
    funnel_create,
    funnel_delete,
    funnel_start_set,
    funnel_step_add,
    funnel_step_remove,
    funnel_step_set_edges,
    funnel_step_set_take_rate,
    funnel_steps_reorder,
    funnel_update,
)
from offers.selectors import offer_catalog
from tests.factories import make_offer, make_practice, make_primer_funnel

pytestmark = pytest.mark.django_db


def test_the_first_one_click_step_becomes_the_start_and_a_connected_one_follows_the_decline(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    plan = funnel_plan(practice=practice, funnel=funnel)
    assert plan.start == "up1"
    assert plan.step("up1").on_decline == "down1"
    assert plan.step("up1").on_accept is None
    assert plan.step("up1").take_rate == Decimal("0.2")
    assert Funnel.objects.get(pk=funnel.pk).version == 3


def test_a_stale_edit_is_refused_and_changes_nothing(practice, primer_catalog):
    # given two copies of the same funnel at version 3
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    other_tab = Funnel.objects.get(pk=funnel.pk)
    # when the first copy is edited, then the second copy tries an edit made against version 3
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.25")
    with pytest.raises(StaleFunnel) as refused:
        funnel_step_set_take_rate(funnel=other_tab, expected_version=3, step=up, take_rate="0.5")
    # then the first edit stands and the message says what happened
    assert FunnelStep.objects.get(pk=up.pk).take_rate == Decimal("0.25")
    assert Funnel.objects.get(pk=funnel.pk).version == 4
    assert "changed elsewhere" in str(refused.value) and "version 3" in str(refused.value)
    assert refused.value.current == 4


def test_a_stale_removal_is_refused(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    with pytest.raises(StaleFunnel):
        funnel_step_remove(funnel=funnel, expected_version=1, step=down)
    assert FunnelStep.objects.filter(pk=down.pk).exists()


def test_removing_a_step_reconnects_its_incoming_edges_to_the_thank_you_page(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    changed = funnel_step_remove(funnel=funnel, expected_version=3, step=down)
    assert changed == (Reconnected("up1", "on_decline"),)
    plan = funnel_plan(practice=practice, funnel=funnel)
    assert [s.key for s in plan.steps] == ["up1"]
    assert plan.step("up1").on_decline is None


def test_removing_the_start_sends_buyers_straight_to_the_thank_you_page(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    changed = funnel_step_remove(funnel=funnel, expected_version=3, step=up)
    assert changed == (Reconnected("start", "start"),)
    assert funnel_plan(practice=practice, funnel=funnel).start is None


def test_reconnect_set_start_and_reorder(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_edges(funnel=funnel, expected_version=3, step=down, on_accept=None, on_decline=down.on_decline)
    funnel_start_set(funnel=funnel, expected_version=4, step=down)
    funnel_steps_reorder(funnel=funnel, expected_version=5, stage="post_purchase", keys=["down1", "up1"])
    plan = funnel_plan(practice=practice, funnel=funnel)
    assert plan.start == "down1"
    assert [s.key for s in plan.steps] == ["down1", "up1"]


def test_reorder_must_name_every_step_once(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    with pytest.raises(FunnelEditError, match="exactly once"):
        funnel_steps_reorder(funnel=funnel, expected_version=3, stage="post_purchase", keys=["up1", "up1"])
    assert Funnel.objects.get(pk=funnel.pk).version == 3  # the refused edit left nothing behind


def test_edges_cannot_leave_the_funnel_or_lead_to_the_checkout(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    other, other_up, _ = make_primer_funnel(practice, primer_catalog)
    bump = funnel_step_add(funnel=funnel, expected_version=3, offer=primer_catalog["cards"], slot="bump")
    with pytest.raises(FunnelEditError, match="another funnel"):
        funnel_step_set_edges(funnel=funnel, expected_version=4, step=up, on_accept=other_up, on_decline=up.on_decline)
    with pytest.raises(FunnelEditError, match="only to a one-click step"):
        funnel_step_set_edges(funnel=funnel, expected_version=4, step=up, on_accept=bump, on_decline=up.on_decline)
    with pytest.raises(FunnelEditError, match="cannot stand"):
        funnel_step_add(
            funnel=funnel, expected_version=4, offer=primer_catalog["cards"], slot="bump", stage="thank_you"
        )


def test_offers_of_another_practice_are_refused(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    stranger = make_offer(make_practice(), key="stranger", kind="upsell", price="50")
    with pytest.raises(FunnelEditError, match="another practice"):
        funnel_step_add(funnel=funnel, expected_version=3, offer=stranger, slot="one_click")
    assert not FunnelStep.objects.filter(offer=stranger).exists()


def test_take_rates_are_validated(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    for bad in ("1.5", "-0.1", "abc", "0.12345"):
        with pytest.raises(FunnelEditError, match="take rate"):
            funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate=bad)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate=None)
    assert funnel_plan(practice=practice, funnel=funnel).step("up1").take_rate is None


def test_usage_counts_and_rename_and_delete(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    counts = {offer.pk: offer.funnel_count for offer in offer_catalog(practice=practice)}
    assert counts[primer_catalog["course"].pk] == 1
    assert counts[primer_catalog["calls"].pk] == 1
    assert counts[primer_catalog["audio"].pk] == 0
    funnel_update(funnel=funnel, expected_version=3, name="Calm, renamed", status="live")
    assert Funnel.objects.get(pk=funnel.pk).name == "Calm, renamed"
    funnel_delete(funnel=funnel, expected_version=4)
    # deleting moves the funnel to the trash (tests/funnels/services/test_trash.py): kept, but listed nowhere
    assert Funnel.objects.get(pk=funnel.pk).deleted_at is not None
    assert not funnel_list(practice=practice).filter(pk=funnel.pk).exists()


@pytest.mark.parametrize("size", [5, 40])
def test_loading_a_plan_costs_the_same_queries_whatever_its_size(
    practice, primer_catalog, size, django_assert_num_queries
):
    funnel = funnel_create(practice=practice, name=f"Chain {size}", core_offer=primer_catalog["course"])
    previous = None
    for n in range(size):
        offer = make_offer(practice, key=f"up-{size}-{n}", kind="upsell", price=str(100 + n))
        previous = funnel_step_add(
            funnel=funnel,
            expected_version=funnel.version,
            offer=offer,
            slot="one_click",
            connect_from=previous,
            edge="on_accept",
        )
    with django_assert_num_queries(2):
        loaded = funnel_load(practice=practice, funnel=funnel)
    assert len(loaded.plan.steps) == size


def test_a_funnel_named_like_a_page_gets_an_address_of_its_own(practice, primer_catalog):
    # /funnels/new/ and /funnels/import/ are pages; a funnel called "New" must not hide behind them
    assert funnel_create(practice=practice, name="New", core_offer=primer_catalog["course"]).slug == "new-funnel"
    assert funnel_create(practice=practice, name="Import", core_offer=primer_catalog["course"]).slug == "import-funnel"
