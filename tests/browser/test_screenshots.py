"""Screenshots of the catalog, the editor and the funnel list with the demo data, at desktop and phone widths,
saved to screenshots/ to be looked at; each page is also checked for what it must show and for sideways scroll."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from funnels.services.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from tests.browser.conftest import PHONE, SCREENSHOTS, screenshot
from tests.browser.helpers import KIND_LABELS, next_step_opener, open_control, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FIRST_DRAFT = "Calm course: first draft (has mistakes)"
CLASSIC = "calm-course-classic"
WIDE = {"width": 1440, "height": 900}


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


def in_view(page: Page, selector: str) -> bool:
    """Wholly inside the window as it is scrolled now (not merely somewhere on the page)."""
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return bool(box and size) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]  # type: ignore[index]


def the_figures_are_in_view(page: Page) -> None:
    """The figures bar's AOV, revenue, uplift and counts are on screen at the top and at the bottom of the page."""
    for where in ("0", "document.documentElement.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {where})")
        page.wait_for_timeout(50)
        for figure in ("#bar-aov", "#bar-revenue", "#bar-uplift", "#bar-errors", "#bar-warnings"):
            assert in_view(page, figure), f"{figure} is out of view at {page.viewport_size} (scrolled to {where})"
    page.evaluate("window.scrollTo(0, 0)")


def a_finding_link_lands_below_the_bar(page: Page) -> None:
    """Following a finding's link brings its card into view below the sticky figures bar, not under it."""
    link = page.locator("#findings .finding a[href^='#step-']").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function(f"document.activeElement && document.activeElement.id === {target[1:]!r}")
    page.wait_for_timeout(100)
    bar = page.locator("#figures-bar").bounding_box()
    card = page.locator(target).bounding_box()
    assert bar and card and card["y"] >= bar["y"] + bar["height"], f"{target} lands under the bar: {card}, {bar}"
    page.evaluate("window.scrollTo(0, 0)")


def editor_at_both_widths(page: Page, name: str) -> None:
    """The editor at 1440×900 and 390×844: the whole page and what the window shows, the figures always in view."""
    for size, label in ((WIDE, "1440"), (PHONE, "390")):
        page.set_viewport_size(size)
        the_figures_are_in_view(page)
        if page.locator("#findings .finding a[href^='#step-']").count():
            a_finding_link_lands_below_the_bar(page)
        screenshot(page, f"{name}-{label}")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}-window.png"), caret="initial")
        for part in ("post-purchase", "flow"):  # what the window shows further down, under the sticky bar
            page.locator(f"#{part}").scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}-window-{part}.png"), caret="initial")
            assert in_view(page, "#bar-aov")
        page.evaluate("window.scrollTo(0, 0)")
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
    demo.set_viewport_size(WIDE)
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
    expect(demo.locator("#bar-errors")).to_have_text("2 errors")
    expect(demo.locator("#bar-errors")).to_have_attribute("href", "#findings")
    editor_at_both_widths(demo, "editor")
    assert demo.console_errors == []


def test_editor_of_the_classic_funnel_with_its_controls_open(demo):
    """The controls that open in place, at both widths: the next step's form on the downsell's no, the answers'
    form of the upsell, and the header's rename."""
    demo.set_viewport_size(WIDE)
    demo.goto(f"/funnels/{CLASSIC}/")
    expect(demo.locator("#bar-aov")).to_have_text("$177.10")
    expect(demo.locator("#bar-revenue")).to_have_text("$178.55")
    add = open_control(next_step_opener(demo, "down1", "decline"))
    expect(add.get_by_role("group", name="If they decline “One coaching call”, offer…")).to_be_visible()
    answers = open_control(demo.locator("#step-up1 details.answer-change > summary"))
    expect(answers.get_by_label("If they decline")).to_have_value("down1")
    demo.locator("#editor-head details.rename > summary").click()
    expect(demo.locator("#editor-head").get_by_label("Name", exact=True)).to_have_value("Calm course: classic")
    editor_at_both_widths(demo, "editor-classic-open")
    assert demo.console_errors == []


def test_funnel_list(demo):
    classic = demo.get_by_role("row", name="Calm course: classic")
    expect(classic.get_by_role("cell").nth(1)).to_have_text("$177.10")
    expect(classic).to_contain_text("no errors")
    expect(demo.get_by_role("row", name=FIRST_DRAFT)).to_contain_text("errors")
    at_both_widths(demo, "list")
    assert demo.console_errors == []
