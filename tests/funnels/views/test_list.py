"""The funnel list and the whole-funnel actions: figures per funnel, new, duplicate, delete, and who may do what."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client
from django.utils.html import escape

from accounts.models import Membership, Practice, Role
from funnels.domain.metrics import DEFINITIONS, ILLUSTRATIVE_NOTE
from funnels.models import Funnel, FunnelStatus, FunnelStep
from funnels.presenters.funnel_list import funnel_summaries
from funnels.selectors import funnel_load_all, funnel_plan
from funnels.services.demo import DEMO_DIR, DEMO_FILES
from funnels.services.editing import funnel_create, funnel_step_add, funnel_step_set_edges, funnel_update
from funnels.services.transfer import funnel_import
from offers.models import Offer
from tests.factories import make_long_funnel, make_offer, make_practice

pytestmark = pytest.mark.django_db

CLASSIC, DRAFT = "calm-course-classic", "calm-course-first-draft-has-mistakes"
EDITORS = (Role.OWNER, Role.COACH)
READERS = (Role.CATALOG_ADMIN, Role.VIEWER)


def member(practice: Practice, role: str = Role.OWNER, username: str = "coach"):
    user = get_user_model().objects.create_user(username=username)  # signed in with force_login: no hashing
    Membership.objects.create(user=user, practice=practice, role=role)
    return user


def signed_in(practice: Practice, role: str = Role.OWNER, **client_options) -> Client:
    client = Client(**client_options)
    client.force_login(member(practice, role, username=f"{role}-{practice.slug}"))
    return client


def load_demos(practice: Practice) -> dict[str, Funnel]:
    funnels = [funnel_import(practice=practice, raw=(DEMO_DIR / name).read_bytes()).funnel for name in DEMO_FILES]
    return {f.slug: f for f in funnels}


def row(html: str, name: str) -> str:
    """The list table's row whose name cell says ``name``."""
    rows = [r for r in re.findall(r"<tr>.*?</tr>", html, flags=re.S) if f">{escape(name)}</a></th>" in r]
    assert len(rows) == 1, f"{len(rows)} rows for {name!r}"
    return rows[0]


def build_loop(practice: Practice, offers: dict[str, Offer]) -> Funnel:
    """Course → three calls; declining them leads to one call, whose decline leads back to the three calls."""
    funnel = funnel_create(practice=practice, name="Round and round", core_offer=offers["course"])
    up = funnel_step_add(funnel=funnel, expected_version=1, offer=offers["calls"], slot="one_click", key="up1")
    down = funnel_step_add(
        funnel=funnel,
        expected_version=2,
        offer=offers["call"],
        slot="one_click",
        key="down1",
        connect_from=up,
        edge="on_decline",
    )
    funnel_step_set_edges(funnel=funnel, expected_version=3, step=down, on_accept=down.on_accept, on_decline=up)
    return funnel


# -- the list -------------------------------------------------------------------------------------------------


def test_the_list_shows_each_demo_funnel_with_its_aov_and_findings(practice):
    load_demos(practice)
    response = signed_in(practice).get("/funnels/")
    assert response.status_code == 200
    figures = {s.funnel.slug: (s.aov_text, s.error_count, s.warning_count) for s in response.context["summaries"]}
    assert figures[CLASSIC] == ("$177.10", 0, 0)
    assert figures[DRAFT][1:] == (2, 6)
    html = response.content.decode()
    classic = row(html, "Calm course: classic")
    assert f'<a href="/funnels/{CLASSIC}/">Calm course: classic</a>' in classic
    assert '<td class="num" data-label="AOV">$177.10</td>' in classic
    assert '<span class="badge badge-ok">no errors</span>' in classic
    assert "Calm Your Nervous System" in classic and "$97.00" in classic
    assert '<td data-label="Status"><span class="funnel-status funnel-status-draft">Draft</span></td>' in classic
    draft = row(html, "Calm course: first draft (has mistakes)")
    assert '<span class="badge badge-error">2 errors</span>' in draft
    assert '<span class="badge badge-warning">6 warnings</span>' in draft
    assert escape(DEFINITIONS["aov"]) in html
    assert escape(ILLUSTRATIVE_NOTE) in html


def test_a_loop_shows_no_aov_and_says_why(practice, primer_catalog):
    build_loop(practice, primer_catalog)
    html = signed_in(practice).get("/funnels/").content.decode()
    loop = row(html, "Round and round")
    assert '<span class="aov-missing" title="The post-purchase flow loops (up1 → down1 → up1)' in loop
    assert ">—</span>" in loop
    assert '<span class="visually-hidden">Not worked out: The post-purchase flow loops' in loop


def test_the_summaries_build_the_same_plans_as_the_editor(practice, primer_catalog):
    funnels = [*load_demos(practice).values(), build_loop(practice, primer_catalog)]
    plans = {s.funnel.pk: s.plan for s in funnel_summaries(funnel_load_all(practice=practice))}
    assert plans == {f.pk: funnel_plan(practice=practice, funnel=f) for f in funnels}


def test_an_empty_practice_says_so_and_offers_to_make_the_core_offer_here(practice):
    html = signed_in(practice).get("/funnels/").content.decode()
    assert "No funnels yet." in html
    assert "Your catalog has no core offer yet." in html
    assert '<a href="/offers/">add it in the catalog</a>' in html
    assert 'name="offer_name"' in html and 'name="offer_price"' in html and 'name="core_offer"' not in html


def query_count(client: Client, django_assert_num_queries, expected: int) -> None:
    with django_assert_num_queries(expected):
        assert client.get("/funnels/").status_code == 200


def test_the_list_costs_the_same_queries_for_2_small_or_12_large_funnels(django_assert_num_queries):
    small, large = make_practice(), make_practice()
    for practice, funnels, steps in ((small, 2, 5), (large, 12, 40)):
        core = make_offer(practice, key="core", kind="core", price="100", topics=["calm"])
        offers = [make_offer(practice, kind="upsell", price="150", topics=["calm"]) for _ in range(steps)]
        for n in range(funnels):
            make_long_funnel(practice, core, offers, name=f"Funnel {n}")
    assert FunnelStep.objects.filter(funnel__practice=large).count() == 12 * 40
    small_client, large_client = signed_in(small), signed_in(large)
    small_client.get("/funnels/"), large_client.get("/funnels/")  # the first visit stores the current practice
    caches["pages"].clear()
    # session, user, memberships; the funnels' rows the page's key is made of; funnels, their steps, their
    # offers, the copy acknowledgements; the core-offer choices: 3 + 1 + 4 + 1
    query_count(small_client, django_assert_num_queries, 9)
    query_count(large_client, django_assert_num_queries, 9)
    # again, nothing changed: the page is kept (accounts.page_cache), only the key's rows are read: 3 + 1
    query_count(small_client, django_assert_num_queries, 4)
    query_count(large_client, django_assert_num_queries, 4)
    caches["pages"].clear()
    assert len(large_client.get("/funnels/").context["summaries"]) == 12


# -- who may do what -------------------------------------------------------------------------------------------


def test_every_page_and_action_needs_a_sign_in(practice):
    funnel = load_demos(practice)[CLASSIC]
    client = Client()
    for method, url in (
        ("get", "/funnels/"),
        ("post", "/funnels/new/"),
        ("post", f"/funnels/{funnel.slug}/duplicate/"),
        ("get", f"/funnels/{funnel.slug}/delete/"),
        ("post", f"/funnels/{funnel.slug}/delete/"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/?next=")
    assert Funnel.objects.count() == 3


@pytest.mark.parametrize("role", EDITORS)
def test_owners_and_coaches_see_the_controls(practice, role):
    load_demos(practice)
    html = signed_in(practice, role).get("/funnels/").content.decode()
    assert '<summary role="button" class="outline">New funnel</summary>' in html
    assert f'action="/funnels/{CLASSIC}/duplicate/"' in html
    assert f'href="/funnels/{CLASSIC}/delete/"' in html


@pytest.mark.parametrize("role", READERS)
def test_catalog_admins_and_viewers_read_the_list_without_controls_and_are_refused_changes(practice, role):
    funnel = load_demos(practice)[CLASSIC]
    client = signed_in(practice, role)
    html = client.get("/funnels/").content.decode()
    assert "Calm course: classic" in html and "$177.10" in html
    assert "New funnel" not in html and "/duplicate/" not in html and "/delete/" not in html
    assert "only owners and coaches can change them" in html
    core = Offer.objects.get(practice=practice, key="calm-course")
    assert client.post("/funnels/new/", {"source": "blank", "name": "Mine", "core_offer": core.pk}).status_code == 403
    assert client.post(f"/funnels/{funnel.slug}/duplicate/").status_code == 403
    assert client.get(f"/funnels/{funnel.slug}/delete/").status_code == 403
    assert client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1"}).status_code == 403
    assert Funnel.objects.count() == 3


def test_another_practices_funnel_is_not_found(practice):
    theirs = load_demos(make_practice())[CLASSIC]
    client = signed_in(practice)
    assert client.post(f"/funnels/{theirs.slug}/duplicate/").status_code == 404
    assert client.get(f"/funnels/{theirs.slug}/delete/").status_code == 404
    assert client.post(f"/funnels/{theirs.slug}/delete/", {"version": "1"}).status_code == 404
    assert Funnel.objects.count() == 3


def test_a_post_without_the_csrf_token_is_refused(practice, primer_catalog):
    funnel = load_demos(practice)[CLASSIC]
    client = signed_in(practice, enforce_csrf_checks=True)
    form = {"source": "blank", "name": "Sneaky", "core_offer": primer_catalog["course"].pk}
    assert client.post("/funnels/new/", form).status_code == 403
    assert client.post(f"/funnels/{funnel.slug}/duplicate/").status_code == 403
    assert client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1"}).status_code == 403
    assert Funnel.objects.count() == 3


# -- new -------------------------------------------------------------------------------------------------------


def test_a_new_blank_funnel_starts_as_a_draft_and_opens_the_editor(practice, primer_catalog):
    client = signed_in(practice, Role.COACH)
    response = client.post(
        "/funnels/new/", {"source": "blank", "name": "Spring launch", "core_offer": primer_catalog["course"].pk}
    )
    assert response.status_code == 302 and response["Location"] == "/funnels/spring-launch/"
    funnel = Funnel.objects.get(practice=practice)
    assert (funnel.name, funnel.core_offer, funnel.version, funnel.status) == (
        "Spring launch",
        primer_catalog["course"],
        1,
        FunnelStatus.DRAFT,
    )
    assert FunnelStep.objects.count() == 0


def test_under_htmx_a_new_funnel_answers_with_a_client_redirect(practice, primer_catalog):
    client = signed_in(practice)
    response = client.post(
        "/funnels/new/",
        {"source": "blank", "name": "Spring launch", "core_offer": primer_catalog["course"].pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Redirect"] == "/funnels/spring-launch/"


def test_a_new_funnel_needs_a_name_and_one_of_the_practices_core_offers(practice, primer_catalog):
    client = signed_in(practice)
    theirs = make_offer(make_practice(), key="their-course", kind="core", price="50")
    response = client.post("/funnels/new/", {"source": "blank", "name": "", "core_offer": primer_catalog["calls"].pk})
    assert response.status_code == 400
    errors = response.context["blank_form"].errors
    assert errors == {"core_offer": ["Choose one of your catalog's core offers."]}
    assert '<details id="new-funnel" class="new-funnel" open>' in response.content.decode()
    response = client.post("/funnels/new/", {"source": "blank", "name": "X", "core_offer": theirs.pk})
    assert response.status_code == 400
    assert Funnel.objects.count() == 0


def test_under_htmx_a_refused_new_funnel_swaps_the_form_back_with_its_errors(practice, primer_catalog):
    response = signed_in(practice).post(
        "/funnels/new/",
        {"source": "blank", "name": "", "core_offer": "new", "offer_name": "", "offer_price": "97"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('\n<details id="new-funnel" class="new-funnel" open>')
    assert "<html" not in html
    assert (
        '<small class="field-error" id="blank-offer_name_error" role="alert">'
        "Give the core offer a name, such as Calm Your Nervous System.</small>"
    ) in html
    assert 'aria-invalid="true" aria-describedby="blank-offer_name_helptext blank-offer_name_error"' in html


def test_a_new_funnel_from_a_demo_adds_the_missing_offers_and_reuses_the_catalogs(practice, primer_catalog):
    response = signed_in(practice).post("/funnels/new/", {"source": "demo", "demo": "calm-classic.json"})
    assert response.status_code == 302 and response["Location"] == f"/funnels/{CLASSIC}/"
    funnel = Funnel.objects.get(practice=practice)
    assert funnel.name == "Calm course: classic" and funnel.core_offer == primer_catalog["course"]
    assert Offer.objects.filter(practice=practice).count() == 5
    assert str(funnel_summaries(funnel_load_all(practice=practice))[0].aov) == "177.1"


def test_the_demo_choices_are_the_three_demo_funnels_by_name(practice):
    html = signed_in(practice).get("/funnels/").content.decode()
    assert '<option value="calm-classic.json">Calm course: classic</option>' in html
    assert '<option value="calm-upgrade.json">' in html
    assert '<option value="calm-first-draft.json">Calm course: first draft (has mistakes)</option>' in html
    response = signed_in(practice, Role.COACH).post("/funnels/new/", {"source": "demo", "demo": "../../settings.py"})
    assert response.status_code == 400
    assert Funnel.objects.count() == 0


def test_a_demo_that_clashes_with_the_catalog_lists_each_problem_and_writes_nothing(practice):
    make_offer(practice, key="calm-course", kind="core", price="50")
    make_offer(practice, key="three-calls", kind="order_bump", price="300")
    response = signed_in(practice).post("/funnels/new/", {"source": "demo", "demo": "calm-classic.json"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This demo funnel does not fit your catalog, so nothing was added:" in html
    assert (
        "<li><code>offers[0].price</code>: "
        + escape('the catalog\'s "calm-course" costs $50.00, the file says $97.00')
        + "</li>"
        in html
    )
    assert (
        "<li><code>offers[2].kind</code>: "
        + escape('the catalog\'s "three-calls" is of kind order_bump, the file says upsell')
        + "</li>"
        in html
    )
    assert Funnel.objects.count() == 0
    assert Offer.objects.filter(practice=practice).count() == 2


# -- duplicate -------------------------------------------------------------------------------------------------


def test_a_duplicate_is_an_equal_draft_under_a_new_slug(practice):
    original = load_demos(practice)[CLASSIC]
    funnel_update(funnel=original, expected_version=1, status=FunnelStatus.LIVE)
    response = signed_in(practice, Role.COACH).post(f"/funnels/{original.slug}/duplicate/")
    assert response.status_code == 302 and response["Location"] == f"/funnels/{CLASSIC}-copy/"
    copy = Funnel.objects.get(practice=practice, slug=f"{CLASSIC}-copy")
    assert (copy.name, copy.version, copy.status) == ("Calm course: classic (copy)", 1, FunnelStatus.DRAFT)
    before = funnel_plan(practice=practice, funnel=original)
    after = funnel_plan(practice=practice, funnel=copy)
    assert dataclasses.replace(after, name=before.name) == before
    assert after.start == "up1" and after.step("up1").on_decline == "down1"
    assert FunnelStep.objects.filter(funnel=copy).count() == FunnelStep.objects.filter(funnel=original).count() == 4
    assert Offer.objects.filter(practice=practice).count() == 8


def test_duplicating_twice_gives_each_copy_its_own_slug_and_htmx_gets_a_client_redirect(practice):
    original = load_demos(practice)[DRAFT]
    client = signed_in(practice)
    client.post(f"/funnels/{original.slug}/duplicate/")
    response = client.post(f"/funnels/{original.slug}/duplicate/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == f"/funnels/{DRAFT}-copy-2/"
    assert Funnel.objects.filter(name="Calm course: first draft (has mistakes) (copy)").count() == 2


def test_a_loop_duplicates_too(practice, primer_catalog):
    loop = build_loop(practice, primer_catalog)
    signed_in(practice).post(f"/funnels/{loop.slug}/duplicate/")
    copy = Funnel.objects.get(slug="round-and-round-copy")
    assert dataclasses.replace(funnel_plan(practice=practice, funnel=copy), name=loop.name) == funnel_plan(
        practice=practice, funnel=loop
    )


# -- delete ----------------------------------------------------------------------------------------------------


def test_delete_asks_first_then_moves_the_funnel_to_the_trash_and_keeps_the_offers(practice):
    funnel = load_demos(practice)[CLASSIC]
    client = signed_in(practice)
    page = client.get(f"/funnels/{funnel.slug}/delete/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "This moves the funnel and its 4 steps to the" in html and "for 30 days" in html
    assert "The offers it uses stay in your catalog, unchanged." in html
    assert '<input type="hidden" name="version" value="1">' in html
    assert Funnel.objects.filter(pk=funnel.pk).exists()
    response = client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1"})
    assert response.status_code == 302 and response["Location"] == "/funnels/"
    assert Funnel.objects.get(pk=funnel.pk).deleted_at is not None  # in the trash (tests/funnels/views/test_trash.py)
    assert FunnelStep.objects.filter(funnel_id=funnel.pk).count() == 4
    assert Offer.objects.filter(practice=practice).count() == 8
    listing = client.get("/funnels/").content.decode()
    assert escape('Moved "Calm course: classic" to the trash: it can be restored from there for 30 days.') in listing
    assert f'href="/funnels/{funnel.slug}/"' not in listing


def test_deleting_a_funnel_changed_since_the_confirmation_is_refused_with_409(practice):
    funnel = load_demos(practice)[CLASSIC]
    client = signed_in(practice)
    assert (
        '<input type="hidden" name="version" value="1">'
        in client.get(f"/funnels/{funnel.slug}/delete/").content.decode()
    )
    funnel_update(funnel=Funnel.objects.get(pk=funnel.pk), expected_version=1, name="Calm course: classic")
    response = client.post(f"/funnels/{funnel.slug}/delete/", {"version": "1"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "you edited version 1, it is now at version 2" in html
    assert f'<a href="/funnels/{funnel.slug}/delete/" role="button">Reload the confirmation</a>' in html
    assert Funnel.objects.get(pk=funnel.pk).version == 2
    assert FunnelStep.objects.filter(funnel=funnel).count() == 4


def test_a_delete_without_a_version_is_a_bad_request(practice):
    funnel = load_demos(practice)[CLASSIC]
    assert signed_in(practice).post(f"/funnels/{funnel.slug}/delete/").status_code == 400
    assert Funnel.objects.filter(pk=funnel.pk).exists()
