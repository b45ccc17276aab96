"""A coach's real journey on a live server: sign up, fill the catalog, build a funnel, read its figures and checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from funnels.models import Funnel, FunnelStep
from tests.browser.helpers import (
    add_offer,
    add_step,
    answer_target,
    assert_not_reloaded,
    editor_alert,
    first_step_opener,
    make_coach,
    make_funnel,
    make_primer_offers,
    mark_window,
    next_step_opener,
    sign_in,
    sign_up,
    step_keys,
)

pytestmark = pytest.mark.django_db(transaction=True)

COURSE = "Calm Your Nervous System"
CALLS = "Three 1-on-1 coaching calls"
CALL = "One coaching call"


def test_a_new_coach_builds_the_primer_funnel_and_watches_the_aov_grow(page):
    sign_up(page)
    add_offer(page, key="calm-course", name=COURSE, kind="core", price="97", topics="anxiety")
    add_offer(page, key="three-calls", name=CALLS, kind="upsell", price="300", topics="anxiety")
    add_offer(page, key="one-call", name=CALL, kind="downsell", price="120", topics="anxiety")
    expect(page.get_by_role("status").filter(has_text="offers in the catalog")).to_have_text("3 offers in the catalog.")

    # a blank funnel on the course, from the funnel list
    page.get_by_role("link", name="Funnels", exact=True).click()
    expect(page.locator("#new-funnel")).to_have_attribute("open", "")  # no funnel yet: the form is open
    page.get_by_label("Funnel name").fill("Calm course, spring launch")
    page.get_by_label("Core offer", exact=True).select_option(label=f"{COURSE} ($97.00)")
    page.get_by_role("button", name="Create the funnel").click()
    page.wait_for_url("**/funnels/calm-course-spring-launch/")
    expect(page.get_by_role("heading", name="Calm course, spring launch", level=1)).to_be_visible()
    expect(page.locator("#bar-aov")).to_have_text("$97.00")
    editor_url = page.url
    mark_window(page)

    # course → three-call upsell at 20%: 97 + 0.2·300
    add_step(page, first_step_opener(page), f"{CALLS} — $300.00", "20")
    expect(editor_alert(page)).to_have_text(f"Added “{CALLS}” as a step after payment.")
    expect(page.locator("#bar-aov")).to_have_text("$157.00")
    expect(page.locator("#figure-aov")).to_have_text("$157.00")  # the side panel says the same

    # the one-call downsell where a no to the upsell leads, at 15%: 97 + 60 + 0.8·0.15·120
    add_step(page, next_step_opener(page, "three-calls", "decline"), f"{CALL} — $120.00", "15")
    expect(editor_alert(page)).to_have_text(f"Added “{CALL}” as the step after a no to “{CALLS}”.")
    expect(page.locator("#bar-aov")).to_have_text("$171.40")
    expect(answer_target(page, "three-calls", "decline")).to_have_text(CALL)
    expect(answer_target(page, "three-calls", "decline")).to_have_attribute("href", "#step-one-call")
    assert step_keys(page) == ["three-calls", "one-call"]
    assert_not_reloaded(page, editor_url)

    funnel = Funnel.objects.get(slug="calm-course-spring-launch")
    assert funnel.start_step.key == "three-calls"
    assert FunnelStep.objects.get(funnel=funnel, key="three-calls").on_decline.key == "one-call"
    assert page.console_errors == []


def test_a_3000_dollar_upsell_after_the_97_dollar_course_is_flagged_in_findings_and_diagram(page):
    practice = make_coach()
    offers = make_primer_offers(practice)
    make_funnel(practice, offers, steps=(("calls", "0.2"),))
    sign_in(page, "maya")

    # the coach adds the primer's "most common mistake" to the catalog …
    add_offer(page, key="mastermind", name="Calm Leaders Mastermind", kind="upsell", price="3000", topics="anxiety")
    expect(page.get_by_role("row", name="Calm Leaders Mastermind")).to_contain_text("$3,000.00")

    # … and puts it after the three calls in the funnel
    page.get_by_role("link", name="Funnels", exact=True).click()
    page.get_by_role("link", name="Calm course", exact=True).click()
    findings = page.locator("#findings")
    expect(findings.get_by_role("heading", name="Findings")).to_be_visible()
    expect(findings.locator('[data-code="price-jump"]')).to_have_count(0)
    mark_window(page)
    add_step(page, next_step_opener(page, "three-calls", "decline"), "Calm Leaders Mastermind — $3,000.00", "5")
    expect(page.locator("#bar-warnings")).not_to_have_text("0 warnings")

    jump = findings.locator('[data-code="price-jump"]')
    expect(jump).to_be_visible()
    expect(jump).to_contain_text("Warning")
    expect(jump).to_contain_text('"Calm Leaders Mastermind"')
    expect(jump).to_contain_text("jarring")
    expect(jump.get_by_role("link")).to_have_attribute("href", "#step-mastermind")

    node = page.locator('svg.flow-diagram a.node-link[data-key="mastermind"] > g')
    expect(node).to_have_attribute("class", "node node-step node-warning")
    expect(page.locator('svg.flow-diagram a.node-link[data-key="mastermind"] .node-badge')).to_have_count(1)
    assert "node-warning" not in (
        page.locator('svg.flow-diagram a.node-link[data-key="three-calls"] > g').get_attribute("class") or ""
    )
    expect(answer_target(page, "three-calls", "decline")).to_have_text("Calm Leaders Mastermind")
    expect(page.locator("form.add-form")).to_have_count(0)  # the add form is gone with the answer it filled
    assert_not_reloaded(page, page.url)
    assert page.console_errors == []
