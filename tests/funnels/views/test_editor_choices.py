"""The choices an editor control fetches when it is opened: what may be added here, where an answer may lead,
which core offer; each one small fragment, for those who may edit the funnel."""

from __future__ import annotations

import pytest

from funnels.services.editing import funnel_step_add
from offers.services import offer_archive
from tests.funnels.views.editor_support import EDITOR

pytestmark = pytest.mark.django_db


def test_the_add_choices_after_an_upsells_no_list_what_may_stand_there_downsell_first(calm, coach, primer):
    response = coach.get(f"{EDITOR}steps/add/choices/?place=one_click&after=up1:on_decline")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "If they decline “Three 1-on-1 coaching calls”, offer…" in html
    catalog = html.split('name="offer"')[1].split("</select>")[0]
    assert 'value="one-call"' in catalog and 'value="sleep-audio"' in catalog and 'value="mastermind"' in catalog
    assert 'value="breath-cards"' not in catalog and 'value="calm-course"' not in catalog
    kinds = html.split('name="new_kind"')[1].split("</select>")[0]
    assert kinds.index('value="downsell" selected') < kinds.index('value="upsell"')
    assert 'name="after" value="up1:on_decline"' in html
    assert 'value="anxiety"' in html  # a new offer's topics start as the core offer's


def test_after_a_yes_no_downsell_may_be_added(calm, coach):
    html = coach.get(f"{EDITOR}steps/add/choices/?place=one_click&after=up1:on_accept").content.decode()
    kinds = html.split('name="new_kind"')[1].split("</select>")[0]
    assert 'value="downsell"' not in kinds and 'value="upsell" selected' in kinds


def test_the_bump_choices_leave_out_archived_offers_and_bumps_already_there(practice, calm, coach, primer):
    funnel_step_add(funnel=calm, expected_version=2, offer=primer["cards"], slot="bump")
    html = coach.get(f"{EDITOR}steps/add/choices/?place=bump").content.decode()
    assert "breath-cards" not in html
    assert "A new offer, saved to the catalog" in html  # nothing left to choose: only the new-offer fields
    offer_archive(offer=primer["audio"])
    html = coach.get(f"{EDITOR}steps/add/choices/?place=thank_you_cross_sell").content.decode()
    assert "sleep-audio" not in html


@pytest.mark.parametrize(
    "query",
    [
        "?place=nowhere",
        "?place=bump&after=up1:on_decline",
        "?place=one_click&after=zzz:on_accept",
        "?place=one_click&after=up1:sideways",
    ],
)
def test_choices_for_a_place_or_answer_that_does_not_exist_are_not_found(calm, coach, query):
    assert coach.get(f"{EDITOR}steps/add/choices/{query}").status_code == 404


def test_the_answer_choices_list_the_other_steps_by_name_and_the_thank_you_page(calm_with_downsell, coach):
    html = coach.get(f"{EDITOR}steps/post_purchase/up1/edges/choices/").content.decode()
    accept = html.split('name="on_accept"')[1].split("</select>")[0]
    decline = html.split('name="on_decline"')[1].split("</select>")[0]
    assert '<option value="" selected>The thank-you page</option>' in accept
    assert '<option value="down1" selected>One call — Downsell</option>' in decline
    assert 'value="up1"' not in accept + decline  # never itself
    assert "Save where they lead" in html
    assert coach.get(f"{EDITOR}steps/post_purchase/zzz/edges/choices/").status_code == 404


def test_the_core_choices_list_the_catalogs_core_offers(calm, coach):
    html = coach.get(f"{EDITOR}core/choices/").content.decode()
    assert '<option value="calm-course" selected>' in html
    assert '<option value="calm-deep">Calm, the deep course — $197.00</option>' in html
    assert "three-calls" not in html
