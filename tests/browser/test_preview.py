"""A coach previews the buyer's screens in a real browser: ticks a bump, accepts or declines the one-click offers,
restarts, and sees hostile copy stay text. Screenshots of each screen at desktop and phone widths."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from accounts.models import Membership, Practice, Role
from accounts.services import practice_create
from funnels.services.editing import funnel_create, funnel_step_add
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.factories import make_primer_catalog

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-calm-password-2026"
PREVIEW = "/funnels/calm/preview/"


# -- given ------------------------------------------------------------------------------------------------------


def make_member(role: str = Role.VIEWER) -> Practice:
    user = get_user_model().objects.create_user(username="sam", password=PASSWORD, email="sam@example.com")
    practice = practice_create(name="Calm Coaching", slug="calm-coaching", currency="USD")
    Membership.objects.create(user=user, practice=practice, role=role)
    return practice


def make_calm_funnel(practice: Practice, *, headline: str | None = None) -> None:
    """The primer's funnel: the $97 course (+ $19 cards bump) → $300 three calls; on a no → the $120 call."""
    offers = make_primer_catalog(
        practice,
        "course",
        "cards",
        "calls",
        "call",
        "audio",
        course={
            "headline": headline or "Calm your nervous system in eight weeks",
            "body": "Short daily lessons you can do at your own pace.\nStart tonight, in ten minutes.",
        },
        cards={
            "name": "Breath cards",
            "headline": "Add the printable breathing cards",
            "body": "Twelve cards for the fridge or your desk.",
        },
        calls={
            "headline": headline or "Would you like a real person beside you?",
            "body": "Three 45-minute calls with me over the eight weeks, to walk through the course together.",
            "accept_label": "Yes, add the three calls",
            "decline_label": "No thanks, just the course",
        },
        call={
            "headline": "Or one call to get you started",
            "accept_label": "Yes, add one call",
            "decline_label": "No, thank you",
        },
        audio={"headline": "Sleep wind-down audio", "body": "Seven short tracks for the end of the day."},
    )
    course, cards, calls, call, audio = (offers[h] for h in ("course", "cards", "calls", "call", "audio"))
    funnel = funnel_create(practice=practice, name="Calm course", slug="calm", core_offer=course)
    funnel_step_add(funnel=funnel, expected_version=1, offer=cards, slot="bump", key="cards")
    up1 = funnel_step_add(funnel=funnel, expected_version=2, offer=calls, slot="one_click", key="up1")
    funnel_step_add(
        funnel=funnel,
        expected_version=3,
        offer=call,
        slot="one_click",
        key="down1",
        connect_from=up1,
        edge="on_decline",
    )
    funnel_step_add(funnel=funnel, expected_version=4, offer=audio, slot="cross_sell", stage="thank_you", key="audio")


def open_preview(page: Page) -> None:
    """Ask for the preview, sign in through the form, and land back on it."""
    page.goto(PREVIEW)
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{PREVIEW}")
    expect(page.get_by_role("status").filter(has_text="Preview — no payment is taken")).to_be_visible()


def total(page: Page):
    return page.locator("#checkout-total strong")


def screen_title(page: Page):
    return page.locator("#screen-title")


def at_phone_width(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.get_by_role("group", name="Preview width").get_by_role("link", name="Phone").click()
    expect(page.locator(".preview-frame")).to_have_class(re.compile("preview-frame-phone"))


def at_desktop_width(page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    page.get_by_role("group", name="Preview width").get_by_role("link", name="Desktop").click()
    expect(page.locator(".preview-frame")).to_have_class(re.compile("preview-frame-desktop"))


# -- the checkout ----------------------------------------------------------------------------------------------------


def test_ticking_a_bump_changes_the_total(page):
    make_calm_funnel(make_member())
    open_preview(page)
    expect(screen_title(page)).to_have_text("Checkout")
    bump = page.get_by_role("checkbox", name=re.compile("Breath cards"))
    expect(bump).not_to_be_checked()
    expect(total(page)).to_have_text("$97.00")
    expect(page.get_by_role("button", name="Update total")).to_have_count(0)  # shown only without JavaScript
    screenshot(page, "preview-checkout-desktop")

    bump.check()
    expect(total(page)).to_have_text("$116.00")
    expect(page).to_have_url(re.compile(r"bumps=cards"))  # remembered: a reload keeps the tick
    page.reload()
    expect(page.get_by_role("checkbox", name=re.compile("Breath cards"))).to_be_checked()
    expect(total(page)).to_have_text("$116.00")
    page.get_by_role("checkbox", name=re.compile("Breath cards")).uncheck()
    expect(total(page)).to_have_text("$97.00")

    at_phone_width(page)
    expect(page).to_have_url(re.compile(r"view=phone"))
    screenshot(page, "preview-checkout-phone")
    assert page.console_errors == []


def test_the_checkout_works_without_javascript(browser, live_server):
    make_calm_funnel(make_member())
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    try:
        open_preview(page)
        page.get_by_role("checkbox", name=re.compile("Breath cards")).check()
        page.get_by_role("button", name="Update total").click()
        expect(total(page)).to_have_text("$116.00")
        page.get_by_role("button", name="Complete purchase").click()
        expect(page.get_by_text("Your order total would become $416.00")).to_be_visible()
        page.get_by_role("button", name="No thanks, just the course").click()
        expect(screen_title(page)).to_have_text("Or one call to get you started")
    finally:
        context.close()


# -- one-click offers and the thank-you page -------------------------------------------------------------------------


def test_accepting_the_upsell_reaches_the_thank_you_page_with_the_right_summary(page):
    make_calm_funnel(make_member())
    open_preview(page)
    page.get_by_role("checkbox", name=re.compile("Breath cards")).check()
    expect(total(page)).to_have_text("$116.00")
    page.get_by_role("button", name="Complete purchase").click()

    expect(screen_title(page)).to_have_text("Would you like a real person beside you?")
    expect(screen_title(page)).to_be_focused()
    expect(page.get_by_text("Your order total would become $416.00")).to_be_visible()
    expect(page).to_have_url(re.compile(r"bumps=cards&at=post_purchase$"))
    accept = page.get_by_role("button", name="Yes, add the three calls")
    decline = page.get_by_role("button", name="No thanks, just the course")
    accept_box, decline_box = accept.bounding_box(), decline.bounding_box()
    assert accept_box and decline_box
    assert (accept_box["width"], accept_box["height"]) == (decline_box["width"], decline_box["height"])
    screenshot(page, "preview-offer-desktop")
    at_phone_width(page)
    accept_box, decline_box = accept.bounding_box(), decline.bounding_box()
    assert accept_box and decline_box
    assert (accept_box["width"], accept_box["height"]) == (decline_box["width"], decline_box["height"])
    screenshot(page, "preview-offer-phone")
    at_desktop_width(page)

    page.get_by_role("button", name="Yes, add the three calls").click()
    expect(screen_title(page)).to_have_text("Thank you — your order is confirmed")
    summary = page.get_by_role("table", name="Your order")
    rows = summary.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Calm Your Nervous System")
    expect(rows.nth(0)).to_contain_text("$97.00")
    expect(rows.nth(1)).to_contain_text("Breath cards")
    expect(rows.nth(1)).to_contain_text("$19.00")
    expect(rows.nth(2)).to_contain_text("Three 1-on-1 coaching calls")
    expect(rows.nth(2)).to_contain_text("$300.00")
    expect(summary.locator("tfoot")).to_contain_text("$416.00")
    later = page.get_by_role("region", name="You might also like")
    expect(later).to_contain_text("Sleep wind-down audio")
    expect(later).to_contain_text("$29.00")
    trail = page.get_by_role("navigation", name="Steps taken")
    expect(trail).to_contain_text("Three 1-on-1 coaching calls")
    expect(trail).to_contain_text("accepted, +$300.00")
    screenshot(page, "preview-thank-you-desktop")
    at_phone_width(page)
    screenshot(page, "preview-thank-you-phone")
    assert page.console_errors == []


def test_restart_then_decline_meets_the_downsell(page):
    make_calm_funnel(make_member())
    open_preview(page)
    page.get_by_role("button", name="Complete purchase").click()
    page.get_by_role("button", name="Yes, add the three calls").click()
    expect(screen_title(page)).to_have_text("Thank you — your order is confirmed")
    page.go_back()  # each screen was pushed to the history
    expect(screen_title(page)).to_have_text("Would you like a real person beside you?")
    page.go_forward()
    expect(screen_title(page)).to_have_text("Thank you — your order is confirmed")

    page.get_by_role("link", name="Restart").click()
    expect(screen_title(page)).to_have_text("Checkout")
    expect(page.get_by_role("checkbox", name=re.compile("Breath cards"))).not_to_be_checked()
    expect(total(page)).to_have_text("$97.00")
    page.get_by_role("button", name="Complete purchase").click()
    page.get_by_role("button", name="No thanks, just the course").click()

    expect(screen_title(page)).to_have_text("Or one call to get you started")
    expect(page.get_by_text("Your order total would become $217.00")).to_be_visible()
    expect(page.get_by_role("button", name="Yes, add one call")).to_be_visible()
    expect(page.get_by_role("button", name="No, thank you")).to_be_visible()
    expect(page.get_by_role("navigation", name="Steps taken")).to_contain_text("declined")

    page.get_by_text("Jump to", exact=True).click()
    page.get_by_role("link", name="Three 1-on-1 coaching calls (up1)").click()
    expect(screen_title(page)).to_have_text("Would you like a real person beside you?")
    expect(page.get_by_role("note")).to_contain_text("shown as if the buyer had reached it")
    assert page.console_errors == []


# -- offer copy is text ------------------------------------------------------------------------------------------------


def test_a_script_in_a_headline_shows_as_text_and_never_runs(page):
    make_calm_funnel(make_member(), headline="<script>alert(1)</script>")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_preview(page)
    expect(page.locator(".core-offer h3")).to_have_text("<script>alert(1)</script>")
    page.get_by_role("button", name="Complete purchase").click()
    expect(screen_title(page)).to_have_text("<script>alert(1)</script>")
    page.get_by_role("button", name="Yes, add the three calls").click()
    expect(screen_title(page)).to_have_text("Thank you — your order is confirmed")
    assert page.locator(".buyer-screen script").count() == 0
    assert dialogs == []
    assert page.console_errors == []
