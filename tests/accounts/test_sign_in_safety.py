"""Signing in safely: django-axes locks an account after ten wrong passwords from any number of addresses, and an
address after ten wrong passwords for any accounts; the address is the client's, read through the trusted proxies;
sign-ups are limited per address; a locked client is told how long is left; failures are on the audit trail."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import AuditEvent, Role
from tests.accounts.people import PASSWORD, person
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

SIGN_IN = "/accounts/sign-in/"


def sign_in(username: str, password: str, **meta: str):
    return Client().post(SIGN_IN, {"username": username, "password": password}, **meta)


def test_ten_wrong_passwords_from_ten_addresses_lock_the_account_everywhere(practice):
    person(practice, username="maya")
    for n in range(10):
        response = sign_in("maya", "wrong-guess", REMOTE_ADDR=f"203.0.113.{n + 1}")
        assert response.status_code == (200 if n < 9 else 429)
    # the right password, from an address never seen before, is refused while the lock lasts
    locked = sign_in("maya", PASSWORD, REMOTE_ADDR="198.51.100.77")
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "Signing in is paused" in html and "locked for about 60 minutes" in html
    assert 3540 <= int(locked["Retry-After"]) <= 3600
    assert 'href="/accounts/password/reset/"' in html
    # another account from those same addresses is not affected
    person(practice, role=Role.VIEWER, username="sam")
    assert sign_in("sam", PASSWORD, REMOTE_ADDR="203.0.113.1").status_code == 302


def test_ten_wrong_passwords_from_one_address_lock_that_address_only(practice):
    person(practice, username="maya")
    for n in range(10):
        sign_in(f"guess-{n}", "wrong-guess", REMOTE_ADDR="203.0.113.9")
    assert sign_in("maya", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert sign_in("maya", PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302


def test_behind_a_trusted_proxy_each_client_is_counted_apart(practice, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    person(practice, username="maya")
    person(practice, role=Role.COACH, username="sam")
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for _ in range(10):  # one client behind the proxy gets it wrong ten times
        sign_in("intruder", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    assert sign_in("maya", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy).status_code == 429
    # everyone else behind the same proxy still signs in
    assert sign_in("sam", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy).status_code == 302
    # a client cannot hide behind an address it writes itself: the proxy appended the real one on the right
    spoofed = {"HTTP_X_FORWARDED_FOR": "198.51.100.20, 203.0.113.66"}
    assert sign_in("maya", PASSWORD, **spoofed, **proxy).status_code == 429


def test_without_trusted_proxies_the_header_is_ignored(practice):
    person(practice, username="maya")
    for n in range(10):  # every request claims another address; all come from one peer
        sign_in(f"guess-{n}", "wrong", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert sign_in("maya", PASSWORD, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429


def test_a_successful_sign_in_starts_the_count_again(practice):
    person(practice, username="maya")
    for _ in range(9):
        sign_in("maya", "wrong")
    assert sign_in("maya", PASSWORD).status_code == 302
    for _ in range(9):
        sign_in("maya", "wrong")
    assert sign_in("maya", PASSWORD).status_code == 302


def test_failed_sign_ins_are_on_the_trail_of_each_practice_of_the_account(practice):
    other = make_practice()
    maya = person(practice, username="maya")
    from accounts.models import Membership

    Membership.objects.create(user=maya, practice=other, role=Role.VIEWER)
    sign_in("maya", "wrong", REMOTE_ADDR="203.0.113.4")
    sign_in("nobody-by-that-name", "wrong")
    rows = AuditEvent.objects.filter(action="sign_in.failed")
    assert sorted(rows.values_list("practice_id", flat=True)) == sorted([practice.pk, other.pk])
    assert {(r.target, r.ip_address, r.actor_id) for r in rows} == {("maya", "203.0.113.4", None)}


def test_a_lock_is_on_the_trail_once_however_often_it_is_tried(practice):
    person(practice, username="maya")
    for n in range(14):
        sign_in("maya", "wrong", REMOTE_ADDR=f"203.0.113.{n + 1}")
    assert AuditEvent.objects.filter(action="sign_in.failed").count() == 9
    assert AuditEvent.objects.filter(action="sign_in.locked").count() == 1


def test_sign_ups_are_limited_per_address(db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign-up-ip": (3, 3600)}

    def sign_up(n: int, **meta: str):
        data = {
            "username": f"coach{n}",
            "email": f"coach{n}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "practice_name": f"Calm {n}",
            "currency": "USD",
        }
        return Client().post("/accounts/sign-up/", data, **meta)

    assert [sign_up(n).status_code for n in range(3)] == [302, 302, 302]
    refused = sign_up(3)
    assert refused.status_code == 429 and "Too many sign-ups from your address" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert sign_up(4, REMOTE_ADDR="198.51.100.3").status_code == 302  # another address is not held back


def test_the_default_sign_up_limit_stops_a_flood(db):
    codes = [
        Client()
        .post("/accounts/sign-up/", {"username": f"x{n}", "password1": "a", "password2": "b", "practice_name": "P"})
        .status_code
        for n in range(12)
    ]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
