"""Starting a funnel on a new core offer: both written in one transaction, or neither."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funnels.models import Funnel
from funnels.services.creation import funnel_start
from funnels.services.editing import FunnelEditError
from offers.models import Offer
from offers.services import offer_key_from_name
from tests.factories import make_offer

pytestmark = pytest.mark.django_db


def test_the_key_comes_from_the_name_and_is_numbered_when_taken(practice):
    assert (
        offer_key_from_name(practice=practice, name="Calm Your Nervous System!", fallback="core-offer")
        == "calm-your-nervous-system"
    )
    make_offer(practice, key="calm", kind="core")
    make_offer(practice, key="calm-2", kind="core")
    assert offer_key_from_name(practice=practice, name="Calm", fallback="core-offer") == "calm-3"
    assert offer_key_from_name(practice=practice, name="???", fallback="core-offer") == "core-offer"


def test_a_refused_offer_leaves_no_funnel_and_a_refused_funnel_no_offer(practice, monkeypatch):
    with pytest.raises(ValidationError):
        funnel_start(practice=practice, offer_name="x" * 300, offer_price=Decimal("97"))
    assert (Offer.objects.count(), Funnel.objects.count()) == (0, 0)

    def refuse(**_: object) -> Funnel:
        raise FunnelEditError("a funnel needs a name")

    monkeypatch.setattr("funnels.services.creation.funnel_create", refuse)
    with pytest.raises(FunnelEditError):
        funnel_start(practice=practice, offer_name="Calm", offer_price=Decimal("97"))
    assert Offer.objects.count() == 0


def test_without_an_offer_or_a_new_ones_name_and_price_nothing_starts(practice):
    with pytest.raises(FunnelEditError):
        funnel_start(practice=practice, offer_name="Calm")
    assert Offer.objects.count() == 0
