"""The funnel editor over HTTP: every edit saves at once and answers with the column it changed plus, out of band,
the findings, the figures, the diagram and the funnel's new version; stale edits get 409, refused ones 422."""

from __future__ import annotations

from decimal import Decimal
from html import escape

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Role
from core.money import NOT_A_PERCENT, PERCENT_OUT_OF_RANGE, PERCENT_TOO_PRECISE
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import UncomputableFunnel, compute_metrics
from funnels.models import Funnel, FunnelStep
from funnels.selectors import funnel_plan
from funnels.services.editing import funnel_create, funnel_step_add, funnel_step_set_take_rate
from tests.factories import make_offer, make_practice, make_primer_catalog
from tests.factories import signed_in_client as member

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EDITOR = "/funnels/calm/"


# -- given ------------------------------------------------------------------------------------------------------


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


def version_of(funnel: Funnel) -> int:
    return Funnel.objects.get(pk=funnel.pk).version


def step(funnel: Funnel, key: str, stage: str = "post_purchase") -> FunnelStep:
    return FunnelStep.objects.get(funnel=funnel, stage=stage, key=key)


def keys_in_order(funnel: Funnel, stage: str = "post_purchase") -> list[str]:
    return list(
        FunnelStep.objects.filter(funnel=funnel, stage=stage).order_by("position", "id").values_list("key", flat=True)
    )


def assert_edit_answer(response, *, column: str, version: int) -> str:
    """200, a fragment (no page), the changed column in place and every side part out of band."""
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'<section id="{column}" class="editor-column' in html
    assert html.lstrip().startswith(f'<section id="{column}" ')
    assert f'<input type="hidden" id="funnel-version" name="version" value="{version}" hx-swap-oob="true">' in html
    assert '<section id="findings" class="side-section" aria-labelledby="findings-title" hx-swap-oob="true">' in html
    assert '<section id="metrics" class="side-section" aria-labelledby="metrics-title" hx-swap-oob="true">' in html
    assert '<section id="flow" class="side-section" aria-labelledby="flow-title" hx-swap-oob="true">' in html
    assert '<div id="editor-alert" class="editor-alert" aria-live="polite" hx-swap-oob="innerHTML">' in html
    assert '<svg class="flow-diagram"' in html
    return html


def status_line(message: str) -> str:
    return f'<p class="message message-success" role="status">{escape(message)}</p>'


def aov(amount: str) -> str:
    return f'<dd class="figure-value" id="figure-aov">{amount}</dd>'


# -- reading ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.COACH])
def test_owners_and_coaches_get_the_editor_with_its_forms(practice, calm, role):
    response = member(practice, role).get(EDITOR)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Calm</h1>" in html
    assert '<input type="hidden" id="funnel-version" name="version" value="2">' in html
    assert 'hx-post="/funnels/calm/steps/post_purchase/up1/take-rate/"' in html
    assert '<label for="take-rate-step-up1">Take rate (%)</label>' in html
    assert '<label for="accept-step-up1">If they accept →</label>' in html
    assert '<label for="decline-step-up1">If they decline →</label>' in html
    assert 'href="/static/css/diagram.css"' in html and 'src="/static/js/editor.js"' in html
    assert "read-only-note" not in html


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CATALOG_ADMIN])
def test_viewers_and_catalog_admins_read_the_editor_without_forms(practice, calm, role):
    response = member(practice, role).get(EDITOR)
    html = response.content.decode()
    assert response.status_code == 200
    assert "You can read this funnel; only owners and coaches can change it." in html
    assert "hx-post" not in html
    assert 'id="funnel-version"' not in html
    assert 'name="take_rate"' not in html
    assert "<button" not in html.split('<main id="main"')[1]
    assert "If they accept → the thank-you page; if they decline → the thank-you page" in html
    assert aov("$157.00") in html
    assert 'src="/static/js/editor.js"' not in html


def test_the_editor_renders_fully_without_javascript(practice, calm_with_downsell, coach):
    html = coach.get(EDITOR).content.decode()
    # every column, every side part, each with the ids the findings and the diagram link to
    for part in (
        'id="checkout"',
        'id="post-purchase"',
        'id="thank-you"',
        'id="findings"',
        'id="metrics"',
        'id="flow"',
        'id="step-up1"',
        'id="step-down1"',
        'id="step-checkout-calm-course"',
    ):
        assert part in html
    # an edge select lists the other steps and the thank-you page, never the step itself
    decline = html.split('<select id="decline-step-up1" name="on_decline">')[1].split("</select>")[0]
    assert '<option value="">Thank-you page</option>' in decline
    assert '<option value="down1" selected>One call (down1)</option>' in decline
    assert 'value="up1"' not in decline
    # the add-a-step select offers only what may stand after payment
    add = html.split('<select id="add-one_click-offer" name="offer">')[1].split("</select>")[0]
    assert 'value="three-calls"' in add and 'value="one-call"' in add and 'value="sleep-audio"' in add
    assert 'value="breath-cards"' not in add and 'value="calm-course"' not in add
    bumps = html.split('<select id="add-bump-offer" name="offer">')[1].split("</select>")[0]
    assert 'value="breath-cards"' in bumps and 'value="three-calls"' not in bumps
    # blank take rate shows the default in force as the placeholder
    assert 'value="15" placeholder="15"' in html
    assert aov("$171.40") in html
    assert "figures are illustrative, worked out from the take rates you assumed" in html


def test_anonymous_visitors_are_sent_to_sign_in(calm):
    response = Client().get(EDITOR)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next={EDITOR}"
    response = Client().post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "30"})
    assert response.status_code == 302
    assert step(calm, "up1").take_rate == Decimal("0.2")


def test_another_practices_funnel_is_not_found(calm, primer):
    other = make_practice()
    outsider = member(other, Role.OWNER)
    assert outsider.get(EDITOR).status_code == 404
    response = outsider.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "30"}, **HTMX)
    assert response.status_code == 404
    assert step(calm, "up1").take_rate == Decimal("0.2")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("steps/post_purchase/nope/take-rate/", {"take_rate": "30"}),
        ("steps/checkout/up1/take-rate/", {"take_rate": "30"}),
        ("steps/somewhere/up1/take-rate/", {"take_rate": "30"}),
        ("steps/post_purchase/nope/edges/", {"on_accept": "", "on_decline": ""}),
        ("steps/post_purchase/nope/remove/", {}),
        ("steps/post_purchase/nope/move/", {"direction": "up"}),
        ("steps/somewhere/reorder/", {"key": ["up1"]}),
        ("start/", {"step": "nope"}),
    ],
)
def test_a_step_key_or_stage_not_in_this_funnel_is_not_found(calm, coach, path, data):
    response = coach.post(EDITOR + path, {"version": "2", **data}, **HTMX)
    assert response.status_code == 404
    assert version_of(calm) == 2


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CATALOG_ADMIN])
def test_who_may_not_change_funnels_gets_403_and_nothing_changes(practice, calm, role):
    client = member(practice, role)
    response = client.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "30"}, **HTMX)
    assert response.status_code == 403
    response = client.post(f"{EDITOR}steps/post_purchase/up1/remove/", {"version": "2"})
    assert response.status_code == 403
    assert step(calm, "up1").take_rate == Decimal("0.2")
    assert version_of(calm) == 2


def test_a_post_without_the_csrf_token_is_refused(practice, calm):
    user = get_user_model().objects.create_user("careful-coach", password="not-used-here")
    Membership.objects.create(user=user, practice=practice, role=Role.COACH)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "30"}, **HTMX)
    assert response.status_code == 403
    assert step(calm, "up1").take_rate == Decimal("0.2")


def test_edit_routes_refuse_get(calm, coach):
    assert coach.get(f"{EDITOR}steps/post_purchase/up1/take-rate/").status_code == 405


# -- each edit, through htmx ------------------------------------------------------------------------------------


def test_the_primer_example_shows_157_dollars(calm, coach):
    assert aov("$157.00") in coach.get(EDITOR).content.decode()


def test_adding_the_downsell_on_the_decline_edge_shows_171_40(calm, coach):
    response = coach.post(
        f"{EDITOR}steps/add/",
        {"version": "2", "place": "one_click", "offer": "one-call", "take_rate": "15", "after": "up1:on_decline"},
        **HTMX,
    )
    html = assert_edit_answer(response, column="post-purchase", version=3)
    assert aov("$171.40") in html
    assert (
        status_line('Added "One call" as a step after payment (one-call); it follows the decline edge of up1.') in html
    )
    added = step(calm, "one-call")
    assert (added.slot, added.take_rate) == ("one_click", Decimal("0.15"))
    assert step(calm, "up1").on_decline_id == added.pk
    assert Funnel.objects.get(pk=calm.pk).start_step.key == "up1"


def test_a_3000_dollar_upsell_shows_the_price_jump_warning(practice, calm, coach):
    response = coach.post(
        f"{EDITOR}steps/add/",
        {"version": "2", "place": "one_click", "offer": "mastermind", "take_rate": "", "after": "up1:on_accept"},
        **HTMX,
    )
    html = assert_edit_answer(response, column="post-purchase", version=3)
    [jump] = [f for f in check_funnel(funnel_plan(practice=practice, funnel=calm)) if f.code == "price-jump"]
    assert jump.step == "mastermind"
    assert '<li class="finding finding-warning" data-code="price-jump">' in html
    assert f'<a href="#step-mastermind">{escape(jump.message)}</a>' in html
    assert f'<small class="hint">{escape(jump.hint)}</small>' in html


def test_adding_an_order_bump_and_cross_sells(calm, coach):
    response = coach.post(
        f"{EDITOR}steps/add/", {"version": "2", "place": "bump", "offer": "breath-cards", "take_rate": "30"}, **HTMX
    )
    assert_edit_answer(response, column="checkout", version=3)
    bump = step(calm, "breath-cards", "checkout")
    assert (bump.slot, bump.take_rate) == ("bump", Decimal("0.30"))

    response = coach.post(
        f"{EDITOR}steps/add/", {"version": "3", "place": "checkout_cross_sell", "offer": "sleep-audio"}, **HTMX
    )
    assert_edit_answer(response, column="checkout", version=4)
    alongside = FunnelStep.objects.get(funnel=calm, stage="checkout", slot="cross_sell")
    assert (alongside.key, alongside.take_rate) == ("sleep-audio", None)

    response = coach.post(
        f"{EDITOR}steps/add/",
        {"version": "4", "place": "thank_you_cross_sell", "offer": "sleep-audio", "take_rate": "5"},
        **HTMX,
    )
    html = assert_edit_answer(response, column="thank-you", version=5)
    later = step(calm, "sleep-audio", "thank_you")
    assert (later.slot, later.take_rate) == ("cross_sell", Decimal("0.05"))
    assert 'id="step-thank-you-sleep-audio"' in html


def test_an_offer_of_the_wrong_kind_for_its_place_is_refused(calm, coach):
    response = coach.post(
        f"{EDITOR}steps/add/", {"version": "2", "place": "bump", "offer": "three-calls", "take_rate": "30"}, **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        '<small id="add-bump-error" class="field-error" role="alert">Choose an order bump from the catalog.</small>'
        in html
    )
    assert response["HX-Retarget"] == "#checkout"
    assert FunnelStep.objects.filter(funnel=calm).count() == 1
    assert version_of(calm) == 2


def test_changing_the_take_rate_converts_percent_exactly(calm, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "12.25"}, **HTMX)
    html = assert_edit_answer(response, column="post-purchase", version=3)
    assert step(calm, "up1").take_rate == Decimal("0.1225")
    assert status_line('The take rate of "Three 1-on-1 coaching calls" (up1) is now 12.3%.') in html
    assert 'value="12.25" placeholder="14.54"' in html
    # blank: back to the default in force
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "3", "take_rate": ""}, **HTMX)
    html = assert_edit_answer(response, column="post-purchase", version=4)
    assert step(calm, "up1").take_rate is None
    assert status_line('The take rate of "Three 1-on-1 coaching calls" (up1) is now the default in force.') in html


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
    assert f'<small id="take-rate-step-up1-error" class="field-error" role="alert">{escape(message)}</small>' in html
    assert f'value="{escape(typed)}" placeholder="14.54"' in html
    assert 'aria-invalid="true"' in html
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#post-purchase", "outerHTML")
    assert step(calm, "up1").take_rate == Decimal("0.2")
    assert version_of(calm) == 2


def test_a_bad_take_rate_without_javascript_gets_the_page_with_422(calm, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"page_version": "2", "take_rate": "abc"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" in html
    assert (
        f'<small id="take-rate-step-up1-error" class="field-error" role="alert">{escape(NOT_A_PERCENT)}</small>' in html
    )
    assert step(calm, "up1").take_rate == Decimal("0.2")


def test_pointing_both_answers_saves_one_version(calm_with_downsell, coach):
    response = coach.post(
        f"{EDITOR}steps/post_purchase/up1/edges/", {"version": "3", "on_accept": "down1", "on_decline": ""}, **HTMX
    )
    html = assert_edit_answer(response, column="post-purchase", version=4)
    up1 = step(calm_with_downsell, "up1")
    assert (up1.on_accept.key, up1.on_decline) == ("down1", None)
    assert (
        status_line(
            '"Three 1-on-1 coaching calls": if they accept → "One call" (down1); if they decline → the thank-you page.'
        )
        in html
    )


def test_an_answer_to_a_missing_step_or_itself_is_refused(calm_with_downsell, coach):
    response = coach.post(
        f"{EDITOR}steps/post_purchase/up1/edges/", {"version": "3", "on_accept": "zzz", "on_decline": ""}, **HTMX
    )
    assert response.status_code == 422
    assert "There is no step &quot;zzz&quot; after payment in this funnel." in response.content.decode()
    response = coach.post(
        f"{EDITOR}steps/post_purchase/up1/edges/", {"version": "3", "on_accept": "up1", "on_decline": ""}, **HTMX
    )
    assert response.status_code == 422
    assert "The step &quot;up1&quot; cannot lead to itself." in response.content.decode()
    up1 = step(calm_with_downsell, "up1")
    assert (up1.on_accept, up1.on_decline.key) == (None, "down1")
    assert version_of(calm_with_downsell) == 3


def test_removing_a_step_reconnects_its_edges_and_says_so(calm_with_downsell, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/down1/remove/", {"version": "3"}, **HTMX)
    html = assert_edit_answer(response, column="post-purchase", version=4)
    assert status_line('Removed "One call"; the decline edge of up1 now leads to the thank-you page.') in html
    assert not FunnelStep.objects.filter(funnel=calm_with_downsell, key="down1").exists()
    assert step(calm_with_downsell, "up1").on_decline is None
    assert aov("$157.00") in html


def test_removing_the_start_says_buyers_go_straight_to_the_thank_you_page(calm, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/remove/", {"version": "2"}, **HTMX)
    html = assert_edit_answer(response, column="post-purchase", version=3)
    assert (
        status_line('Removed "Three 1-on-1 coaching calls"; buyers now go from payment straight to the thank-you page.')
        in html
    )
    assert aov("$97.00") in html


def test_reordering_by_drag_and_drop(calm_with_downsell, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/reorder/", {"version": "3", "key": ["down1", "up1"]}, **HTMX)
    html = assert_edit_answer(response, column="post-purchase", version=4)
    assert keys_in_order(calm_with_downsell) == ["down1", "up1"]
    assert html.index('id="step-down1"') < html.index('id="step-up1"')


def test_reordering_with_a_key_missing_is_refused(calm_with_downsell, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/reorder/", {"version": "3", "key": ["down1"]}, **HTMX)
    assert response.status_code == 422
    assert '<p class="field-error" role="alert">Reorder needs each after payment step exactly once: have [' in (
        response.content.decode()
    )
    assert keys_in_order(calm_with_downsell) == ["up1", "down1"]
    assert version_of(calm_with_downsell) == 3


def test_moving_a_step_from_the_keyboard(calm_with_downsell, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/down1/move/", {"version": "3", "direction": "up"}, **HTMX)
    html = assert_edit_answer(response, column="post-purchase", version=4)
    assert keys_in_order(calm_with_downsell) == ["down1", "up1"]
    assert status_line('Moved "One call" (down1) up.') in html
    # the first cannot go further up: refused beside the buttons, nothing saved
    response = coach.post(f"{EDITOR}steps/post_purchase/down1/move/", {"version": "4", "direction": "up"}, **HTMX)
    assert response.status_code == 422
    assert (
        '<small class="field-error" role="alert">&quot;down1&quot; is already the first.</small>'
        in response.content.decode()
    )
    assert keys_in_order(calm_with_downsell) == ["down1", "up1"]
    assert version_of(calm_with_downsell) == 4


def test_setting_the_start(calm_with_downsell, coach):
    response = coach.post(f"{EDITOR}start/", {"version": "3", "step": "down1"}, **HTMX)
    html = assert_edit_answer(response, column="post-purchase", version=4)
    assert Funnel.objects.get(pk=calm_with_downsell.pk).start_step.key == "down1"
    assert status_line('Buyers now meet "One call" (down1) first after payment.') in html
    assert '<li class="finding finding-error" data-code="unreachable-step">' in html


def test_a_loop_says_plainly_why_there_are_no_figures(practice, calm_with_downsell, coach):
    response = coach.post(
        f"{EDITOR}steps/post_purchase/down1/edges/", {"version": "3", "on_accept": "", "on_decline": "up1"}, **HTMX
    )
    html = assert_edit_answer(response, column="post-purchase", version=4)
    with pytest.raises(UncomputableFunnel) as why:
        compute_metrics(funnel_plan(practice=practice, funnel=calm_with_downsell))
    assert (
        '<p class="message message-warning uncomputable" role="status">The figures cannot be worked out until the '
        f"flow is fixed. {escape(why.value.reason)}</p>"
    ) in html
    assert 'id="figure-aov"' not in html
    assert '<li class="finding finding-error" data-code="cycle">' in html


def test_a_checkout_finding_links_to_its_placement(practice, calm, coach):
    make_offer(practice, key="big-bump", kind="order_bump", price="60", topics=["anxiety"], name="Big bump")
    response = coach.post(f"{EDITOR}steps/add/", {"version": "2", "place": "bump", "offer": "big-bump"}, **HTMX)
    html = assert_edit_answer(response, column="checkout", version=3)
    assert '<li class="finding finding-warning" data-code="bump-too-big">' in html
    assert '<a href="#step-checkout-big-bump">' in html
    assert '<li class="placement" id="step-checkout-big-bump" data-key="big-bump">' in html


def test_changing_the_core_offer_updates_the_steps_defaults_too(calm, coach):
    response = coach.post(f"{EDITOR}settings/", {"version": "2", "core_offer": "calm-deep"}, **HTMX)
    html = assert_edit_answer(response, column="checkout", version=3)
    assert Funnel.objects.get(pk=calm.pk).core_offer.key == "calm-deep"
    assert (
        '<section id="post-purchase" class="editor-column editor-column-wide" aria-labelledby="post-purchase-title" hx-swap-oob="true">'
        in html
    )
    assert status_line('The core offer is now "Calm, the deep course" ($197.00).') in html
    assert aov("$257.00") in html


def test_only_core_offers_can_be_the_core(calm, coach):
    response = coach.post(f"{EDITOR}settings/", {"version": "2", "core_offer": "three-calls"}, **HTMX)
    assert response.status_code == 422
    assert '<small id="core-offer-error" class="field-error" role="alert">Choose one of the core offers.</small>' in (
        response.content.decode()
    )
    assert Funnel.objects.get(pk=calm.pk).core_offer.key == "calm-course"


# -- without JavaScript, and stale edits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data", "anchor"),
    [
        ("settings/", {"core_offer": "calm-deep"}, "checkout"),
        ("steps/add/", {"place": "thank_you_cross_sell", "offer": "sleep-audio"}, "thank-you"),
        ("steps/post_purchase/up1/take-rate/", {"take_rate": "25"}, "post-purchase"),
        ("steps/post_purchase/up1/edges/", {"on_accept": "down1", "on_decline": ""}, "post-purchase"),
        ("steps/post_purchase/down1/remove/", {}, "post-purchase"),
        ("steps/post_purchase/down1/move/", {"direction": "up"}, "post-purchase"),
        ("steps/post_purchase/reorder/", {"key": ["down1", "up1"]}, "post-purchase"),
        ("start/", {"step": "down1"}, "post-purchase"),
    ],
)
def test_each_edit_without_javascript_saves_and_redirects_back(calm_with_downsell, coach, path, data, anchor):
    response = coach.post(EDITOR + path, {"page_version": "3", **data})
    assert response.status_code == 303
    assert response["Location"] == f"{EDITOR}#{anchor}"
    assert version_of(calm_with_downsell) == 4
    page = coach.get(response["Location"]).content.decode()
    assert '<p class="message message-success" role="status">' in page


def test_a_stale_edit_gets_409_with_a_reload_link_and_changes_nothing(calm, coach):
    funnel_step_set_take_rate(funnel=calm, expected_version=2, step=step(calm, "up1"), take_rate="0.25")  # another tab
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "40"}, **HTMX)
    assert response.status_code == 409
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#editor-alert", "innerHTML")
    assert response.content.decode() == (
        '<p class="message message-error" role="alert">&quot;Calm&quot; was changed elsewhere (you edited version 2, '
        "it is now at version 3); reload it and make your change again. "
        '<a href="/funnels/calm/">Reload the editor</a></p>'
    )
    assert step(calm, "up1").take_rate == Decimal("0.25")
    assert version_of(calm) == 3


def test_a_stale_edit_without_javascript_gets_the_current_page_with_409(calm, coach):
    funnel_step_set_take_rate(funnel=calm, expected_version=2, step=step(calm, "up1"), take_rate="0.25")
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/remove/", {"page_version": "2"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" in html
    assert "was changed elsewhere (you edited version 2, it is now at version 3)" in html
    assert '<a href="/funnels/calm/">Reload the editor</a>' in html
    assert '<input type="hidden" id="funnel-version" name="version" value="3">' in html
    assert FunnelStep.objects.filter(funnel=calm, key="up1").exists()


def test_the_page_wide_version_wins_over_a_forms_own_copy(calm, coach):
    # htmx sends both: the form's copy (stale after earlier swaps) and #funnel-version (always current)
    response = coach.post(
        f"{EDITOR}steps/post_purchase/up1/take-rate/", {"page_version": "1", "version": "2", "take_rate": "30"}, **HTMX
    )
    assert_edit_answer(response, column="post-purchase", version=3)


def test_an_edit_without_a_version_is_a_bad_request(calm, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"take_rate": "30"}, **HTMX)
    assert response.status_code == 400
    assert version_of(calm) == 2


# -- constant queries -------------------------------------------------------------------------------------------


def build_chain(practice, core, slug: str, size: int) -> Funnel:
    """A core, a bump, a thank-you cross-sell and ``size`` upsells, each declining to the next."""
    funnel = funnel_create(practice=practice, name=slug.title(), slug=slug, core_offer=core)
    version = 1
    funnel_step_add(
        funnel=funnel, expected_version=version, offer=make_offer(practice, kind="order_bump", price="19"), slot="bump"
    )
    version += 1
    funnel_step_add(
        funnel=funnel,
        expected_version=version,
        offer=make_offer(practice, kind="cross_sell", price="29"),
        slot="cross_sell",
        stage="thank_you",
    )
    version += 1
    previous = None
    for n in range(size):
        offer = make_offer(practice, kind="upsell", price=str(100 + n))
        previous = funnel_step_add(
            funnel=funnel,
            expected_version=version,
            offer=offer,
            slot="one_click",
            key=f"s{n}",
            take_rate="0.1",
            connect_from=previous,
            edge="on_decline",
        )
        version += 1
    return funnel


def count_queries(client: Client, method: str, path: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data or {}, **HTMX) if method == "post" else client.get(path)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


def test_the_editor_reads_a_fixed_number_of_queries_whatever_the_funnels_size(practice, primer, coach):
    small = build_chain(practice, primer["course"], "small", 5)
    large = build_chain(practice, primer["course"], "large", 40)
    coach.get("/funnels/small/")  # warm up: the session and the catalog's first read

    # session, user, membership; the funnel; funnel_load's steps, offers and copy acknowledgements; the catalog:
    # 3 + 1 + 3 + 1
    gets = (count_queries(coach, "get", "/funnels/small/"), count_queries(coach, "get", "/funnels/large/"))
    assert gets == (8, 8)

    # session, user, membership; the funnel; the catalog; the step; savepoint, version claim, the write,
    # release; funnel_load's steps, offers and copy acknowledgements: 3 + 1 + 1 + 1 + 4 + 3
    posts = (
        count_queries(
            coach,
            "post",
            "/funnels/small/steps/post_purchase/s2/take-rate/",
            {"version": str(version_of(small)), "take_rate": "12"},
        ),
        count_queries(
            coach,
            "post",
            "/funnels/large/steps/post_purchase/s2/take-rate/",
            {"version": str(version_of(large)), "take_rate": "12"},
        ),
    )
    assert posts == (13, 13)

    reorders = (
        count_queries(
            coach,
            "post",
            "/funnels/small/steps/post_purchase/s1/move/",
            {"version": str(version_of(small)), "direction": "up"},
        ),
        count_queries(
            coach,
            "post",
            "/funnels/large/steps/post_purchase/s1/move/",
            {"version": str(version_of(large)), "direction": "up"},
        ),
    )
    # a move reads the stage's steps and writes their positions in one UPDATE however many there are
    assert reorders == (14, 14)
