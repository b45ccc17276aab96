"""The funnel pages kept whole per state (``accounts.page_cache``): served again only while nothing they show
has changed, each time with a working CSRF token of its own, for each viewer their own page."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client

from accounts.models import Membership, Practice
from accounts.page_cache import CSRF_SLOT, WHEN_SLOT
from funnels.models import Funnel
from funnels.services.editing import funnel_create, funnel_step_add
from offers.models import Offer
from offers.services import catalog_changed
from tests.factories import make_practice
from tests.factories import signed_in_client as member
from tests.funnels.views.editor_support import tokenless, version_of

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
PAGES = ("/funnels/", "/funnels/calm/", "/funnels/calm/forecast/", "/funnels/calm/preview/")


def kept_pages() -> list[str]:
    return [v for v in caches["pages"]._cache.values() if isinstance(v, bytes) and b"oa-csrf-slot" in v]  # type: ignore[attr-defined]


def test_a_page_served_again_is_the_same_page_with_a_fresh_working_token(practice, calm):
    client = member(practice, enforce_csrf_checks=True)
    for path in PAGES:
        first, again = client.get(path), client.get(path)
        assert first.status_code == again.status_code == 200, path
        assert tokenless(again.content) == tokenless(first.content), path
        assert CSRF_SLOT not in again.content.decode() and WHEN_SLOT not in again.content.decode()
    token = TOKEN.search(client.get("/funnels/calm/").content.decode())
    assert token is not None
    answer = client.post(
        "/funnels/calm/steps/post_purchase/up1/take-rate/",
        {"version": version_of(calm), "take_rate": "25"},
        HTTP_X_CSRFTOKEN=token.group(1),
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200
    assert "25%" in client.get("/funnels/calm/").content.decode()  # the edit moved the version: a new page


def test_a_message_waiting_is_shown_once_and_never_kept(practice, calm):
    client = member(practice)
    client.get("/funnels/calm/")  # kept
    saved = client.post("/funnels/calm/steps/post_purchase/up1/take-rate/", {"version": 2, "take_rate": "30"})
    assert saved.status_code == 303
    shown = client.get("/funnels/calm/").content.decode()
    assert 'class="message message-success"' in shown
    assert 'class="message message-success"' not in client.get("/funnels/calm/").content.decode()


def test_each_viewer_gets_their_own_header(practice, calm):
    owner, coach = member(practice), member(practice, "coach")
    assert f"Signed in as owner-of-{practice.slug}" in owner.get("/funnels/calm/").content.decode()
    assert f"Signed in as coach-of-{practice.slug}" in coach.get("/funnels/calm/").content.decode()
    viewer = member(practice, "viewer")
    assert 'hx-post="/funnels/calm/' not in viewer.get("/funnels/calm/").content.decode()  # reads only


def test_a_practice_renamed_or_joined_shows_at_once(practice, calm):
    client = member(practice)
    client.get("/funnels/")
    Practice.objects.filter(pk=practice.pk).update(name="Renamed practice")
    assert "Renamed practice" in client.get("/funnels/").content.decode()
    other = make_practice()
    user = get_user_model().objects.get(username=f"owner-of-{practice.slug}")
    Membership.objects.create(user=user, practice=other, role="viewer")
    assert other.name in client.get("/funnels/").content.decode()


def test_a_catalog_change_or_another_funnels_change_shows_at_once(practice, calm, primer):
    client = member(practice)
    before = client.get("/funnels/calm/forecast/").content.decode()
    Funnel.objects.create(practice=practice, name="Zebra", slug="zebra", core_offer=primer["course"])
    assert "Zebra" in client.get("/funnels/calm/forecast/").content.decode()  # a choice to compare with
    assert "Zebra" not in before
    client.get("/funnels/calm/")
    Offer.objects.filter(pk=primer["course"].pk).update(name="Renamed course")
    assert "Renamed course" not in client.get("/funnels/calm/").content.decode()  # no write through a service
    catalog_changed(practice.pk)  # what every catalog service does in its transaction
    assert "Renamed course" in client.get("/funnels/calm/").content.decode()


def test_the_list_keeps_its_times_as_slots_and_says_them_at_each_serve(practice, calm):
    client = member(practice)
    served = client.get("/funnels/").content.decode()
    assert re.search(r"<time [^>]*>now</time>", served)
    kept = kept_pages()
    assert kept and any(WHEN_SLOT.encode() in page for page in kept)


def test_a_page_that_is_not_a_plain_200_is_not_kept(practice, calm):
    client = member(practice)
    refused = client.get("/funnels/calm/preview/?at=post_purchase&path=nowhere:yes")
    assert refused.status_code == 400 and CSRF_SLOT not in refused.content.decode()
    assert kept_pages() == []
    Client().get("/funnels/calm/")  # signed out: sent to sign in
    assert kept_pages() == []


def test_the_catalog_shows_a_funnel_starting_to_use_an_offer_at_once(practice, calm, primer):
    client = member(practice)
    assert "used in 2 funnels" not in client.get("/offers/").content.decode()
    other = funnel_create(practice=practice, name="Second", core_offer=primer["deep"])
    funnel_step_add(funnel=other, expected_version=1, offer=primer["calls"], slot="one_click", key="up1")
    assert "used in 2 funnels" in client.get("/offers/").content.decode()  # the three calls: Calm and Second
