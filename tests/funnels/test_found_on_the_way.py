"""Four things found on the way (issue 10): an offer that upgrades itself is refused when the file is read, with
its path; ``funnel import --slug`` checks the slug; an edit of a step another tab removed is stale (409), not
"not found"; and the command line's unknown practice names no other practice."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.models import Role
from funnels.models import Funnel, FunnelStep
from funnels.services.demo import DEMO_DIR
from funnels.services.editing import funnel_step_remove
from funnels.services.transfer import funnel_import
from offers.models import Offer
from tests.factories import make_practice
from tests.factories import signed_in_client as member

pytestmark = pytest.mark.django_db

CLASSIC = DEMO_DIR / "calm-classic.json"
HTMX = {"HTTP_HX_REQUEST": "true"}


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("funnel", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    return code, out.getvalue(), err.getvalue()


def self_upgrading(tmp_path: Path) -> str:
    document = json.loads(CLASSIC.read_text())
    document["offers"][1]["replaces"] = document["offers"][1]["key"]
    path = tmp_path / "self.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_an_offer_that_upgrades_itself_is_refused_by_the_check_with_its_path(tmp_path):
    path = self_upgrading(tmp_path)
    code, _, err = run("check", path)
    assert code == 2
    key = json.loads(Path(path).read_text())["offers"][1]["key"]
    assert err.strip() == f'{path}: offers[1].replaces: "{key}" cannot upgrade itself'
    make_practice(slug="calm")
    code, _, err = run("import", path, "--practice", "calm")
    assert code == 2 and "Traceback" not in err and "IntegrityError" not in err
    assert not Offer.objects.exists()


def test_the_import_page_shows_the_problem_instead_of_offering_to_import(tmp_path, practice):
    raw = Path(self_upgrading(tmp_path)).read_bytes()
    page = member(practice, Role.COACH).post(
        "/funnels/import/", {"file": SimpleUploadedFile("self.json", raw, "application/json")}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "offers[1].replaces" in html and "cannot upgrade itself" in html
    assert 'name="document"' not in html  # no confirmation to post


@pytest.mark.parametrize(
    "slug",
    ["Bad Slug", "a" * 80, "new", "-lead", "two--hyphens", "", "x\x00y"],
    ids=["spaces", "80-characters", "reserved", "leading-hyphen", "double-hyphen", "empty", "nul"],
)
def test_import_refuses_a_bad_slug_with_exit_2_and_writes_nothing(slug):
    make_practice(slug="calm")
    code, _, err = run("import", str(CLASSIC), "--practice", "calm", f"--slug={slug}")
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"{CLASSIC}: --slug")
    assert not Funnel.objects.exists() and not Offer.objects.exists()


def test_a_good_slug_is_used_as_given():
    make_practice(slug="calm")
    assert run("import", str(CLASSIC), "--practice", "calm", "--slug", "spring-launch")[0] == 0
    assert Funnel.objects.get().slug == "spring-launch"


def test_the_unknown_practice_message_names_no_other_practice():
    make_practice(slug="secret-practice")
    code, _, err = run("export", "x", "--practice", "nowhere")
    assert code == 2 and err.strip() == 'x: no practice "nowhere"'
    assert "secret-practice" not in err and "known" not in err


@pytest.mark.parametrize("htmx", [True, False])
def test_an_edit_of_a_step_another_tab_removed_is_stale_not_missing(practice, htmx):
    funnel = funnel_import(practice=practice, raw=CLASSIC.read_bytes()).funnel
    down = FunnelStep.objects.get(funnel=funnel, key="down1")
    funnel_step_remove(funnel=funnel, expected_version=1, step=down)  # the other tab
    coach = member(practice, Role.COACH)
    headers = HTMX if htmx else {}
    for path, data in (
        ("steps/post_purchase/down1/take-rate/", {"take_rate": "30"}),
        ("steps/post_purchase/down1/move/", {"direction": "up"}),
        ("steps/post_purchase/down1/remove/", {}),
        ("steps/post_purchase/down1/edges/", {"on_accept": "", "on_decline": ""}),
    ):
        response = coach.post(f"/funnels/{funnel.slug}/{path}", {**data, "version": "1"}, **headers)
        assert response.status_code == 409, path
        assert "was changed in another tab or by someone else after you opened it" in response.content.decode()
    assert Funnel.objects.get(pk=funnel.pk).version == 2
    # at the current version the missing step is, rightly, not found
    assert coach.post(f"/funnels/{funnel.slug}/steps/post_purchase/down1/remove/", {"version": "2"}).status_code == 404
