"""What a coach does again and again in the browser tests: sign up or in, add an offer, open a funnel.

Everything goes through the pages the way a person finds things (labels, roles, visible text), except the
``make_*`` set-up helpers, which build the starting point through the services so that each test drives only
the behaviour it is about.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page, expect

from accounts.models import Membership, Practice, Role
from accounts.services import practice_create
from funnels.models import Funnel, FunnelStep
from funnels.services.editing import funnel_create, funnel_step_add
from offers.models import Offer
from tests.factories import make_primer_catalog

PASSWORD = "a-long-calm-password-2026"
KIND_LABELS = {
    "core": "Core offer — the first yes",
    "order_bump": "Order bump — a quick yes-or-no at the till",
    "upsell": "Upsell — go bigger",
    "downsell": "Downsell — go smaller",
    "cross_sell": "Cross-sell — go sideways",
}
# Chromium logs every 4xx/5xx XHR as a console error. A 409 is the editor's designed answer to a stale edit
# (htmx swaps it in), so that one line is not a JS or CSP error; everything else still counts.
STALE_LOG = "Failed to load resource: the server responded with a status of 409 (Conflict)"


# -- signing up and in -------------------------------------------------------------------------------------------


def sign_up(page: Page, username: str = "maya", practice: str = "Calm Coaching") -> None:
    page.goto("/accounts/sign-up/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email address").fill(f"{username}@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("Your practice's name").fill(practice)
    page.get_by_role("button", name="Create my practice").click()
    page.wait_for_url("**/offers/")
    expect(page.get_by_role("heading", name="Catalog", exact=True)).to_be_visible()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/funnels/")
    expect(page.get_by_role("heading", name="Funnels", exact=True)).to_be_visible()


# -- the catalog ---------------------------------------------------------------------------------------------------


def add_offer(page: Page, *, key: str, name: str, kind: str, price: str, topics: str = "") -> None:
    """Fill the catalog's new-offer form as a coach would and wait for the catalog to list the offer."""
    page.goto("/offers/")
    page.get_by_role("button", name="New offer").click()  # a link drawn as a button (role="button")
    expect(page.get_by_role("heading", name="New offer")).to_be_visible()
    page.get_by_label("Key").fill(key)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Kind").select_option(label=KIND_LABELS[kind])
    page.get_by_label("Price").fill(price)
    if topics:
        page.get_by_label("Topics").fill(topics)
    page.get_by_role("button", name="Add the offer").click()
    page.wait_for_url("**/offers/")
    expect(page.get_by_role("status").filter(has_text=f"Added “{name}” to the catalog.")).to_be_visible()
    expect(page.get_by_role("rowheader", name=name, exact=True)).to_be_visible()


# -- the editor ----------------------------------------------------------------------------------------------------
# Each control that chooses something is a <details> whose form is fetched when it opens (data-load): open it by
# its summary, then fill the form that came.


def open_control(summary: Locator) -> Locator:
    """Open a fetched control by its summary (unless the page opened it already) and wait for its form."""
    details = summary.locator("xpath=ancestor::details[1]")
    if details.get_attribute("open") is None:
        summary.click()
    form = details.locator(".load-here form").first
    expect(form).to_be_visible()
    return form


def first_step_opener(page: Page) -> Locator:
    """ "Add a step right after payment": there while no step follows the payment."""
    return page.locator("#post-purchase details.add-here > summary", has_text="Add a step right after payment")


def next_step_opener(page: Page, key: str, word: str) -> Locator:
    """ "Add the next step here" on one answer ("accept" or "decline") of the after-payment card ``key``."""
    return page.locator(f"#step-{key} .answer-{word} details.add-here > summary")


def add_step(page: Page, opener: Locator, offer_label: str, take_rate: str = "") -> None:
    """Open an "add" control, choose a catalog offer by its label ("Name — $300.00"), and add it."""
    form = open_control(opener)
    form.get_by_label("From the catalog").select_option(label=offer_label)
    form.get_by_label("Take rate (%)").fill(take_rate)
    form.get_by_role("button", name="Add").click()


def change_answers(page: Page, key: str, *, accept: str | None = None, decline: str | None = None) -> None:
    """ "Change where the answers lead" on the card ``key``: choose targets by label, save both."""
    form = open_control(page.locator(f"#step-{key} details.answer-change > summary"))
    for word, target in (("accept", accept), ("decline", decline)):
        if target is not None:
            form.get_by_label(f"If they {word}").select_option(label=target)
    form.get_by_role("button", name="Save where they lead").click()


def editor_alert(page: Page) -> Locator:
    return page.locator("#editor-alert")


def answer_target(page: Page, key: str, word: str) -> Locator:
    """Where one answer of the card ``key`` leads, as the card says it: a link to a card, or the thank-you page."""
    return page.locator(f"#step-{key} .answer-{word} .answer-target")


def _keys(page: Page, heading: str) -> list[str]:
    return page.locator(f"#post-purchase ol[aria-labelledby='{heading}'] > li[data-key]").evaluate_all(
        "items => items.map(item => item.dataset.key)"
    )


def step_keys(page: Page) -> list[str]:
    """The after-payment cards a path reaches, top to bottom (the flow order)."""
    return _keys(page, "post-purchase-title")


def stranded_keys(page: Page) -> list[str]:
    """The after-payment cards listed under "Not reached by any path"."""
    return _keys(page, "stranded-title")


def bump_keys(page: Page) -> list[str]:
    return page.locator("#checkout ol[aria-labelledby='bumps-title'] > li[data-key]").evaluate_all(
        "items => items.map(item => item.dataset.key)"
    )


def mark_window(page: Page) -> None:
    """Put a marker on ``window``: it survives htmx swaps and vanishes on any navigation or reload."""
    page.evaluate("window.__notReloaded = true")


def assert_not_reloaded(page: Page, url: str) -> None:
    assert page.url == url
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded or navigated away"


# -- set-up through the services -----------------------------------------------------------------------------------


def make_coach(username: str = "maya", practice_name: str = "Calm Coaching") -> Practice:
    """A signed-up coach (owner of one practice) without going through the sign-up form."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.com")
    practice = practice_create(name=practice_name, slug=username, currency="USD")
    Membership.objects.create(user=user, practice=practice, role=Role.OWNER)
    return practice


def make_primer_offers(practice: Practice) -> dict[str, Offer]:
    """The primer's course, three-call upsell, one-call downsell and sleep-audio cross-sell (no bump)."""
    return make_primer_catalog(practice, "course", "calls", "call", "audio")


def make_funnel(practice: Practice, offers: dict[str, Offer], steps: tuple[tuple[str, str], ...]) -> Funnel:
    """A funnel on the course with one-click steps in the given order: (offer name in ``offers``, take rate).
    The first is the start; no answer leads anywhere yet, so the others are not reached by any path."""
    funnel = funnel_create(practice=practice, name="Calm course", core_offer=offers["course"])
    for name, rate in steps:
        funnel_step_add(
            funnel=funnel,
            expected_version=funnel.version,
            offer=offers[name],
            slot="one_click",
            take_rate=Decimal(rate),
        )
        funnel.refresh_from_db()
    return funnel


def stored_order(funnel: Funnel, stage: str = "post_purchase") -> list[str]:
    return list(
        FunnelStep.objects.filter(funnel=funnel, stage=stage).order_by("position").values_list("key", flat=True)
    )
