"""The reality check in a real browser: upload the demo's orders, watch the progress bar while the worker reads
them, see assumed against observed, use the observed rates; and the page at 1440 and 390 pixels wide."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect

from accounts.models import Membership, Role
from accounts.services import practice_create
from funnels.models import Funnel, FunnelStep
from funnels.services.demo import DEMO_DIR
from funnels.services.transfer import funnel_import
from tests.browser.conftest import PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-calm-password-2026"
ACTUALS = "/funnels/calm-course-classic/actuals/"
WIDE = {"width": 1440, "height": 900}


def make_coach() -> None:
    user = get_user_model().objects.create_user(username="maya", password=PASSWORD, email="maya@example.com")
    practice = practice_create(name="Calm Coaching", slug="calm", currency="USD")
    Membership.objects.create(user=user, practice=practice, role=Role.COACH)
    funnel_import(practice=practice, raw=(DEMO_DIR / "calm-classic.json").read_bytes())


def sign_in(page: Page) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("maya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/funnels/")


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_from_upload_to_using_the_observed_rates(page: Page, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ORDERS_UPLOAD_DIR = tmp_path
    make_coach()
    page.set_viewport_size(WIDE)
    sign_in(page)
    page.goto("/funnels/calm-course-classic/forecast/")
    page.get_by_role("link", name="Reality check: how these rates compare with your orders").click()
    expect(page.get_by_role("heading", name="Reality check", exact=True)).to_be_visible()

    page.get_by_label("Orders export (CSV)").set_input_files(str(DEMO_DIR / "calm-classic-orders.csv"))
    page.get_by_role("button", name="Upload and read").click()
    progress = page.locator("#actuals-progress progress")
    expect(progress).to_be_visible()  # queued: the worker has not started; the page is usable meanwhile
    expect(page.get_by_role("heading", name="Upload orders")).to_be_visible()

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)  # the worker the demo runs beside it
    expect(page.get_by_role("heading", name="1,500 visits, from calm-classic-orders.csv")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("You assumed 20% for Three 1-on-1 coaching calls; 1,500 buyers saw it")).to_be_visible()
    expect(page.locator("#actual-post_purchase-up1")).to_have_class("assumption-off")
    expect(page.locator("#observed-diagram-title")).to_have_count(1)

    screenshot(page, "actuals-desktop-1440")
    page.screenshot(path=str(screenshot.__globals__["SCREENSHOTS"] / "actuals-desktop-1440-top.png"))
    page.set_viewport_size(PHONE)
    screenshot(page, "actuals-phone-390")
    page.set_viewport_size(WIDE)

    version = Funnel.objects.get(slug="calm-course-classic").version
    page.get_by_role("button", name="Use the observed rates").click()
    expect(page.get_by_text("The funnel now assumes the observed rates of 4 steps")).to_be_visible()
    expect(page.get_by_text("Every assumed rate lies inside its observed interval.")).to_be_visible()
    funnel = Funnel.objects.get(slug="calm-course-classic")
    assert funnel.version == version + 1
    assert FunnelStep.objects.get(funnel=funnel, key="up1").take_rate == Decimal("0.0940")  # 141 of 1,500
    assert page.console_errors == []  # no CSP violation, no script error
