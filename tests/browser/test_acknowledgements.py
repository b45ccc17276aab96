"""Honest-copy checks in a real browser: a coach acknowledges a copy finding in the editor's findings panel
(htmx, no reload), and the catalog form's live hints read the copy as the funnel checks do. Both panels are
saved to screenshots/ to be looked at."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from funnels.models import Funnel
from offers.models import CopyAcknowledgement
from tests.browser.conftest import SCREENSHOTS
from tests.browser.helpers import KIND_LABELS, assert_not_reloaded, make_coach, make_funnel, mark_window, sign_in
from tests.factories import make_primer_catalog

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "This cohort really closes on 28 February"


@pytest.fixture
def funnel(page: Page) -> Funnel:
    """Maya, signed in, with the course and the three-call upsell, whose copy dates the enrolment."""
    practice = make_coach()
    offers = make_primer_catalog(
        practice,
        "course",
        "calls",
        calls={"headline": "Join the March cohort", "body": "Enrolment closes on 28 February. Guaranteed results."},
    )
    made = make_funnel(practice, offers, steps=(("calls", "0.2"),))
    sign_in(page, "maya")
    return made


def test_a_coach_acknowledges_a_copy_finding_and_it_is_listed_but_not_counted(page: Page, funnel: Funnel) -> None:
    page.goto(f"/funnels/{funnel.slug}/")
    findings = page.locator("#findings")
    urgency = findings.locator('[data-code="false-urgency"]')
    expect(urgency).to_contain_text('says "Enrolment closes on 28 February", a deadline or timer')
    expect(findings.locator(".findings-summary")).to_contain_text("2 warnings")
    url = page.url
    mark_window(page)

    urgency.get_by_text("The words are true: mark as reviewed").click()
    urgency.get_by_label("Why they are fine as they are").fill(REASON)
    SCREENSHOTS.mkdir(exist_ok=True)
    urgency.screenshot(path=str(SCREENSHOTS / "editor-finding-acknowledge-form.png"), caret="initial")
    urgency.get_by_role("button", name="Mark as reviewed").click()

    done = page.locator('#findings [data-code="false-urgency"][data-acknowledged="true"]')
    expect(done).to_contain_text(f"“{REASON}”")
    expect(done.locator(".badge-acknowledged")).to_have_text("Acknowledged")
    summary = page.locator("#findings .findings-summary")
    expect(summary).to_contain_text("1 warning")
    expect(summary).to_contain_text("1 acknowledged")
    expect(page.locator("#editor-alert")).to_contain_text("Marked the false-urgency finding")
    expect(page.locator('#findings [data-code="guaranteed-outcome"]')).not_to_have_attribute(
        "data-acknowledged", "true"
    )
    assert_not_reloaded(page, url)
    assert CopyAcknowledgement.objects.get().reason == REASON
    page.locator("#findings").screenshot(path=str(SCREENSHOTS / "editor-findings-acknowledged.png"), caret="initial")
    page.screenshot(path=str(SCREENSHOTS / "editor-acknowledged-viewport.png"), caret="initial")

    page.goto("/funnels/")
    expect(page.get_by_role("row", name="Calm course")).to_contain_text("1 acknowledged")
    assert page.console_errors == []


def test_a_refused_acknowledgement_says_why_beside_the_form(page: Page, funnel: Funnel) -> None:
    page.goto(f"/funnels/{funnel.slug}/")
    urgency = page.locator('#findings [data-code="false-urgency"]')
    urgency.get_by_text("The words are true: mark as reviewed").click()
    reason = urgency.get_by_label("Why they are fine as they are")
    reason.fill("   ")
    reason.evaluate("input => input.removeAttribute('required')")  # as a browser without the check would send it
    urgency.get_by_role("button", name="Mark as reviewed").click()
    expect(page.locator('#findings [data-code="false-urgency"] .field-error')).to_contain_text(
        "Say why the words are fine as they are"
    )
    assert not CopyAcknowledgement.objects.exists()


def test_the_catalog_forms_live_hints_read_the_copy_as_the_checks_do(page: Page) -> None:
    practice = make_coach()
    make_primer_catalog(practice, "course")
    sign_in(page, "maya")
    page.goto("/offers/new/")
    page.get_by_label("Key").fill("calm-calls")
    page.get_by_label("Name", exact=True).fill("Calm calls")
    page.get_by_label("Kind").select_option(label=KIND_LABELS["upsell"])
    page.get_by_label("Price").fill("197")
    page.get_by_label("Headline").fill("Say goodbye to anxiety forever")
    page.get_by_label("Description").fill("Was $497. Spots are filling fast. We never use countdown timers.")
    page.get_by_label("No button").fill("No thanks, I'd rather stay anxious")
    hints = page.get_by_role("complementary", name="Hints")
    honesty = hints.locator(".hint-honesty")
    expect(honesty).to_contain_text("The headline promises an outcome: “Say goodbye to anxiety forever”.")
    expect(honesty).to_contain_text("Kind of claim: a promise that the change lasts forever.")
    expect(honesty).to_contain_text(
        "The description invents urgency: “Spots are filling fast”. Kind of claim: a scarcity"
    )
    expect(honesty).to_contain_text("The description claims a price this offer has not had: “Was $497”.")
    expect(honesty).to_contain_text("The no button shames the buyer for saying no: “I'd rather stay anxious”.")
    expect(honesty).not_to_contain_text("countdown")
    SCREENSHOTS.mkdir(exist_ok=True)
    hints.screenshot(path=str(SCREENSHOTS / "catalog-form-live-hints.png"), caret="initial")

    page.get_by_label("Headline").fill("No guaranteed results, just honest support")
    page.get_by_label("Description").fill("Is it a cure? No. Eight seats, because I coach each person myself.")
    page.get_by_label("No button").fill("No, thank you")
    expect(honesty).to_contain_text("No promised outcomes or invented deadlines in the copy.")
    assert page.console_errors == []
