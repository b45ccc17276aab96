"""A new coach signs up in a real browser and lands in their empty catalog."""

from __future__ import annotations

import pytest

from accounts.models import Membership, Role
from tests.browser.conftest import PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-calm-password-2026"


def test_a_coach_signs_up_and_reaches_the_catalog(page):
    page.goto("/funnels/")
    assert "/accounts/sign-in/" in page.url
    page.get_by_role("link", name="Create your practice").click()
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Email address").fill("maya@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("Your practice's name").fill("Calm Coaching")
    page.get_by_role("button", name="Create my practice").click()
    page.wait_for_url("**/offers/")
    assert page.get_by_role("heading", name="Catalog").is_visible()
    assert Membership.objects.get(user__username="maya").role == Role.OWNER
    assert page.console_errors == []
    screenshot(page, "catalog-empty-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "catalog-empty-phone")
