"""An import that reuses an offer the catalog archived says so before it writes, and the funnel then warns."""

from __future__ import annotations

import html

import pytest

from accounts.models import Role
from funnels.domain.checks.rules import check_funnel
from funnels.models import Funnel
from funnels.selectors import funnel_plan
from offers.models import Offer, OfferStatus
from offers.services import offer_archive
from tests.factories import signed_in_client as signed_in
from tests.funnels.views.test_transfer import CLASSIC, IMPORT_URL, hidden, upload

pytestmark = pytest.mark.django_db

ARCHIVED_LINE = (
    "“Three 1-on-1 coaching calls” is archived in your catalog, taken off sale: the funnel will reuse it as it is "
    "and warn about it until you put it back on sale in the catalog or replace it in the funnel."
)


def test_the_confirmation_names_each_archived_offer_it_reuses(practice, primer_catalog):
    offer_archive(offer=primer_catalog["calls"])
    page = upload(signed_in(practice, Role.COACH), CLASSIC).content.decode()
    assert f'<p class="message message-warning import-archived">{ARCHIVED_LINE}</p>' in page
    assert page.count("import-archived") == 1  # the other four are on sale
    assert 'data-code="archived-offer"' in page  # among what the checks found
    assert "1 warning" in page


def test_an_import_of_offers_on_sale_says_nothing_of_the_kind(practice, primer_catalog):
    page = upload(signed_in(practice, Role.COACH), CLASSIC).content.decode()
    assert "import-archived" not in page and "archived-offer" not in page


def test_the_imported_funnel_shows_the_archived_offer_warning(practice, primer_catalog):
    offer_archive(offer=primer_catalog["calls"])
    client = signed_in(practice, Role.COACH)
    page = upload(client, CLASSIC).content.decode()
    response = client.post(IMPORT_URL, {"document": hidden(page, "document")})
    assert response.status_code == 303
    funnel = Funnel.objects.get(practice=practice)
    assert [
        f.step for f in check_funnel(funnel_plan(practice=practice, funnel=funnel)) if f.code == "archived-offer"
    ] == ["up1"]
    assert Offer.objects.get(pk=primer_catalog["calls"].pk).status == OfferStatus.ARCHIVED
    editor = html.unescape(client.get(response["Location"]).content.decode())
    assert '"Three 1-on-1 coaching calls" is archived in the catalog, taken off sale' in editor
