"""Screenshots of the catalog, the editor and the funnel list with the demo data, at desktop and phone widths,
saved to screenshots/ to be looked at; each page is also checked for what it must show and for sideways scroll."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from funnels.services.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from tests.browser.conftest import PHONE, screenshot
from tests.browser.helpers import KIND_LABELS, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_DRAFT = "Calm course: first draft (has mistakes)"


@pytest.fixture
def demo(page: Page) -> Page:
    load_demo()
    sign_in(page, DEMO_USERNAME, DEMO_PASSWORD)
    return page


WIDER_THAN_WINDOW = """() => [...document.querySelectorAll("body *")]
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5)
    .filter(element => !element.closest(".table-wrap, .visually-hidden"))
    .slice(0, 8)
    .map(element => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
         + (element.className && typeof element.className === "string" ? "." + element.className.trim().split(/\\s+/).join(".") : "")
         + " right=" + Math.round(element.getBoundingClientRect().right))"""


def assert_no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate("({page: document.documentElement.scrollWidth, window: window.innerWidth})")
    assert widths["page"] <= widths["window"], (
        f"the page scrolls sideways: {widths}, {page.evaluate(WIDER_THAN_WINDOW)}"
    )


def at_both_widths(page: Page, name: str) -> None:
    screenshot(page, f"{name}-desktop")
    assert_no_sideways_scroll(page)
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-phone")
    assert_no_sideways_scroll(page)


def test_catalog(demo):
    demo.get_by_role("link", name="Catalog", exact=True).click()
    expect(demo.get_by_role("heading", name="Catalog", exact=True)).to_be_visible()
    expect(demo.get_by_role("status").filter(has_text="in the catalog")).to_have_text("8 offers in the catalog.")
    expect(demo.get_by_role("row", name="Calm Leaders Mastermind")).to_contain_text("$3,000.00")
    expect(demo.get_by_role("row", name="Calm course + community")).to_contain_text("upgrades Calm Your Nervous System")
    at_both_widths(demo, "catalog")
    assert demo.console_errors == []


def test_new_offer_form_with_hints_for_a_3000_dollar_upsell(demo):
    demo.goto("/offers/new/")
    demo.get_by_label("Key").fill("big-mastermind")
    demo.get_by_label("Name", exact=True).fill("Calm Leaders Mastermind, second year")
    demo.get_by_label("Kind").select_option(label=KIND_LABELS["upsell"])
    demo.get_by_label("Price").fill("3000")
    demo.get_by_label("Topics").fill("anxiety, leadership")
    hints = demo.get_by_role("complementary", name="Hints")
    expect(hints.get_by_role("heading", name="Upsell — go bigger")).to_be_visible()
    expect(hints.get_by_text("30.9× the $97.00 Calm Your Nervous System")).to_be_visible()
    expect(hints.locator(".hint-note")).to_have_text("a jump this big can feel jarring")
    assert_no_sideways_scroll(demo)
    screenshot(demo, "catalog-form-desktop")
    assert demo.console_errors == []


def test_editor_of_the_first_draft(demo):
    demo.get_by_role("link", name=FIRST_DRAFT, exact=True).click()
    expect(demo.get_by_role("heading", name=FIRST_DRAFT, level=1)).to_be_visible()
    findings = demo.locator("#findings")
    for code in ("upsell-before-purchase", "downsell-without-decline", "price-jump", "guaranteed-outcome"):
        expect(findings.locator(f'[data-code="{code}"]')).to_be_visible()
    expect(findings.locator('[data-code="upsell-before-purchase"] .badge')).to_have_text("Error")
    expect(findings.locator('[data-code="price-jump"] .badge')).to_have_text("Warning")
    expect(demo.locator('svg.flow-diagram a.node-link[data-key="big"] > g')).to_have_attribute(
        "class",
        "node node-step node-warning",  # the $3,000 mastermind: a price jump, an unrelated offer, a promise
    )
    at_both_widths(demo, "editor")
    assert demo.console_errors == []


def test_funnel_list(demo):
    classic = demo.get_by_role("row", name="Calm course: classic")
    expect(classic.get_by_role("cell").nth(1)).to_have_text("$177.10")
    expect(classic).to_contain_text("no errors")
    expect(demo.get_by_role("row", name=FIRST_DRAFT)).to_contain_text("errors")
    at_both_widths(demo, "list")
    assert demo.console_errors == []
