"""A practice is a team: an owner invites a catalog admin by email; the invitee opens the link, makes an account
and joins; as a catalog admin they edit the catalog, and the funnel editor shows them no edit controls.
Screenshots of the members page and the invitation page at laptop and phone widths go to screenshots/."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import Membership, Role
from offers.models import Offer
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.browser.helpers import PASSWORD, make_coach, make_funnel, make_primer_offers, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"(http://\S+/accounts/join/[^/\s]+/)")


def no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate("({page: document.documentElement.scrollWidth, window: window.innerWidth})")
    assert widths["page"] <= widths["window"], widths


def both_widths(page: Page, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    screenshot(page, f"{name}-desktop")
    no_sideways_scroll(page)
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-phone")
    no_sideways_scroll(page)
    page.set_viewport_size(DESKTOP)


def test_an_owner_invites_a_catalog_admin_who_joins_and_edits_the_catalog_but_not_funnels(page, browser, live_server):
    practice = make_coach("maya", "Calm Coaching")
    offers = make_primer_offers(practice)
    funnel = make_funnel(practice, offers, (("calls", "0.2"),))

    # the owner invites
    sign_in(page, "maya")
    page.get_by_role("link", name="Members", exact=True).click()
    expect(page.get_by_role("heading", name="Members", exact=True)).to_be_visible()
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("Role", exact=True).select_option(label="Catalog admin")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status").filter(has_text="Invited sam@example.com as catalog admin")).to_be_visible()
    expect(page.get_by_role("table", name="Invitations not yet used")).to_contain_text("sam@example.com")
    both_widths(page, "members")
    assert page.console_errors == []

    # the invitee opens the link from the email, in a browser of their own
    assert mail.outbox and mail.outbox[-1].to == ["sam@example.com"]
    link = LINK.search(mail.outbox[-1].body).group(1)
    invitee_context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    invitee = invitee_context.new_page()
    errors: list[str] = []
    invitee.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name="Join Calm Coaching")).to_be_visible()
    expect(invitee.get_by_text("maya invites you to work in Calm Coaching as a catalog admin")).to_be_visible()
    both_widths(invitee, "invitation")
    invitee.get_by_label("Username").fill("sam")
    invitee.get_by_label("Password", exact=True).fill(PASSWORD)
    invitee.get_by_label("Password confirmation").fill(PASSWORD)
    invitee.get_by_role("button", name="Create my account and join").click()
    invitee.wait_for_url("**/offers/")
    expect(invitee.get_by_role("status").filter(has_text="you are a catalog admin here")).to_be_visible()
    assert Membership.objects.get(user__username="sam").role == Role.CATALOG_ADMIN

    # as a catalog admin: the catalog is theirs to edit
    invitee.get_by_role("link", name="Edit Three 1-on-1 coaching calls").click()
    invitee.get_by_label("Price").fill("320")
    invitee.get_by_role("button", name="Save").click()
    # the offer stands in a funnel: the catalog first says what the change does to it, then saves on a yes
    expect(invitee.get_by_text(funnel.name).first).to_be_visible()
    invitee.get_by_role("button", name="Confirm the change").click()
    invitee.wait_for_url("**/offers/")
    expect(invitee.get_by_role("row", name="Three 1-on-1 coaching calls")).to_contain_text("$320.00")
    assert str(Offer.objects.get(practice=practice, key="three-calls").price) == "320.00"

    # ... and the funnel editor shows them no edit controls
    invitee.goto(f"/funnels/{funnel.slug}/")
    expect(invitee.get_by_role("note").filter(has_text="only owners and coaches can change it")).to_be_visible()
    expect(invitee.locator("#editor details[data-load]")).to_have_count(0)
    expect(invitee.locator("#editor [hx-post]")).to_have_count(0)
    expect(invitee.get_by_role("link", name="Members", exact=True)).to_have_count(0)
    assert errors == []
    invitee_context.close()

    # the owner sees the new member and the trail of what happened
    page.goto("/accounts/members/")
    expect(page.locator('tr[data-member="sam"]')).to_contain_text("sam@example.com")
    expect(page.get_by_label("Role of sam")).to_have_value("catalog_admin")
    both_widths(page, "members-team")
    page.get_by_role("link", name="Audit trail").click()
    trail = page.get_by_role("table", name="The audit trail of Calm Coaching")
    expect(trail).to_contain_text("sam changed the offer")
    expect(trail).to_contain_text("sam joined")
    expect(trail).to_contain_text("maya invited")
    screenshot(page, "audit-desktop")
    assert page.console_errors == []
