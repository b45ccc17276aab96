"""The editor's hands-on behaviour: drag and drop, the keyboard's Up/Down, and two tabs editing one funnel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from funnels.models import Funnel, FunnelStep
from tests.browser.helpers import (
    STALE_LOG,
    assert_not_reloaded,
    editor_alert,
    make_coach,
    make_funnel,
    make_primer_offers,
    mark_window,
    sign_in,
    step_keys,
    stored_order,
)

pytestmark = pytest.mark.django_db(transaction=True)

STEPS = (("calls", "0.2"), ("call", "0.15"), ("audio", "0.05"))


@pytest.fixture
def funnel(page: Page) -> Funnel:
    """Maya, signed in, with the course funnel: three calls, one call, the audio series, in that order."""
    practice = make_coach()
    made = make_funnel(practice, make_primer_offers(practice), steps=STEPS)
    sign_in(page, "maya")
    return made


def open_editor(page: Page, funnel: Funnel) -> None:
    page.goto(f"/funnels/{funnel.slug}/")
    expect(page.get_by_role("heading", name=funnel.name, level=1)).to_be_visible()


def drag(page: Page, source, target) -> None:  # type: ignore[no-untyped-def]
    """Press the source's handle, move in small steps (SortableJS's pointer fallback needs real moves) into the
    target's upper third, and let go: as a person does with a mouse. The target is scrolled to the top first."""
    target.evaluate("element => element.scrollIntoView({block: 'start'})")
    start, end = source.bounding_box(), target.bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] - 10, steps=5)
    page.mouse.move(end["x"] + 20, end["y"] + end["height"] / 3, steps=25)
    page.mouse.up()


def test_dragging_a_step_by_its_handle_saves_the_new_order(page, funnel):
    open_editor(page, funnel)
    assert step_keys(page) == ["three-calls", "one-call", "sleep-audio"]
    url = page.url
    mark_window(page)

    # the downsell is dragged above the upsell (a step is ~540px tall at 1366px, so two fit in the window)
    drag(page, page.locator("#step-one-call .drag-handle"), page.locator("#step-three-calls"))

    expect(editor_alert(page)).to_have_text("Saved the new order: one-call, three-calls, sleep-audio.")
    assert step_keys(page) == ["one-call", "three-calls", "sleep-audio"]
    assert_not_reloaded(page, url)
    assert stored_order(funnel) == ["one-call", "three-calls", "sleep-audio"]

    page.reload()
    expect(page.locator("#post-purchase ol.steps > li").first).to_have_attribute("data-key", "one-call")
    assert step_keys(page) == ["one-call", "three-calls", "sleep-audio"]
    # the order shown is not the flow: the start is still the three calls
    expect(page.locator("#step-three-calls").get_by_text("Start", exact=True)).to_be_visible()
    assert page.console_errors == []


def test_the_up_and_down_buttons_move_a_step_from_the_keyboard(page, funnel):
    open_editor(page, funnel)
    url = page.url
    mark_window(page)

    up = page.get_by_role("button", name="Up “One coaching call”")
    up.focus()
    page.keyboard.press("Enter")
    expect(editor_alert(page)).to_have_text('Moved "One coaching call" (one-call) up.')
    assert step_keys(page) == ["one-call", "three-calls", "sleep-audio"]
    # now first, its Up is disabled; the keyboard is not dropped: focus goes to its Down
    expect(page.get_by_role("button", name="Up “One coaching call”")).to_be_disabled()
    expect(page.get_by_role("button", name="Down “One coaching call”")).to_be_focused()

    page.get_by_role("button", name="Down “Three 1-on-1 coaching calls”").focus()
    page.keyboard.press("Enter")
    expect(editor_alert(page)).to_have_text('Moved "Three 1-on-1 coaching calls" (three-calls) down.')
    assert step_keys(page) == ["one-call", "sleep-audio", "three-calls"]
    expect(page.get_by_role("button", name="Up “Three 1-on-1 coaching calls”")).to_be_focused()
    assert_not_reloaded(page, url)
    assert stored_order(funnel) == ["one-call", "sleep-audio", "three-calls"]

    page.reload()
    expect(page.locator("#post-purchase ol.steps > li").first).to_have_attribute("data-key", "one-call")
    assert step_keys(page) == ["one-call", "sleep-audio", "three-calls"]
    assert page.console_errors == []


def test_an_edit_from_a_stale_second_tab_is_refused_and_the_first_tabs_value_is_kept(page, funnel):
    first = page
    open_editor(first, funnel)
    second = first.context.new_page()
    second_errors: list[str] = []
    second.on("console", lambda message: second_errors.append(message.text) if message.type == "error" else None)
    second.on("pageerror", lambda error: second_errors.append(str(error)))
    open_editor(second, funnel)
    mark_window(second)

    # the first tab changes the three calls' take rate from 20% to 25%
    rate = "Take rate (%)"
    first.locator("#step-three-calls").get_by_label(rate).fill("25")
    first.locator("#step-three-calls").get_by_label(rate).press("Enter")
    expect(editor_alert(first)).to_have_text('The take rate of "Three 1-on-1 coaching calls" (three-calls) is now 25%.')
    # 97 + 0.25·300: no answer of the three calls leads on to the other steps
    expect(first.locator("#figure-aov")).to_have_text("$172.00")

    # the second tab, still showing 20%, sets 30%: refused, with the reason and a way to reload
    second.locator("#step-three-calls").get_by_label(rate).fill("30")
    second.locator("#step-three-calls").get_by_label(rate).press("Enter")
    refusal = editor_alert(second).get_by_role("alert")
    expect(refusal).to_contain_text('"Calm course" was changed elsewhere')
    expect(refusal).to_contain_text("reload it and make your change again.")
    reload = refusal.get_by_role("link", name="Reload the editor")
    expect(reload).to_have_attribute("href", f"/funnels/{funnel.slug}/")
    assert_not_reloaded(second, first.url)
    expect(second.locator("#figure-aov")).to_have_text("$157.00")  # the page stays as it was; nothing was saved
    assert FunnelStep.objects.get(funnel=funnel, key="three-calls").take_rate == Decimal("0.25")

    # following the link shows the first tab's value
    reload.click()
    expect(second.locator("#step-three-calls").get_by_label(rate)).to_have_value("25")
    expect(second.locator("#figure-aov")).to_have_text("$172.00")
    assert FunnelStep.objects.get(funnel=funnel, key="three-calls").take_rate == Decimal("0.25")
    assert first.console_errors == []
    assert STALE_LOG in second_errors  # Chromium's own network log line for the designed 409, not a JS error
    assert [e for e in second_errors if e != STALE_LOG] == []
    second.close()
