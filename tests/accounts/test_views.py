"""Sign up, sign in and out, and the practice switcher."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.access import SESSION_KEY
from accounts.models import Membership, Practice, Role
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-calm-password-2026"


def member(practice: Practice, role: str = Role.OWNER, username: str = "coach"):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, practice=practice, role=role)
    return user


def test_pages_need_a_sign_in():
    for url in ("/funnels/", "/offers/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/?next=")


def test_sign_up_creates_the_user_and_their_practice_with_them_as_owner():
    response = Client().post(
        "/accounts/sign-up/",
        {
            "username": "maya",
            "email": "maya@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "practice_name": "Calm Coaching",
            "currency": "eur",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/offers/"
    practice = Practice.objects.get(slug="calm-coaching")
    assert practice.currency == "EUR"
    assert Membership.objects.get(practice=practice).role == Role.OWNER


def test_sign_up_errors_are_shown_and_nothing_is_created():
    response = Client().post(
        "/accounts/sign-up/",
        {
            "username": "maya",
            "password1": PASSWORD,
            "password2": "different",
            "practice_name": "Calm",
            "currency": "us1",
        },
    )
    assert response.status_code == 200
    assert b"three-letter code" in response.content
    assert not get_user_model().objects.exists() and not Practice.objects.exists()


def test_sign_in_and_sign_out():
    member(make_practice())
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "coach", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/funnels/"
    assert client.get("/funnels/").status_code == 200
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/funnels/").status_code == 302


def test_a_wrong_password_is_refused_with_a_message():
    member(make_practice())
    response = Client().post("/accounts/sign-in/", {"username": "coach", "password": "nope"})
    assert response.status_code == 200
    assert b"correct username and password" in response.content


def test_a_user_without_a_practice_is_asked_to_make_one():
    user = get_user_model().objects.create_user(username="lonely", password=PASSWORD)
    client = Client()
    client.force_login(user)
    assert client.get("/funnels/")["Location"] == "/accounts/practices/new/"
    response = client.post("/accounts/practices/new/", {"name": "Lonely No More", "currency": "GBP"})
    assert response.status_code == 302
    assert Membership.objects.get(user=user).practice.currency == "GBP"


def test_the_switcher_changes_the_current_practice_only_to_ones_you_belong_to():
    first, second, stranger = make_practice(), make_practice(), make_practice()
    user = member(first)
    Membership.objects.create(user=user, practice=second, role=Role.VIEWER)
    client = Client()
    client.force_login(user)
    page = client.get("/funnels/").content.decode()
    assert first.name in page and second.name in page and stranger.name not in page
    client.post("/accounts/practices/switch/", {"practice": second.slug})
    assert client.session[SESSION_KEY] == second.pk
    client.post("/accounts/practices/switch/", {"practice": stranger.slug})
    assert client.session[SESSION_KEY] == second.pk


def test_sign_out_and_switch_need_csrf():
    user = member(make_practice())
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/accounts/practices/switch/", {"practice": "x"}).status_code == 403
    assert client.post("/accounts/sign-out/").status_code == 403


def test_pages_carry_a_content_security_policy_and_no_inline_script():
    client = Client()
    client.force_login(member(make_practice()))
    response = client.get("/funnels/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()
