"""A coach takes a funnel from one practice to another as a file, and a broken file is refused in the open."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Error, Page, expect

from accounts.models import Membership, Role
from accounts.services import practice_create
from funnels.domain.metrics import compute_metrics
from funnels.models import Funnel, FunnelStep
from funnels.selectors import funnel_plan
from funnels.services.demo import DEMO_DIR
from funnels.services.transfer import funnel_import
from offers.models import Offer
from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-calm-password-2026"
CLASSIC = (DEMO_DIR / "calm-classic.json").read_bytes()


def member(username: str, *practices_and_roles: tuple[object, str]) -> None:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    for practice, role in practices_and_roles:
        Membership.objects.create(user=user, practice=practice, role=role)


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/funnels/")


def switch_to(page: Page, slug: str, practice_name: str) -> None:
    page.get_by_label("Practice").select_option(value=slug)
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_text(f"You are now working in {practice_name}.")).to_be_visible()


def download_export(page: Page, slug: str, to: Path) -> Path:
    """The funnel's export through its link on the editor when there is one, else its address directly."""
    page.goto(f"/funnels/{slug}/")
    link = page.get_by_role("link", name=re.compile(r"^Export"))
    with page.expect_download() as started:
        if link.count():
            link.first.click()
        else:
            try:
                page.goto(f"/funnels/{slug}/export/")
            except Error as navigation:  # a download is not a page, so the navigation itself is aborted
                assert "Download is starting" in str(navigation) or "ERR_ABORTED" in str(navigation)
    download = started.value
    assert download.suggested_filename == f"{slug}.json"
    path = to / download.suggested_filename
    download.save_as(path)
    return path


def choose_file(page: Page, path: Path, address: str = "") -> None:
    page.goto("/funnels/import/")
    expect(page.get_by_role("heading", name="Import a funnel")).to_be_visible()
    page.get_by_label("Funnel file").set_input_files(path)
    if address:
        page.get_by_label("Address").fill(address)
    page.get_by_role("button", name="Check the file").click()


def test_a_funnel_exported_from_one_practice_imports_into_another_with_the_same_aov(page, tmp_path):
    # given Ana, owner of a practice with the classic funnel and coach in a fresh one
    home = practice_create(name="Calm Coaching", slug="calm-coaching", currency="USD")
    fresh = practice_create(name="Quiet Mind Studio", slug="quiet-mind", currency="USD")
    original = funnel_import(practice=home, raw=CLASSIC).funnel
    member("ana", (home, Role.OWNER), (fresh, Role.COACH))
    sign_in(page, "ana")
    switch_to(page, "calm-coaching", "Calm Coaching")

    # when she exports the funnel and imports the file in the fresh practice
    exported = download_export(page, original.slug, tmp_path)
    assert json.loads(exported.read_text())["name"] == "Calm course: classic"
    switch_to(page, "quiet-mind", "Quiet Mind Studio")
    choose_file(page, exported)

    # then she sees what the import will do before anything is written
    summary = page.get_by_role("region", name="Ready to import “Calm course: classic”")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="5 offers will be created")).to_be_visible()
    expect(summary.get_by_text("$177.10")).to_be_visible()
    assert not Funnel.objects.filter(practice=fresh).exists()
    screenshot(page, "import-summary-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "import-summary-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("button", name="Import this funnel").click()
    page.wait_for_url("**/funnels/calm-course-classic/")
    expect(page.get_by_text('Imported "Calm course: classic". It added 5 offers to your catalog.')).to_be_visible()
    expect(page.locator("#figure-aov")).to_have_text("$177.10")

    # and the copy's figures are exactly the original's
    copy = Funnel.objects.get(practice=fresh)
    assert Offer.objects.filter(practice=fresh).count() == 5
    original_metrics = compute_metrics(funnel_plan(practice=home, funnel=original))
    copy_metrics = compute_metrics(funnel_plan(practice=fresh, funnel=copy))
    assert copy_metrics.aov_exact == original_metrics.aov_exact
    assert copy_metrics.revenue_per_buyer_exact == original_metrics.revenue_per_buyer_exact
    assert page.console_errors == []


def test_a_broken_file_shows_every_problem_and_writes_nothing(page, tmp_path):
    practice = practice_create(name="Calm Coaching", slug="calm-coaching", currency="USD")
    member("cleo", (practice, Role.COACH))
    document = json.loads(CLASSIC)
    document["offers"][2]["price"] = "300.001"
    document["offers"][3]["colour"] = "teal"
    document["post_purchase"]["steps"][0]["on_decline"] = "dwn1"
    broken = tmp_path / "calm-broken.json"
    broken.write_text(json.dumps(document, indent=2))
    sign_in(page, "cleo")
    before = (Offer.objects.count(), Funnel.objects.count(), FunnelStep.objects.count())

    choose_file(page, broken)

    alert = page.get_by_role("alert").filter(has_text="cannot be imported")
    expect(alert).to_be_visible()
    expect(alert.get_by_role("heading", name="“calm-broken.json” cannot be imported")).to_be_visible()
    expect(alert.get_by_role("listitem")).to_have_text(
        [
            "offers[2].price: has more than 2 decimal places",
            "offers[3].colour: unknown field",
            'post_purchase.steps[0].on_decline: no step "dwn1"',
        ]
    )
    expect(page.get_by_role("button", name="Import this funnel")).to_have_count(0)
    expect(page.get_by_role("heading", name="Choose another file")).to_be_visible()
    assert (Offer.objects.count(), Funnel.objects.count(), FunnelStep.objects.count()) == before
    screenshot(page, "import-errors-desktop")
    page.set_viewport_size(PHONE)
    expect(alert.get_by_role("listitem").first).to_be_visible()
    screenshot(page, "import-errors-phone")
    assert page.console_errors == []
