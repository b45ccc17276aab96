"""The forecast in a real browser: typing a number of buyers re-renders the results in place (htmx) and puts
the inputs in the address, choosing a funnel compares with it, and the page reads well on a desktop and a phone."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from accounts.models import Membership, Role
from accounts.services import practice_create
from core.money import format_money
from funnels.services.transfer import funnel_import
from tests.browser.conftest import PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-calm-password-2026"
DEMO = Path(__file__).resolve().parents[2] / "funnels" / "demo" / "calm-classic.json"
FORECAST = "/funnels/calm-course-classic/forecast/"


def make_viewer_with_funnels() -> None:
    """A viewer (the least of the roles: reading is all the forecast needs) of a practice holding the classic demo
    funnel and the same funnel without its downsell."""
    user = get_user_model().objects.create_user(username="rosa", password=PASSWORD, email="rosa@example.com")
    practice = practice_create(name="Calm Coaching", slug="calm", currency="USD")
    Membership.objects.create(user=user, practice=practice, role=Role.VIEWER)
    funnel_import(practice=practice, raw=DEMO.read_bytes())
    document = json.loads(DEMO.read_text())
    document["name"] = "Calm course: no downsell"
    document["offers"] = [o for o in document["offers"] if o["key"] != "one-call"]
    document["post_purchase"]["steps"] = [
        {**s, "on_decline": None} for s in document["post_purchase"]["steps"] if s["key"] != "down1"
    ]
    funnel_import(practice=practice, raw=json.dumps(document))


def sign_in(page: Page) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("rosa")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/funnels/")


def money_of(text: str) -> Decimal:
    return Decimal(re.sub(r"[^0-9.]", "", text))


def test_a_thousand_buyers_bring_a_thousand_times_the_aov_and_the_page_reads_well(page: Page):
    make_viewer_with_funnels()
    sign_in(page)
    page.goto(FORECAST)
    expect(page.get_by_role("heading", name="Forecast", exact=True)).to_be_visible()
    expect(page.get_by_role("note").filter(has_text="not a promise of results")).to_be_visible()
    page.evaluate("window.__notReloaded = true")

    buyers = page.get_by_label("Number of buyers", exact=True)
    buyers.fill("1000")
    expect(page.get_by_role("heading", name="For 1,000 buyers")).to_be_visible()
    aov = money_of(page.locator("#figure-aov").inner_text())
    assert aov == Decimal("177.10")
    expect(page.locator("#projected-revenue")).to_have_text(format_money(aov * 1000, "USD"))
    assert page.evaluate("window.__notReloaded === true"), "the results should change in place"
    assert "buyers=1000" in page.url  # every forecast is a link

    buyers.fill("many")
    expect(page.locator("#buyers-feedback")).to_contain_text("Enter a whole number of buyers")
    expect(page.locator("#projected-revenue")).to_have_count(0)
    buyers.fill("1,000")
    expect(page.locator("#buyers-feedback")).to_be_empty()
    expect(page.locator("#projected-revenue")).to_have_text("$177,100.00")

    page.get_by_label("Compare with").select_option(label="Calm course: no downsell")
    expect(page.get_by_text("This funnel's AOV is $14.40 higher than that of")).to_be_visible()
    assert "compare=calm-course-no-downsell" in page.url

    page.get_by_text("The order totals as a table").click()
    expect(page.get_by_role("rowheader", name="$97.00")).to_be_visible()
    expect(page.locator("svg.chart-wide rect.bar")).to_have_count(6)
    expect(page.locator("svg.chart-narrow")).to_be_hidden()
    screenshot(page, "forecast-desktop")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#projected-revenue")).to_have_text("$177,100.00")  # the link keeps the inputs
    expect(page.locator("svg.chart-narrow")).to_be_visible()  # drawn for a phone, so its labels stay legible
    expect(page.locator("svg.chart-wide")).to_be_hidden()
    page.get_by_text("The order totals as a table").click()
    screenshot(page, "forecast-phone")
    assert page.console_errors == []


def test_the_plain_form_works_without_javascript(browser, live_server):
    make_viewer_with_funnels()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page)
        page.goto(FORECAST)
        page.get_by_label("Number of buyers", exact=True).fill("2000")
        page.get_by_role("button", name="Update the forecast").click()
        page.wait_for_url("**/forecast/?buyers=2000*")
        expect(page.locator("#projected-revenue")).to_have_text("$354,200.00")
    finally:
        context.close()
