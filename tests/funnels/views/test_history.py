"""The history page, the diff, restore and undo/redo through HTTP: fixed queries, the right words, 409 kept."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.audit import Actor
from accounts.models import Membership, Role
from funnels.models import Funnel, FunnelStep, FunnelVersion
from funnels.selectors import funnel_plan
from funnels.services.editing import funnel_step_set_take_rate
from offers.models import Offer
from offers.services import offer_update
from tests.factories import make_primer_funnel

pytestmark = pytest.mark.django_db


def coach(practice, role: str = Role.COACH, username: str = "maya") -> tuple[Client, Actor]:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username=username)
    Membership.objects.create(user=user, practice=practice, role=role)
    client = Client()
    client.force_login(user)
    return client, Actor(user=user)


def edit_rates(funnel: Funnel, actor: Actor, count: int, fold: bool = False) -> None:
    """``count`` take-rate edits of alternating steps (no folding), each a version of its own."""
    for n in range(count):
        current = Funnel.objects.get(pk=funnel.pk)
        key = "up1" if n % 2 == 0 or fold else "down1"
        step = FunnelStep.objects.select_related("offer").get(funnel=funnel, key=key)
        rate = Decimal("0.10") + Decimal(n % 50) / 100
        funnel_step_set_take_rate(
            funnel=current, expected_version=current.version, step=step, take_rate=rate, actor=actor
        )


def version_of(funnel: Funnel) -> int:
    return Funnel.objects.get(pk=funnel.pk).version


# -- the page -----------------------------------------------------------------------------------------------------


def test_the_history_lists_versions_newest_first_with_their_figures(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, maya = coach(practice)
    edit_rates(funnel, maya, 1)
    html = client.get(f"/funnels/{funnel.slug}/history/").content.decode()
    numbers = re.findall(r'<tr data-version="(\d+)">', html)
    assert numbers == ["4", "3", "2", "1"]
    assert "Take rate of Three 1-on-1 coaching calls 20% → 10%" in html
    assert "maya, <time" in html and "$143.20" in html and "$171.40" in html
    assert '<polyline class="aov-line" points="' in html and "style=" not in html
    assert 'href="/funnels/calm/history/3/restore/"' in html and 'href="/funnels/calm/history/4/restore/"' not in html
    assert 'id="undo-controls"' in html and "Undo: Take rate of Three 1-on-1 coaching calls 20% → 10%" in html


@pytest.mark.parametrize("edits", [2, 60])
def test_the_history_costs_the_same_queries_whatever_the_number_of_versions(
    practice, primer_catalog, edits, django_assert_num_queries
):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, maya = coach(practice)
    edit_rates(funnel, maya, edits)
    client.get(f"/funnels/{funnel.slug}/history/")  # the session settles
    # session, user, memberships, funnel, count, page, chart, undo's recent versions
    with django_assert_num_queries(8):
        response = client.get(
            f"/funnels/{funnel.slug}/history/?page=2" if edits > 25 else f"/funnels/{funnel.slug}/history/"
        )
    assert response.status_code == 200
    rows = re.findall(r'<tr data-version="(\d+)">', response.content.decode())
    assert len(rows) == min(25, edits + 3 - (25 if edits > 25 else 0))


def test_a_viewer_reads_the_history_but_may_not_restore_or_undo(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, _ = coach(practice, role=Role.VIEWER, username="vic")
    html = client.get(f"/funnels/{funnel.slug}/history/").content.decode()
    assert "/restore/" not in html and 'id="undo-controls"' not in html
    assert client.post(f"/funnels/{funnel.slug}/undo/", {"version": "3"}).status_code == 403
    assert client.post(f"/funnels/{funnel.slug}/history/2/restore/", {"page_version": "3"}).status_code == 403


def test_another_practices_history_is_not_found(practice, primer_catalog):
    from tests.factories import make_practice

    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, _ = coach(make_practice())
    assert client.get(f"/funnels/{funnel.slug}/history/").status_code == 404
    assert client.get(f"/funnels/{funnel.slug}/history/1/export/").status_code == 404


# -- diff and export ----------------------------------------------------------------------------------------------


def test_the_diff_says_what_changed_and_its_aov_matches_funnel_aov_on_the_exports(
    practice, primer_catalog, capsys, tmp_path
):
    from django.core.management import call_command

    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, maya = coach(practice)
    edit_rates(funnel, maya, 1)
    html = client.get(f"/funnels/{funnel.slug}/history/diff/?a=4&b=2").content.decode()
    assert "Version 2 → version 4" in html
    assert "Added One coaching call after payment at a take rate of 15%" in html
    assert "Take rate of Three 1-on-1 coaching calls 20% → 10%" in html
    before = re.search(r'data-figure="aov-before">([^<]+)<', html).group(1)
    after = re.search(r'data-figure="aov-after">([^<]+)<', html).group(1)
    for number, shown in ((2, before), (4, after)):
        exported = client.get(f"/funnels/{funnel.slug}/history/{number}/export/")
        assert exported["Content-Disposition"] == f'attachment; filename="calm-v{number}.json"'
        file = tmp_path / f"calm-v{number}.json"
        file.write_bytes(exported.content)
        call_command("funnel", "aov", str(file), "--json")
        printed = json.loads(capsys.readouterr().out)
        assert f"${Decimal(printed['aov']):,.2f}" == shown


def test_a_diff_needs_two_known_versions(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, _ = coach(practice)
    assert client.get(f"/funnels/{funnel.slug}/history/diff/?a=1").status_code == 400
    assert client.get(f"/funnels/{funnel.slug}/history/diff/?a=1&b=9").status_code == 404
    assert client.get(f"/funnels/{funnel.slug}/history/diff/?a=1&b=%D9%A1").status_code == 400


# -- restore ------------------------------------------------------------------------------------------------------


def test_restore_lists_the_changed_offers_and_restores_as_chosen(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, maya = coach(practice)
    offer_update(offer=primer_catalog["calls"], price="350")  # version 4, from the catalog
    page = client.get(f"/funnels/{funnel.slug}/history/3/restore/").content.decode()
    assert "Three 1-on-1 coaching calls" in page and "price then $300.00, today $350.00" in page
    assert 'name="offer-three-calls" value="then"' in page and 'name="page_version" value="4"' in page
    response = client.post(
        f"/funnels/{funnel.slug}/history/3/restore/", {"page_version": "4", "offer-three-calls": "then"}
    )
    assert response.status_code == 302 and response["Location"] == f"/funnels/{funnel.slug}/history/"
    assert Offer.objects.get(pk=primer_catalog["calls"].pk).price == Decimal("300")
    latest = FunnelVersion.objects.filter(funnel=funnel).order_by("-number").first()
    assert latest.summary.startswith("restored version 3") and latest.aov == Decimal("171.40")


def test_a_stale_restore_is_409_and_writes_nothing(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, maya = coach(practice)
    response = client.post(f"/funnels/{funnel.slug}/history/2/restore/", {"page_version": "2"})
    assert response.status_code == 409 and "changed elsewhere" in response.content.decode()
    assert version_of(funnel) == 3 and FunnelVersion.objects.filter(funnel=funnel).count() == 3


# -- undo and redo ------------------------------------------------------------------------------------------------


def test_undo_and_redo_from_htmx_reload_the_editor(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, maya = coach(practice)
    edit_rates(funnel, maya, 1)
    response = client.post(f"/funnels/{funnel.slug}/undo/", {"version": "4"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == f"/funnels/{funnel.slug}/"
    assert funnel_plan(practice=practice, funnel=funnel).step("up1").take_rate == Decimal("0.2")
    response = client.post(f"/funnels/{funnel.slug}/redo/", {"version": "5", "next": "history"})
    assert response.status_code == 303 or response.status_code == 302
    assert response["Location"] == f"/funnels/{funnel.slug}/history/"
    assert funnel_plan(practice=practice, funnel=funnel).step("up1").take_rate == Decimal("0.1")


def test_two_tabs_undoing_at_once_the_second_gets_409_and_nothing_changes(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    tab_a, maya = coach(practice)
    tab_b = Client()
    tab_b.force_login(maya.user)
    edit_rates(funnel, maya, 2)  # versions 4 and 5, both maya's
    first = tab_a.post(f"/funnels/{funnel.slug}/undo/", {"version": "5"}, headers={"HX-Request": "true"})
    assert first.status_code == 200
    second = tab_b.post(f"/funnels/{funnel.slug}/undo/", {"version": "5"}, headers={"HX-Request": "true"})
    assert second.status_code == 409
    assert second["HX-Retarget"] == "#editor-alert" and "Reload the funnel" in second.content.decode()
    assert version_of(funnel) == 6  # one undo, not two
    plan = funnel_plan(practice=practice, funnel=funnel)
    assert plan.step("up1").take_rate == Decimal("0.10") and plan.step("down1").take_rate == Decimal("0.15")
    # without JavaScript the refusal is the history page, with a 409
    plain = tab_b.post(f"/funnels/{funnel.slug}/undo/", {"page_version": "5"})
    assert plain.status_code == 409 and "changed elsewhere" in plain.content.decode()


def test_undo_with_nothing_to_undo_says_so(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    client, _ = coach(practice)  # the funnel's versions are the system's, not this coach's
    response = client.post(f"/funnels/{funnel.slug}/undo/", {"version": "3"}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "nothing of yours to undo" in response.content.decode()
    assert client.post(f"/funnels/{funnel.slug}/undo/").status_code == 400
    assert version_of(funnel) == 3
