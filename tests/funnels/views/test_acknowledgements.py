"""Acknowledging a copy finding from the editor's findings panel: a POST with its CSRF token by someone who may
change funnels; it shows as acknowledged (not counted) in the editor, the list and the import summary, and the
finding comes back when the offer's words change."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Role
from funnels.services.editing import funnel_create, funnel_step_add
from funnels.services.transfer import funnel_export
from offers.models import CopyAcknowledgement
from offers.services import offer_update
from tests.factories import make_practice, make_primer_catalog
from tests.factories import signed_in_client as member

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EDITOR = "/funnels/calm/"
ACKNOWLEDGE = "/funnels/calm/findings/acknowledge/"
REASON = "This cohort really closes on 28 February"


@pytest.fixture
def offers(practice):
    return make_primer_catalog(practice, "course", "calls", calls={"body": "Enrolment closes on 28 February."})


@pytest.fixture
def calm(practice, offers):
    funnel = funnel_create(practice=practice, name="Calm", slug="calm", core_offer=offers["course"])
    funnel_step_add(
        funnel=funnel, expected_version=1, offer=offers["calls"], slot="one_click", key="up1", take_rate="0.2"
    )
    return funnel


@pytest.fixture
def coach(practice) -> Client:
    return member(practice, Role.COACH)


def form_of(html: str, code: str = "false-urgency") -> dict[str, str]:
    """The hidden fields of a finding's acknowledge form, as the page has them."""
    item = html[html.index(f'data-code="{code}"') :]
    item = item[: item.index("</li>")]
    return dict(re.findall(r'<input type="hidden" name="(offer|code|fingerprint)" value="([^"]*)"', item))


def test_a_copy_finding_has_a_labelled_acknowledge_form_and_a_shape_finding_has_none(calm, coach) -> None:
    html = coach.get(EDITOR).content.decode()
    fields = form_of(html)
    assert fields["offer"] == "three-calls" and fields["code"] == "false-urgency" and len(fields["fingerprint"]) == 64
    assert f'action="{ACKNOWLEDGE}"' in html and 'name="csrfmiddlewaretoken"' in html
    assert re.search(r'<label for="reason-\d+">Why they are fine as they are</label>', html)
    assert "The words are true: mark as reviewed" in html


def test_acknowledging_under_htmx_answers_with_the_panel_marked_and_the_count_moved(calm, coach) -> None:
    before = coach.get(EDITOR).content.decode()
    assert "1 warning</span>" in before and "acknowledged</span>" not in before
    response = coach.post(ACKNOWLEDGE, {**form_of(before), "reason": REASON}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="findings"')
    assert "0 warnings</span>" in html and '<span class="badge badge-acknowledged">1 acknowledged</span>' in html
    assert 'data-acknowledged="true"' in html and f"“{REASON}”" in html and "Open again" in html
    assert 'id="flow" class="side-section" aria-labelledby="flow-title" hx-swap-oob="true"' in html
    assert "Marked the false-urgency finding on" in html
    assert CopyAcknowledgement.objects.get().reason == REASON


def test_without_javascript_the_post_redirects_to_the_panel(calm, coach) -> None:
    fields = form_of(coach.get(EDITOR).content.decode())
    response = coach.post(ACKNOWLEDGE, {**fields, "reason": REASON})
    assert (response.status_code, response["Location"]) == (303, "/funnels/calm/#findings")
    page = coach.get(EDITOR).content.decode()
    assert 'data-acknowledged="true"' in page and "Marked the false-urgency finding" in page


def test_a_missing_reason_is_refused_beside_the_form_and_nothing_is_saved(calm, coach) -> None:
    fields = form_of(coach.get(EDITOR).content.decode())
    response = coach.post(ACKNOWLEDGE, {**fields, "reason": "  "}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'class="field-error" role="alert">Say why the words are fine as they are', html)
    assert '<details class="acknowledge" open>' in html
    assert not CopyAcknowledgement.objects.exists()


def test_words_changed_since_the_page_was_drawn_are_refused_and_the_new_words_shown(calm, coach, offers) -> None:
    shown = form_of(coach.get(EDITOR).content.decode())
    offer_update(offer=offers["calls"], body="Enrolment closes on 28 February. Hurry!")
    response = coach.post(ACKNOWLEDGE, {**shown, "reason": REASON}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 422 and "changed since this page was shown; read them again." in html
    assert form_of(html)["fingerprint"] != shown["fingerprint"]
    assert not CopyAcknowledgement.objects.exists()


def test_the_finding_comes_back_when_the_words_change(calm, coach, offers) -> None:
    coach.post(ACKNOWLEDGE, {**form_of(coach.get(EDITOR).content.decode()), "reason": REASON})
    offer_update(offer=offers["calls"], body="Enrolment closes on 28 February, at midnight.")
    html = coach.get(EDITOR).content.decode()
    assert 'data-acknowledged="true"' not in html and "1 warning</span>" in html
    assert "1 warning" in coach.get("/funnels/").content.decode()


def test_opening_it_again_counts_it_again(calm, coach) -> None:
    coach.post(ACKNOWLEDGE, {**form_of(coach.get(EDITOR).content.decode()), "reason": REASON})
    response = coach.post("/funnels/calm/findings/reopen/", {"offer": "three-calls", "code": "false-urgency"}, **HTMX)
    assert response.status_code == 200 and "1 warning</span>" in response.content.decode()
    assert not CopyAcknowledgement.objects.exists()


def test_the_list_counts_it_as_acknowledged_not_as_a_warning(calm, coach) -> None:
    coach.post(ACKNOWLEDGE, {**form_of(coach.get(EDITOR).content.decode()), "reason": REASON})
    row = coach.get("/funnels/").content.decode()
    assert "no warnings" in row and '<span class="badge badge-acknowledged"' in row and "1 acknowledged" in row


def test_the_import_summary_marks_what_the_catalog_acknowledged(calm, coach, practice) -> None:
    coach.post(ACKNOWLEDGE, {**form_of(coach.get(EDITOR).content.decode()), "reason": REASON})
    document = funnel_export(practice=practice, funnel=calm)
    upload = SimpleUploadedFile("calm.json", document.encode(), "application/json")
    html = member(practice, Role.OWNER).post("/funnels/import/", {"file": upload}).content.decode()
    assert "1 acknowledged" in html and f"“{REASON}”" in html and "no warnings" in html


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CATALOG_ADMIN])
def test_who_may_not_change_funnels_gets_403(calm, practice, role) -> None:
    fields = form_of(member(practice, Role.COACH).get(EDITOR).content.decode())
    assert member(practice, role).post(ACKNOWLEDGE, {**fields, "reason": REASON}).status_code == 403
    assert not CopyAcknowledgement.objects.exists()


def test_another_practice_an_offer_not_in_the_funnel_a_get_and_a_bad_form_are_refused(calm, coach) -> None:
    fields = form_of(coach.get(EDITOR).content.decode())
    stranger = member(make_practice(), Role.COACH)
    assert stranger.post(ACKNOWLEDGE, {**fields, "reason": REASON}).status_code == 404
    assert coach.post(ACKNOWLEDGE, {**fields, "offer": "one-call", "reason": REASON}).status_code == 404
    assert coach.get(ACKNOWLEDGE).status_code == 405
    assert coach.post(ACKNOWLEDGE, {**fields, "fingerprint": "x", "reason": REASON}).status_code == 400
    assert coach.post(ACKNOWLEDGE, {**fields, "code": "price-jump", "reason": REASON}).status_code == 400
    assert Client().post(ACKNOWLEDGE, {**fields, "reason": REASON}).status_code == 302  # to sign in
    assert not CopyAcknowledgement.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(calm, practice) -> None:
    fields = form_of(member(practice, Role.COACH).get(EDITOR).content.decode())
    strict = member(practice, Role.OWNER, enforce_csrf_checks=True)
    assert strict.post(ACKNOWLEDGE, {**fields, "reason": REASON}).status_code == 403
    assert not CopyAcknowledgement.objects.exists()


def test_the_export_is_unchanged_by_an_acknowledgement(calm, coach, practice) -> None:
    before = funnel_export(practice=practice, funnel=calm)
    coach.post(ACKNOWLEDGE, {**form_of(coach.get(EDITOR).content.decode()), "reason": REASON})
    assert json.loads(funnel_export(practice=practice, funnel=calm)) == json.loads(before)
