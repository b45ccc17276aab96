"""Every page, with the demo's data, at 1280 and 390 pixels wide: axe-core finds no violation, and the browser
reports no CSP violation and no console error.

axe-core is vendored for the tests only (``tests/browser/vendor/``, see its README), never served to users.
``page.add_script_tag(path=...)`` injects it as an inline script, which the app's strict CSP (``script-src
'self'``) rightly refuses; so the axe pass runs in a context opened with ``bypass_csp=True``, for this test
only. Because that context cannot see CSP violations, each page is first visited in an ordinary context, CSP
on, listening for ``securitypolicyviolation`` events and console errors (after the same interactions, so an
htmx swap that would set an inline style is caught too).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from accounts.audit import SYSTEM
from accounts.invitations import invitation_create, invitation_token
from accounts.models import Practice, Role
from accounts.services import practice_create
from funnels.services.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
LAPTOP = {"width": 1280, "height": 900}
WIDTHS = {"1280": LAPTOP, "390": PHONE}
CLASSIC, DRAFT = "calm-course-classic", "calm-course-first-draft-has-mistakes"
CLASHING_FILE = json.dumps(
    {
        "format": "offer-architect/funnel@1",
        "name": "Calm course: clashing",
        "currency": "USD",
        "offers": [
            {"key": "calm-course", "name": "Calm Your Nervous System", "kind": "core", "price": "97.00"},
            {"key": "three-calls", "name": "Three calls", "kind": "upsell", "price": "250.00"},
        ],
        "checkout": {"core": "calm-course", "bumps": [], "cross_sells": []},
        "post_purchase": {
            "start": "up1",
            "steps": [{"key": "up1", "offer": "three-calls", "on_accept": None, "on_decline": None}],
        },
        "thank_you": {"cross_sells": []},
    }
)
# Collects CSP violations from the first moment of every document (and after every navigation).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.pathname}:${event.lineNumber}:${event.columnNumber}`
    + ` (${(event.sample || "").slice(0, 80)})`);
});
"""
AXE_RUN = """async (outside) => {
  const context = outside ? {exclude: [outside]} : document;
  // "region" judges the whole document, so it would still see the excluded widget's own layout
  const rules = outside ? {region: {enabled: false}} : {};
  const results = await axe.run(context, {resultTypes: ["violations"], rules});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 6).map((n) => n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ")),
  }));
}"""


@dataclass(frozen=True)
class Visit:
    """A page to check: where it is, who looks at it (None: signed out) and what is done on it first."""

    path: str | Callable[[dict[str, str]], str]
    signed_in: bool = True
    then: Callable[[Page], None] | None = None
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())
    designed: tuple[int, ...] = ()
    """HTTP statuses the page answers on purpose (Chromium logs every 4xx XHR as a console error)."""
    outside_our_markup: str = ""
    """A CSS selector of markup the app does not write, left out of axe's run: the vendored Swagger UI widget on
    /api/docs, whose structure is the library's (buttons inside its summary buttons, its own <main> and heading
    levels). Its worst colours are darkened in static/css/api-docs.css; the rest is the library's to fix."""


def open_new_funnel(page: Page) -> None:
    if page.locator("#new-funnel").get_attribute("open") is None:
        page.get_by_text("New funnel", exact=True).click()
    expect(page.get_by_role("heading", name="Start blank")).to_be_visible()


def refused_new_funnel(page: Page) -> None:
    """The blank form sent with a new core offer but no name or price: htmx swaps the form back with its errors."""
    open_new_funnel(page)
    page.get_by_label("Core offer", exact=True).select_option("new")
    page.get_by_role("button", name="Create the funnel").click()
    expect(page.locator("#blank-offer_name_error")).to_be_visible()
    page.wait_for_load_state("networkidle")


def search_the_catalog(page: Page) -> None:
    page.get_by_label("Search").fill("calm")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"q=calm"))


def open_more_menus(page: Page) -> None:
    for summary in page.locator("details.funnel-more > summary").all():
        summary.click()


def submit_empty_sign_in(page: Page) -> None:
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def offer_form_with_errors(page: Page) -> None:
    page.get_by_label("Key").fill("Bad Key")
    page.get_by_label("Price").fill("ninety")
    page.get_by_label("Topics").fill("sleep!")
    page.get_by_label("Expected take rate (%)").fill("150")
    page.get_by_role("button", name="Add the offer").click()
    expect(page.get_by_role("alert").filter(has_text="Nothing was saved")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Calm")  # the live hints answer (htmx) after a refusal too
    page.wait_for_load_state("networkidle")


def type_in_offer_form(page: Page) -> None:
    page.get_by_label("Name", exact=True).fill("Calm course, renamed")
    page.wait_for_load_state("networkidle")


def forecast_with_abc(page: Page) -> None:
    page.get_by_label("Number of buyers").fill("abc")
    expect(page.get_by_label("Number of buyers")).to_have_attribute("aria-invalid", "true")
    page.wait_for_load_state("networkidle")


def favicon_answers(page: Page) -> None:
    response = page.request.get("/favicon.ico")
    assert response.ok and response.headers["content-type"].startswith("image/svg"), response.status


def tick_a_bump(page: Page) -> None:
    page.get_by_role("checkbox").first.check()
    page.wait_for_load_state("networkidle")


def edit_take_rates(page: Page) -> None:
    """Two htmx edits: a take rate saved, then one refused ("abc"), each swapping the column and the figures."""
    for typed in ("25", "abc"):
        field = page.get_by_label("Take rate (%)").first
        field.fill(typed)
        field.press("Enter")
        page.wait_for_load_state("networkidle")


def upload_clashing_file(page: Page) -> None:
    page.get_by_label("Funnel file").set_input_files(
        {"name": "clashing.json", "mimeType": "application/json", "buffer": CLASHING_FILE.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="“Calm course: clashing” does not fit your catalog")).to_be_visible()


def open_editor_controls(page: Page) -> None:
    """The editor with the controls that fetch their forms opened: an "add" (with the new-offer fields), the
    answers of a step, the core offer, and Rename."""
    for selector in (
        "#post-purchase details.add-here > summary",
        "#post-purchase details.answer-change > summary",
        "#checkout details.core-change > summary",
        "details.rename > summary",
    ):
        page.locator(selector).first.click()
    expect(page.locator("#post-purchase form.add-form")).to_be_visible()
    expect(page.locator("#post-purchase form.edge-form")).to_be_visible()
    page.wait_for_load_state("networkidle")


def remove_a_step(page: Page) -> None:
    """A removal's message, with its Undo button, in the status line."""
    page.locator("#editor button.remove").first.click()  # each visit removes another of the funnel's four
    expect(page.locator("#editor-alert button.undo")).to_be_visible()


def change_a_used_offers_price(page: Page) -> None:
    """The catalog's confirmation of a change that funnels would feel."""
    page.get_by_label("Price").fill("350")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Confirm the change")).to_be_visible()


PAGES: dict[str, Visit] = {
    "sign-in": Visit("/accounts/sign-in/", signed_in=False, then=favicon_answers),
    "sign-in-refused": Visit("/accounts/sign-in/", signed_in=False, then=submit_empty_sign_in),
    "sign-up": Visit("/accounts/sign-up/", signed_in=False),
    "password-reset": Visit("/accounts/password/reset/", signed_in=False),
    "join-signed-out": Visit(lambda links: links["join"], signed_in=False),
    "join-signed-in": Visit(lambda links: links["join"]),
    "funnel-list": Visit("/funnels/", then=open_new_funnel),
    "funnel-list-more": Visit("/funnels/", then=open_more_menus),
    "funnel-list-live": Visit("/funnels/?status=live"),
    "funnel-list-refused-new": Visit("/funnels/", then=refused_new_funnel),
    "editor": Visit(f"/funnels/{CLASSIC}/", then=edit_take_rates, designed=(422,)),
    "editor-with-errors": Visit(f"/funnels/{DRAFT}/"),
    "editor-controls-open": Visit(f"/funnels/{CLASSIC}/", then=open_editor_controls),
    "editor-removed-with-undo": Visit(f"/funnels/{CLASSIC}/", then=remove_a_step),
    "history": Visit(f"/funnels/{CLASSIC}/history/"),
    "trash": Visit("/funnels/trash/"),
    "actuals": Visit(f"/funnels/{CLASSIC}/actuals/"),
    "offer-change-impact": Visit("/offers/three-calls/edit/", then=change_a_used_offers_price),
    "api-tokens": Visit("/api/tokens/"),
    "api-docs": Visit(
        "/api/docs",
        then=lambda page: expect(page.locator(".opblock").first).to_be_visible(),
        outside_our_markup=".opblock-summary-control, .opblock-tag",
    ),
    "preview-checkout": Visit(f"/funnels/{CLASSIC}/preview/", then=tick_a_bump),
    "preview-offer": Visit(f"/funnels/{CLASSIC}/preview/?at=post_purchase"),
    "preview-with-errors": Visit(f"/funnels/{DRAFT}/preview/"),
    "forecast": Visit(f"/funnels/{CLASSIC}/forecast/?compare=calm-course-community-upgrade"),
    "forecast-abc": Visit(f"/funnels/{CLASSIC}/forecast/", then=forecast_with_abc),
    "delete-funnel": Visit(f"/funnels/{CLASSIC}/delete/"),
    "import": Visit("/funnels/import/"),
    "import-clash": Visit("/funnels/import/", then=upload_clashing_file),
    "catalog": Visit("/offers/", then=search_the_catalog),
    "offer-new-with-errors": Visit("/offers/new/", then=offer_form_with_errors),
    "offer-edit": Visit("/offers/calm-course/edit/", then=type_in_offer_form),
    "members": Visit("/accounts/members/"),
    "audit": Visit("/accounts/audit/"),
    "password-change": Visit("/accounts/password/"),
    "new-practice": Visit("/accounts/practices/new/"),
    "delete-practice": Visit("/accounts/practice/delete/"),
}


def demo_links() -> dict[str, str]:
    """Load the demo and make what the pages need: an open invitation to a practice the demo user is not in."""
    load_demo()
    other: Practice = practice_create(name="Steady Sleep", slug="steady-sleep", currency="USD")
    invitation = invitation_create(practice=other, email="demo@example.com", role=Role.COACH, actor=SYSTEM)
    return {"join": f"/accounts/join/{invitation_token(invitation)}/"}


def sign_in(page: Page) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(DEMO_USERNAME)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/funnels/")


def go(page: Page, visit: Visit, links: dict[str, str]) -> None:
    path = visit.path(links) if callable(visit.path) else visit.path
    page.goto(path)
    if visit.then is not None:
        visit.then(page)


def csp_and_console_problems(browser: Browser, base_url: str, visit: Visit, links: dict[str, str]) -> list[str]:
    """Visit with the CSP in force, at both widths: every CSP violation and console error, with its source."""
    context = browser.new_context(base_url=base_url, viewport=LAPTOP)
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    problems: list[str] = []
    designed = {f"Failed to load resource: the server responded with a status of {code} " for code in visit.designed}

    def console(message: ConsoleMessage) -> None:
        if message.type == "error" and not any(message.text.startswith(d) for d in designed):
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        if visit.signed_in:
            sign_in(page)
        for name, size in WIDTHS.items():
            page.set_viewport_size(size)
            go(page, visit, links)
            problems += [f"CSP at {name}: {v}" for v in page.evaluate("window.__cspViolations || []")]
    finally:
        context.close()
    return problems


def axe_violations(browser: Browser, base_url: str, visit: Visit, links: dict[str, str]) -> list[str]:
    # bypass_csp=True: only so the inline script add_script_tag makes can run; the CSP is checked above.
    context = browser.new_context(base_url=base_url, viewport=LAPTOP, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    found: list[str] = []
    try:
        if visit.signed_in:
            sign_in(page)
        for name, size in WIDTHS.items():
            page.set_viewport_size(size)
            go(page, visit, links)
            page.add_script_tag(path=str(AXE))
            for violation in page.evaluate(AXE_RUN, visit.outside_our_markup):
                nodes = "\n      ".join(violation["nodes"])
                found.append(f"{name}px {violation['id']} ({violation['impact']}): {violation['help']}\n      {nodes}")
    finally:
        context.close()
    return found


@pytest.mark.parametrize("name", [pytest.param(name, marks=visit.marks, id=name) for name, visit in PAGES.items()])
def test_the_page_has_no_axe_violation_and_no_csp_violation(name: str, browser: Browser, live_server) -> None:  # type: ignore[no-untyped-def]
    visit = PAGES[name]
    links = demo_links()
    problems = csp_and_console_problems(browser, live_server.url, visit, links)
    assert problems == [], f"{name}: CSP violations or console errors:\n  " + "\n  ".join(problems)
    violations = axe_violations(browser, live_server.url, visit, links)
    assert violations == [], f"{name}: {len(violations)} axe violations:\n  " + "\n  ".join(violations)
