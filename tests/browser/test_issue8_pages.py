"""The fixes of issue 8 in a real browser, with screenshots (1440×900 and 390×844) saved to screenshots/ to be
looked at: the funnel list fits 1280 px and stacks on a phone, a blank practice starts a funnel in place, the
offer form shows every error at once, the forecast marks "abc" invalid under htmx without its help text over
the input, and the preview of a funnel with errors says so at the top."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from funnels.services.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from tests.browser.conftest import PHONE, screenshot
from tests.browser.helpers import make_coach, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1440, "height": 900}
LAPTOP = {"width": 1280, "height": 800}
CLASSIC, DRAFT = "calm-course-classic", "calm-course-first-draft-has-mistakes"
NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= window.innerWidth"
TABLE_FITS = """() => { const wrap = document.querySelector('.funnel-table-wrap');
  return {scroll: wrap.scrollWidth, box: wrap.clientWidth, table: document.querySelector('.funnel-table').offsetWidth}; }"""


@pytest.fixture
def demo(page: Page) -> Page:
    load_demo()
    page.set_viewport_size(WIDE)
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    return page


def both_widths(page: Page, name: str) -> None:
    page.set_viewport_size(WIDE)
    screenshot(page, f"{name}-1440")
    assert page.evaluate(NO_SIDEWAYS), f"{name} scrolls sideways at 1440"
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-390")
    assert page.evaluate(NO_SIDEWAYS), f"{name} scrolls sideways at 390"
    page.set_viewport_size(WIDE)


def test_the_funnel_list_fits_1280_and_1440_and_stacks_on_a_phone_with_every_action_reachable(demo):
    for size in (LAPTOP, WIDE):
        demo.set_viewport_size(size)
        fits = demo.evaluate(TABLE_FITS)
        assert fits["scroll"] <= fits["box"], f"the table scrolls sideways at {size['width']}: {fits}"
    row = demo.get_by_role("row").filter(has=demo.get_by_role("rowheader", name="Calm course: classic"))
    expect(row.get_by_role("link", name="Open Calm course: classic in the editor")).to_be_visible()
    expect(row.get_by_role("link", name="Preview Calm course: classic as a buyer")).to_be_visible()
    expect(row.get_by_role("cell", name="Draft")).to_be_visible()
    expect(row.get_by_role("link", name="Export Calm course: classic as JSON")).to_be_hidden()
    row.get_by_text("More", exact=True).click()
    for name in ("Forecast for Calm course: classic", "Export Calm course: classic as JSON"):
        expect(row.get_by_role("link", name=name)).to_be_visible()
    expect(row.get_by_role("button", name="Duplicate Calm course: classic")).to_be_visible()
    expect(row.get_by_role("link", name="Delete Calm course: classic")).to_be_visible()
    fits = demo.evaluate(TABLE_FITS)
    assert fits["scroll"] <= fits["box"], f"the open menu widens the table: {fits}"
    both_widths(demo, "funnel-list")
    demo.get_by_role("link", name="Live", exact=True).click()
    expect(demo).to_have_url(re.compile(r"\?status=live$"))
    expect(demo.get_by_text("No live funnels.")).to_be_visible()
    assert demo.console_errors == []


def test_a_coach_with_an_empty_catalog_starts_a_funnel_on_a_new_core_offer(page):
    make_coach("maya", "Calm Coaching")
    sign_in(page, "maya")
    expect(page.locator("#new-funnel")).to_have_attribute("open", "")  # no funnel yet: the form is open
    page.get_by_label("Core offer's price").fill("ninety")
    page.get_by_role("button", name="Create the funnel").click()
    expect(page.locator("#blank-offer_name_error")).to_have_text(
        "Give the core offer a name, such as Calm Your Nervous System."
    )
    expect(page.locator("#blank-offer_price_error")).to_have_text("Enter a price such as 97 or 19.99.")
    expect(page.get_by_label("Core offer's price")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Core offer's name").fill("Calm Your Nervous System")
    page.get_by_label("Core offer's price").fill("97")
    page.get_by_role("button", name="Create the funnel").click()
    page.wait_for_url("**/funnels/calm-your-nervous-system/")
    expect(page.get_by_role("heading", name="Calm Your Nervous System", level=1)).to_be_visible()
    assert page.console_errors == []


def test_the_offer_form_shows_every_error_at_once_beside_its_field(demo):
    demo.goto("/offers/new/")
    demo.get_by_label("Key").fill("Bad Key")
    demo.get_by_label("Price").fill("ninety")
    demo.get_by_label("Topics").fill("anxiety, sleep!")
    demo.get_by_label("Expected take rate (%)").fill("150")
    demo.get_by_role("button", name="Add the offer").click()
    summary = demo.get_by_role("alert").filter(has_text="Nothing was saved")
    expect(summary).to_contain_text("these 6 problems")  # the kind was never chosen either
    for label, field in (("Key", "key"), ("Name", "name"), ("Price", "price"), ("Topics", "topics")):
        box = demo.get_by_label(label, exact=label == "Name")  # "Topics (optional)"
        expect(box).to_have_attribute("aria-invalid", "true")
        expect(box).to_have_attribute("aria-describedby", re.compile(rf"id_{field}_error"))
        expect(demo.locator(f"#id_{field}_error")).to_be_visible()
    both_widths(demo, "offer-form-errors")


def test_the_forecast_marks_abc_invalid_under_htmx_with_the_help_text_clear_of_the_input(demo):
    demo.goto(f"/funnels/{CLASSIC}/forecast/")
    buyers = demo.get_by_label("Number of buyers")
    buyers.fill("abc")
    expect(demo).to_have_url(re.compile(r"buyers=abc"))  # htmx pushed the URL: the answer was swapped in
    expect(buyers).to_have_attribute("aria-invalid", "true")
    expect(buyers).to_be_focused()
    expect(demo.locator("#buyers-feedback .field-error")).to_contain_text("Enter a whole number of buyers")
    for size in (WIDE, PHONE):
        demo.set_viewport_size(size)
        field, help_text = buyers.bounding_box(), demo.locator("#buyers-help").bounding_box()
        assert field and help_text
        assert help_text["y"] >= field["y"] + field["height"], f"the help overlaps the input at {size}"
    both_widths(demo, "forecast-abc")
    buyers.fill("1000")
    expect(demo).to_have_url(re.compile(r"buyers=1000"))
    expect(buyers).not_to_have_attribute("aria-invalid", "true")
    assert demo.console_errors == []


def test_the_preview_of_a_funnel_with_errors_says_so_at_the_top(demo):
    demo.goto(f"/funnels/{DRAFT}/preview/")
    banner = demo.locator("#preview-errors")
    expect(banner).to_contain_text("This funnel has 2 errors.")
    expect(banner.get_by_role("link", name="See the errors in the editor's findings")).to_have_attribute(
        "href", f"/funnels/{DRAFT}/#findings"
    )
    heading = demo.get_by_role("heading", name="Preview", level=1).bounding_box()
    top = banner.bounding_box()
    assert heading and top and top["y"] < demo.locator(".preview-banner").bounding_box()["y"]
    both_widths(demo, "preview-errors")
    assert demo.console_errors == []
