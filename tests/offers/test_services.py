"""Changing offers through the services: updates are validated; an offer a funnel uses is archived, not deleted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from offers.models import Offer, OfferStatus
from offers.services import OfferInUse, offer_archive, offer_delete, offer_update
from tests.factories import make_primer_funnel

pytestmark = pytest.mark.django_db


def test_an_offer_in_use_cannot_be_deleted_but_can_be_archived(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    with pytest.raises(OfferInUse, match="archive it instead"):
        offer_delete(offer=primer_catalog["calls"])
    assert Offer.objects.filter(pk=primer_catalog["calls"].pk).exists()
    offer_archive(offer=primer_catalog["calls"])
    assert Offer.objects.get(pk=primer_catalog["calls"].pk).status == OfferStatus.ARCHIVED
    offer_delete(offer=primer_catalog["audio"])  # an unused offer goes
    assert not Offer.objects.filter(pk=primer_catalog["audio"].pk).exists()


def test_offer_updates_are_validated(practice, primer_catalog):
    with pytest.raises(ValidationError):
        offer_update(offer=primer_catalog["calls"], price="300.001")
    with pytest.raises(ValidationError):
        offer_update(offer=primer_catalog["calls"], price="-1")
    offer_update(offer=primer_catalog["calls"], price="299.99", topics=["Anxiety ", "sleep"])
    calls = Offer.objects.get(pk=primer_catalog["calls"].pk)
    assert calls.price == Decimal("299.99")
    assert calls.topics == ["anxiety", "sleep"]
