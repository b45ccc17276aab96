"""The funnel editor over HTTP: the page (figures bar, cards in flow order, no internal keys on screen), who may
edit, stale edits (409), the funnel's own edits (core offer, name, status), and the size and queries of the
page, fixed or linear whatever the funnel's size. The step edits are in test_editor_steps.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership, Role
from funnels.models import Funnel, FunnelStep
from funnels.services.editing import funnel_create, funnel_step_add, funnel_step_set_take_rate
from tests.factories import make_offer, make_practice
from tests.factories import signed_in_client as member
from tests.funnels.views.editor_support import (
    EDITOR,
    HTMX,
    aov,
    assert_edit_answer,
    bar_aov,
    status_line,
    step,
    version_of,
)

pytestmark = pytest.mark.django_db


# -- reading ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OWNER, Role.COACH])
def test_owners_and_coaches_get_the_editor_with_its_controls(practice, calm, role):
    response = member(practice, role).get(EDITOR)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Calm</h1>" in html
    assert '<input type="hidden" id="funnel-version" name="version" value="2">' in html
    assert 'hx-post="/funnels/calm/steps/post_purchase/up1/take-rate/"' in html
    assert '<label for="take-rate-step-up1">Take rate (%)</label>' in html
    # each answer says where it leads, and opens its choices only when asked
    assert 'data-load="/funnels/calm/steps/post_purchase/up1/edges/choices/"' in html
    assert 'data-load="/funnels/calm/steps/add/choices/?place=one_click&amp;after=up1:on_decline"' in html
    assert 'href="/static/css/diagram.css"' in html and 'src="/static/js/editor.js"' in html
    assert "read-only-note" not in html
    # one CSRF token per page, sent by htmx as a header: no step's form carries its own (the header's practice
    # switcher and sign-out, and undo and redo, which also work as plain forms, have theirs: 4 whatever the size)
    assert html.count("csrfmiddlewaretoken") == 4


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CATALOG_ADMIN])
def test_viewers_and_catalog_admins_read_the_editor_without_controls(practice, calm, role):
    response = member(practice, role).get(EDITOR)
    html = response.content.decode()
    main = html.split('<main id="main"')[1]
    assert response.status_code == 200
    assert "You can read this funnel; only owners and coaches can change it." in html
    assert "hx-post" not in main and "data-load" not in main
    assert 'id="funnel-version"' not in html
    assert 'name="take_rate"' not in html
    assert "<button" not in main
    assert 'If they accept →</span> <span class="answer-target">the thank-you page</span>' in html
    assert aov("$157.00") in html and bar_aov("$157.00") in html


def test_the_figures_bar_shows_aov_revenue_uplift_and_the_counts_linked_to_the_findings(calm_with_downsell, coach):
    html = coach.get(EDITOR).content.decode()
    bar = html.split('<section id="figures-bar"')[1].split("</section>")[0]
    assert bar_aov("$171.40") in bar
    assert 'id="bar-revenue" class="num">$171.40<' in bar
    assert '<a href="#findings" class="badge badge-ok" id="bar-errors">0 errors</a>' in bar
    assert 'title="Average order value: what one buyer' in bar  # its definition beside it
    # and it comes before every column, so it is the first thing below the header
    assert html.index('id="figures-bar"') < html.index('id="checkout"')


def test_after_payment_cards_come_in_flow_order_whatever_their_stored_order(practice, calm_with_downsell, coach):
    # the downsell stored first: the buyer still meets the upsell first
    FunnelStep.objects.filter(funnel=calm_with_downsell, key="down1").update(position=0)
    html = coach.get(EDITOR).content.decode()
    assert html.index('id="step-up1"') < html.index('id="step-down1"')
    assert '<a href="#step-down1" class="answer-target">One call</a>' in html
    # no drag handle or up/down where order means nothing to the buyer
    column = html.split('<section id="post-purchase"')[1].split("</section>")[0]
    assert "drag-handle" not in column and "move-up-" not in column


def test_a_step_no_path_reaches_is_listed_apart_and_marked_on_its_card(practice, calm, primer, coach):
    funnel_step_add(funnel=calm, expected_version=2, offer=primer["mastermind"], slot="one_click", key="lost")
    html = coach.get(EDITOR).content.decode()
    assert "Not reached by any path" in html
    card = html.split('id="step-lost"')[1].split("</li>\n</ol>")[0]
    assert "No path reaches it" in card
    assert '<a class="badge badge-error card-mark" href="#findings">1 error</a>' in card
    assert 'id="start-step-lost"' in card  # "Show first after payment"


def test_no_internal_key_is_on_screen_where_a_name_exists(calm_with_downsell, coach):
    html = coach.get(EDITOR).content.decode()
    text = html.split('<main id="main"')[1]
    for shown in (">up1<", "(up1)", "(down1)", "Step up1", "version 3"):
        assert shown not in text


def test_anonymous_visitors_are_sent_to_sign_in(calm):
    response = Client().get(EDITOR)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next={EDITOR}"
    response = Client().post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "30"})
    assert response.status_code == 302
    assert step(calm, "up1").take_rate == Decimal("0.2")


def test_another_practices_funnel_is_not_found(calm, primer):
    outsider = member(make_practice(), Role.OWNER)
    assert outsider.get(EDITOR).status_code == 404
    assert outsider.get(f"{EDITOR}steps/add/choices/?place=bump").status_code == 404
    response = outsider.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "30"}, **HTMX)
    assert response.status_code == 404
    assert step(calm, "up1").take_rate == Decimal("0.2")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("steps/post_purchase/nope/take-rate/", {"take_rate": "30"}),
        ("steps/checkout/up1/take-rate/", {"take_rate": "30"}),
        ("steps/somewhere/up1/take-rate/", {"take_rate": "30"}),
        ("steps/post_purchase/nope/edges/", {"edge": "on_accept", "target": ""}),
        ("steps/post_purchase/nope/remove/", {}),
        ("steps/checkout/nope/move/", {"direction": "up"}),
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
    assert client.post(f"{EDITOR}steps/post_purchase/up1/remove/", {"version": "2"}).status_code == 403
    assert client.post(f"{EDITOR}rename/", {"version": "2", "name": "Mine"}).status_code == 403
    assert client.get(f"{EDITOR}steps/add/choices/?place=bump").status_code == 403
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
    assert coach.post(f"{EDITOR}steps/add/choices/?place=bump").status_code == 405


# -- the funnel itself: core offer, name, status -------------------------------------------------------------


def test_changing_the_core_offer_updates_the_steps_defaults_too(calm, coach):
    response = coach.post(f"{EDITOR}settings/", {"version": "2", "core_offer": "calm-deep"}, **HTMX)
    html = assert_edit_answer(response, parts=("checkout", "post-purchase"), version=3)
    assert Funnel.objects.get(pk=calm.pk).core_offer.key == "calm-deep"
    assert status_line("The core offer is now “Calm, the deep course” ($197.00).") in html
    assert aov("$257.00") in html and bar_aov("$257.00") in html


def test_only_core_offers_can_be_the_core(calm, coach):
    response = coach.post(f"{EDITOR}settings/", {"version": "2", "core_offer": "three-calls"}, **HTMX)
    assert response.status_code == 422
    assert '<small class="field-error" role="alert">Choose one of the core offers.</small>' in response.content.decode()
    assert Funnel.objects.get(pk=calm.pk).core_offer.key == "calm-course"
    assert version_of(calm) == 2


def test_renaming_the_funnel(calm, coach):
    response = coach.post(f"{EDITOR}rename/", {"version": "2", "name": "  Calm, spring launch "}, **HTMX)
    html = assert_edit_answer(response, parts=("editor-head",), version=3)
    assert Funnel.objects.get(pk=calm.pk).name == "Calm, spring launch"
    assert status_line("Renamed “Calm” to “Calm, spring launch”.") in html
    assert "<h1>Calm, spring launch</h1>" in html


def test_a_blank_name_is_refused_beside_the_field(calm, coach):
    response = coach.post(f"{EDITOR}rename/", {"version": "2", "name": "   "}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert '<small id="funnel-name-error" class="field-error" role="alert">Give the funnel a name.</small>' in html
    assert Funnel.objects.get(pk=calm.pk).name == "Calm"


def test_setting_the_status(calm, coach):
    response = coach.post(f"{EDITOR}status/", {"version": "2", "status": "live"}, **HTMX)
    html = assert_edit_answer(response, parts=("editor-head",), version=3)
    assert Funnel.objects.get(pk=calm.pk).status == "live"
    assert status_line("“Calm” is now live.") in html
    response = coach.post(f"{EDITOR}status/", {"version": "3", "status": "gone"}, **HTMX)
    assert response.status_code == 422
    assert version_of(calm) == 3


# -- without JavaScript, and stale edits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data", "anchor"),
    [
        ("settings/", {"core_offer": "calm-deep"}, "#checkout"),
        ("rename/", {"name": "Calm two"}, ""),
        ("steps/add/", {"place": "thank_you_cross_sell", "offer": "sleep-audio"}, "#step-thank-you-sleep-audio"),
        ("steps/post_purchase/up1/take-rate/", {"take_rate": "25"}, "#step-up1"),
        ("steps/post_purchase/up1/edges/", {"edge": "on_accept", "target": "down1"}, "#step-up1"),
        ("steps/post_purchase/down1/remove/", {}, ""),
        ("start/", {"step": "down1"}, ""),
    ],
)
def test_each_edit_without_htmx_saves_and_redirects_back(calm_with_downsell, coach, path, data, anchor):
    response = coach.post(EDITOR + path, {"version": "3", **data})
    assert response.status_code == 303
    assert response["Location"] == f"{EDITOR}{anchor}"
    assert version_of(calm_with_downsell) == 4
    page = coach.get(response["Location"]).content.decode()
    assert '<p class="message message-success" role="status">' in page


def test_a_stale_edit_gets_409_with_a_reload_link_and_changes_nothing(calm, coach):
    funnel_step_set_take_rate(funnel=calm, expected_version=2, step=step(calm, "up1"), take_rate="0.25")  # another tab
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"version": "2", "take_rate": "40"}, **HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert '<div id="editor-alert" class="editor-alert" aria-live="polite" hx-swap-oob="innerHTML">' in html
    assert "“Calm” was changed in another tab or by someone else after you opened it" in html
    assert '<a href="/funnels/calm/">Reload the editor</a>' in html
    assert "version" not in html.split('aria-live="polite"')[1]  # no version numbers on screen
    assert step(calm, "up1").take_rate == Decimal("0.25")
    assert version_of(calm) == 3


def test_a_stale_edit_without_htmx_gets_the_current_page_with_409(calm, coach):
    funnel_step_set_take_rate(funnel=calm, expected_version=2, step=step(calm, "up1"), take_rate="0.25")
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/remove/", {"version": "2"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" in html
    assert "was changed in another tab or by someone else" in html
    assert '<input type="hidden" id="funnel-version" name="version" value="3">' in html
    assert FunnelStep.objects.filter(funnel=calm, key="up1").exists()


def test_an_edit_without_a_version_is_a_bad_request(calm, coach):
    response = coach.post(f"{EDITOR}steps/post_purchase/up1/take-rate/", {"take_rate": "30"}, **HTMX)
    assert response.status_code == 400
    assert version_of(calm) == 2


# -- size and queries, whatever the funnel's size ------------------------------------------------------------


def build_chain(practice, core, slug: str, size: int) -> Funnel:
    """A core, a bump, a thank-you cross-sell and ``size`` upsells, each declining to the next."""
    funnel = funnel_create(practice=practice, name=slug.title(), slug=slug, core_offer=core)
    version = 1
    bump = make_offer(practice, kind="order_bump", price="19", topics=["anxiety"])
    funnel_step_add(funnel=funnel, expected_version=version, offer=bump, slot="bump")
    version += 1
    audio = make_offer(practice, kind="cross_sell", price="29", topics=["anxiety"])
    funnel_step_add(funnel=funnel, expected_version=version, offer=audio, slot="cross_sell", stage="thank_you")
    version += 1
    previous = None
    for n in range(size):
        offer = make_offer(practice, kind="upsell", price=str(100 + n), topics=["anxiety"], name=f"Coaching plan {n}")
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


def measured(client: Client, method: str, path: str, data: dict | None = None) -> tuple[int, int]:
    """(queries, bytes) of one request."""
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, data or {}, **HTMX) if method == "post" else client.get(path)
    assert response.status_code == 200, response.content[:500]
    return len(queries), len(response.content)


def test_the_editor_reads_a_fixed_number_of_queries_whatever_the_funnels_size(practice, primer, coach):
    small = build_chain(practice, primer["course"], "small", 5)
    large = build_chain(practice, primer["course"], "large", 40)
    coach.get("/offers/")  # the session's first read, outside the counts

    def get(funnel: Funnel) -> int:
        return measured(coach, "get", f"/funnels/{funnel.slug}/")[0]

    # the first GET of a version: session, user, membership; the funnel's key fields; the funnel; funnel_load's
    # steps, offers and copy acknowledgements; the versions undo and redo would go to: 3 + 1 + 1 + 3 + 1
    assert (get(small), get(large)) == (9, 9)
    # again, unchanged: the whole page comes from the cache (accounts.page_cache): session, user, membership and
    # the funnel's key fields (its id, version and last change), no step, offer or version is read
    assert (get(small), get(large)) == (4, 4)

    def rate(funnel: Funnel) -> int:
        path = f"/funnels/{funnel.slug}/steps/post_purchase/s2/take-rate/"
        return measured(coach, "post", path, {"version": str(version_of(funnel)), "take_rate": "12"})[0]

    # session, user, membership; the funnel; the step; savepoint, version claim, the write, release; the
    # version kept (its snapshot's steps, offers and acknowledgements, the previous version to fold into, the
    # insert); undo's versions: 3 + 1 + 1 + 4 + 5 + 1. The answer shows the funnel as the version kept read it.
    assert (rate(small), rate(large)) == (15, 15)

    def choices(funnel: Funnel) -> int:
        return measured(coach, "get", f"/funnels/{funnel.slug}/steps/add/choices/?place=one_click&after=s4:on_accept")[
            0
        ]

    # session, user, membership; the funnel; the step followed; the catalog: 3 + 1 + 1 + 1
    assert (choices(small), choices(large)) == (6, 6)


def test_the_page_and_an_edits_reply_grow_linearly_with_the_funnel(practice, primer, coach):
    """Bytes per step stay bounded: no card lists every possible target, no form carries its own CSRF token, the
    side panel lists the weightiest offers only, and a take-rate edit answers with its card and the side panel,
    not the whole column. A step's share is what the page gains over the same funnel with no steps."""
    from funnels.presenters.editor import SIDE_STEPS

    empty = measured(coach, "get", f"/funnels/{build_chain(practice, primer['course'], 'chain-0', 0).slug}/")[1]
    pages, replies = {}, {}
    for size in (5, 40, 100):
        funnel = build_chain(practice, primer["course"], f"chain-{size}", size)
        pages[size] = measured(coach, "get", f"/funnels/{funnel.slug}/")[1]
        path = f"/funnels/{funnel.slug}/steps/post_purchase/s2/take-rate/"
        replies[size] = measured(coach, "post", path, {"version": str(version_of(funnel)), "take_rate": "12"})[1]
        # the side panel's offer-by-offer figures add up to SIDE_STEPS more, whatever the size
        assert pages[size] <= empty + 3000 * size + SIDE_STEPS * 800, (size, pages[size], empty)
        assert replies[size] / size <= 3000 + 20000 / size, (size, replies[size])
    # and the growth is linear: the bytes each step adds from 40 to 100 are those it adds from 5 to 40
    assert (pages[100] - pages[40]) / 60 <= (pages[40] - pages[5]) / 35 * 1.1
    assert (replies[100] - replies[40]) / 60 <= (replies[40] - replies[5]) / 35 * 1.1
