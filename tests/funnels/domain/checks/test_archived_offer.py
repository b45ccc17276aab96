"""The archived-offer warning: a funnel that still shows an offer the catalog took off sale says so, by name."""

from __future__ import annotations

from dataclasses import replace

from funnels.domain.checks.findings import CODES, WORDING, Severity
from funnels.domain.metrics import compute_metrics
from funnels.domain.plan import Stage
from offers.domain.kinds import OfferKind
from tests.funnels.domain.plans import bump, core, found, funnel, offer, only, step, thank_you

CALLS = offer("three-calls", name="Three 1-on-1 coaching calls")


def test_an_archived_upsell_after_payment_is_a_warning_naming_it() -> None:
    # given the $97 course, then the three calls, which the catalog archived
    plan = funnel(replace(CALLS, archived=True), start="up1", steps=(step("up1", "three-calls", rate="0.2"),))
    # when
    [finding] = only(plan, "archived-offer")
    # then
    assert finding.severity is Severity.WARNING
    assert (finding.stage, finding.step) == (Stage.POST_PURCHASE, "up1")
    assert finding.message == (
        '"Three 1-on-1 coaching calls" is archived in the catalog, taken off sale, yet this funnel still shows it '
        "after payment."
    )
    assert finding.hint == 'Put "Three 1-on-1 coaching calls" back on sale in the catalog or replace it in this funnel.'
    assert "three-calls" not in finding.message  # names for people, never keys


def test_an_archived_core_offer_and_archived_bumps_and_cross_sells_each_warn() -> None:
    cards = offer("cards", OfferKind.ORDER_BUMP, "19", name="Breathing cards", archived=True)
    audio = offer("audio", OfferKind.CROSS_SELL, "29", name="Sleep audio", archived=True)
    plan = funnel(
        cards,
        audio,
        core_offer=core(archived=True),
        bumps=(bump("cards"),),
        thank_you_cross_sells=(thank_you("audio"),),
    )
    assert {(f.step, f.stage) for f in only(plan, "archived-offer")} == {
        ("calm", Stage.CHECKOUT),
        ("cards", Stage.CHECKOUT),
        ("audio", Stage.THANK_YOU),
    }
    [on_core] = [f for f in only(plan, "archived-offer") if f.step == "calm"]
    assert "as the core offer at the checkout" in on_core.message


def test_offers_on_sale_bring_no_such_warning_and_an_archived_one_changes_no_figure() -> None:
    on_sale = funnel(CALLS, start="up1", steps=(step("up1", "three-calls", rate="0.2"),))
    archived = funnel(
        offer("three-calls", name="Three 1-on-1 coaching calls", archived=True),
        start="up1",
        steps=(step("up1", "three-calls", rate="0.2"),),
    )
    assert ("archived-offer", "up1") not in found(on_sale)
    assert found(archived) - found(on_sale) == {("archived-offer", "up1")}
    assert compute_metrics(archived).aov == compute_metrics(on_sale).aov == 157


def test_archived_offer_is_a_catalogued_warning() -> None:
    assert CODES["archived-offer"] is Severity.WARNING
    assert WORDING["archived-offer"][0] == "archived-offer"
