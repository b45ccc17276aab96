"""The funnel list's status filter and its blank-funnel form that makes the core offer in place (issue 8)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches

from accounts.models import Role
from funnels.models import Funnel, FunnelStatus
from funnels.services.editing import funnel_create
from offers.models import Offer
from tests.factories import make_long_funnel, make_offer, make_practice
from tests.funnels.views.test_list import signed_in

pytestmark = pytest.mark.django_db


def names_listed(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/funnels/[^"]+/">([^<]+)</a></th>', html)


@pytest.fixture
def three_statuses(practice, primer_catalog):
    for name, status in (("Alpha", FunnelStatus.DRAFT), ("Beta", FunnelStatus.LIVE), ("Gamma", FunnelStatus.ARCHIVED)):
        funnel_create(practice=practice, name=name, core_offer=primer_catalog["course"], status=status)


# -- the status filter ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "shown", "current"),
    [
        ("", ["Alpha", "Beta", "Gamma"], "All"),
        ("?status=draft", ["Alpha"], "Draft"),
        ("?status=live", ["Beta"], "Live"),
        ("?status=archived", ["Gamma"], "Archived"),
        ("?status=deleted", ["Alpha", "Beta", "Gamma"], "All"),  # not a status: every funnel
    ],
)
def test_the_list_filters_by_status_with_a_link_per_status(practice, three_statuses, query, shown, current):
    html = signed_in(practice).get(f"/funnels/{query}").content.decode()
    assert names_listed(html) == shown
    assert re.search(rf'<a href="/funnels/[^"]*" aria-current="page">{current}</a>', html)
    for label, href in (("All", "/funnels/"), ("Draft", "/funnels/?status=draft"), ("Live", "/funnels/?status=live")):
        assert re.search(rf'<a href="{re.escape(href)}"( aria-current="page")?>{label}</a>', html)


def test_each_row_shows_its_status(practice, three_statuses):
    html = signed_in(practice).get("/funnels/").content.decode()
    for status, label in (("draft", "Draft"), ("live", "Live"), ("archived", "Archived")):
        assert f'<span class="funnel-status funnel-status-{status}">{label}</span>' in html


def test_a_status_with_no_funnels_says_so(practice, primer_catalog):
    funnel_create(practice=practice, name="Alpha", core_offer=primer_catalog["course"])
    html = signed_in(practice).get("/funnels/?status=live").content.decode()
    assert "No live funnels." in html and '<a href="/funnels/">Show every funnel</a>' in html


def test_the_filtered_list_costs_the_same_queries_for_2_or_12_funnels(django_assert_num_queries):
    small, large = make_practice(), make_practice()
    for practice, funnels in ((small, 2), (large, 12)):
        core = make_offer(practice, key="core", kind="core", price="100", topics=["calm"])
        offers = [make_offer(practice, kind="upsell", price="150", topics=["calm"]) for _ in range(10)]
        for n in range(funnels):
            funnel = make_long_funnel(practice, core, offers, name=f"Funnel {n}")
            Funnel.objects.filter(pk=funnel.pk).update(status=FunnelStatus.LIVE if n % 2 else FunnelStatus.DRAFT)
    for practice in (small, large):
        client = signed_in(practice)
        client.get("/funnels/")  # the first visit stores the current practice
        caches["pages"].clear()
        # the first time: 3 + the key's rows + the list's 4 (1 when none is shown) + the core offers
        for query in ("", "?status=live", "?status=archived"):
            with django_assert_num_queries(9 if query != "?status=archived" else 6):
                assert client.get(f"/funnels/{query}").status_code == 200
        for query in ("", "?status=live", "?status=archived"):  # kept: only the key's rows are read
            with django_assert_num_queries(4):
                assert client.get(f"/funnels/{query}").status_code == 200


def test_every_action_is_still_in_each_row(practice, primer_catalog):
    funnel_create(practice=practice, name="Alpha", core_offer=primer_catalog["course"])
    html = signed_in(practice).get("/funnels/").content.decode()
    for label in (
        "Open Alpha in the editor",
        "Preview Alpha as a buyer",
        "More for Alpha",
        "Forecast for Alpha",
        "Export Alpha as JSON",
        "Duplicate Alpha",
        "Delete Alpha",
    ):
        assert f'aria-label="{label}"' in html
    assert '<details class="funnel-more">' in html


# -- a blank funnel on a new core offer ----------------------------------------------------------------------


def test_from_a_blank_practice_the_form_makes_the_core_offer_and_the_funnel_named_after_it(practice):
    client = signed_in(practice, Role.COACH)
    response = client.post(
        "/funnels/new/",
        {"source": "blank", "name": "", "offer_name": "Calm Your Nervous System", "offer_price": "97"},
    )
    assert response.status_code == 302 and response["Location"] == "/funnels/calm-your-nervous-system/"
    offer = Offer.objects.get(practice=practice)
    assert (offer.key, offer.name, offer.kind, str(offer.price)) == (
        "calm-your-nervous-system",
        "Calm Your Nervous System",
        "core",
        "97.00",
    )
    funnel = Funnel.objects.get(practice=practice)
    assert (funnel.name, funnel.core_offer, funnel.status) == ("Calm Your Nervous System", offer, FunnelStatus.DRAFT)


def test_a_given_name_names_the_funnel_and_the_offers_key_is_unique_in_the_practice(practice):
    make_offer(practice, key="calm-course", kind="upsell", price="10")  # not a core offer: no choice to make
    client = signed_in(practice)
    response = client.post(
        "/funnels/new/",
        {
            "source": "blank",
            "name": "Spring launch",
            "core_offer": "new",
            "offer_name": "Calm course",
            "offer_price": "19.99",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/funnels/spring-launch/"
    made = Offer.objects.get(practice=practice, kind="core")
    assert (made.key, str(made.price)) == ("calm-course-2", "19.99")


def test_with_core_offers_the_form_offers_them_and_a_new_one(practice, primer_catalog):
    html = signed_in(practice).get("/funnels/").content.decode()
    assert f'<option value="{primer_catalog["course"].pk}">' in html
    assert '<option value="new">A new core offer (its name and price below)</option>' in html
    response = signed_in(practice, Role.COACH).post(
        "/funnels/new/", {"source": "blank", "core_offer": "new", "offer_name": "Sleep course", "offer_price": "49"}
    )
    assert response.status_code == 302
    assert Funnel.objects.get(practice=practice).core_offer.key == "sleep-course"


def test_every_problem_of_the_new_core_offer_shows_at_once_and_nothing_is_written(practice):
    response = signed_in(practice).post("/funnels/new/", {"source": "blank", "offer_name": "", "offer_price": "ninety"})
    assert response.status_code == 400
    assert response.context["blank_form"].errors == {
        "offer_name": ["Give the core offer a name, such as Calm Your Nervous System."],
        "offer_price": ["Enter a price such as 97 or 19.99."],
    }
    html = response.content.decode()
    assert '<small class="field-error" id="blank-offer_price_error" role="alert">' in html
    assert (Offer.objects.count(), Funnel.objects.count()) == (0, 0)
    response = signed_in(practice, Role.COACH).post(
        "/funnels/new/", {"source": "blank", "offer_name": "Calm", "offer_price": "1.005"}
    )
    assert response.context["blank_form"].errors == {"offer_price": ["Has more than 2 decimal places."]}
    assert (Offer.objects.count(), Funnel.objects.count()) == (0, 0)


def test_readers_cannot_start_a_funnel_on_a_new_offer(practice):
    response = signed_in(practice, Role.VIEWER).post(
        "/funnels/new/", {"source": "blank", "offer_name": "Calm", "offer_price": "97"}
    )
    assert response.status_code == 403
    assert (Offer.objects.count(), Funnel.objects.count()) == (0, 0)
