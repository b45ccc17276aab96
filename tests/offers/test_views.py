"""The catalog screens (/offers/): who may see and change what, the htmx partials, the hints, the forms' errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client

from accounts.models import Membership, Role
from funnels.services.editing import funnel_create, funnel_step_add
from offers.models import Offer, OfferStatus
from tests.factories import make_offer, make_practice, make_primer_catalog

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
EDITORS = (Role.OWNER, Role.CATALOG_ADMIN)
READERS = (Role.COACH, Role.VIEWER)


def user_in(practice, role, username=None):
    user = get_user_model().objects.create_user(username or f"{role}-{practice.slug}")  # no password: fast
    Membership.objects.create(user=user, practice=practice, role=role)
    return user


def client_as(practice, role, **client_options):
    client = Client(**client_options)
    client.force_login(user_in(practice, role))
    return client


@pytest.fixture
def calm_offers(practice):
    """The primer's catalog, each offer named after its key ("Calm Course", "Three Calls"), as read below."""
    return make_primer_catalog(practice, named=False)


@pytest.fixture
def owner(practice):
    return client_as(practice, Role.OWNER)


def valid_post(**overrides):
    data = {
        "key": "three-calls-plus",
        "name": "Three calls plus notes",
        "kind": "upsell",
        "price": "300",
        "topics": "Anxiety, nervous system",
        "replaces": "",
        "format": "one_on_one",
        "headline": "Have a real person walk you through it",
        "body": "Three 1-on-1 calls over six weeks.",
        "accept_label": "Yes, add the calls",
        "decline_label": "No, thank you",
        "default_take_rate": "12.5",
        "status": "active",
    }
    data.update(overrides)
    return data


def build_funnel(practice, core, *steps, name="Calm"):
    """A funnel with ``core`` at the checkout and each of ``steps`` as a one-click offer after payment."""
    funnel = funnel_create(practice=practice, name=name, core_offer=core)
    for version, offer in enumerate(steps, start=1):
        funnel_step_add(funnel=funnel, expected_version=version, offer=offer, slot="one_click")
    return funnel


# --- sign-in and roles ----------------------------------------------------------------------------------------

ALL_URLS = [
    ("get", "/offers/"),
    ("get", "/offers/new/"),
    ("post", "/offers/new/"),
    ("post", "/offers/hints/"),
    ("get", "/offers/three-calls/edit/"),
    ("post", "/offers/three-calls/edit/"),
    ("post", "/offers/three-calls/archive/"),
    ("post", "/offers/three-calls/delete/"),
]


@pytest.mark.parametrize(("method", "url"), ALL_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, calm_offers, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={url}"
    assert Offer.objects.get(key="three-calls").status == OfferStatus.ACTIVE


@pytest.mark.parametrize("role", [*EDITORS, *READERS])
def test_every_role_reads_the_catalog(practice, calm_offers, role):
    response = client_as(practice, role).get("/offers/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Three Calls" in html
    assert "<html" in html


@pytest.mark.parametrize("role", EDITORS)
def test_owners_and_catalog_admins_see_the_edit_controls(practice, calm_offers, role):
    html = client_as(practice, role).get("/offers/").content.decode()
    assert 'href="/offers/new/"' in html
    assert 'href="/offers/three-calls/edit/"' in html


@pytest.mark.parametrize("role", READERS)
def test_coaches_and_viewers_see_no_edit_controls(practice, calm_offers, role):
    client = client_as(practice, role)
    for response in (client.get("/offers/"), client.get("/offers/?kind=upsell", **HTMX)):
        html = response.content.decode()
        assert "Three Calls" in html
        assert "/offers/new/" not in html
        assert "/edit/" not in html
        assert "Actions" not in html


@pytest.mark.parametrize(
    ("role", "expected"), [(Role.OWNER, 200), (Role.CATALOG_ADMIN, 200), (Role.COACH, 403), (Role.VIEWER, 403)]
)
@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/offers/new/"), ("get", "/offers/three-calls/edit/"), ("post", "/offers/hints/")],
)
def test_the_editing_pages_are_for_catalog_editors_only(practice, calm_offers, role, expected, method, url):
    response = getattr(client_as(practice, role), method)(url, HTTP_HX_REQUEST="true" if "hints" in url else "")
    assert response.status_code == expected


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/offers/new/", valid_post()),
        ("/offers/three-calls/edit/", valid_post(name="Renamed")),
        ("/offers/three-calls/archive/", {}),
        ("/offers/three-calls/delete/", {}),
    ],
)
def test_coaches_and_viewers_cannot_change_the_catalog(practice, calm_offers, role, url, data):
    response = client_as(practice, role).post(url, data)
    assert response.status_code == 403
    offer = Offer.objects.get(key="three-calls")
    assert (offer.name, offer.status) == ("Three Calls", OfferStatus.ACTIVE)
    assert not Offer.objects.filter(key="three-calls-plus").exists()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/offers/their-course/edit/"),
        ("post", "/offers/their-course/edit/"),
        ("post", "/offers/their-course/archive/"),
        ("post", "/offers/their-course/delete/"),
        ("get", "/offers/no-such-offer/edit/"),
    ],
)
def test_another_practices_offer_is_not_found(owner, calm_offers, method, url):
    other = make_practice()
    make_offer(other, key="their-course", kind="core", price="50")
    response = getattr(owner, method)(url, valid_post(name="Taken over") if method == "post" else None)
    assert response.status_code == 404
    theirs = Offer.objects.get(practice=other, key="their-course")
    assert (theirs.name, theirs.status) == ("Their Course", OfferStatus.ACTIVE)


def test_another_practices_offers_are_not_listed_nor_offered_as_an_upgrade(owner, calm_offers):
    make_offer(make_practice(), key="their-course", kind="core", price="50")
    assert "their-course" not in owner.get("/offers/").content.decode()
    assert "their-course" not in owner.get("/offers/new/").content.decode()
    response = owner.post("/offers/new/", valid_post(replaces="their-course"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.context["form"].errors["replaces"][0]


def test_the_state_changing_urls_refuse_only_get(owner, calm_offers):
    assert owner.get("/offers/hints/").status_code == 405
    assert owner.get("/offers/three-calls/archive/").status_code == 405
    assert owner.get("/offers/three-calls/delete/").status_code == 405
    assert Offer.objects.get(key="three-calls").status == OfferStatus.ACTIVE


# --- CSRF -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/offers/new/", valid_post()),
        ("/offers/three-calls/edit/", valid_post(name="Renamed")),
        ("/offers/hints/", {"kind": "upsell"}),
        ("/offers/three-calls/archive/", {}),
        ("/offers/three-calls/delete/", {}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(practice, calm_offers, url, data):
    client = client_as(practice, Role.OWNER, enforce_csrf_checks=True)
    response = client.post(url, data)
    assert response.status_code == 403
    offer = Offer.objects.get(key="three-calls")
    assert (offer.name, offer.status) == ("Three Calls", OfferStatus.ACTIVE)
    assert not Offer.objects.filter(key="three-calls-plus").exists()


def test_a_post_with_the_csrf_token_from_the_page_is_accepted(practice, calm_offers):
    client = client_as(practice, Role.OWNER, enforce_csrf_checks=True)
    client.get("/offers/three-calls/edit/")
    token = client.cookies["csrftoken"].value
    response = client.post("/offers/three-calls/archive/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Offer.objects.get(key="three-calls").status == OfferStatus.ARCHIVED


def test_an_htmx_post_may_send_the_csrf_token_as_a_header(practice, calm_offers):
    client = client_as(practice, Role.OWNER, enforce_csrf_checks=True)
    client.get("/offers/new/")
    response = client.post(
        "/offers/hints/", {"kind": "upsell", "price": "300"}, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value, **HTMX
    )
    assert response.status_code == 200
    assert "3.1×" in response.content.decode()


# --- the list -----------------------------------------------------------------------------------------------------


def test_the_list_shows_each_offer_with_the_primers_words_price_status_and_usage(owner, practice, calm_offers):
    build_funnel(practice, calm_offers["course"], calm_offers["calls"])
    build_funnel(practice, calm_offers["course"], calm_offers["calls"], name="Calm two")
    html = owner.get("/offers/").content.decode()
    assert '<div class="table-wrap">' in html
    assert "Upsell — go bigger" in html
    assert "Order bump — a quick yes-or-no at the till" in html
    assert "$300.00" in html
    assert "$97.00" in html
    assert "used in 2 funnels" in html
    assert "5 offers in the catalog." in html
    caches["pages"].clear()  # the page is kept (accounts.page_cache): render it again to read its rows
    rows = {row.offer.key: row for row in owner.get("/offers/").context["rows"]}
    assert {key: row.funnel_count for key, row in rows.items()} == {
        "calm-course": 2,
        "three-calls": 2,
        "one-call": 0,
        "breath-cards": 0,
        "sleep-audio": 0,
    }
    assert rows["three-calls"].kind == "Upsell — go bigger"
    assert rows["three-calls"].price == "$300.00"


def test_a_funnel_that_uses_an_offer_twice_is_counted_once(owner, practice, calm_offers):
    funnel = funnel_create(practice=practice, name="Calm", core_offer=calm_offers["course"])
    funnel_step_add(
        funnel=funnel, expected_version=1, offer=calm_offers["course"], slot="cross_sell", stage="thank_you"
    )
    funnel_step_add(funnel=funnel, expected_version=2, offer=calm_offers["calls"], slot="one_click")
    funnel_step_add(funnel=funnel, expected_version=3, offer=calm_offers["calls"], slot="one_click", key="again")
    rows = {row.offer.key: row.funnel_count for row in owner.get("/offers/").context["rows"]}
    assert rows["calm-course"] == 1
    assert rows["three-calls"] == 1


def test_filters_by_kind_status_and_search_work_without_javascript(owner, calm_offers):
    make_offer(calm_offers["course"].practice, key="old-call", kind="upsell", price="250", status="archived")
    keys = lambda response: [row.offer.key for row in response.context["rows"]]  # noqa: E731
    assert keys(owner.get("/offers/?kind=upsell")) == ["old-call", "three-calls"]
    assert keys(owner.get("/offers/?status=archived")) == ["old-call"]
    assert keys(owner.get("/offers/?kind=upsell&status=active")) == ["three-calls"]
    assert keys(owner.get("/offers/?q=CALL")) == ["old-call", "one-call", "three-calls"]
    assert keys(owner.get("/offers/?kind=nonsense")) == [
        "breath-cards",
        "calm-course",
        "old-call",
        "one-call",
        "sleep-audio",
        "three-calls",
    ]
    response = owner.get("/offers/?q=nothing-like-this")
    html = response.content.decode()
    assert "0 offers match these filters." in html
    assert '<a href="/offers/">Show all offers</a>' in html
    assert 'value="nothing-like-this"' in html


def test_the_filter_form_updates_the_table_with_htmx_and_keeps_its_plain_get(owner, calm_offers):
    html = owner.get("/offers/").content.decode()
    assert 'method="get"' in html
    assert 'action="/offers/"' in html
    assert 'hx-get="/offers/"' in html
    assert 'hx-trigger="input changed delay:300ms, change"' in html
    assert 'hx-target="#catalog-table"' in html
    assert 'hx-push-url="true"' in html
    assert '<label for="id_q">Search</label>' in html
    assert '<label for="id_kind">Kind</label>' in html
    assert '<label for="id_status">Status</label>' in html
    assert '<link rel="stylesheet" href="/static/css/catalog.css">' in html


def test_an_htmx_request_gets_only_the_table(owner, calm_offers):
    response = owner.get("/offers/?kind=upsell", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<h1>" not in html
    assert '<table class="catalog-table stack-on-phone">' in html
    assert "Three Calls" in html
    assert "Calm Course" not in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(owner, calm_offers):
    response = owner.get("/offers/?kind=upsell", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)
    assert "<html" in response.content.decode()


def test_an_empty_catalog_invites_the_first_offer(owner):
    html = owner.get("/offers/").content.decode()
    assert "0 offers in the catalog." in html
    assert "The catalog is empty." in html
    assert "Add the first offer" in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_takes_the_same_number_of_queries_for_3_and_30_offers(
    owner, practice, count, django_assert_num_queries
):
    core = make_offer(practice, key="core", kind="core", price="97")
    offers = [make_offer(practice, key=f"offer-{n:02d}", price=str(100 + n), replaces=core) for n in range(count - 1)]
    build_funnel(practice, core, offers[0], offers[1])
    build_funnel(practice, core, offers[1], name="Calm two")
    owner.get("/offers/")  # the first visit stores the current practice in the session
    caches["pages"].clear()
    # session, user, memberships, the page's key (the funnels' last change), the offers with their usage counts
    with django_assert_num_queries(5):
        response = owner.get("/offers/")
    assert len(response.context["rows"]) == count
    with django_assert_num_queries(4):  # again: the page is kept, only its key is read
        again = owner.get("/offers/")
    assert again.content.decode().count("upgrades Core") == count - 1
    assert response.content.decode().count("upgrades Core") == count - 1


# --- hints --------------------------------------------------------------------------------------------------------


def hints(client, **data):
    response = client.post("/offers/hints/", data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    return html


def test_hints_give_a_300_dollar_upsell_as_a_multiple_of_the_97_dollar_core(owner, calm_offers):
    html = hints(owner, kind="upsell", price="300")
    assert '<section class="hint hint-price">' in html
    assert "3.1× the $97.00 Calm Course" in html
    assert "jarring" not in html
    assert "<h3>Upsell — go bigger</h3>" in html
    assert '<dd class="place-no">No: never before the first yes</dd>' in html
    assert '<dd class="place-yes">Yes: a one-click offer before the thank-you page</dd>' in html


def test_hints_note_gently_that_a_jump_above_5x_can_feel_jarring(owner, calm_offers):
    html = hints(owner, kind="upsell", price="3000")
    assert '30.9× the $97.00 Calm Course: <strong class="hint-note">a jump this big can feel jarring</strong>' in html


def test_hints_give_a_bump_as_a_share_of_the_core(owner, calm_offers):
    assert "19.6% of the $97.00 Calm Course" in hints(owner, kind="order_bump", price="19")
    html = hints(owner, kind="order_bump", price="79")
    assert "81.4% of the $97.00 Calm Course" in html
    assert "a bump above 50% of the core offer stops being a quick yes at the till" in html


def test_hints_quote_a_promised_outcome_and_invented_urgency(owner, calm_offers):
    html = hints(
        owner,
        kind="upsell",
        price="300",
        headline="Guaranteed results in six weeks",
        body="This offer expires in 10 minutes.",
    )
    assert "The headline promises an outcome: “Guaranteed results”." in html
    assert "The description invents urgency: “offer expires in 10 minutes”." in html
    assert "a money-back guarantee is fine" in html


def test_hints_find_no_problem_in_honest_copy(owner, calm_offers):
    html = hints(
        owner, kind="upsell", price="300", headline="Three calls with a real person", body="Money-back guarantee."
    )
    assert "No promised outcomes or invented deadlines in the copy." in html


def test_hints_give_the_typical_claimed_take_rates_as_claims(owner, calm_offers):
    html = hints(owner, kind="order_bump", price="19")
    assert "<h3>Typical claimed take rate</h3>" in html
    assert "20–40% of buyers (default 30%)" in html
    assert "Typical claimed figures, not facts" in html
    upsell = hints(owner, kind="upsell", price="150")
    assert "After the $97.00 Calm Course: 10–25% of buyers (default 15%)" in upsell
    dear = hints(owner, kind="upsell", price="500")
    assert "After the $97.00 Calm Course: 3–10% of buyers (default 5%)" in dear


def test_hints_say_when_the_assumed_take_rate_is_above_the_typical_range(owner, calm_offers):
    assert "Your 50% is above the typical claimed range" in hints(
        owner, kind="order_bump", price="19", default_take_rate="50"
    )
    assert "above the typical" not in hints(owner, kind="order_bump", price="19", default_take_rate="40")


def test_hints_for_a_core_offer_and_for_half_typed_input(owner, calm_offers):
    core = hints(owner, kind="core", price="97")
    assert "Core offer — the first yes" in core
    assert "×" not in core
    assert "no take rate to assume" in core
    assert "Choose a kind to see what it means" in hints(owner, price="97")
    assert "Enter a price to compare it with your core offers." in hints(owner, kind="upsell", price="3.9.")


def test_hints_when_editing_a_core_offer_into_an_upsell_leave_it_out_of_the_comparison(owner, practice, calm_offers):
    make_offer(practice, key="calm-deluxe", kind="core", price="200")
    response = owner.post("/offers/hints/?editing=calm-deluxe", {"kind": "upsell", "price": "300"}, **HTMX)
    html = response.content.decode()
    assert "3.1× the $97.00 Calm Course" in html
    assert "Calm Deluxe" not in html


def test_hints_explain_an_upgrade(owner, calm_offers):
    assert "buying it adds only the difference: $50.00" in hints(
        owner, kind="upsell", price="147", replaces="calm-course"
    )
    assert "An upgrade should cost more than the $97.00 Calm Course" in hints(
        owner, kind="upsell", price="90", replaces="calm-course"
    )


def test_the_form_asks_for_hints_as_the_person_types_into_a_live_region(owner, calm_offers):
    html = owner.get("/offers/three-calls/edit/").content.decode()
    assert 'hx-post="/offers/hints/?editing=three-calls"' in html
    assert 'hx-trigger="input changed delay:300ms"' in html
    assert 'hx-target="#offer-hints"' in html
    assert '<div id="offer-hints" aria-live="polite">' in html
    assert "3.1× the $97.00 Calm Course" in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "hx-on" not in html


# --- create and edit ----------------------------------------------------------------------------------------------


def test_creating_an_offer_stores_exact_values_and_says_so(owner, practice, calm_offers):
    response = owner.post("/offers/new/", valid_post(replaces="three-calls"))
    assert response.status_code == 302
    assert response["Location"] == "/offers/"
    offer = Offer.objects.get(practice=practice, key="three-calls-plus")
    assert offer.price == Decimal("300.00")
    assert offer.default_take_rate == Decimal("0.1250")
    assert offer.topics == ["anxiety", "nervous-system"]
    assert offer.replaces == calm_offers["calls"]
    assert (offer.kind, offer.status, offer.currency, offer.format) == ("upsell", "active", "USD", "one_on_one")
    assert offer.accept_label == "Yes, add the calls"
    assert "Added “Three calls plus notes” to the catalog." in owner.get("/offers/").content.decode()


def test_a_take_rate_typed_as_a_percent_is_converted_exactly(owner, practice):
    owner.post("/offers/new/", valid_post(default_take_rate="12.34%"))
    assert Offer.objects.get(key="three-calls-plus").default_take_rate == Decimal("0.1234")
    owner.post("/offers/new/", valid_post(key="no-rate", default_take_rate=""))
    assert Offer.objects.get(key="no-rate").default_take_rate is None


def field_error(response, field):
    return response.context["form"].errors[field]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("price", "1.005", "Has more than 2 decimal places."),
        ("price", "-5", "Must lie between 0 and 1,000,000."),
        ("price", "ninety", "Enter a price such as 97 or 19.99."),
        ("price", "", "Enter a price, such as 97 or 19.99."),
        ("default_take_rate", "150", "Enter a percentage between 0 and 100."),
        ("default_take_rate", "12.345", "Use at most 2 decimal places, such as 12.25."),
        ("default_take_rate", "lots", "Enter a percentage such as 15 or 12.5."),
        ("key", "Three Calls", "Use 1–64 lower-case letters, digits and hyphens."),
        ("topics", "anxiety, sleep!", '"sleep!": use lower-case letters, digits and hyphens (at most 40).'),
        ("name", "", "Give the offer a name."),
        ("kind", "megasell", "Select a valid choice. megasell is not one of the available choices."),
    ],
)
def test_bad_input_gets_a_clear_error_on_its_field_and_nothing_is_written(owner, calm_offers, field, value, message):
    response = owner.post("/offers/new/", valid_post(**{field: value}))
    assert response.status_code == 200
    assert field_error(response, field) == [message]
    assert not Offer.objects.filter(key__in=["three-calls-plus", "Three Calls"]).exists()
    html = response.content.decode()
    assert f'_error" id="id_{field}"' in html  # aria-describedby ends with the error's id
    assert f'<small class="field-error" id="id_{field}_error">' in html
    assert 'aria-invalid="true"' in html
    assert "Nothing was saved" in html


def test_every_form_problem_shows_at_once_tied_to_its_field(owner, calm_offers):
    response = owner.post("/offers/new/", valid_post(price="1.005", default_take_rate="150"))
    assert field_error(response, "price") == ["Has more than 2 decimal places."]
    assert field_error(response, "default_take_rate") == ["Enter a percentage between 0 and 100."]
    html = response.content.decode()
    assert 'aria-invalid="true" aria-describedby="id_price_helptext id_price_error" id="id_price"' in html
    assert '<small class="field-error" id="id_price_error">Has more than 2 decimal places.</small>' in html
    assert '<a href="#id_default_take_rate">Expected take rate (%): Enter a percentage between 0 and 100.</a>' in html
    assert 'value="1.005"' in html


def test_a_key_already_in_the_practice_is_refused_on_the_key_field(owner, calm_offers):
    response = owner.post("/offers/new/", valid_post(key="three-calls"))
    assert field_error(response, "key") == ["Another offer in this practice already has this key; choose another."]
    assert Offer.objects.get(key="three-calls").name == "Three Calls"


def test_the_same_key_in_another_practice_is_fine(owner, practice):
    make_offer(make_practice(), key="three-calls-plus", price="10")
    assert owner.post("/offers/new/", valid_post()).status_code == 302
    assert Offer.objects.get(practice=practice, key="three-calls-plus").name == "Three calls plus notes"


def test_the_edit_form_starts_from_the_offer_and_cannot_change_its_key(owner, practice, calm_offers):
    offer = calm_offers["calls"]
    offer.default_take_rate = Decimal("0.1500")
    offer.save()
    response = owner.get("/offers/three-calls/edit/")
    form = response.context["form"]
    assert "key" not in form.fields
    assert form.initial["price"] == "300.00"
    assert form.initial["default_take_rate"] == "15"
    assert form.initial["topics"] == "anxiety"
    assert "three-calls" not in [o.key for o in form.fields["replaces"].queryset]
    response = owner.post(
        "/offers/three-calls/edit/", valid_post(key="renamed-key", name="Three calls, renamed", price="320")
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.key, offer.name, offer.price, offer.default_take_rate) == (
        "three-calls",
        "Three calls, renamed",
        Decimal("320.00"),
        Decimal("0.1250"),
    )
    assert "Saved “Three calls, renamed”." in owner.get("/offers/").content.decode()


def test_a_refused_edit_changes_nothing(owner, calm_offers):
    response = owner.post("/offers/three-calls/edit/", valid_post(name="Renamed", topics="sleep!"))
    assert response.status_code == 200
    assert field_error(response, "topics") == ['"sleep!": use lower-case letters, digits and hyphens (at most 40).']
    offer = Offer.objects.get(key="three-calls")
    assert (offer.name, offer.topics) == ("Three Calls", ["anxiety"])
    assert "<h1>Edit “Three Calls”" in response.content.decode()


def test_an_offer_cannot_upgrade_itself(owner, calm_offers):
    response = owner.post("/offers/three-calls/edit/", valid_post(replaces="three-calls"))
    assert field_error(response, "replaces") == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


# --- archive and delete -------------------------------------------------------------------------------------------


def test_archiving_keeps_the_offer_and_says_how_to_undo_it(owner, calm_offers):
    response = owner.post("/offers/three-calls/archive/")
    assert response.status_code == 302
    assert response["Location"] == "/offers/"
    assert Offer.objects.get(key="three-calls").status == OfferStatus.ARCHIVED
    html = owner.get("/offers/").content.decode()
    assert "Archived “Three Calls”. It stays in the catalog; set its status to Active to sell it again." in html
    assert "Archive</button>" not in owner.get("/offers/three-calls/edit/").content.decode()


def test_deleting_an_unused_offer(owner, calm_offers):
    response = owner.post("/offers/one-call/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/offers/"
    assert not Offer.objects.filter(key="one-call").exists()
    assert "Deleted “One Call”." in owner.get("/offers/").content.decode()


def test_deleting_an_offer_a_funnel_uses_is_refused_and_archiving_suggested(owner, practice, calm_offers):
    build_funnel(practice, calm_offers["course"], calm_offers["calls"], name="Calm classic")
    response = owner.post("/offers/three-calls/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/offers/three-calls/edit/"
    assert Offer.objects.filter(key="three-calls").exists()
    html = owner.get("/offers/three-calls/edit/").content.decode()
    assert "&quot;Three Calls&quot; is used by Calm classic; archive it instead of deleting it." in html
    assert "Used in 1 funnel: Calm classic." in html
    assert '<button type="submit" class="secondary">Archive</button>' in html


def test_an_htmx_delete_is_answered_with_a_client_redirect(owner, calm_offers):
    response = owner.post("/offers/one-call/delete/", **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/offers/"
    assert not Offer.objects.filter(key="one-call").exists()
