"""The database itself refuses impossible states, even when the application is bypassed.

Each case writes straight through ``bulk_create`` or ``QuerySet.update`` (no validation, no services) and
expects the database to raise ``IntegrityError``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from accounts.models import Membership, Practice
from funnels.models import Funnel, FunnelStep
from offers.models import Offer
from tests.factories import make_offer, make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    practice = make_practice()
    core = make_offer(practice, key="core", kind="core", price="97")
    upsell = make_offer(practice, key="up", kind="upsell", price="300")
    funnel = Funnel.objects.create(practice=practice, name="F", slug="f", currency="USD", core_offer=core)
    step = FunnelStep.objects.create(funnel=funnel, key="up1", stage="post_purchase", slot="one_click", offer=upsell)
    bump = FunnelStep.objects.create(funnel=funnel, key="core-bump", stage="checkout", slot="bump", offer=upsell)
    return {"practice": practice, "core": core, "upsell": upsell, "funnel": funnel, "step": step, "bump": bump}


def offer_row(practice: Practice, **fields) -> Offer:
    values = {"key": "new-offer", "name": "New", "kind": "upsell", "price": Decimal("10"), "currency": "USD"}
    values.update(fields)
    return Offer(practice=practice, **values)


def step_row(w: dict, **fields) -> FunnelStep:
    values = {"key": "new-step", "stage": "post_purchase", "slot": "one_click", "offer": w["upsell"]}
    values.update(fields)
    return FunnelStep(funnel=w["funnel"], **values)


VIOLATIONS: dict[str, Callable[[dict], object]] = {
    "offer price below zero (bulk_create)": lambda w: Offer.objects.bulk_create(
        [offer_row(w["practice"], price=Decimal("-0.01"))]
    ),
    "offer price above 1,000,000 (bulk_create)": lambda w: Offer.objects.bulk_create(
        [offer_row(w["practice"], price=Decimal("1000000.01"))]
    ),
    "offer price above 1,000,000 (update)": lambda w: Offer.objects.filter(pk=w["upsell"].pk).update(
        price=Decimal("1000001")
    ),
    "offer price below zero (update)": lambda w: Offer.objects.filter(pk=w["upsell"].pk).update(price=Decimal("-5")),
    "unknown offer kind (bulk_create)": lambda w: Offer.objects.bulk_create(
        [offer_row(w["practice"], kind="mega_sell")]
    ),
    "unknown offer kind (update)": lambda w: Offer.objects.filter(pk=w["upsell"].pk).update(kind="mega_sell"),
    "duplicate offer key in a practice (bulk_create)": lambda w: Offer.objects.bulk_create(
        [offer_row(w["practice"], key="up")]
    ),
    "duplicate offer key in a practice (update)": lambda w: Offer.objects.filter(pk=w["upsell"].pk).update(key="core"),
    "offer key with capitals and spaces (update)": lambda w: Offer.objects.filter(pk=w["upsell"].pk).update(
        key="Big Upsell"
    ),
    "offer default take rate above 1 (update)": lambda w: Offer.objects.filter(pk=w["upsell"].pk).update(
        default_take_rate=Decimal("1.5")
    ),
    "offer default take rate below 0 (bulk_create)": lambda w: Offer.objects.bulk_create(
        [offer_row(w["practice"], default_take_rate=Decimal("-0.1"))]
    ),
    "offer currency not a code (update)": lambda w: Offer.objects.filter(pk=w["upsell"].pk).update(currency="usd"),
    "offer replacing itself (update)": lambda w: Offer.objects.filter(pk=w["upsell"].pk).update(
        replaces=w["upsell"].pk
    ),
    "unknown offer status (update)": lambda w: Offer.objects.filter(pk=w["upsell"].pk).update(status="deleted"),
    "step take rate above 1 (bulk_create)": lambda w: FunnelStep.objects.bulk_create(
        [step_row(w, take_rate=Decimal("1.0001"))]
    ),
    "step take rate above 1 (update)": lambda w: FunnelStep.objects.filter(pk=w["step"].pk).update(
        take_rate=Decimal("2")
    ),
    "step take rate below 0 (update)": lambda w: FunnelStep.objects.filter(pk=w["step"].pk).update(
        take_rate=Decimal("-0.2")
    ),
    "duplicate step key in a stage (bulk_create)": lambda w: FunnelStep.objects.bulk_create([step_row(w, key="up1")]),
    "duplicate step key in a stage (update)": lambda w: FunnelStep.objects.filter(pk=w["bump"].pk).update(
        stage="post_purchase", slot="one_click", key="up1"
    ),
    "step key with bad characters (update)": lambda w: FunnelStep.objects.filter(pk=w["step"].pk).update(key="Up 1!"),
    "a bump after payment (bulk_create)": lambda w: FunnelStep.objects.bulk_create([step_row(w, slot="bump")]),
    "a one-click step at the checkout (update)": lambda w: FunnelStep.objects.filter(pk=w["step"].pk).update(
        stage="checkout"
    ),
    "an unknown stage (update)": lambda w: FunnelStep.objects.filter(pk=w["step"].pk).update(stage="somewhere"),
    "edges on a checkout bump (update)": lambda w: FunnelStep.objects.filter(pk=w["bump"].pk).update(
        on_accept=w["step"].pk
    ),
    "duplicate funnel slug in a practice (bulk_create)": lambda w: Funnel.objects.bulk_create(
        [Funnel(practice=w["practice"], name="Other", slug="f", currency="USD", core_offer=w["core"])]
    ),
    "funnel version 0 (update)": lambda w: Funnel.objects.filter(pk=w["funnel"].pk).update(version=0),
    "funnel slug with bad characters (update)": lambda w: Funnel.objects.filter(pk=w["funnel"].pk).update(
        slug="Not OK"
    ),
    "unknown funnel status (update)": lambda w: Funnel.objects.filter(pk=w["funnel"].pk).update(status="gone"),
    "practice price-jump ratio of 1 or less (update)": lambda w: Practice.objects.filter(pk=w["practice"].pk).update(
        price_jump_ratio=Decimal("1")
    ),
    "practice bump share above 1 (update)": lambda w: Practice.objects.filter(pk=w["practice"].pk).update(
        bump_max_share=Decimal("1.5")
    ),
    "practice currency not a code (update)": lambda w: Practice.objects.filter(pk=w["practice"].pk).update(
        currency="us1"
    ),
    "unknown membership role (bulk_create)": lambda w: Membership.objects.bulk_create(
        [Membership(user=get_user_model().objects.create(username="x"), practice=w["practice"], role="emperor")]
    ),
}


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
def test_the_database_refuses(world, case):
    # given a valid practice, catalog and funnel; when an impossible state is written past the application
    with pytest.raises(IntegrityError), transaction.atomic():
        VIOLATIONS[case](world)
    # then nothing of it stays
    assert Offer.objects.filter(practice=world["practice"]).count() == 2
    assert FunnelStep.objects.filter(funnel=world["funnel"]).count() == 2


def test_the_same_writes_with_valid_values_are_accepted(world):
    # the close cases: the limits themselves are allowed
    Offer.objects.filter(pk=world["upsell"].pk).update(price=Decimal("1000000"), default_take_rate=Decimal("1"))
    Offer.objects.bulk_create([offer_row(world["practice"], key="free", price=Decimal("0"))])
    FunnelStep.objects.filter(pk=world["step"].pk).update(take_rate=Decimal("0"))
    other = make_practice()
    Offer.objects.bulk_create([offer_row(other, key="up")])  # the same key in another practice is fine
    assert Offer.objects.get(pk=world["upsell"].pk).price == Decimal("1000000")
    assert Offer.objects.filter(key="up").count() == 2
