"""Import and export in the browser: the download, the two-step import (check, then confirm), who may do what,
and that a refused file writes nothing."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import funnels.views.transfer as transfer_views
from accounts.models import Role
from funnels.domain.metrics import compute_metrics
from funnels.interchange.limits import MAX_FILE_BYTES
from funnels.models import Funnel, FunnelStep
from funnels.selectors import funnel_plan
from funnels.services.demo import DEMO_DIR
from funnels.services.transfer import funnel_export, funnel_import
from offers.models import Offer
from tests.factories import make_offer, make_practice
from tests.factories import signed_in_client as signed_in

pytestmark = pytest.mark.django_db

CLASSIC = (DEMO_DIR / "calm-classic.json").read_bytes()
IMPORT_URL = reverse("funnels:import")
EDITORS = (Role.OWNER, Role.COACH)
READERS = (Role.CATALOG_ADMIN, Role.VIEWER)


def table_counts() -> tuple[int, int, int]:
    return Offer.objects.count(), Funnel.objects.count(), FunnelStep.objects.count()


def upload(client: Client, content: bytes | str, name: str = "funnel.json", **fields: str):
    raw = content.encode() if isinstance(content, str) else content
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, raw, "application/json"), **fields})


def hidden(page: str, name: str) -> str:
    """The value of the page's hidden input ``name``, as the browser would send it back."""
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)
    assert found, f"no hidden {name!r}"
    return html.unescape(found.group(1))


def problems_listed(page: str) -> list[str]:
    """The problems in the page's alert, as plain text, in order."""
    alert = re.search(r'role="alert".*?<ol class="problem-list">(.*?)</ol>', page, flags=re.S)
    assert alert, "no list of problems in an alert"
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", alert[1])]


def broken_classic() -> str:
    """The classic demo with three mistakes: a price with fractions of a cent, an unknown field, a missing step."""
    document = json.loads(CLASSIC)
    document["offers"][2]["price"] = "300.001"
    document["offers"][3]["colour"] = "teal"
    document["post_purchase"]["steps"][0]["on_decline"] = "dwn1"
    return json.dumps(document)


# -- export ------------------------------------------------------------------------------------------------


def test_the_export_is_a_download_of_exactly_the_funnels_file(practice):
    funnel = funnel_import(practice=practice, raw=CLASSIC).funnel
    response = signed_in(practice).get(reverse("funnels:export", args=[funnel.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="calm-course-classic.json"'
    assert response.content.decode("utf-8") == funnel_export(practice=practice, funnel=funnel)


@pytest.mark.parametrize("role", [*EDITORS, *READERS])
def test_every_role_may_export(practice, role):
    funnel = funnel_import(practice=practice, raw=CLASSIC).funnel
    response = signed_in(practice, role).get(reverse("funnels:export", args=[funnel.slug]))
    assert response.status_code == 200
    assert json.loads(response.content)["name"] == "Calm course: classic"


def test_another_practices_funnel_cannot_be_exported(practice):
    theirs = funnel_import(practice=make_practice(), raw=CLASSIC).funnel
    response = signed_in(practice).get(reverse("funnels:export", args=[theirs.slug]))
    assert response.status_code == 404


def test_the_export_needs_a_sign_in_and_a_get(practice):
    funnel = funnel_import(practice=practice, raw=CLASSIC).funnel
    url = reverse("funnels:export", args=[funnel.slug])
    assert "/accounts/sign-in/" in Client().get(url)["Location"]
    assert signed_in(practice).post(url).status_code == 405


# -- import: who may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EDITORS)
def test_owners_and_coaches_get_the_import_form(practice, role):
    response = signed_in(practice, role).get(IMPORT_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page and 'name="csrfmiddlewaretoken"' in page
    assert '<label for="import-file">' in page and 'accept=".json,application/json"' in page
    assert '<label for="import-slug">' in page


@pytest.mark.parametrize("role", READERS)
def test_catalog_admins_and_viewers_may_not_import(practice, role):
    client = signed_in(practice, role)
    before = table_counts()
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, CLASSIC).status_code == 403
    assert table_counts() == before


def test_importing_needs_a_sign_in(practice):
    response = Client().get(IMPORT_URL)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert "/accounts/sign-in/" in upload(Client(), CLASSIC)["Location"]


def test_every_post_needs_its_csrf_token(practice):
    client = signed_in(practice, enforce_csrf_checks=True)
    assert upload(client, CLASSIC).status_code == 403
    assert client.post(IMPORT_URL, {"document": CLASSIC.decode()}).status_code == 403
    assert table_counts() == (0, 0, 0)


# -- import: a good file ----------------------------------------------------------------------------------


def test_a_good_file_shows_what_will_happen_and_writes_nothing_yet(practice):
    client = signed_in(practice, Role.COACH)
    response = upload(client, CLASSIC, name="calm-classic.json")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ready to import “Calm course: classic”" in page
    assert "From calm-classic.json." in page
    assert "5 offers will be created" in page and "matched to your catalog" not in page
    assert "Three 1-on-1 coaching calls" in page and "$300.00" in page
    assert "<code>/funnels/calm-course-classic/</code>" in page
    assert "4 steps: 1 order bump, 2 one-click offers after payment, 1 cross-sell on the thank-you page" in page
    assert '<strong class="import-aov">$177.10</strong>' in page
    assert "no errors" in page
    assert "Import this funnel" in page
    assert json.loads(hidden(page, "document")) == json.loads(CLASSIC)
    assert table_counts() == (0, 0, 0)


def test_confirming_imports_the_funnel_and_opens_the_editor(practice):
    client = signed_in(practice, Role.COACH)
    page = upload(client, CLASSIC, name="calm-classic.json").content.decode()
    response = client.post(
        IMPORT_URL,
        {name: hidden(page, name) for name in ("document", "slug", "file_name")},
    )
    funnel = Funnel.objects.get(practice=practice)
    assert response.status_code == 303
    assert response["Location"] == reverse("funnels:editor", args=[funnel.slug])
    assert table_counts() == (5, 1, 4)
    assert compute_metrics(funnel_plan(practice=practice, funnel=funnel)).aov == Decimal("177.10")
    editor = html.unescape(client.get(response["Location"]).content.decode())
    assert 'Imported "Calm course: classic". It added 5 offers to your catalog.' in editor
    assert "$177.10" in editor


def test_offers_already_in_the_catalog_are_matched_and_reused(practice, primer_catalog):
    client = signed_in(practice)
    page = upload(client, CLASSIC).content.decode()
    assert "5 offers matched to your catalog" in page and "will be created" not in page
    client.post(IMPORT_URL, {"document": hidden(page, "document")})
    assert Offer.objects.count() == 5 and Funnel.objects.count() == 1


def test_the_summary_uses_the_catalogs_offer_where_it_matches(practice):
    # given a catalog whose three-call upsell is set to a 10% take rate, where the file leaves its rate out
    make_offer(practice, key="three-calls", kind="upsell", price="300", default_take_rate=Decimal("0.1"))
    document = json.loads(CLASSIC)
    del document["post_purchase"]["steps"][0]["take_rate"]
    page = upload(signed_in(practice), json.dumps(document)).content.decode()
    # then the AOV shown is the one the editor will show: 97 + .3*19 + .1*300 + .9*.15*120 = 148.90
    assert "4 offers will be created" in page and "1 offer matched to your catalog" in page
    assert '<strong class="import-aov">$148.90</strong>' in page


def test_a_chosen_address_is_used_and_a_taken_one_gets_a_number(practice):
    client = signed_in(practice)
    funnel_import(practice=practice, raw=CLASSIC, slug="spring")
    page = upload(client, CLASSIC, slug="spring").content.decode()
    assert "<code>/funnels/spring-2/</code>" in page
    response = client.post(IMPORT_URL, {"document": hidden(page, "document"), "slug": hidden(page, "slug")})
    assert response["Location"] == reverse("funnels:editor", args=["spring-2"])


@pytest.mark.parametrize("slug", ["Spring Launch", "import", "new", "-spring", "x" * 59])
def test_an_address_that_cannot_be_one_is_refused(practice, slug):
    response = upload(signed_in(practice), CLASSIC, slug=slug)
    assert response.status_code == 200
    assert 'id="import-slug-error"' in response.content.decode()
    assert table_counts() == (0, 0, 0)


def test_a_file_with_windows_line_breaks_and_a_bom_imports(practice):
    client = signed_in(practice)
    raw = b"\xef\xbb\xbf" + CLASSIC.replace(b"\n", b"\r\n")
    page = upload(client, raw).content.decode()
    assert "5 offers will be created" in page
    document = hidden(page, "document").replace("\n", "\r\n")  # as a browser posts a form's line breaks
    assert client.post(IMPORT_URL, {"document": document}).status_code == 303
    assert Funnel.objects.count() == 1


# -- import: refused files --------------------------------------------------------------------------------


def test_a_file_that_is_not_json_is_refused_with_where_it_broke(practice):
    before = table_counts()
    response = upload(signed_in(practice), '{"format": "offer-architect/funnel@1",', name="half.json")
    page = response.content.decode()
    assert response.status_code == 200
    assert "“half.json” cannot be imported" in page
    assert problems_listed(page) == [
        "(file): not valid JSON: Expecting property name enclosed in double quotes at line 1 column 39"
    ]
    assert "Choose another file" in page and 'name="file"' in page
    assert "Import this funnel" not in page
    assert table_counts() == before


def test_a_broken_file_lists_every_problem_with_its_path_and_writes_nothing(practice):
    make_offer(practice, key="existing", kind="upsell", price="10")
    before = table_counts()
    response = upload(signed_in(practice), broken_classic())
    page = response.content.decode()
    assert response.status_code == 200
    assert problems_listed(page) == [
        "offers[2].price: has more than 2 decimal places",
        "offers[3].colour: unknown field",
        'post_purchase.steps[0].on_decline: no step "dwn1"',
    ]
    assert "Nothing was imported. 3 problems" in page
    assert "Import this funnel" not in page
    assert table_counts() == before


def test_a_clash_with_the_catalog_is_shown_and_nothing_is_written(practice):
    make_offer(practice, key="three-calls", kind="upsell", price="250")
    before = table_counts()
    response = upload(signed_in(practice), CLASSIC)
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Calm course: classic” does not fit your catalog" in page
    assert problems_listed(page) == [
        'offers[2].price: the catalog\'s "three-calls" costs $250.00, the file says $300.00'
    ]
    # the clashing offer is listed apart, never as "matched at the same price"
    assert "4 offers will be created" in page and "offer matched to your catalog" not in page
    assert "1 offer clashes with your catalog" in page
    clashing = page.split("1 offer clashes with your catalog")[1]
    assert "three-calls" in clashing and "$300.00" in clashing
    assert "Import this funnel" not in page and 'name="document"' not in page
    assert table_counts() == before


def test_beside_a_price_clash_only_the_offers_that_agree_are_matched_at_the_same_price(practice):
    make_offer(practice, key="calm-course", kind="core", price="97", name="Calm Your Nervous System")
    make_offer(practice, key="three-calls", kind="upsell", price="250")
    page = upload(signed_in(practice), CLASSIC).content.decode()
    assert "1 offer clashes with your catalog" in page and "1 offer matched to your catalog" in page
    clashing, matched = page.split("1 offer clashes with your catalog")[1].split("1 offer matched to your catalog")
    assert "three-calls" in clashing and "calm-course" not in clashing
    assert "calm-course" in matched and "three-calls" not in matched


def test_a_file_in_another_currency_is_a_clash(practice):
    document = json.loads(CLASSIC)
    document["currency"] = "EUR"
    page = upload(signed_in(practice), json.dumps(document)).content.decode()
    assert f'currency: the file is in EUR but "{practice.name}" sells in USD' in problems_listed(page)
    assert table_counts() == (0, 0, 0)


def test_a_file_over_1_mb_is_refused_before_it_is_read(practice, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a file over the limit was checked")

    monkeypatch.setattr(transfer_views, "funnel_import_check", never)
    response = upload(signed_in(practice), b" " * (MAX_FILE_BYTES + 1))
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file is larger than 1 MB, the most a funnel file may be." in page
    assert 'aria-invalid="true"' in page
    assert table_counts() == (0, 0, 0)


def test_an_upload_keeps_at_most_the_limit_in_memory():
    handler = transfer_views.CappedUploadHandler(limit=10)
    handler.new_file("file", "big.json", "application/json", None)
    handler.receive_data_chunk(b"12345678", 0)
    handler.receive_data_chunk(b"12345678", 8)
    kept = handler.file_complete(16)
    assert kept.size == 16 and kept.read() == b""


def test_a_missing_file_is_asked_for(practice):
    response = signed_in(practice).post(IMPORT_URL, {"slug": ""})
    assert response.status_code == 200
    assert "Choose a funnel file (.json) to import." in response.content.decode()


# -- import: the confirm post is checked again -------------------------------------------------------------


def test_a_tampered_confirmation_is_checked_again_and_refused(practice):
    client = signed_in(practice)
    response = client.post(IMPORT_URL, {"document": '{"format": "offer-architect/funnel@1", "name": '})
    assert response.status_code == 200
    assert problems_listed(response.content.decode())[0].startswith("(file): not valid JSON")
    response = client.post(IMPORT_URL, {"document": broken_classic()})
    assert response.status_code == 200 and len(problems_listed(response.content.decode())) == 3
    response = client.post(IMPORT_URL, {"document": CLASSIC.decode(), "slug": "../../admin"})
    assert response.status_code == 400
    assert table_counts() == (0, 0, 0)


def test_a_confirmation_over_1_mb_is_refused(practice):
    document = CLASSIC.decode() + " " * MAX_FILE_BYTES
    response = signed_in(practice).post(IMPORT_URL, {"document": document})
    assert response.status_code == 200
    assert problems_listed(response.content.decode()) == ["(file): larger than 1 MB"]
    assert table_counts() == (0, 0, 0)


def test_a_catalog_changed_between_the_check_and_the_confirmation_is_caught(practice):
    client = signed_in(practice)
    page = upload(client, CLASSIC).content.decode()
    make_offer(practice, key="three-calls", kind="upsell", price="250")  # meanwhile, in another tab
    before = table_counts()
    response = client.post(IMPORT_URL, {"document": hidden(page, "document")})
    assert response.status_code == 200
    assert "does not fit your catalog" in response.content.decode()
    assert table_counts() == before


def test_a_catalog_changed_during_the_write_is_caught_by_the_import_itself(practice, monkeypatch):
    # given a rival who adds a clashing offer after the page's check but before the import's own
    real_import = transfer_views.funnel_import

    def racing(**kwargs):
        make_offer(practice, key="one-call", kind="upsell", price="120")
        return real_import(**kwargs)

    monkeypatch.setattr(transfer_views, "funnel_import", racing)
    client = signed_in(practice)
    response = client.post(IMPORT_URL, {"document": CLASSIC.decode()})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'offers[3].kind: the catalog\'s "one-call" is of kind upsell, the file says downsell' in problems_listed(
        page
    )
    assert table_counts() == (1, 0, 0)  # only the rival's offer


def test_a_file_just_under_1_mb_goes_through_both_steps(practice):
    # given a file of nearly 1 MB of line breaks, which the confirm post sends back as CRLF (twice the bytes)
    raw = CLASSIC + b"\n" * (MAX_FILE_BYTES - len(CLASSIC))
    client = signed_in(practice)
    page = upload(client, raw).content.decode()
    assert "5 offers will be created" in page
    response = client.post(IMPORT_URL, {"document": hidden(page, "document").replace("\n", "\r\n")})
    assert response.status_code == 303
    assert Funnel.objects.count() == 1
