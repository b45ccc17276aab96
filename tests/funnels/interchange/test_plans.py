"""The funnel interchange format v1 (DESIGN §4): a document becomes the plan the engine reads, and back."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step, Thresholds
from funnels.interchange.plans import document_from_plan, plan_from_document
from funnels.interchange.problems import FunnelFileError
from funnels.interchange.reading import read_funnel_document
from offers.domain.kinds import OfferKind
from tests.funnels.interchange.documents import (
    example,
    text_of,
)

# -- plans -------------------------------------------------------------------------------------------------


def test_a_document_becomes_the_plan_the_engine_reads() -> None:
    # given the example file
    doc = read_funnel_document(text_of(example()))

    # when turned into a plan for a practice
    plan = plan_from_document(doc, practice="calm-practice", thresholds=Thresholds(price_jump_ratio=Decimal("4")))

    # then offers carry the file's currency and the practice; placements are keyed by their offer
    assert plan.offers[0] == OfferSpec(
        key="calm-course",
        name="Calm Your Nervous System",
        kind=OfferKind.CORE,
        price=Decimal("97.00"),
        currency="USD",
        topics=frozenset({"anxiety", "nervous-system"}),
        format="course",
        headline="…",
        body="…",
        accept_label="…",
        decline_label="…",
        practice="calm-practice",
    )
    assert plan.core == "calm-course"
    assert plan.bumps == (
        Placement(
            key="breath-guide",
            offer="breath-guide",
            slot=Slot.BUMP,
            stage=Stage.CHECKOUT,
            take_rate=Decimal("0.3"),
        ),
    )
    assert plan.checkout_cross_sells == ()
    assert plan.thank_you_cross_sells == (
        Placement(
            key="journal",
            offer="journal",
            slot=Slot.CROSS_SELL,
            stage=Stage.THANK_YOU,
            take_rate=Decimal("0.05"),
        ),
    )
    assert plan.start == "up1"
    assert plan.steps == (
        Step(key="up1", offer="three-calls", take_rate=Decimal("0.2"), on_accept=None, on_decline="down1"),
        Step(key="down1", offer="one-call", take_rate=Decimal("0.15"), on_accept=None, on_decline=None),
    )
    assert (plan.practice, plan.thresholds.price_jump_ratio) == ("calm-practice", Decimal("4"))


def test_a_plan_becomes_its_document_again() -> None:
    doc = read_funnel_document(text_of(example()))
    assert document_from_plan(plan_from_document(doc, practice="p")) == doc


def test_a_plan_with_an_offer_in_another_currency_cannot_be_written() -> None:
    # given a plan (from the database, say) with a euro offer in a dollar funnel
    plan = FunnelPlan(
        name="Calm",
        currency="USD",
        core="calm",
        offers=(
            OfferSpec(key="calm", name="Calm", kind=OfferKind.CORE, price=Decimal("97"), currency="USD"),
            OfferSpec(key="calls", name="Calls", kind=OfferKind.UPSELL, price=Decimal("300"), currency="EUR"),
        ),
    )

    # when written, then the problem is reported as for a file
    with pytest.raises(FunnelFileError) as caught:
        document_from_plan(plan)
    assert [str(p) for p in caught.value.problems] == ["offers[1]: is priced in EUR, but the funnel is in USD"]
