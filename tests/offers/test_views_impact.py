"""The catalog never breaks a funnel silently: an edit or an archive that the funnels using the offer would see is
first shown with what it does to each of them, saved only once confirmed, and then refuses their stale editors."""

from __future__ import annotations

import re
from decimal import Decimal
from html import escape

import pytest

from accounts.models import AuditAction, AuditEvent, Role
from funnels.models import Funnel
from funnels.services.editing import funnel_create, funnel_step_add, funnel_step_set_take_rate
from offers.forms import OfferForm
from offers.models import Offer, OfferStatus
from tests.factories import make_practice, make_primer_catalog, make_primer_funnel
from tests.factories import signed_in_client as member

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EDIT = "/offers/three-calls/edit/"
ARCHIVE = "/offers/three-calls/archive/"
DOWNSELL_NOT_SMALLER = (
    'The downsell "One coaching call" costs $120.00, which is not less than the $100.00 of the upsell '
    '"Three 1-on-1 coaching calls" it follows when declined.'
)


@pytest.fixture
def funnels(practice, primer_catalog):
    """Calm (course → calls 20% → call 15% on decline, version 3) and Calm lite (course → calls 20%, version 2)."""
    calm, _, _ = make_primer_funnel(practice, primer_catalog)
    lite = funnel_create(practice=practice, name="Calm lite", core_offer=primer_catalog["course"])
    funnel_step_add(funnel=lite, expected_version=1, offer=primer_catalog["calls"], slot="one_click", take_rate="0.2")
    return {"calm": calm, "lite": lite}


@pytest.fixture
def admin(practice):
    return member(practice, Role.CATALOG_ADMIN)


def form_data(offer: Offer, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it for ``offer``, with some fields typed over."""
    initial = OfferForm.initial_from(offer)
    data = {name: "" if value is None else str(value) for name, value in initial.items()}
    data["replaces"] = offer.replaces.key if offer.replaces else ""
    data.update(changes)
    return data


def confirmation_of(html: str) -> dict[str, list[str]]:
    """The hidden fields the "Confirm the change" button posts with."""
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="(proposal|seen)" value="([^"]*)"', html):
        fields.setdefault(name, []).append(value)
    return fields


def version_of(funnel: Funnel) -> int:
    return Funnel.objects.get(pk=funnel.pk).version


def price_of_calls() -> Decimal:
    return Offer.objects.get(key="three-calls").price


# -- asking first ------------------------------------------------------------------------------------------------


def test_a_price_change_first_shows_each_funnel_it_changes_and_saves_nothing(admin, primer_catalog, funnels):
    response = admin.post(EDIT, form_data(primer_catalog["calls"], price="100"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This change to “Three 1-on-1 coaching calls” changes 2 funnels" in html
    assert '<a href="/funnels/calm/">Calm</a>' in html and '<a href="/funnels/calm-lite/">Calm lite</a>' in html
    assert f'<span class="badge badge-error">New error</span> {escape(DOWNSELL_NOT_SMALLER)}' in html
    assert "$171.40 → <strong>$131.40</strong>" in html  # Calm
    assert "$157.00 → <strong>$117.00</strong>" in html  # Calm lite
    assert '0 → <strong class="impact-worse">1</strong>' in html  # Calm's errors
    assert '<button type="submit" name="confirm" value="yes" form="offer-form">Confirm the change</button>' in html
    assert confirmation_of(html)["seen"] == ["calm:3", "calm-lite:2"]
    assert 'id="offer-form"' in html and 'value="100"' in html  # the form keeps what was typed
    assert price_of_calls() == Decimal("300")
    assert (version_of(funnels["calm"]), version_of(funnels["lite"])) == (3, 2)
    assert not AuditEvent.objects.filter(action=AuditAction.OFFER_UPDATED).exists()


def test_confirming_saves_moves_the_versions_and_an_open_editor_then_gets_409(practice, admin, primer_catalog, funnels):
    data = form_data(primer_catalog["calls"], price="350")
    shown = confirmation_of(admin.post(EDIT, data).content.decode())
    response = admin.post(EDIT, {**data, "confirm": "yes", **shown})
    assert response.status_code == 302 and response["Location"] == "/offers/"
    assert price_of_calls() == Decimal("350")
    assert (version_of(funnels["calm"]), version_of(funnels["lite"])) == (4, 3)
    listed = admin.get("/offers/").content.decode()
    assert "Saved “Three 1-on-1 coaching calls”. 2 funnels using it now show the change: “Calm”, “Calm lite”." in listed
    assert AuditEvent.objects.filter(action=AuditAction.OFFER_UPDATED, target="three-calls").count() == 1
    # a coach whose editor still holds Calm at version 3 makes an edit: refused
    coach = member(practice, Role.COACH)
    stale = coach.post("/funnels/calm/steps/post_purchase/up1/take-rate/", {"version": "3", "take_rate": "40"}, **HTMX)
    assert stale.status_code == 409
    assert '<a href="/funnels/calm/">Reload the editor</a>' in stale.content.decode()  # the editor's own words


def test_a_funnel_changed_between_the_preview_and_the_confirmation_is_shown_again(admin, primer_catalog, funnels):
    data = form_data(primer_catalog["calls"], price="100")
    shown = confirmation_of(admin.post(EDIT, data).content.decode())
    calm = funnels["calm"]
    funnel_step_set_take_rate(funnel=calm, expected_version=3, step=calm.steps.get(key="up1"), take_rate="0.3")
    response = admin.post(EDIT, {**data, "confirm": "yes", **shown})
    assert response.status_code == 200
    html = response.content.decode()
    assert "A funnel that uses this offer changed while you were looking at what the change would do to it" in html
    assert confirmation_of(html)["seen"] == ["calm:4", "calm-lite:2"]
    assert "$199.60 → <strong>$139.60</strong>" in html  # Calm at 30%: 97 + 0.3·300 + 0.7·0.15·120, then with $100
    assert price_of_calls() == Decimal("300")
    assert (version_of(calm), version_of(funnels["lite"])) == (4, 2)
    # confirming what is shown now saves it
    again = admin.post(EDIT, {**data, "confirm": "yes", **confirmation_of(html)})
    assert again.status_code == 302 and price_of_calls() == Decimal("100")


def test_a_form_typed_over_after_the_preview_is_shown_again_not_saved(admin, primer_catalog, funnels):
    shown = confirmation_of(admin.post(EDIT, form_data(primer_catalog["calls"], price="350")).content.decode())
    response = admin.post(EDIT, {**form_data(primer_catalog["calls"], price="100"), "confirm": "yes", **shown})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The form changed after you were shown what it would do to the funnels" in html
    assert escape(DOWNSELL_NOT_SMALLER) in html
    assert price_of_calls() == Decimal("300")


def test_a_confirmation_no_page_sent_is_shown_again(admin, primer_catalog, funnels):
    data = form_data(primer_catalog["calls"], price="350")
    shown = confirmation_of(admin.post(EDIT, data).content.decode())
    response = admin.post(EDIT, {**data, "confirm": "yes", "proposal": shown["proposal"], "seen": ["calm:x"]})
    assert response.status_code == 200 and "Confirm the change" in response.content.decode()
    assert price_of_calls() == Decimal("300")


def test_name_and_copy_edits_save_at_once_as_before(admin, primer_catalog, funnels):
    data = form_data(primer_catalog["calls"], name="Three calls", body="Three 1-on-1 calls over six weeks.")
    response = admin.post(EDIT, data)
    assert response.status_code == 302
    assert Offer.objects.get(key="three-calls").name == "Three calls"
    assert (version_of(funnels["calm"]), version_of(funnels["lite"])) == (3, 2)
    assert "Saved “Three calls”." in admin.get("/offers/").content.decode()


def test_an_offer_no_funnel_uses_saves_at_once(admin, primer_catalog, funnels):
    response = admin.post("/offers/sleep-audio/edit/", form_data(primer_catalog["audio"], price="39"))
    assert response.status_code == 302 and Offer.objects.get(key="sleep-audio").price == Decimal("39")


def test_a_refused_edit_shows_its_errors_not_an_impact(admin, primer_catalog, funnels):
    html = admin.post(EDIT, form_data(primer_catalog["calls"], price="100.001")).content.decode()
    assert "Nothing was saved" in html and "Confirm the change" not in html


def test_setting_the_status_to_archived_in_the_form_asks_too(admin, primer_catalog, funnels):
    html = admin.post(EDIT, form_data(primer_catalog["calls"], status="archived")).content.decode()
    assert "Confirm the change" in html
    assert escape('"Three 1-on-1 coaching calls" is archived in the catalog, taken off sale') in html
    assert Offer.objects.get(key="three-calls").status == OfferStatus.ACTIVE


def test_another_practices_funnels_never_appear(practice, admin, primer_catalog, funnels):
    other = make_practice()
    theirs = make_primer_catalog(other)
    funnel_create(practice=other, name="Their secret funnel", core_offer=theirs["course"])
    make_primer_funnel(other, theirs)
    html = admin.post(EDIT, form_data(primer_catalog["calls"], price="100")).content.decode()
    assert "Their secret funnel" not in html
    assert confirmation_of(html)["seen"] == ["calm:3", "calm-lite:2"]


# -- archive -----------------------------------------------------------------------------------------------------


def test_archiving_an_offer_in_use_asks_first_then_archives_on_confirmation(admin, primer_catalog, funnels):
    response = admin.post(ARCHIVE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Archive “Three 1-on-1 coaching calls”?</h1>" in html
    assert "Archiving “Three 1-on-1 coaching calls” changes 2 funnels" in html
    assert '<span class="badge badge-warning">New warning</span>' in html
    assert '$171.40 <span class="muted">(unchanged)</span>' in html
    assert Offer.objects.get(key="three-calls").status == OfferStatus.ACTIVE
    shown = confirmation_of(html)
    assert "proposal" not in shown
    confirmed = admin.post(ARCHIVE, {"confirm": "yes", **shown})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/offers/"
    assert Offer.objects.get(key="three-calls").status == OfferStatus.ARCHIVED
    assert (version_of(funnels["calm"]), version_of(funnels["lite"])) == (4, 3)
    assert AuditEvent.objects.filter(action=AuditAction.OFFER_ARCHIVED, target="three-calls").count() == 1


def test_an_archive_confirmed_for_funnels_that_changed_is_shown_again(admin, primer_catalog, funnels):
    shown = confirmation_of(admin.post(ARCHIVE).content.decode())
    lite = funnels["lite"]
    funnel_step_add(
        funnel=lite, expected_version=2, offer=primer_catalog["audio"], slot="cross_sell", stage="thank_you"
    )
    response = admin.post(ARCHIVE, {"confirm": "yes", **shown})
    assert response.status_code == 200
    assert confirmation_of(response.content.decode())["seen"] == ["calm:3", "calm-lite:3"]
    assert Offer.objects.get(key="three-calls").status == OfferStatus.ACTIVE


# -- cost --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra_funnels", [0, 6])
def test_the_confirmation_takes_the_same_queries_however_many_funnels(
    admin, practice, primer_catalog, funnels, extra_funnels, django_assert_num_queries
):
    for n in range(extra_funnels):
        more = funnel_create(practice=practice, name=f"More {n}", core_offer=primer_catalog["course"])
        funnel_step_add(funnel=more, expected_version=1, offer=primer_catalog["calls"], slot="one_click")
    data = form_data(primer_catalog["calls"], price="100")
    admin.get("/offers/")  # the first visit stores the current practice in the session
    # session, user, memberships, the offer; the model's own validation of the proposed offer (its practice, its
    # unique key, each check constraint inside a savepoint: 23); the four reads of every funnel with its plan; the
    # funnels using it (2) and the hints' core offers and the upgrade choices (2)
    with django_assert_num_queries(35):
        response = admin.post(EDIT, data)
    assert len(response.context["proposal"].impacts) == 2 + extra_funnels
