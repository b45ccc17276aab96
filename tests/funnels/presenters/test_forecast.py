"""What the forecast page shows (funnels.presenters.forecast), without a database or HTTP: the number of buyers
as typed, the sensitivities in words, the scenarios, the projection and the comparison."""

from __future__ import annotations

from decimal import Decimal

from funnels.domain.metrics import compute_metrics
from funnels.domain.plan import FunnelPlan, OfferSpec, Step
from funnels.presenters.forecast import BUYERS_ERROR, read_buyers, sensitivity_sentence
from offers.domain.kinds import OfferKind


def test_reading_the_number_of_buyers():
    assert read_buyers(None).value == 100
    assert read_buyers(" 1 000 ").value == 1000
    assert read_buyers("10,000,000").value == 10_000_000
    assert read_buyers("1").value == 1
    for bad in ("0", "10000001", "١٢", "1.0", "+5", "x" * 500):
        read = read_buyers(bad)
        assert read.value is None and read.error == BUYERS_ERROR
        assert len(read.entered) <= 40


def test_a_step_whose_no_leads_to_more_takes_money_off_per_point():
    """When declining leads on to a dearer offer, a higher take rate lowers the AOV: the page says so."""
    plan = FunnelPlan(
        name="Odd",
        currency="USD",
        offers=(
            OfferSpec(key="core", name="Course", kind=OfferKind.CORE, price=Decimal("100"), currency="USD"),
            OfferSpec(key="small", name="Workbook", kind=OfferKind.UPSELL, price=Decimal("50"), currency="USD"),
            OfferSpec(key="big", name="Retreat", kind=OfferKind.DOWNSELL, price=Decimal("200"), currency="USD"),
        ),
        core="core",
        start="up1",
        steps=(
            Step(key="up1", offer="small", take_rate=Decimal("0.5"), on_decline="down1"),
            Step(key="down1", offer="big", take_rate=Decimal("1")),
        ),
    )
    metrics = compute_metrics(plan)
    up1, down1 = metrics.step("up1"), metrics.step("down1")
    assert sensitivity_sentence(plan, up1) == (
        "One more point of take rate on the $50.00 Workbook takes $1.50 off AOV: a no leads on to more than a "
        "yes brings."
    )
    assert sensitivity_sentence(plan, down1) == (
        "One more point of take rate on the $200.00 Retreat adds $1.00 to AOV (its take rate is already 100%, "
        "so only a lower one is possible)."
    )
