"""Undo and redo as versioned edits, worked out from the history: one's own consecutive edits, redo until a new
edit, and a stale undo (another tab) refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from accounts.audit import Actor
from funnels.models import Funnel, FunnelStep, FunnelVersion, VersionKind
from funnels.selectors import funnel_plan
from funnels.services.editing import StaleFunnel, funnel_step_remove, funnel_step_set_take_rate
from funnels.services.undo import NothingToUndo, funnel_redo, funnel_undo, undo_choices
from tests.factories import make_primer_funnel

pytestmark = pytest.mark.django_db


@pytest.fixture
def maya(db):  # type: ignore[no-untyped-def]
    return Actor(user=get_user_model().objects.create_user(username="maya"))


@pytest.fixture
def sam(db):  # type: ignore[no-untyped-def]
    return Actor(user=get_user_model().objects.create_user(username="sam"))


def rate(practice, funnel, key="up1"):  # type: ignore[no-untyped-def]
    return funnel_plan(practice=practice, funnel=funnel).step(key).take_rate


def test_undo_takes_back_the_last_edit_and_redo_brings_it_back(practice, primer_catalog, maya):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.3", actor=maya)
    funnel_step_remove(funnel=funnel, expected_version=4, step=down, actor=maya)
    undone = funnel_undo(funnel=funnel, expected_version=5, actor=maya)
    assert (undone.number, undone.kind, undone.state_of, undone.undid) == (6, VersionKind.UNDO, 4, 5)
    assert (
        undone.summary
        == "undid: removed One coaching call after payment; 1 answer that led to it now go to the thank-you page"
    )
    assert [s.key for s in funnel_plan(practice=practice, funnel=funnel).steps] == ["up1", "down1"]
    funnel_undo(funnel=funnel, expected_version=6, actor=maya)
    assert rate(practice, funnel) == Decimal("0.2")
    funnel_redo(funnel=funnel, expected_version=7, actor=maya)
    assert rate(practice, funnel) == Decimal("0.3")
    redone = funnel_redo(funnel=funnel, expected_version=8, actor=maya)
    assert redone.summary.startswith("redid: removed One coaching call")
    assert [s.key for s in funnel_plan(practice=practice, funnel=funnel).steps] == ["up1"]
    assert undo_choices(practice=practice, funnel=funnel, user=maya.user).redo is None
    assert FunnelVersion.objects.filter(funnel=funnel).count() == 9


def test_a_new_edit_ends_redo_and_undo_skips_what_was_undone(practice, primer_catalog, maya):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.3", actor=maya)  # v4
    funnel_undo(funnel=funnel, expected_version=4, actor=maya)  # v5 = v3
    down = FunnelStep.objects.get(funnel=funnel, key="down1")  # an undo rebuilds the steps: new rows
    funnel_step_set_take_rate(funnel=funnel, expected_version=5, step=down, take_rate="0.2", actor=maya)  # v6
    choices = undo_choices(practice=practice, funnel=Funnel.objects.get(pk=funnel.pk), user=maya.user)
    assert choices.redo is None and choices.undo.target == 3  # before v6 the funnel was v5, which is v3's state
    with pytest.raises(NothingToUndo):
        funnel_redo(funnel=funnel, expected_version=6, actor=maya)
    assert Funnel.objects.get(pk=funnel.pk).version == 6  # the refused redo claimed nothing


def test_undo_never_takes_back_someone_elses_edit(practice, primer_catalog, maya, sam):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.3", actor=maya)
    funnel_step_set_take_rate(funnel=funnel, expected_version=4, step=down, take_rate="0.2", actor=sam)
    assert undo_choices(practice=practice, funnel=funnel, user=maya.user).undo is None
    with pytest.raises(NothingToUndo):
        funnel_undo(funnel=funnel, expected_version=5, actor=maya)
    assert undo_choices(practice=practice, funnel=funnel, user=sam.user).undo.summary.startswith("take rate of One")


def test_undo_stops_at_the_first_version(practice, primer_catalog, maya):
    from funnels.services.editing import funnel_create

    funnel = funnel_create(practice=practice, name="Calm", core_offer=primer_catalog["course"], actor=maya)
    assert undo_choices(practice=practice, funnel=funnel, user=maya.user).undo is None


def test_two_tabs_undoing_at_once_one_wins_the_other_gets_409(practice, primer_catalog, maya):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.3", actor=maya)
    funnel_step_set_take_rate(funnel=funnel, expected_version=4, step=down, take_rate="0.2", actor=maya)
    tab_a, tab_b = Funnel.objects.get(pk=funnel.pk), Funnel.objects.get(pk=funnel.pk)
    funnel_undo(funnel=tab_a, expected_version=5, actor=maya)
    with pytest.raises(StaleFunnel):
        funnel_undo(funnel=tab_b, expected_version=5, actor=maya)  # it saw version 5, the funnel is at 6
    assert rate(practice, funnel, "down1") == Decimal("0.15") and rate(practice, funnel) == Decimal("0.3")
    assert Funnel.objects.get(pk=funnel.pk).version == 6
