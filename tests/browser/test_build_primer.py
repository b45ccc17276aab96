"""The primer's funnel built from a blank practice without leaving the editor, every action counted, and the
figures bar in view wherever the coach has scrolled, on a laptop and on a phone.

The primer's funnel: the $97 course; a $300 three-call upsell taken by 20%; a $120 one-call downsell shown to
those who decline it, taken by 15% (the downsell's typical default, so nothing to type); a $19 bump; a $29
thank-you cross-sell. Its AOV is $97 + $5.70 (bump at 30%) + $60 (upsell) + $14.40 (downsell to the 80% who
decline) = $177.10; exactly what the engine says of the demo's classic funnel.

An action is one click, one choice or one field typed (a field typed and submitted with Enter is two). The
count is printed so the README can quote it, and pinned so it cannot creep back up.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, SCREENSHOTS, screenshot
from tests.browser.helpers import make_coach, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


class Counted:
    """The coach's hands: every click and every field typed goes through here and is counted."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.clicks = 0
        self.fields = 0

    def click(self, locator) -> None:  # type: ignore[no-untyped-def]
        locator.click()
        self.clicks += 1

    def type(self, locator, text: str) -> None:  # type: ignore[no-untyped-def]
        locator.fill(text)
        self.fields += 1

    @property
    def actions(self) -> int:
        return self.clicks + self.fields


def add_here(hands: Counted, opener, name: str, price: str, take_rate: str = "") -> None:  # type: ignore[no-untyped-def]
    """Open an "add" control (unless the page opened it), describe a new offer, add it."""
    page = hands.page
    if opener is not None:
        hands.click(opener)
    form = page.locator("form.add-form").last
    expect(form).to_be_visible()
    hands.type(form.get_by_label("Name"), name)
    hands.type(form.get_by_label("Price (USD)"), price)
    if take_rate:
        hands.type(form.get_by_label("Take rate (%)"), take_rate)
    hands.click(form.get_by_role("button", name="Add"))
    expect(page.locator("#editor-alert")).to_contain_text(f"Added “{name}”")


def build_the_primer_funnel(page: Page) -> Counted:
    hands = Counted(page)
    page.goto("/funnels/")
    new = page.locator("#new-funnel")
    expect(new).to_have_attribute("open", "")  # no funnel yet: the form is open
    hands.type(new.get_by_label("Core offer's name"), "Calm Your Nervous System")
    hands.type(new.get_by_label("Core offer's price"), "97")
    hands.click(new.get_by_role("button", name="Create the funnel"))
    page.wait_for_url("**/funnels/calm-your-nervous-system/")
    editor_url = page.url

    # an empty funnel opens its first "add" by itself; the kind is "Upsell" there already
    add_here(hands, None, "Three 1-on-1 coaching calls", "300", take_rate="20")
    expect(page.locator("#bar-aov")).to_have_text("$157.00")
    upsell = page.locator("#post-purchase li.card").first
    add_here(hands, upsell.locator(".answer-decline details.add-here > summary"), "One coaching call", "120")
    expect(page.locator("#bar-aov")).to_have_text("$171.40")
    add_here(hands, page.locator("#checkout details.add-here > summary").first, "Printable breathing cards", "19")
    add_here(hands, page.locator("#thank-you details.add-here > summary"), "Sleep wind-down audio series", "29")
    assert page.url == editor_url  # never left the editor
    return hands


def test_the_primer_funnel_is_built_from_a_blank_practice_in_the_editor(page: Page):
    make_coach()
    sign_in(page, "maya")
    hands = build_the_primer_funnel(page)
    expect(page.locator("#bar-aov")).to_have_text("$177.10")
    expect(page.locator("#bar-revenue")).to_have_text("$178.55")
    expect(page.locator("#bar-errors")).to_have_text("0 errors")
    # the downsell stands after the upsell's no, wired in the same request that added it
    downsell = page.locator("#post-purchase li.card").nth(1)
    expect(downsell).to_contain_text("One coaching call")
    expect(page.locator("#post-purchase li.card").first.locator(".answer-decline .answer-target")).to_have_text(
        "One coaching call"
    )
    print(f"\nprimer funnel: {hands.clicks} clicks + {hands.fields} typed fields = {hands.actions} actions")
    # 5 names, 5 prices and the upsell's 20% are what the funnel is made of; the rest is 8 clicks
    assert (hands.clicks, hands.fields) == (8, 11)
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
    screenshot(page, "editor-primer-built-1366")


def aov_in_view(page: Page) -> bool:
    box = page.locator("#bar-aov").bounding_box()
    size = page.viewport_size
    return box is not None and size is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, PHONE], ids=["laptop-1280", "phone-390"])
def test_the_aov_stays_in_view_at_the_top_middle_and_bottom_of_the_editor(page: Page, viewport):
    make_coach()
    sign_in(page, "maya")
    build_the_primer_funnel(page)
    page.set_viewport_size(viewport)
    page.reload()
    height = page.evaluate("document.documentElement.scrollHeight")
    for where, y in (("top", 0), ("middle", height // 2), ("bottom", height)):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
        assert aov_in_view(page), f"the AOV is out of view at the {where} at {viewport['width']}px"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"editor-scrolled-{where}-{viewport['width']}.png"))
    # an edit at the bottom of the page answers in the bar the coach can see
    page.locator("#thank-you input[name=take_rate]").fill("10")
    page.locator("#thank-you input[name=take_rate]").press("Enter")
    expect(page.locator("#bar-revenue")).to_have_text("$180.00")
    assert aov_in_view(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
