"""The editor's step edits over HTTP: add where you are (a catalog offer, or a new one made on the spot), take
rates, answers, remove and undo, order and start. Each answers with only the parts it changed, out of band."""

from __future__ import annotations

from decimal import Decimal
from html import escape

import pytest

from core.money import NOT_A_PERCENT, PERCENT_OUT_OF_RANGE, PERCENT_TOO_PRECISE
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import UncomputableFunnel, compute_metrics
from funnels.models import Funnel, FunnelStep
from funnels.selectors import funnel_plan
from offers.models import Offer
from tests.factories import make_offer
from tests.funnels.views.editor_support import (
    EDITOR,
    HTMX,
    aov,
    assert_edit_answer,
    keys_in_order,
    status_line,
    step,
    version_of,
)

pytestmark = pytest.mark.django_db


def add(coach, version: int, **data: str):
    return coach.post(f"{EDITOR}steps/add/", {"version": str(version), **data}, **HTMX)


# -- add where you are -------------------------------------------------------------------------------------


def test_adding_the_catalogs_downsell_on_the_decline_answer_shows_171_40(calm, coach):
    response = add(coach, 2, place="one_click", offer="one-call", take_rate="15", after="up1:on_decline")
    html = assert_edit_answer(response, parts=("post-purchase",), version=3)
    assert aov("$171.40") in html
    assert status_line("Added “One call” as the step after a no to “Three 1-on-1 coaching calls”.") in html
    added = step(calm, "one-call")
    assert (added.slot, added.take_rate) == ("one_click", Decimal("0.15"))
    assert step(calm, "up1").on_decline_id == added.pk
    assert Funnel.objects.get(pk=calm.pk).start_step.key == "up1"


def test_a_new_offer_made_in_the_editor_is_saved_to_the_catalog_and_wired_in_one_edit(practice, calm, coach):
    response = add(
        coach,
        2,
        place="one_click",
        after="up1:on_decline",
        new_name="One coaching call",
        new_kind="downsell",
        new_price="120",
        new_topics="anxiety, coaching",
    )
    html = assert_edit_answer(response, parts=("post-purchase",), version=3)
    offer = Offer.objects.get(practice=practice, name="One coaching call")
    assert (offer.key, offer.kind, offer.price, offer.currency) == (
        "one-coaching-call",
        "downsell",
        Decimal("120"),
        "USD",
    )
    assert offer.topics == ["anxiety", "coaching"]
    assert step(calm, "up1").on_decline.offer == offer
    assert status_line("Added “One coaching call” (new in the catalog) as the step after a no to") in html
    assert aov("$171.40") in html  # the downsell's default take rate, 15%, is the primer's


def test_a_new_offers_key_is_made_unique_in_the_practice_or_taken_as_typed(practice, calm, coach):
    make_offer(practice, key="one-coaching-call", kind="cross_sell", price="10", topics=["anxiety"])
    add(coach, 2, place="thank_you_cross_sell", new_name="One coaching call", new_kind="cross_sell", new_price="50")
    assert Offer.objects.filter(practice=practice, key="one-coaching-call-2").exists()
    response = add(
        coach, 3, place="bump", new_name="Cards", new_kind="order_bump", new_price="19", new_key="one-coaching-call"
    )
    assert response.status_code == 422
    assert "The catalog already has an offer with the key &quot;one-coaching-call&quot;." in response.content.decode()
    assert version_of(calm) == 3


def test_every_problem_of_a_new_offer_is_reported_at_once_and_nothing_is_written(practice, calm, coach):
    before = Offer.objects.filter(practice=practice).count()
    response = add(
        coach,
        2,
        place="one_click",
        after="up1:on_accept",
        new_name="",
        new_kind="downsell",
        new_price="abc",
        take_rate="200",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="add-one_click-up1-accept" class="add-body" hx-swap-oob="true"' in html
    assert "Give the new offer a name, or choose one from the catalog." in html
    assert "Type the price as a number, such as 300." in html
    assert escape(PERCENT_OUT_OF_RANGE) in html
    assert "Here the offer may be: upsell, cross-sell." in html  # a downsell only follows a no
    assert html.count('aria-invalid="true"') == 4
    assert 'value="abc"' in html  # what was typed stays
    assert Offer.objects.filter(practice=practice).count() == before
    assert version_of(calm) == 2


def test_a_kind_that_may_not_stand_there_is_refused(calm, coach):
    # a downsell only follows a no to an upsell
    response = add(
        coach, 2, place="one_click", after="up1:on_accept", new_name="Small", new_kind="downsell", new_price="50"
    )
    assert response.status_code == 422
    assert "Here the offer may be: upsell, cross-sell." in response.content.decode()
    response = add(coach, 2, place="bump", offer="three-calls")
    assert response.status_code == 422
    assert "Choose an order bump from the catalog that may stand here." in response.content.decode()
    assert FunnelStep.objects.filter(funnel=calm).count() == 1
    assert version_of(calm) == 2


def test_adding_an_order_bump_and_cross_sells(calm, coach):
    response = add(coach, 2, place="bump", offer="breath-cards", take_rate="30")
    assert_edit_answer(response, parts=("checkout",), version=3)
    bump = step(calm, "breath-cards", "checkout")
    assert (bump.slot, bump.take_rate) == ("bump", Decimal("0.30"))
    response = add(coach, 3, place="checkout_cross_sell", offer="sleep-audio")
    assert_edit_answer(response, parts=("checkout",), version=4)
    response = add(coach, 4, place="thank_you_cross_sell", offer="sleep-audio", take_rate="5")
    html = assert_edit_answer(response, parts=("thank-you",), version=5)
    assert 'id="step-thank-you-sleep-audio"' in html


def test_the_first_step_after_payment_becomes_the_start(practice, primer, coach):
    from funnels.services.editing import funnel_create

    funnel_create(practice=practice, name="Calm", slug="calm", core_offer=primer["course"])
    response = add(
        coach, 1, place="one_click", new_name="Three calls", new_kind="upsell", new_price="300", take_rate="20"
    )
    html = assert_edit_answer(response, parts=("post-purchase",), version=2)
    assert aov("$157.00") in html
    assert Funnel.objects.get(slug="calm").start_step.offer.name == "Three calls"


def test_a_3000_dollar_upsell_shows_the_price_jump_warning_on_its_card(practice, calm, coach):
    response = add(coach, 2, place="one_click", offer="mastermind", after="up1:on_accept")
    html = assert_edit_answer(response, parts=("post-purchase",), version=3)
    [jump] = [f for f in check_funnel(funnel_plan(practice=practice, funnel=calm)) if f.code == "price-jump"]
    assert '<li class="finding finding-warning" data-code="price-jump">' in html
    assert f'<a href="#step-mastermind">{escape(jump.message)}</a>' in html
    card = html.split('id="step-mastermind"')[1].split("</li>")[0]
    assert '<a class="badge badge-warning card-mark" href="#findings">1 warning</a>' in card


# -- take rates --------------------------------------------------------------------------------------------


def test_a_take_rate_edit_answers_with_its_card_alone(calm_with_downsell, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "3", "take_rate": "12.25"}, **HTMX)
    html = assert_edit_answer(response, parts=("step-up1",), version=4)
    assert 'id="post-purchase"' not in html and 'id="step-down1"' not in html
    assert step(calm_with_downsell, "up1").take_rate == Decimal("0.1225")
    assert status_line("The take rate of “Three 1-on-1 coaching calls” is now 12.3%.") in html
    assert 'value="12.25" placeholder="14.5"' in html  # one display precision for take rates everywhere
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "4", "take_rate": ""}, **HTMX)
    html = assert_edit_answer(response, parts=("step-up1",), version=5)
    assert step(calm_with_downsell, "up1").take_rate is None
    assert status_line("The take rate of “Three 1-on-1 coaching calls” is now the default in force.") in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", NOT_A_PERCENT),
        ("120", PERCENT_OUT_OF_RANGE),
        ("-1", PERCENT_OUT_OF_RANGE),
        ("12.345", PERCENT_TOO_PRECISE),
        ("NaN", NOT_A_PERCENT),
    ],
)
def test_a_bad_take_rate_gets_422_beside_its_input_and_saves_nothing(calm, coach, typed, message):
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": typed}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="step-up1"' in html and 'hx-swap-oob="true"' in html
    assert f'<small id="take-rate-step-up1-error" class="field-error" role="alert">{escape(message)}</small>' in html
    assert f'value="{escape(typed)}" placeholder="14.5"' in html
    assert 'aria-invalid="true"' in html
    assert step(calm, "up1").take_rate == Decimal("0.2")
    assert version_of(calm) == 2


def test_a_bad_take_rate_without_htmx_gets_the_page_with_422(calm, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "abc"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html
    assert (
        f'<small id="take-rate-step-up1-error" class="field-error" role="alert">{escape(NOT_A_PERCENT)}</small>' in html
    )


# -- answers -----------------------------------------------------------------------------------------------


def test_re_pointing_one_answer_keeps_the_other(calm_with_downsell, coach):
    response = coach.post(
        f"{EDITOR}steps/post_purchase/up1/edges/", {"version": "3", "edge": "on_accept", "target": "down1"}, **HTMX
    )
    html = assert_edit_answer(response, parts=("post-purchase",), version=4)
    up1 = step(calm_with_downsell, "up1")
    assert (up1.on_accept.key, up1.on_decline.key) == ("down1", "down1")
    assert (
        status_line("“Three 1-on-1 coaching calls”: if they accept → “One call”; if they decline → “One call”.") in html
    )


def test_pointing_both_answers_at_once_saves_one_version(calm_with_downsell, coach):
    response = coach.post(
        f"{EDITOR}steps/post_purchase/up1/edges/", {"version": "3", "on_accept": "down1", "on_decline": ""}, **HTMX
    )
    assert_edit_answer(response, parts=("post-purchase",), version=4)
    up1 = step(calm_with_downsell, "up1")
    assert (up1.on_accept.key, up1.on_decline) == ("down1", None)


def test_an_answer_to_a_missing_step_or_itself_is_refused(calm_with_downsell, coach):
    response = coach.post(
        f"{EDITOR}steps/post_purchase/up1/edges/", {"version": "3", "edge": "on_accept", "target": "zzz"}, **HTMX
    )
    assert response.status_code == 422
    assert "That step is no longer in the funnel; reload the editor." in response.content.decode()
    response = coach.post(
        f"{EDITOR}steps/post_purchase/up1/edges/", {"version": "3", "edge": "on_accept", "target": "up1"}, **HTMX
    )
    assert response.status_code == 422
    assert "cannot lead to itself." in response.content.decode()
    up1 = step(calm_with_downsell, "up1")
    assert (up1.on_accept, up1.on_decline.key) == (None, "down1")
    assert version_of(calm_with_downsell) == 3


def test_a_loop_switches_off_the_figures_and_says_why(practice, calm_with_downsell, coach):
    response = coach.post(
        f"{EDITOR}steps/post_purchase/down1/edges/", {"version": "3", "edge": "on_decline", "target": "up1"}, **HTMX
    )
    html = assert_edit_answer(response, parts=("post-purchase",), version=4)
    with pytest.raises(UncomputableFunnel) as why:
        compute_metrics(funnel_plan(practice=practice, funnel=calm_with_downsell))
    assert f"The figures cannot be worked out until the flow is fixed. {escape(why.value.reason)}</p>" in html
    assert "No figures until the flow is fixed." in html  # the bar says so too
    assert '<li class="finding finding-error" data-code="cycle">' in html


# -- remove, and undo ----------------------------------------------------------------------------------------


def test_removing_a_step_reconnects_its_answers_says_so_and_offers_undo(calm_with_downsell, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/down1/remove/", {"version": "3"}, **HTMX)
    html = assert_edit_answer(response, parts=("post-purchase",), version=4)
    assert (
        status_line("Removed “One call”; a no to “Three 1-on-1 coaching calls” now leads to the thank-you page.")
        in html
    )
    assert not FunnelStep.objects.filter(funnel=calm_with_downsell, key="down1").exists()
    assert aov("$157.00") in html
    token = html.split('hx-vals=\'{"token": "')[1].split('"')[0]

    response = coach.post(f"{EDITOR}steps/reinstate/", {"version": "4", "token": token}, **HTMX)
    html = assert_edit_answer(response, parts=("post-purchase",), version=5)
    assert status_line("“One call” is back.") in html
    back = step(calm_with_downsell, "down1")
    assert back.take_rate == Decimal("0.15")
    assert step(calm_with_downsell, "up1").on_decline_id == back.pk
    assert aov("$171.40") in html
    # the same undo twice is refused, and writes nothing
    response = coach.post(f"{EDITOR}steps/reinstate/", {"version": "5", "token": token}, **HTMX)
    assert response.status_code == 422
    assert version_of(calm_with_downsell) == 5


def test_undoing_the_removal_of_the_start_makes_it_the_start_again(calm, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/remove/", {"version": "2"}, **HTMX)
    html = assert_edit_answer(response, parts=("post-purchase",), version=3)
    assert "buyers now go from payment straight to the thank-you page" in html
    token = html.split('hx-vals=\'{"token": "')[1].split('"')[0]
    coach.post(f"{EDITOR}steps/reinstate/", {"version": "3", "token": token}, **HTMX)
    assert Funnel.objects.get(pk=calm.pk).start_step.key == "up1"


def test_a_forged_or_foreign_undo_is_refused(calm, coach):
    response = coach.post(f"{EDITOR}steps/reinstate/", {"version": "2", "token": "forged:token"}, **HTMX)
    assert response.status_code == 422
    assert "This undo has expired or is not for this funnel." in response.content.decode()
    assert version_of(calm) == 2


# -- order and start ---------------------------------------------------------------------------------------


def test_reordering_bumps_by_drag_and_drop_and_from_the_keyboard(practice, calm, primer, coach):
    other = make_offer(practice, key="journal", kind="order_bump", price="9", topics=["anxiety"], name="Journal")
    add(coach, 2, place="bump", offer="breath-cards")
    add(coach, 3, place="bump", offer=other.key)
    response = coach.post(
        f"{EDITOR}steps/checkout/reorder/", {"version": "4", "key": ["journal", "breath-cards"]}, **HTMX
    )
    html = assert_edit_answer(response, parts=("checkout",), version=5)
    assert keys_in_order(calm, "checkout") == ["journal", "breath-cards"]
    assert status_line("Saved the new order: “Journal”, “Breath cards”.") in html
    response = coach.post(f"{EDITOR}steps/checkout/breath-cards/move/", {"version": "5", "direction": "up"}, **HTMX)
    html = assert_edit_answer(response, parts=("checkout",), version=6)
    assert keys_in_order(calm, "checkout") == ["breath-cards", "journal"]
    assert status_line("Moved “Breath cards” up.") in html
    response = coach.post(f"{EDITOR}steps/checkout/breath-cards/move/", {"version": "6", "direction": "up"}, **HTMX)
    assert response.status_code == 422
    assert version_of(calm) == 6


def test_setting_the_start(calm_with_downsell, coach):
    response = coach.post(f"{EDITOR}start/", {"version": "3", "step": "down1"}, **HTMX)
    html = assert_edit_answer(response, parts=("post-purchase",), version=4)
    assert Funnel.objects.get(pk=calm_with_downsell.pk).start_step.key == "down1"
    assert status_line("Buyers now meet “One call” first after payment.") in html
    assert '<li class="finding finding-error" data-code="unreachable-step">' in html
