"""The trash page: deleted funnels listed with when they go, restored by owners and coaches, purged or emptied only
after the password again (unless typed in the last few minutes)."""

from __future__ import annotations

import time

import pytest

from accounts.models import Role
from accounts.sessions import PASSWORD_AT
from funnels.models import Funnel
from funnels.services.editing import funnel_delete
from tests.accounts.people import PASSWORD, client_for, person
from tests.factories import make_primer_funnel

pytestmark = pytest.mark.django_db


def trashed(practice, primer_catalog) -> Funnel:  # type: ignore[no-untyped-def]
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_delete(funnel=funnel, expected_version=3)
    return Funnel.objects.get(pk=funnel.pk)


def password_typed_long_ago(client) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    session[PASSWORD_AT] = int(time.time()) - 3600
    session.save()


def test_the_trash_lists_deleted_funnels_and_a_coach_restores_one(practice, primer_catalog, settings):
    settings.FUNNEL_TRASH_DAYS = 30
    funnel = trashed(practice, primer_catalog)
    client = client_for(person(practice, Role.COACH, "cora"))
    html = client.get("/funnels/trash/").content.decode()
    assert "Calm" in html and "stay here for 30 days" in html and 'action="/funnels/trash/calm/restore/"' in html
    assert client.get("/funnels/calm/").status_code == 404  # in the trash: no editor
    response = client.post("/funnels/trash/calm/restore/")
    assert response.status_code == 302 and response["Location"] == "/funnels/calm/"
    assert Funnel.objects.get(pk=funnel.pk).deleted_at is None
    assert client.get("/funnels/calm/").status_code == 200
    assert "The trash is empty." in client.get("/funnels/trash/").content.decode()


def test_a_viewer_sees_the_trash_but_cannot_restore_or_purge(practice, primer_catalog):
    trashed(practice, primer_catalog)
    client = client_for(person(practice, Role.VIEWER, "vic"))
    html = client.get("/funnels/trash/").content.decode()
    assert "Calm" in html and "/restore/" not in html and "/purge/" not in html
    assert client.post("/funnels/trash/calm/restore/").status_code == 403
    assert client.post("/funnels/trash/calm/purge/", {"password": PASSWORD}).status_code == 403


def test_purging_one_funnel_asks_for_the_password_again(practice, primer_catalog):
    funnel = trashed(practice, primer_catalog)
    client = client_for(person(practice, Role.OWNER, "olga"))
    password_typed_long_ago(client)
    page = client.get("/funnels/trash/calm/purge/").content.decode()
    assert 'name="password"' in page and "cannot be restored" in page
    wrong = client.post("/funnels/trash/calm/purge/", {"password": "not-it"})
    assert "That is not your password; nothing was removed." in wrong.content.decode()
    assert Funnel.objects.filter(pk=funnel.pk).exists()
    done = client.post("/funnels/trash/calm/purge/", {"password": PASSWORD})
    assert done.status_code == 302 and not Funnel.objects.filter(pk=funnel.pk).exists()


def test_emptying_the_trash_within_the_window_asks_nothing_more(practice, primer_catalog):
    trashed(practice, primer_catalog)
    client = client_for(person(practice, Role.COACH, "cora"))  # just signed in: the password was typed just now
    page = client.get("/funnels/trash/empty/").content.decode()
    assert 'name="password"' not in page and "1 funnel, with their steps and versions" in page
    response = client.post("/funnels/trash/empty/")
    assert response.status_code == 302 and not Funnel.objects.filter(practice=practice).exists()


def test_emptying_the_trash_after_the_window_needs_the_password(practice, primer_catalog):
    trashed(practice, primer_catalog)
    client = client_for(person(practice, Role.COACH, "cora"))
    password_typed_long_ago(client)
    refused = client.post("/funnels/trash/empty/")
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    assert Funnel.objects.filter(practice=practice).exists()


def test_a_funnel_not_in_the_trash_cannot_be_purged_from_it(practice, primer_catalog):
    make_primer_funnel(practice, primer_catalog)
    client = client_for(person(practice, Role.OWNER, "olga"))
    assert client.post("/funnels/trash/calm/purge/", {"password": PASSWORD}).status_code == 404
    assert client.post("/funnels/trash/calm/restore/").status_code == 404
