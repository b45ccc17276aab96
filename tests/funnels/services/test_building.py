"""Building a funnel from where the coach is (funnels.services.building): place a catalog offer or one made on
the spot, in one transaction; and take a removal back, as far as the funnel still allows."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from accounts.models import AuditAction, AuditEvent, Practice
from funnels.domain.plan import Slot, Stage
from funnels.models import Funnel, FunnelStep
from funnels.selectors import funnel_plan
from funnels.services.building import (
    NewOffer,
    OfferRefused,
    RemovedStep,
    funnel_step_add_offer,
    funnel_step_reinstate,
    offer_key_for,
)
from funnels.services.editing import (
    FunnelEditError,
    StaleFunnel,
    funnel_create,
    funnel_start_set,
    funnel_step_add,
    funnel_step_remove,
    funnel_step_set_edges,
)
from offers.domain.kinds import OfferKind
from offers.models import Offer
from tests.factories import make_offer, make_practice, make_primer_funnel

pytestmark = pytest.mark.django_db


def version_of(funnel: Funnel) -> int:
    return Funnel.objects.get(pk=funnel.pk).version


def catalog_version(practice: Practice) -> int:
    return Practice.objects.get(pk=practice.pk).catalog_version


def step(funnel: Funnel, key: str, stage: str = "post_purchase") -> FunnelStep:
    return FunnelStep.objects.select_related("on_accept", "on_decline").get(funnel=funnel, stage=stage, key=key)


@pytest.fixture
def calm(practice, primer_catalog) -> Funnel:
    """The course with the three-call upsell as the first step after payment (version 2)."""
    funnel = funnel_create(practice=practice, name="Calm", core_offer=primer_catalog["course"])
    funnel_step_add(
        funnel=funnel, expected_version=1, offer=primer_catalog["calls"], slot="one_click", key="up1", take_rate="0.2"
    )
    return funnel


def add_new(funnel: Funnel, version: int, new: NewOffer, **where) -> FunnelStep:
    where.setdefault("slot", Slot.ONE_CLICK)
    where.setdefault("stage", Stage.POST_PURCHASE)
    return funnel_step_add_offer(funnel=funnel, expected_version=version, new_offer=new, **where)


# -- the key a new offer gets -------------------------------------------------------------------------------------


def test_a_new_offers_key_is_made_from_its_name_and_numbered_when_taken(practice, primer_catalog):
    assert offer_key_for(practice=practice, name="One-to-one: Calm & Clear!") == "one-to-one-calm-clear"
    assert offer_key_for(practice=practice, name="Three calls") == "three-calls-2"  # the catalog has three-calls
    make_offer(practice, key="three-calls-2")
    assert offer_key_for(practice=practice, name="Three calls") == "three-calls-3"
    assert offer_key_for(practice=practice, name="…!") == "offer"  # nothing to make a key from
    long = offer_key_for(practice=practice, name="calm " * 40)
    assert len(long) <= 60 and not long.endswith("-")  # room left for "-2"


def test_a_key_taken_in_another_practice_is_free_in_this_one(practice, primer_catalog):
    assert offer_key_for(practice=make_practice(), name="Three calls") == "three-calls"
    assert offer_key_for(practice=make_practice(), name="x", wanted="three-calls") == "three-calls"


def test_a_key_typed_by_the_coach_is_taken_as_typed_if_free_and_well_formed(practice, primer_catalog):
    assert offer_key_for(practice=practice, name="Three calls", wanted="calls-spring") == "calls-spring"
    with pytest.raises(OfferRefused) as taken:
        offer_key_for(practice=practice, name="Three calls", wanted="three-calls")
    assert taken.value.fields == {"key": ['The catalog already has an offer with the key "three-calls".']}
    for bad in ("Three Calls", "calls_spring", "x" * 65):
        with pytest.raises(OfferRefused) as malformed:
            offer_key_for(practice=practice, name="Three calls", wanted=bad)
        assert list(malformed.value.fields) == ["key"]


# -- placing a catalog offer, or a new one -------------------------------------------------------------------------


def test_a_catalog_offer_is_placed_on_an_answer_in_one_version(practice, primer_catalog, calm):
    offers_before = Offer.objects.filter(practice=practice).count()
    up1 = step(calm, "up1")
    down = funnel_step_add_offer(
        funnel=calm,
        expected_version=2,
        slot=Slot.ONE_CLICK,
        stage=Stage.POST_PURCHASE,
        offer=primer_catalog["call"],
        take_rate=Decimal("0.15"),
        after=up1,
        edge="on_decline",
    )
    assert (down.key, down.offer, down.take_rate) == ("one-call", primer_catalog["call"], Decimal("0.15"))
    assert step(calm, "up1").on_decline_id == down.pk
    assert version_of(calm) == 3
    assert Offer.objects.filter(practice=practice).count() == offers_before
    assert funnel_plan(practice=practice, funnel=calm).start == "up1"


def test_a_new_offer_is_saved_to_the_catalog_and_placed_where_the_coach_is(practice, primer_catalog, calm):
    before = catalog_version(practice)
    new = NewOffer(name="Three calls", kind=OfferKind.UPSELL, price=Decimal("250"), topics=("anxiety", "coaching"))
    added = add_new(calm, 2, new, after=step(calm, "up1"), edge="on_accept")
    offer = added.offer
    assert (offer.key, offer.name, offer.kind, offer.price, offer.currency) == (
        "three-calls-2",  # made from the name, and unique in the practice
        "Three calls",
        "upsell",
        Decimal("250"),
        "USD",
    )
    assert offer.topics == ["anxiety", "coaching"]
    assert (added.key, added.stage, added.slot, added.take_rate) == (
        "three-calls-2",
        "post_purchase",
        "one_click",
        None,
    )
    assert step(calm, "up1").on_accept_id == added.pk
    assert version_of(calm) == 3  # the offer and its place: one edit
    assert catalog_version(practice) == before + 1
    assert AuditEvent.objects.filter(practice=practice, action=AuditAction.OFFER_CREATED, target=offer.key).exists()


def test_a_new_offer_at_the_checkout_gets_the_key_the_coach_typed(practice, primer_catalog, calm):
    new = NewOffer(name="Calm journal", kind=OfferKind.ORDER_BUMP, price=Decimal("9"), key="journal-2026")
    bump = add_new(calm, 2, new, slot=Slot.BUMP, stage=Stage.CHECKOUT, take_rate=Decimal("0.3"))
    assert (bump.offer.key, bump.key, bump.stage, bump.slot, bump.take_rate) == (
        "journal-2026",
        "journal-2026",
        "checkout",
        "bump",
        Decimal("0.3"),
    )


def test_an_offer_is_either_from_the_catalog_or_new_never_both_nor_neither(primer_catalog, calm):
    new = NewOffer(name="Cards", kind=OfferKind.ORDER_BUMP, price=Decimal("19"))
    for offer, new_offer in ((primer_catalog["cards"], new), (None, None)):
        with pytest.raises(FunnelEditError, match="not both"):
            funnel_step_add_offer(
                funnel=calm,
                expected_version=2,
                slot=Slot.BUMP,
                stage=Stage.CHECKOUT,
                offer=offer,
                new_offer=new_offer,
            )
    assert version_of(calm) == 2


# -- a refusal writes nothing ------------------------------------------------------------------------------------


def assert_nothing_written(practice: Practice, funnel: Funnel, *, offers: int, steps: int, catalog: int) -> None:
    assert Offer.objects.filter(practice=practice).count() == offers
    assert FunnelStep.objects.filter(funnel=funnel).count() == steps
    assert version_of(funnel) == 2
    assert catalog_version(practice) == catalog
    assert not AuditEvent.objects.filter(practice=practice, action=AuditAction.OFFER_CREATED, target="cards").exists()


@pytest.mark.parametrize(
    ("new", "field"),
    [
        (NewOffer(name="  ", kind=OfferKind.ORDER_BUMP, price=Decimal("19")), "name"),
        (NewOffer(name="Cards", kind=OfferKind.ORDER_BUMP, price=Decimal("19"), key="three-calls"), "key"),
        (NewOffer(name="Cards", kind=OfferKind.ORDER_BUMP, price=Decimal("19"), key="Cards!"), "key"),
        (NewOffer(name="Cards", kind=OfferKind.ORDER_BUMP, price=Decimal("2000000")), "price"),
        (NewOffer(name="C" * 201, kind=OfferKind.ORDER_BUMP, price=Decimal("19")), "name"),
    ],
)
def test_a_refused_new_offer_says_which_field_and_leaves_no_catalog_row_and_no_version(
    practice, primer_catalog, calm, new, field
):
    counts = {
        "offers": Offer.objects.filter(practice=practice).count(),
        "steps": FunnelStep.objects.filter(funnel=calm).count(),
        "catalog": catalog_version(practice),
    }
    with pytest.raises(OfferRefused) as refused:
        add_new(calm, 2, new, slot=Slot.BUMP, stage=Stage.CHECKOUT)
    assert list(refused.value.fields) == [field]
    assert all(isinstance(m, str) and m for m in refused.value.fields[field])
    assert str(refused.value).startswith(f"{field}: ")  # what the editor says beside the form
    assert_nothing_written(practice, calm, **counts)


def test_a_new_offer_whose_place_is_refused_is_taken_back_out_of_the_catalog(practice, primer_catalog, calm):
    counts = {
        "offers": Offer.objects.filter(practice=practice).count(),
        "steps": 1,
        "catalog": catalog_version(practice),
    }
    new = NewOffer(name="Cards", kind=OfferKind.ORDER_BUMP, price=Decimal("19"))
    with pytest.raises(FunnelEditError, match="cannot stand"):  # a bump after payment
        add_new(calm, 2, new, slot=Slot.BUMP, stage=Stage.POST_PURCHASE)
    assert_nothing_written(practice, calm, **counts)
    other, _, _ = make_primer_funnel(practice, primer_catalog)
    with pytest.raises(FunnelEditError, match="belongs to another funnel"):  # an answer of another funnel's step
        add_new(calm, 2, new, after=step(other, "up1"))
    assert_nothing_written(practice, calm, **counts)


def test_a_stale_add_raises_stale_funnel_and_writes_nothing(practice, primer_catalog, calm):
    counts = {
        "offers": Offer.objects.filter(practice=practice).count(),
        "steps": 1,
        "catalog": catalog_version(practice),
    }
    with pytest.raises(StaleFunnel):
        add_new(calm, 1, NewOffer(name="Cards", kind=OfferKind.ORDER_BUMP, price=Decimal("19")))
    assert_nothing_written(practice, calm, **counts)
    with pytest.raises(StaleFunnel):
        funnel_step_add_offer(
            funnel=calm, expected_version=1, slot=Slot.BUMP, stage=Stage.CHECKOUT, offer=primer_catalog["cards"]
        )
    assert_nothing_written(practice, calm, **counts)


# -- taking a removal back -----------------------------------------------------------------------------------------


def removed(funnel: Funnel, key: str, stage: str = "post_purchase") -> RemovedStep:
    """Remove the step as the editor does, and keep what its "Undo" carries (through JSON, as the token does)."""
    gone = step(funnel, key, stage)
    changed = funnel_step_remove(funnel=funnel, expected_version=version_of(funnel), step=gone)
    kept = RemovedStep.of(gone, changed)
    assert RemovedStep.from_data(json.loads(json.dumps(kept.as_data()))) == kept
    return kept


@pytest.fixture
def primer(practice, primer_catalog) -> Funnel:
    """up1 (start, 20%) → no → down1 (15%) → yes → audio (a cross-sell); version 4."""
    funnel, _, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_add(
        funnel=funnel,
        expected_version=3,
        offer=primer_catalog["audio"],
        slot="one_click",
        key="audio",
        connect_from=down,
        edge="on_accept",
    )
    return funnel


def test_a_reinstated_step_comes_back_with_its_key_offer_rate_answers_and_the_answer_that_led_to_it(
    practice, primer_catalog, primer
):
    undo = removed(primer, "down1")
    assert undo.reconnected == (("up1", "on_decline"),)
    assert step(primer, "up1").on_decline is None
    back = funnel_step_reinstate(funnel=primer, expected_version=5, removed=undo)
    back = step(primer, back.key)
    assert (back.key, back.offer_id, back.take_rate, back.slot) == (
        "down1",
        primer_catalog["call"].pk,
        Decimal("0.15"),
        "one_click",
    )
    assert (back.on_accept.key, back.on_decline) == ("audio", None)
    assert step(primer, "up1").on_decline_id == back.pk
    assert version_of(primer) == 6
    plan = funnel_plan(practice=practice, funnel=primer)
    assert (plan.start, plan.step("up1").on_decline, plan.step("down1").on_accept) == ("up1", "down1", "audio")


def test_the_start_comes_back_unless_another_step_was_made_the_start_since(practice, primer):
    undo = removed(primer, "up1")
    assert undo.reconnected == (("start", "start"),)
    funnel_step_reinstate(funnel=primer, expected_version=5, removed=undo)
    assert funnel_plan(practice=practice, funnel=primer).start == "up1"
    assert step(primer, "up1").on_decline.key == "down1"  # and its own answers

    undo = removed(primer, "up1")
    primer.refresh_from_db()
    funnel_start_set(funnel=primer, expected_version=7, step=step(primer, "audio"))
    funnel_step_reinstate(funnel=primer, expected_version=8, removed=undo)
    assert funnel_plan(practice=practice, funnel=primer).start == "audio"  # the coach's later choice stands


def test_an_answer_re_pointed_since_the_removal_is_left_as_the_coach_made_it(practice, primer):
    undo = removed(primer, "down1")
    funnel_step_set_edges(
        funnel=primer, expected_version=5, step=step(primer, "up1"), on_accept=None, on_decline=step(primer, "audio")
    )
    back = funnel_step_reinstate(funnel=primer, expected_version=6, removed=undo)
    assert step(primer, "up1").on_decline.key == "audio"
    assert step(primer, back.key).on_accept.key == "audio"  # its own answers still come back


def test_an_answer_to_a_step_removed_since_leads_to_the_thank_you_page(practice, primer):
    undo = removed(primer, "down1")
    removed(primer, "audio")
    back = funnel_step_reinstate(funnel=primer, expected_version=6, removed=undo)
    assert (step(primer, back.key).on_accept, step(primer, "up1").on_decline_id) == (None, back.pk)


def test_a_bump_comes_back_in_its_place_among_the_others(practice, primer_catalog, calm):
    for key in ("a", "b", "c"):
        funnel_step_add(
            funnel=calm, expected_version=version_of(calm), offer=primer_catalog["cards"], slot="bump", key=key
        )
    undo = removed(calm, "b", "checkout")
    assert undo.reconnected == ()
    funnel_step_reinstate(funnel=calm, expected_version=version_of(calm), removed=undo)
    assert [p.key for p in funnel_plan(practice=practice, funnel=calm).bumps] == ["a", "b", "c"]


def test_a_step_that_is_back_already_is_refused_and_nothing_is_written(practice, primer):
    undo = removed(primer, "down1")
    funnel_step_reinstate(funnel=primer, expected_version=5, removed=undo)
    with pytest.raises(FunnelEditError, match="back already"):
        funnel_step_reinstate(funnel=primer, expected_version=6, removed=undo)
    assert version_of(primer) == 6
    assert FunnelStep.objects.filter(funnel=primer, key="down1").count() == 1


def test_a_step_whose_offer_was_deleted_or_is_another_practices_is_refused(practice, primer_catalog, primer):
    undo = removed(primer, "audio")
    Offer.objects.filter(pk=primer_catalog["audio"].pk).delete()  # no step uses it any more
    with pytest.raises(FunnelEditError, match="no longer in the catalog"):
        funnel_step_reinstate(funnel=primer, expected_version=5, removed=undo)
    foreign = make_offer(make_practice(), kind="cross_sell")
    with pytest.raises(FunnelEditError, match="no longer in the catalog"):
        funnel_step_reinstate(
            funnel=primer, expected_version=5, removed=RemovedStep.from_data({**undo.as_data(), "offer_id": foreign.pk})
        )
    assert version_of(primer) == 5
    assert step(primer, "down1").on_accept is None


def test_a_stale_reinstate_raises_stale_funnel_and_writes_nothing(practice, primer):
    undo = removed(primer, "down1")
    with pytest.raises(StaleFunnel):
        funnel_step_reinstate(funnel=primer, expected_version=4, removed=undo)
    assert version_of(primer) == 5
    assert not FunnelStep.objects.filter(funnel=primer, key="down1").exists()
    assert step(primer, "up1").on_decline is None
