"""Passwords: change one, reset a forgotten one by email (Django's views, the app's pages), and the rules every
new password follows (12 characters at least, and Django's four validators)."""

from __future__ import annotations

import email
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.accounts.people import PASSWORD, client_for, person

pytestmark = pytest.mark.django_db

CONSOLE = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
RESET_LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")
NEW_PASSWORD = "quiet-river-morning-74"


def test_the_reset_flow_through_the_console_backend(practice, settings, capsys):
    settings.MAILERS = CONSOLE  # the default without SMTP: the message is printed
    person(practice, username="maya", email="maya@example.com")
    client = Client()
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/sign-in/").content.decode()
    response = client.post("/accounts/password/reset/", {"email": "maya@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    printed = email.message_from_string(capsys.readouterr().out.split("-" * 79)[0])  # the console's message
    assert printed["Subject"] == "Reset your Offer Architect password" and printed["To"] == "maya@example.com"
    link = RESET_LINK.search(printed.get_payload(decode=True).decode()).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    assert User.objects.get(username="maya").check_password(NEW_PASSWORD)
    assert Client().post("/accounts/sign-in/", {"username": "maya", "password": NEW_PASSWORD}).status_code == 302
    # the link is used up
    assert "This link cannot be used" in Client().get(link, follow=True).content.decode()


def test_a_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(settings, capsys, db):
    settings.MAILERS = CONSOLE
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert "Subject:" not in capsys.readouterr().out


def test_reset_requests_are_limited_per_address(settings, db):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password-reset-ip": (2, 3600)}
    for _ in range(2):
        assert Client().post("/accounts/password/reset/", {"email": "x@example.com"}).status_code == 302
    refused = Client().post("/accounts/password/reset/", {"email": "x@example.com"})
    assert refused.status_code == 429 and "Too many reset requests" in refused.content.decode()


def test_changing_the_password(practice):
    user = person(practice)
    client = client_for(user)
    assert client.get("/accounts/password/").status_code == 200
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/funnels/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/funnels/").status_code == 200  # this session stays signed in


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("calm-short1", "at least 12 characters"),
        ("123456789012345", "entirely numeric"),
        ("password1234", "too common"),
        ("maya-example-com", "too similar"),
    ],
)
def test_a_new_password_follows_the_four_rules(practice, password, says):
    user = person(practice, username="maya", email="maya@example.com")
    response = client_for(user).post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    )
    assert response.status_code == 200 and says in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sign_up_asks_for_an_email_and_a_twelve_character_password(db):
    response = Client().post(
        "/accounts/sign-up/",
        {
            "username": "kim",
            "password1": "calm-kim-1",
            "password2": "calm-kim-1",
            "practice_name": "K",
            "currency": "USD",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "at least 12 characters" in html and "This field is required" in html
    assert not User.objects.exists()


def test_a_new_password_through_the_emailed_link_lifts_a_sign_in_lock(practice):
    from django.core import mail

    person(practice, username="maya", email="maya@example.com")
    for n in range(10):
        Client().post("/accounts/sign-in/", {"username": "maya", "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{n}")
    assert Client().post("/accounts/sign-in/", {"username": "maya", "password": PASSWORD}).status_code == 429
    client = Client()
    client.post("/accounts/password/reset/", {"email": "maya@example.com"})
    link = RESET_LINK.search(mail.outbox[-1].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert Client().post("/accounts/sign-in/", {"username": "maya", "password": NEW_PASSWORD}).status_code == 302
