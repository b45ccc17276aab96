"""The signed-in session: it ends after two idle hours (configurable), its pages are never cached, and deleting a
practice or a funnel asks for the password unless it was typed in the last few minutes."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Practice, Role
from accounts.sessions import LAST_SEEN, PASSWORD_AT
from funnels.models import Funnel
from funnels.services.demo import DEMO_DIR
from funnels.services.transfer import funnel_import
from tests.accounts.people import PASSWORD, client_for, person

pytestmark = pytest.mark.django_db


def age(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_for_more_than_two_hours_is_signed_out(practice):
    client = client_for(person(practice))
    assert client.get("/funnels/").status_code == 200
    age(client, LAST_SEEN, 2 * 3600 + 5)
    response = client.get("/funnels/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/sign-in/")
    assert "signed out after 2 hours without activity" in response.content.decode()
    assert client.get("/funnels/").status_code == 302


def test_activity_keeps_it_alive_and_the_timeout_is_configurable(practice, settings):
    client = client_for(person(practice))
    age(client, LAST_SEEN, 2 * 3600 - 60)
    assert client.get("/funnels/").status_code == 200  # still within the window: pushed on
    assert time.time() - client.session[LAST_SEEN] < 5
    settings.SESSION_IDLE_TIMEOUT = 600
    age(client, LAST_SEEN, 601)
    assert client.get("/funnels/").status_code == 302


def test_signed_in_pages_are_not_stored_and_public_ones_may_be(practice):
    client = client_for(person(practice))
    for path in ("/funnels/", "/offers/", "/accounts/members/", "/accounts/password/"):
        assert "no-store" in client.get(path)["Cache-Control"], path
    assert "no-store" not in Client().get("/healthz").get("Cache-Control", "")


def make_funnel(practice: Practice) -> Funnel:
    return funnel_import(practice=practice, raw=(DEMO_DIR / "calm-classic.json").read_bytes()).funnel


def test_deleting_a_funnel_asks_for_the_password_when_it_was_typed_long_ago(practice):
    funnel = make_funnel(practice)
    client = client_for(person(practice))
    age(client, PASSWORD_AT, 3600)
    page = client.get(f"/funnels/{funnel.slug}/delete/").content.decode()
    assert 'name="password"' in page and "type your password again" in page
    refused = client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1"})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    wrong = client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1", "password": "not-it"})
    assert "That is not your password; nothing was deleted." in wrong.content.decode()
    assert Funnel.objects.filter(pk=funnel.pk).exists()
    done = client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1", "password": PASSWORD})
    assert done.status_code == 302 and Funnel.objects.get(pk=funnel.pk).deleted_at is not None  # in the trash


def test_right_after_signing_in_no_password_is_asked_again(practice):
    funnel = make_funnel(practice)
    client = Client()
    person(practice, username="maya")
    client.post("/accounts/sign-in/", {"username": "maya", "password": PASSWORD})
    assert 'name="password"' not in client.get(f"/funnels/{funnel.slug}/delete/").content.decode()
    assert client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1"}).status_code == 302


def test_wrong_confirmations_count_as_failed_sign_ins(practice):
    funnel = make_funnel(practice)
    client = client_for(person(practice))
    age(client, PASSWORD_AT, 3600)
    for _ in range(10):
        client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1", "password": "guess"})
    locked = client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1", "password": PASSWORD})
    assert locked.status_code == 429
    assert Funnel.objects.filter(pk=funnel.pk).exists()


def test_deleting_the_practice_needs_its_name_and_a_recent_password(practice):
    owner = person(practice, username="olive")
    make_funnel(practice)
    client = client_for(owner)
    age(client, PASSWORD_AT, 3600)
    assert 'name="password"' in client.get("/accounts/practice/delete/").content.decode()
    wrong_name = client.post("/accounts/practice/delete/", {"name": "Some other", "password": PASSWORD})
    assert "That is not the practice&#x27;s name; nothing was deleted." in wrong_name.content.decode()
    age(client, PASSWORD_AT, 3600)  # the right password above opened the window again; close it
    no_password = client.post("/accounts/practice/delete/", {"name": practice.name, "password": "nope"})
    assert "That is not your password" in no_password.content.decode()
    assert Practice.objects.filter(pk=practice.pk).exists()
    done = client.post("/accounts/practice/delete/", {"name": practice.name, "password": PASSWORD})
    assert done.status_code == 303 and done["Location"] == "/funnels/"
    assert not Practice.objects.filter(pk=practice.pk).exists() and not Funnel.objects.exists()
    assert User.objects.filter(pk=owner.pk).exists()  # the accounts stay
    assert client.get("/funnels/")["Location"] == "/accounts/practices/new/"


def test_only_an_owner_may_delete_the_practice(practice):
    client = client_for(person(practice, Role.COACH, "cora"))
    assert client.post("/accounts/practice/delete/", {"name": practice.name, "password": PASSWORD}).status_code == 403
    assert Practice.objects.filter(pk=practice.pk).exists()
