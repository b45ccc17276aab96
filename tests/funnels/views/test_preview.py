"""The buyer's-eye preview over HTTP: who may see it, what each screen says, that offer copy stays text, and that
one request reads a fixed number of rows whatever the funnel's size."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from funnels.models import FunnelStep
from funnels.services.editing import funnel_create, funnel_step_add, funnel_step_set_edges
from tests.factories import make_offer, make_practice, make_primer_catalog
from tests.factories import signed_in_client as member

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PREVIEW = "/funnels/calm/preview/"
HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


# -- given ------------------------------------------------------------------------------------------------------


@pytest.fixture
def primer(practice):
    """The primer's offers, with the words a buyer reads on each screen."""
    return make_primer_catalog(
        practice,
        course={"headline": "Calm your nervous system in 8 weeks", "body": "Self-paced lessons.\nStart tonight."},
        calls={
            "headline": "Add three calls with a real person",
            "accept_label": "Yes, add the three calls",
            "decline_label": "No, just the course",
        },
        call={"accept_label": "Yes, one call", "decline_label": "No, thank you"},
        cards={"name": "Breath cards", "headline": "Printable breathing cards"},
        audio={"name": "Sleep audio"},
    )


@pytest.fixture
def calm(practice, primer):
    """Course $97 with the cards bump → three calls, on a no → one call; the sleep audio on the thank-you page."""
    funnel = funnel_create(practice=practice, name="Calm", slug="calm", core_offer=primer["course"])
    funnel_step_add(funnel=funnel, expected_version=1, offer=primer["cards"], slot="bump", key="cards")
    up1 = funnel_step_add(funnel=funnel, expected_version=2, offer=primer["calls"], slot="one_click", key="up1")
    funnel_step_add(
        funnel=funnel,
        expected_version=3,
        offer=primer["call"],
        slot="one_click",
        key="down1",
        connect_from=up1,
        edge="on_decline",
    )
    funnel_step_add(
        funnel=funnel, expected_version=4, offer=primer["audio"], slot="cross_sell", stage="thank_you", key="audio"
    )
    return funnel


@pytest.fixture
def coach(practice):
    return member(practice, Role.COACH)


def get(client: Client, query: str = "", **headers: str):
    return client.get(PREVIEW + (f"?{query}" if query else ""), **headers)


def html_of(response) -> str:
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def buyer_screen(html: str) -> str:
    """The part inside the preview frame: what the buyer sees."""
    start = html.index('<div class="buyer-screen')
    return html[start:]


# -- who may preview ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.COACH, Role.CATALOG_ADMIN, Role.VIEWER])
def test_every_role_may_preview(practice, calm, role):
    html = html_of(get(member(practice, role)))
    assert '<p class="preview-banner" role="status"><strong>Preview — no payment is taken.</strong>' in html


def test_signing_in_comes_first(calm):
    response = Client().get(PREVIEW)
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


def test_another_practices_funnel_is_not_found(calm):
    other = make_practice()
    response = get(member(other, Role.OWNER))
    assert response.status_code == 404


def test_the_preview_only_reads(coach, calm):
    assert coach.post(PREVIEW).status_code == 405
    assert coach.head(PREVIEW).status_code == 200


# -- the checkout --------------------------------------------------------------------------------------------------


def test_the_checkout_shows_the_core_offer_and_bumps_with_no_box_ticked(coach, calm):
    html = html_of(get(coach))
    screen = buyer_screen(html)
    assert "<h3>Calm your nervous system in 8 weeks</h3>" in screen
    assert "Self-paced lessons.<br>Start tonight." in screen
    assert '<p class="offer-price num">$97.00</p>' in screen
    assert '<input type="checkbox" id="bumps-cards" name="bumps" value="cards"' in screen
    assert "Printable breathing cards" in screen and "+$19.00" in screen
    assert "checked" not in screen
    assert (
        '<p id="checkout-total" class="checkout-total"><span>Order total</span> <strong class="num">$97.00</strong></p>'
        in screen
    )
    assert '<button type="submit" name="at" value="post_purchase" class="complete">Complete purchase</button>' in screen
    assert (
        '<noscript><button type="submit" name="at" value="checkout" class="secondary outline">Update total</button></noscript>'
        in screen
    )


def test_a_ticked_bump_is_in_the_total_and_stays_ticked(coach, calm):
    screen = buyer_screen(html_of(get(coach, "bumps=cards")))
    assert '<strong class="num">$116.00</strong>' in screen
    assert re.search(r'value="cards" aria-describedby="bumps-cards-copy" checked>', screen)


def test_ticking_under_htmx_answers_with_the_total_and_the_controls_out_of_band(coach, calm):
    response = get(coach, "bumps=cards", HTTP_HX_TARGET="checkout-total", **HTMX)
    html = html_of(response)
    assert html.lstrip().startswith('<p id="checkout-total" class="checkout-total">')
    assert "$116.00" in html
    assert '<nav id="preview-tools" class="preview-tools" aria-label="Preview controls" hx-swap-oob="true">' in html
    assert "bumps=cards&amp;at=post_purchase&amp;jump=up1" in html  # the jump links keep the tick
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_a_checkbox_form_submitted_without_javascript_reads_repeated_names(coach, calm):
    screen = buyer_screen(html_of(get(coach, "bumps=cards&at=checkout")))
    assert "$116.00" in screen


# -- one-click offers ------------------------------------------------------------------------------------------------


def test_after_payment_the_upsell_shows_what_the_total_would_become(coach, calm):
    screen = buyer_screen(html_of(get(coach, "at=post_purchase")))
    assert '<h2 id="screen-title" tabindex="-1">Add three calls with a real person</h2>' in screen
    assert '<p class="offer-price num">$300.00</p>' in screen
    assert 'Your order total would become <strong class="num">$397.00</strong>' in screen


def test_accept_and_decline_are_equally_visible_buttons_following_the_edges(coach, calm):
    screen = buyer_screen(html_of(get(coach, "at=post_purchase")))
    buttons = re.findall(
        r'<a role="button" class="answer answer-(\w+)" href="([^"]+)" hx-get="([^"]+)">([^<]+)</a>', screen
    )
    assert [(kind, label) for kind, _, _, label in buttons] == [
        ("accept", "Yes, add the three calls"),
        ("decline", "No, just the course"),
    ]
    assert [href for _, href, _, _ in buttons] == [
        "/funnels/calm/preview/?at=post_purchase&amp;path=up1:yes",
        "/funnels/calm/preview/?at=post_purchase&amp;path=up1:no",
    ]
    assert all(href == hx for _, href, hx, _ in buttons)


def test_declining_meets_the_downsell_at_217(coach, calm):
    screen = buyer_screen(html_of(get(coach, "at=post_purchase&path=up1:no")))
    assert "One coaching call" in screen
    assert 'Your order total would become <strong class="num">$217.00</strong>' in screen
    assert ">Yes, one call</a>" in screen and ">No, thank you</a>" in screen


def test_the_trail_lists_the_steps_taken_each_a_link_back(coach, calm):
    html = html_of(get(coach, "bumps=cards&at=post_purchase&path=up1:no"))
    trail = html[html.index('<nav class="trail"') : html.index('<div class="preview-frame')]
    assert (
        '<a href="/funnels/calm/preview/?bumps=cards" hx-get="/funnels/calm/preview/?bumps=cards">Checkout</a>' in trail
    )
    assert "paid $116.00" in trail
    assert 'hx-get="/funnels/calm/preview/?bumps=cards&amp;at=post_purchase">Three 1-on-1 coaching calls</a>' in trail
    assert "<small>declined</small>" in trail
    assert '<li aria-current="step">' in trail and "One coaching call" in trail


def test_jumping_to_a_step_says_it_is_shown_as_if_reached(coach, calm):
    screen = buyer_screen(html_of(get(coach, "at=post_purchase&jump=down1")))
    assert "You jumped straight to step down1: it is shown as if the buyer had reached it" in screen
    assert "$217.00" in screen


def test_a_link_off_the_funnels_edges_is_refused_with_a_plain_message(coach, calm):
    response = get(coach, "at=post_purchase&path=down1:yes")
    assert response.status_code == 400
    html = response.content.decode()
    assert "This preview link does not fit the funnel as it is now" in html
    assert "at that point the buyer is offered &quot;up1&quot;, not &quot;down1&quot;" in html
    assert 'data-screen="checkout"' in html


def test_a_loop_stops_the_preview_and_says_why(coach, calm):
    up1, down1 = (FunnelStep.objects.get(funnel=calm, key=key) for key in ("up1", "down1"))
    funnel_step_set_edges(funnel=calm, expected_version=5, step=down1, on_accept=None, on_decline=up1)
    screen = buyer_screen(html_of(get(coach, "at=post_purchase&path=up1:no,down1:no")))
    assert '<h2 id="screen-title" tabindex="-1">The preview stopped</h2>' in screen
    assert "the flow loops (up1 → down1 → up1)" in screen
    assert '<td class="num order-total">$97.00</td>' in screen
    refused = get(coach, "at=post_purchase&path=up1:no,down1:no,up1:no")
    assert refused.status_code == 400


# -- the thank-you page -------------------------------------------------------------------------------------------------


def test_the_thank_you_page_sums_up_the_order_line_by_line(coach, calm):
    screen = buyer_screen(html_of(get(coach, "bumps=cards&at=post_purchase&path=up1:yes")))
    rows = re.findall(
        r'<tr data-key="([\w-]+)">\s*<th scope="row">([^<]+)(?:<small class="line-note">([^<]+)</small>)?</th>\s*'
        r'<td class="num">([^<]+)</td>',
        screen,
    )
    assert rows == [
        ("calm-course", "Calm Your Nervous System", "", "$97.00"),
        ("cards", "Breath cards", "order bump", "$19.00"),
        ("up1", "Three 1-on-1 coaching calls", "added after payment", "$300.00"),
    ]
    assert '<td class="num order-total">$416.00</td>' in screen
    later = screen[screen.index('<section class="later-offers"') :]
    assert "Sleep audio" in later and "$29.00" in later
    assert "a separate purchase, not part of the order above" in later


def test_an_upgrade_line_says_what_it_upgrades_and_adds_the_difference(practice, coach, primer):
    plus = make_primer_catalog(practice, "plus", plus={"name": "Calm + community", "replaces": primer["course"]})[
        "plus"
    ]
    funnel = funnel_create(practice=practice, name="Calm", slug="calm", core_offer=primer["course"])
    funnel_step_add(funnel=funnel, expected_version=1, offer=plus, slot="one_click", key="up1")
    offer_screen = buyer_screen(html_of(get(coach, "at=post_purchase")))
    assert '<p class="offer-price num">$50.00</p>' in offer_screen
    assert "you pay only the difference (full price $147.00)" in offer_screen
    assert 'would become <strong class="num">$147.00</strong>' in offer_screen
    screen = buyer_screen(html_of(get(coach, "at=post_purchase&path=up1:yes")))
    assert "upgrade from Calm Your Nervous System: adds only the difference</small></th>" in screen
    assert '<td class="num">$50.00</td>' in screen
    assert '<td class="num order-total">$147.00</td>' in screen


# -- offer copy is text ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_copy_is_shown_as_text_on_every_screen(practice, coach, hostile):
    course = make_offer(
        practice, key="calm-course", kind="core", price="97", name=hostile, headline=hostile, body=hostile
    )
    bump = make_offer(
        practice, key="cards", kind="order_bump", price="19", name=hostile, headline=hostile, body=hostile
    )
    up = make_offer(
        practice,
        key="up",
        kind="upsell",
        price="300",
        name=hostile,
        headline=hostile,
        body=hostile,
        accept_label=hostile,
        decline_label=hostile,
    )
    funnel = funnel_create(practice=practice, name=hostile, slug="calm", core_offer=course)
    funnel_step_add(funnel=funnel, expected_version=1, offer=bump, slot="bump", key="cards")
    funnel_step_add(funnel=funnel, expected_version=2, offer=up, slot="one_click", key="up1")
    for query in ("", "bumps=cards&at=post_purchase", "bumps=cards&at=post_purchase&path=up1:yes"):
        html = html_of(get(coach, query))
        assert hostile not in html
        assert "&lt;" in buyer_screen(html)
        assert "<script>alert" not in html and "<img src=x" not in html


# -- htmx ---------------------------------------------------------------------------------------------------------------


def test_an_htmx_request_gets_the_preview_partial_alone(coach, calm):
    response = get(coach, "at=post_purchase", **HTMX)
    html = html_of(response)
    assert html.lstrip().startswith(
        '<div id="preview" class="preview" hx-target="#preview" hx-swap="outerHTML" hx-push-url="true">'
    )
    assert "<html" not in html and "preview-banner" not in html
    assert 'data-screen="offer"' in html


def test_a_refused_link_under_htmx_says_why_in_the_partial(coach, calm):
    response = get(coach, "at=post_purchase&path=down1:yes", **HTMX)
    assert response.status_code == 400  # static/js/preview.js lets htmx swap it
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="preview"')
    assert "This preview link does not fit the funnel as it is now" in html


def test_a_history_restore_gets_the_whole_page(coach, calm):
    html = html_of(get(coach, "at=post_purchase", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX))
    assert "<html" in html


def test_the_width_is_remembered_in_every_link(coach, calm):
    html = html_of(get(coach, "at=post_purchase&view=phone"))
    assert '<div class="preview-frame preview-frame-phone">' in html
    assert 'href="/funnels/calm/preview/?at=post_purchase&amp;path=up1:yes&amp;view=phone"' in html
    assert (
        '<a href="/funnels/calm/preview/?at=post_purchase" hx-get="/funnels/calm/preview/?at=post_purchase" class="width-choice">Desktop</a>'
        in html
    )
    checkout = html_of(get(coach, "view=phone"))
    assert '<input type="hidden" name="view" value="phone">' in checkout


def test_an_unknown_width_falls_back_to_desktop(coach, calm):
    assert '<div class="preview-frame preview-frame-desktop">' in html_of(get(coach, "view=tablet"))


# -- a fixed number of queries ------------------------------------------------------------------------------------------


def funnel_with_steps(practice, n: int):
    core = make_offer(practice, key="core", kind="core", price="97")
    funnel = funnel_create(practice=practice, name="Calm", slug="calm", core_offer=core)
    previous = None
    for i in range(n):
        offer = make_offer(practice, key=f"up-{i}", kind="upsell", price=str(100 + i))
        previous = funnel_step_add(
            funnel=funnel,
            expected_version=funnel.version,
            offer=offer,
            slot="one_click",
            key=f"s{i}",
            connect_from=previous,
            edge="on_decline",
        )
        funnel.refresh_from_db()
    bump = make_offer(practice, key="bump", kind="order_bump", price="10")
    funnel_step_add(funnel=funnel, expected_version=funnel.version, offer=bump, slot="bump", key="bump")
    return funnel


def queries_for(client: Client, query: str) -> int:
    client.get(PREVIEW)  # the session settles on its first visit
    with CaptureQueriesContext(connection) as captured:
        response = get(client, query)
    assert response.status_code == 200
    return len(captured)


PINNED_QUERIES = 7  # session, user, memberships, the funnel's key fields, the funnel, steps, offers
KEPT_QUERIES = 4  # the same link again: session, user, memberships, the funnel's key fields


@pytest.mark.parametrize("n", [5, 40])
def test_one_request_reads_the_same_rows_for_5_or_40_steps(practice, n):
    funnel_with_steps(practice, n)
    assert FunnelStep.objects.filter(stage="post_purchase").count() == n
    client = member(practice, Role.VIEWER)
    path = ",".join(f"s{i}:no" for i in range(n - 1))
    assert queries_for(client, "bumps=bump") == PINNED_QUERIES
    assert queries_for(client, f"bumps=bump&at=post_purchase&path={path}") == PINNED_QUERIES
    assert queries_for(client, f"at=post_purchase&path={path},s{n - 1}:yes") == PINNED_QUERIES
    assert queries_for(client, f"at=post_purchase&path={path},s{n - 1}:yes") == KEPT_QUERIES  # the page is kept
