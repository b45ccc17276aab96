"""A catalog admin changes a price that funnels use: the catalog shows what it does to each of them first, and once
it is confirmed, a coach's editor left open on one of those funnels is refused its next edit (409) instead of
saving over figures it never saw."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from accounts.models import Membership, Role
from funnels.models import Funnel
from funnels.services.editing import funnel_create, funnel_step_add
from offers.models import Offer
from tests.browser.conftest import PHONE, SCREENSHOTS, screenshot
from tests.browser.helpers import (
    PASSWORD,
    STALE_LOG,
    editor_alert,
    make_coach,
    make_primer_offers,
    sign_in,
)
from tests.browser.test_screenshots import assert_no_sideways_scroll

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1440, "height": 900}


@pytest.fixture
def funnels() -> tuple[Funnel, Funnel]:
    """Maya's practice with two funnels that show the $300 three calls, and Cleo, its catalog admin."""
    practice = make_coach()
    offers = make_primer_offers(practice)
    calm = funnel_create(practice=practice, name="Calm course", core_offer=offers["course"])
    up = funnel_step_add(funnel=calm, expected_version=1, offer=offers["calls"], slot="one_click", take_rate="0.2")
    funnel_step_add(
        funnel=calm,
        expected_version=2,
        offer=offers["call"],
        slot="one_click",
        take_rate="0.15",
        connect_from=up,
        edge="on_decline",
    )
    lite = funnel_create(practice=practice, name="Calm course lite", core_offer=offers["course"])
    funnel_step_add(funnel=lite, expected_version=1, offer=offers["calls"], slot="one_click", take_rate="0.2")
    cleo = get_user_model().objects.create_user(username="cleo", password=PASSWORD, email="cleo@example.com")
    Membership.objects.create(user=cleo, practice=practice, role=Role.CATALOG_ADMIN)
    return calm, lite


def test_a_price_change_shows_its_impact_and_once_confirmed_an_open_editor_gets_the_409(browser, live_server, funnels):
    calm, _ = funnels
    # Maya, the coach, has the editor of "Calm course" open
    coach_context = browser.new_context(base_url=live_server.url, viewport=WIDE)
    coach = coach_context.new_page()
    coach_errors: list[str] = []
    coach.on("console", lambda message: coach_errors.append(message.text) if message.type == "error" else None)
    coach.on("pageerror", lambda error: coach_errors.append(str(error)))
    sign_in(coach, "maya")
    coach.goto(f"/funnels/{calm.slug}/")
    expect(coach.get_by_role("heading", name="Calm course", level=1)).to_be_visible()

    # Cleo, the catalog admin, cuts the three calls from $300 to $100 in another browser
    admin_context = browser.new_context(base_url=live_server.url, viewport=WIDE)
    admin = admin_context.new_page()
    admin_errors: list[str] = []
    admin.on("console", lambda message: admin_errors.append(message.text) if message.type == "error" else None)
    admin.on("pageerror", lambda error: admin_errors.append(str(error)))
    sign_in(admin, "cleo")
    admin.goto("/offers/three-calls/edit/")
    admin.get_by_label("Price").fill("100")
    admin.get_by_role("button", name="Save changes").click()

    # she is shown what it does to each funnel before anything is saved
    impact = admin.get_by_role("region", name="This change to “Three 1-on-1 coaching calls” changes 2 funnels")
    expect(impact).to_be_visible()
    calm_item = impact.locator('[data-funnel="calm-course"]')
    expect(calm_item.get_by_role("link", name="Calm course", exact=True)).to_be_visible()
    expect(impact).to_contain_text(
        'The change: price of "Three 1-on-1 coaching calls" $300.00 → $100.00 in the catalog.'
    )
    # 97 + 0.2·300 + 0.8·0.15·120 = $171.40, and with the calls at $100: 97 + 20 + 14.40 = $131.40
    expect(calm_item).to_contain_text("$171.40 → $131.40")
    expect(calm_item).to_contain_text(
        'New error The downsell "One coaching call" costs $120.00, which is not less than the $100.00 of the upsell'
    )
    expect(impact.locator('[data-funnel="calm-course-lite"]')).to_contain_text("$157.00 → $117.00")
    assert Offer.objects.get(key="three-calls").price == 300
    screenshot(admin, "catalog-impact-1440")
    assert_no_sideways_scroll(admin)
    admin.set_viewport_size(PHONE)
    expect(impact.get_by_role("button", name="Confirm the change")).to_be_visible()
    screenshot(admin, "catalog-impact-390")
    impact.screenshot(path=str(SCREENSHOTS / "catalog-impact-390-panel.png"))
    assert_no_sideways_scroll(admin)
    admin.set_viewport_size(WIDE)

    # she confirms: saved, and the catalog says which funnels now show the change
    impact.get_by_role("button", name="Confirm the change").click()
    admin.wait_for_url("**/offers/")
    expect(admin.get_by_role("status").filter(has_text="Saved “Three 1-on-1 coaching calls”.")).to_contain_text(
        "2 funnels using it now show the change: “Calm course”, “Calm course lite”."
    )
    assert Offer.objects.get(key="three-calls").price == 100

    # Maya's editor, drawn before the change, makes an edit: refused with a way to reload
    rate = coach.locator("#step-three-calls").get_by_label("Take rate (%)")
    rate.fill("25")
    rate.press("Enter")
    refusal = editor_alert(coach).get_by_role("alert")
    reload = refusal.get_by_role("link", name="Reload the editor")
    expect(reload).to_be_visible()
    reload.click()
    expect(coach.locator("#figure-aov")).to_have_text("$131.40")  # the funnel with the catalog's new price

    assert [e for e in coach_errors if e != STALE_LOG] == []
    assert STALE_LOG in coach_errors  # Chromium's own log line for the designed 409, not a JS error
    assert admin_errors == []
    coach_context.close()
    admin_context.close()


def test_archiving_an_offer_in_use_asks_first(page: Page, funnels):
    sign_in(page, "cleo")
    page.goto("/offers/three-calls/edit/")
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_role("heading", name="Archive “Three 1-on-1 coaching calls”?", level=1)).to_be_visible()
    impact = page.get_by_role("region", name="Archiving “Three 1-on-1 coaching calls” changes 2 funnels")
    expect(impact.get_by_text("New warning").first).to_be_visible()
    impact.get_by_role("button", name="Confirm the change").click()
    page.wait_for_url("**/offers/")
    expect(page.get_by_role("status").filter(has_text="Archived “Three 1-on-1 coaching calls”.")).to_be_visible()
    assert page.console_errors == []
