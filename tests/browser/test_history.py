"""The history journey in a real browser: five edits, two undone (a button and Ctrl+Z), the history, a diff of the
first and last versions, and the first restored, its AOV back.

The editor is driven only through what is stable across its redesigns: each take-rate form is found by the address
it posts to and its input by its ``name``, and the page's version by ``#funnel-version``. Undo, the history, the
diff and the restore are this issue's own pages.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from funnels.models import Funnel, FunnelVersion
from funnels.selectors import funnel_plan
from tests.browser.helpers import make_coach, make_primer_offers, sign_in
from tests.factories import make_primer_funnel

pytestmark = pytest.mark.django_db(transaction=True)

EDITS = (("up1", "25"), ("down1", "20"), ("up1", "30"), ("down1", "25"), ("up1", "35"))
"""Five take-rate edits, alternating between the two steps so that none folds into the one before it."""


def set_take_rate(page: Page, key: str, percent: str, version: int) -> None:
    form = page.locator(f'form[hx-post$="/steps/post_purchase/{key}/take-rate/"]')
    field = form.locator('input[name="take_rate"]')
    field.fill(percent)
    field.press("Enter")
    expect(page.locator("#funnel-version")).to_have_value(str(version))


def aov_cells(page: Page) -> list[str]:
    return page.locator("tr[data-version] td.version-aov").all_inner_texts()


def test_edit_undo_compare_and_restore_the_first_version(page: Page) -> None:
    practice = make_coach()
    funnel, up, down = make_primer_funnel(practice, make_primer_offers(practice))  # versions 1 to 3
    sign_in(page, "maya")

    # five edits in the editor: versions 4 to 8
    page.goto(f"/funnels/{funnel.slug}/")
    for n, (key, percent) in enumerate(EDITS, start=4):
        set_take_rate(page, key, percent, version=n)
    assert Funnel.objects.get(pk=funnel.pk).version == 8

    # undo two: one with the button, one with Ctrl+Z (never while typing in a field)
    page.goto(f"/funnels/{funnel.slug}/history/")
    undo = page.locator('#undo-controls [data-undo="undo"]')
    expect(undo).to_have_accessible_name("Undo: Take rate of Three 1-on-1 coaching calls 30% → 35%")
    undo.click()
    expect(page.get_by_role("status")).to_contain_text("Undid: take rate of Three 1-on-1 coaching calls 30% → 35%")
    page.locator("body").press("Control+z")
    expect(page.get_by_role("status")).to_contain_text("Undid: take rate of One coaching call 20% → 25%")
    plan = funnel_plan(practice=practice, funnel=funnel)
    assert (plan.step("up1").take_rate, plan.step("down1").take_rate) == (Decimal("0.3"), Decimal("0.2"))

    # the history: ten versions, newest first, with their AOV
    rows = page.locator("tr[data-version]")
    expect(rows).to_have_count(10)
    expect(rows.first.locator(".version-summary")).to_have_text("Undid: take rate of One coaching call 20% → 25%")
    first_aov, last_aov = aov_cells(page)[-1], aov_cells(page)[0]
    assert (first_aov, last_aov) == ("$97.00", "$203.80")
    expect(page.locator("svg.aov-chart circle.aov-point")).to_have_count(10)

    # compare the first and the last versions
    page.locator("#a-1").check()
    page.locator("#b-10").check()
    page.get_by_role("button", name="Compare the chosen versions").click()
    expect(page.get_by_role("heading", name="Version 1 → version 10")).to_be_visible()
    expect(page.locator('[data-figure="aov-before"]')).to_have_text(first_aov)
    expect(page.locator('[data-figure="aov-after"]')).to_have_text(last_aov)
    expect(page.get_by_text("Added Three 1-on-1 coaching calls after payment at a take rate of 30%")).to_be_visible()

    # restore the first: a new version, whose AOV is the first one's again
    page.get_by_role("button", name="Restore version 1").or_(page.get_by_role("link", name="Restore version 1")).click()
    expect(page.get_by_role("heading", name="Restore version 1?")).to_be_visible()
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.get_by_role("status")).to_contain_text('Restored version 1 of "Calm" as version 11.')
    expect(rows).to_have_count(11)
    assert aov_cells(page)[0] == first_aov == "$97.00"
    assert FunnelVersion.objects.get(funnel=funnel, number=11).aov == Decimal("97.00")

    # the funnel list agrees, and nothing broke the page's CSP on the way
    page.goto("/funnels/")
    expect(page.locator("tr", has_text="Calm").locator('td[data-label="AOV"]')).to_have_text("$97.00")
    assert page.console_errors == []
