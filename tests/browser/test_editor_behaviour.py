"""The editor's hands-on behaviour: the bumps' drag and drop and Up/Down (the one order a coach chooses), the
after-payment cards following the flow when an answer is re-pointed, a removal taken back, the diagram as a map,
and two tabs editing one funnel. Focus is never dropped by a swap."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from funnels.models import Funnel, FunnelStep
from funnels.services.editing import funnel_step_add
from tests.browser.helpers import (
    STALE_LOG,
    answer_target,
    assert_not_reloaded,
    bump_keys,
    change_answers,
    editor_alert,
    make_coach,
    make_funnel,
    make_primer_offers,
    mark_window,
    sign_in,
    step_keys,
    stored_order,
    stranded_keys,
)
from tests.factories import make_offer

pytestmark = pytest.mark.django_db(transaction=True)

STEPS = (("calls", "0.2"), ("call", "0.15"), ("audio", "0.05"))
BUMPS = (
    ("cards", "Printable breathing cards", "19"),
    ("journal", "Calm journal", "9"),
    ("stones", "Pocket stones", "12"),
)
CALLS, CALL, AUDIO = "Three 1-on-1 coaching calls", "One coaching call", "Sleep wind-down audio series"


@pytest.fixture
def funnel(page: Page) -> Funnel:
    """Maya, signed in, with the course funnel: three calls first after payment, then one call and the audio
    series, which no answer leads to yet; and three order bumps, in that order."""
    practice = make_coach()
    made = make_funnel(practice, make_primer_offers(practice), steps=STEPS)
    for key, name, price in BUMPS:
        offer = make_offer(practice, key=key, kind="order_bump", price=price, topics=["anxiety"], name=name)
        funnel_step_add(funnel=made, expected_version=made.version, offer=offer, slot="bump", take_rate="0.1")
        made.refresh_from_db()
    sign_in(page, "maya")
    return made


def open_editor(page: Page, funnel: Funnel) -> None:
    page.goto(f"/funnels/{funnel.slug}/")
    expect(page.get_by_role("heading", name=funnel.name, level=1)).to_be_visible()


def drag(page: Page, source, target) -> None:  # type: ignore[no-untyped-def]
    """Press the source's handle, move in small steps (SortableJS's pointer fallback needs real moves) into the
    target's upper third, and let go: as a person does with a mouse. The target is scrolled into the middle first,
    clear of the sticky figures bar."""
    target.evaluate("element => element.scrollIntoView({block: 'center'})")
    start, end = source.bounding_box(), target.bounding_box()
    assert start and end
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] - 10, steps=5)
    page.mouse.move(end["x"] + 20, end["y"] + end["height"] / 3, steps=25)
    page.mouse.up()


def test_dragging_a_bump_by_its_handle_saves_the_new_order(page, funnel):
    open_editor(page, funnel)
    assert bump_keys(page) == ["cards", "journal", "stones"]
    expect(page.locator("#post-purchase .drag-handle")).to_have_count(0)  # the flow orders those, not a drag
    url = page.url
    mark_window(page)

    drag(page, page.locator("#step-checkout-stones .drag-handle"), page.locator("#step-checkout-cards"))

    expect(editor_alert(page)).to_have_text(
        "Saved the new order: “Pocket stones”, “Printable breathing cards”, “Calm journal”."
    )
    assert bump_keys(page) == ["stones", "cards", "journal"]
    assert_not_reloaded(page, url)
    assert stored_order(funnel, "checkout") == ["stones", "cards", "journal"]

    page.reload()
    assert bump_keys(page) == ["stones", "cards", "journal"]
    assert page.console_errors == []


def test_the_up_and_down_buttons_move_a_bump_from_the_keyboard_and_keep_the_focus(page, funnel):
    open_editor(page, funnel)
    url = page.url
    mark_window(page)

    page.get_by_role("button", name="Up “Calm journal”").focus()
    page.keyboard.press("Enter")
    expect(editor_alert(page)).to_have_text("Moved “Calm journal” up.")
    assert bump_keys(page) == ["journal", "cards", "stones"]
    # now first, its Up is disabled; the keyboard is not dropped: focus goes to its Down
    expect(page.get_by_role("button", name="Up “Calm journal”")).to_be_disabled()
    expect(page.get_by_role("button", name="Down “Calm journal”")).to_be_focused()

    page.get_by_role("button", name="Down “Printable breathing cards”").focus()
    page.keyboard.press("Enter")
    expect(editor_alert(page)).to_have_text("Moved “Printable breathing cards” down.")
    assert bump_keys(page) == ["journal", "stones", "cards"]
    expect(page.get_by_role("button", name="Up “Printable breathing cards”")).to_be_focused()
    assert_not_reloaded(page, url)
    assert stored_order(funnel, "checkout") == ["journal", "stones", "cards"]

    page.reload()
    assert bump_keys(page) == ["journal", "stones", "cards"]
    expect(page.locator("#post-purchase .card-actions").get_by_role("button", name="Up")).to_have_count(0)
    assert page.console_errors == []


def test_the_after_payment_cards_follow_the_flow_when_an_answer_is_re_pointed(page, funnel):
    open_editor(page, funnel)
    assert (step_keys(page), stranded_keys(page)) == (["three-calls"], ["one-call", "sleep-audio"])
    expect(page.get_by_role("heading", name="Not reached by any path")).to_be_visible()
    expect(page.locator("#step-one-call")).to_contain_text("No path reaches it")
    url = page.url
    mark_window(page)

    # the three calls: a yes → the audio series, a no → the one call (made last, met after the audio)
    change_answers(page, "three-calls", accept=f"{AUDIO} — Cross-sell", decline=f"{CALL} — Downsell")
    expect(editor_alert(page)).to_have_text(f"“{CALLS}”: if they accept → “{AUDIO}”; if they decline → “{CALL}”.")
    assert (step_keys(page), stranded_keys(page)) == (["three-calls", "sleep-audio", "one-call"], [])
    expect(page.get_by_role("heading", name="Not reached by any path")).to_have_count(0)
    expect(answer_target(page, "three-calls", "accept")).to_have_attribute("href", "#step-sleep-audio")
    expect(answer_target(page, "three-calls", "decline")).to_have_text(CALL)
    # the form that was used is gone with the old column: focus goes to the status line, not to the page
    expect(editor_alert(page).locator("p")).to_be_focused()
    # 97 + the three bumps at 10% + 0.2·300 + 0.2·0.05·29 + 0.8·0.15·120
    expect(page.locator("#bar-aov")).to_have_text("$175.69")
    assert stored_order(funnel) == ["three-calls", "one-call", "sleep-audio"]  # the stored order never moved

    # a no now ends at the thank-you page: the one call is reached by no path again, and listed apart
    change_answers(page, "three-calls", decline="The thank-you page")
    expect(editor_alert(page)).to_contain_text("if they decline → the thank-you page.")
    assert (step_keys(page), stranded_keys(page)) == (["three-calls", "sleep-audio"], ["one-call"])
    expect(answer_target(page, "three-calls", "decline")).to_have_text("the thank-you page")
    assert_not_reloaded(page, url)

    page.reload()
    assert (step_keys(page), stranded_keys(page)) == (["three-calls", "sleep-audio"], ["one-call"])
    assert page.console_errors == []


def test_a_diagram_box_takes_the_coach_to_its_card(page, funnel):
    open_editor(page, funnel)
    page.locator('svg.flow-diagram a.node-link[data-key="sleep-audio"]').click()
    card = page.locator("#step-sleep-audio")
    expect(card).to_be_focused()
    expect(card).to_be_in_viewport()
    assert page.url.endswith("#step-sleep-audio")
    assert page.console_errors == []


def test_a_removal_is_taken_back_with_undo(page, funnel):
    FunnelStep.objects.filter(funnel=funnel, key="three-calls").update(
        on_decline=FunnelStep.objects.get(funnel=funnel, key="one-call")
    )
    Funnel.objects.filter(pk=funnel.pk).update(version=funnel.version + 1)
    open_editor(page, funnel)
    assert step_keys(page) == ["three-calls", "one-call"]
    mark_window(page)

    page.get_by_role("button", name=f"Remove “{CALL}”").click()
    expect(editor_alert(page)).to_contain_text(f"Removed “{CALL}”; a no to “{CALLS}” now leads to the thank-you page.")
    assert step_keys(page) == ["three-calls"]
    expect(page.locator("#bar-aov")).to_have_text("$161.00")  # 97 + the bumps' 4.00 + 0.2·300
    undo = editor_alert(page).get_by_role("button", name="Undo")
    expect(undo).to_be_focused()  # the Remove button went with its card: focus goes to the way back
    page.keyboard.press("Enter")

    expect(editor_alert(page)).to_have_text(f"“{CALL}” is back.")
    expect(editor_alert(page).locator("p")).to_be_focused()  # the Undo went with its message: focus stays there
    assert step_keys(page) == ["three-calls", "one-call"]
    expect(answer_target(page, "three-calls", "decline")).to_have_text(CALL)
    expect(page.locator("#bar-aov")).to_have_text("$175.40")  # and 0.8·0.15·120 again
    assert FunnelStep.objects.get(funnel=funnel, key="three-calls").on_decline.key == "one-call"
    assert_not_reloaded(page, page.url)
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
    expect(editor_alert(first)).to_have_text(f"The take rate of “{CALLS}” is now 25%.")
    # 97 + 0.25·300 + the three bumps at 10%: no answer of the three calls leads on to the other steps
    expect(first.locator("#bar-aov")).to_have_text("$176.00")
    expect(first.locator("#step-three-calls").get_by_label(rate)).to_be_focused()  # focus survives the swap

    # the second tab, still showing 20%, sets 30%: refused, with the reason and a way to reload
    second.locator("#step-three-calls").get_by_label(rate).fill("30")
    second.locator("#step-three-calls").get_by_label(rate).press("Enter")
    refusal = editor_alert(second).get_by_role("alert")
    expect(refusal).to_contain_text("“Calm course” was changed in another tab or by someone else after you opened it")
    expect(refusal).to_contain_text("so this change was not saved.")
    reload = refusal.get_by_role("link", name="Reload the editor")
    expect(reload).to_have_attribute("href", f"/funnels/{funnel.slug}/")
    assert_not_reloaded(second, first.url)
    expect(second.locator("#bar-aov")).to_have_text("$161.00")  # the page stays as it was; nothing was saved
    assert FunnelStep.objects.get(funnel=funnel, key="three-calls").take_rate == Decimal("0.25")

    # following the link shows the first tab's value
    reload.click()
    expect(second.locator("#step-three-calls").get_by_label(rate)).to_have_value("25")
    expect(second.locator("#bar-aov")).to_have_text("$176.00")
    assert FunnelStep.objects.get(funnel=funnel, key="three-calls").take_rate == Decimal("0.25")
    assert first.console_errors == []
    assert STALE_LOG in second_errors  # Chromium's own network log line for the designed 409, not a JS error
    assert [e for e in second_errors if e != STALE_LOG] == []
    second.close()
