"""Fixtures of the funnel views' tests: the primer's offers and the "Calm" funnel the editor tests edit.
A test module that defines a fixture of the same name keeps its own."""

from __future__ import annotations

import pytest

from accounts.models import Role
from funnels.models import FunnelStep
from funnels.services.editing import funnel_create, funnel_step_add
from tests.factories import make_offer, make_primer_catalog
from tests.factories import signed_in_client as member


@pytest.fixture
def primer(practice):
    """The primer's offers, by their primer names, with a dearer core course and a $3,000 mastermind."""
    offers = make_primer_catalog(
        practice, call={"name": "One call"}, cards={"name": "Breath cards"}, audio={"name": "Sleep audio"}
    )
    offers["deep"] = make_offer(
        practice, key="calm-deep", kind="core", price="197", topics=["anxiety"], name="Calm, the deep course"
    )
    offers["mastermind"] = make_offer(
        practice, key="mastermind", kind="upsell", price="3000", topics=["anxiety"], name="Mastermind"
    )
    return offers


@pytest.fixture
def calm(practice, primer):
    """Course $97 → three calls at 20% (version 2)."""
    funnel = funnel_create(practice=practice, name="Calm", slug="calm", core_offer=primer["course"])
    funnel_step_add(
        funnel=funnel, expected_version=1, offer=primer["calls"], slot="one_click", key="up1", take_rate="0.2"
    )
    return funnel


@pytest.fixture
def calm_with_downsell(calm, primer):
    """… and the one-call downsell at 15% on the upsell's decline edge (version 3)."""
    up1 = FunnelStep.objects.get(funnel=calm, key="up1")
    funnel_step_add(
        funnel=calm,
        expected_version=2,
        offer=primer["call"],
        slot="one_click",
        key="down1",
        take_rate="0.15",
        connect_from=up1,
        edge="on_decline",
    )
    return calm


@pytest.fixture
def coach(practice):
    return member(practice, Role.COACH)
