"""The members page: owners see and manage the practice's members; every other role is refused; the last owner
can be neither removed nor demoted; another practice's members are not found."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import AuditEvent, Membership, Role
from tests.accounts.people import client_for, person
from tests.factories import make_practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(practice):
    """An owner and one member of each other role, by role."""
    people = {Role.OWNER: person(practice, Role.OWNER, "olive")}
    for role, name in ((Role.COACH, "cora"), (Role.CATALOG_ADMIN, "cat"), (Role.VIEWER, "vic")):
        people[role] = person(practice, role, name)
    return people


def test_the_owner_sees_every_member_with_their_role_and_the_controls(practice, team):
    response = client_for(team[Role.OWNER]).get("/accounts/members/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 members" in html
    for name in ("olive", "cora", "cat", "vic"):
        assert f'data-member="{name}"' in html
    cat = Membership.objects.get(user__username="cat")
    assert (
        f'action="/accounts/members/{cat.pk}/role/"' in html and f'action="/accounts/members/{cat.pk}/remove/"' in html
    )
    assert '<option value="catalog_admin" selected>Catalog admin</option>' in html
    assert "Send the invitation" in html
    assert 'href="/accounts/audit/"' in html and 'href="/accounts/practices/new/"' in html
    assert 'href="/accounts/members/" aria-current="page">Members</a>' in html


@pytest.mark.parametrize("role", [Role.COACH, Role.CATALOG_ADMIN, Role.VIEWER])
def test_every_other_role_is_refused_the_page_and_its_actions_and_sees_no_link(practice, team, role):
    client = client_for(team[role])
    assert client.get("/accounts/members/").status_code == 403
    assert client.get("/accounts/audit/").status_code == 403
    assert client.get("/accounts/practice/delete/").status_code == 403
    target = Membership.objects.get(user=team[Role.VIEWER])
    assert client.post(f"/accounts/members/{target.pk}/role/", {"role": Role.OWNER}).status_code == 403
    assert client.post(f"/accounts/members/{target.pk}/remove/").status_code == 403
    assert Membership.objects.get(pk=target.pk).role == Role.VIEWER
    assert 'href="/accounts/members/"' not in client.get("/funnels/").content.decode()


def test_the_page_needs_a_sign_in():
    response = Client().get("/accounts/members/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_an_owner_changes_a_role_and_removes_a_member(practice, team):
    owner = client_for(team[Role.OWNER])
    cora = Membership.objects.get(user=team[Role.COACH])
    response = owner.post(f"/accounts/members/{cora.pk}/role/", {"role": Role.VIEWER})
    assert response.status_code == 303 and response["Location"] == "/accounts/members/"
    assert Membership.objects.get(pk=cora.pk).role == Role.VIEWER
    assert "cora is now viewer." in owner.get("/accounts/members/").content.decode()
    assert owner.post(f"/accounts/members/{cora.pk}/remove/").status_code == 303
    assert not Membership.objects.filter(pk=cora.pk).exists()
    assert User.objects.filter(username="cora").exists()  # the account stays


def test_the_last_owner_can_be_neither_demoted_nor_removed(practice, team):
    owner = client_for(team[Role.OWNER])
    olive = Membership.objects.get(user=team[Role.OWNER])
    html = owner.get("/accounts/members/").content.decode()
    assert f'action="/accounts/members/{olive.pk}/role/"' not in html
    assert f'action="/accounts/members/{olive.pk}/remove/"' not in html
    assert "the last owner" in html
    # the controls are not shown, and a hand-made post is refused all the same
    response = owner.post(f"/accounts/members/{olive.pk}/role/", {"role": Role.COACH}, follow=True)
    assert "olive is the last owner of" in response.content.decode()
    owner.post(f"/accounts/members/{olive.pk}/remove/")
    assert Membership.objects.get(pk=olive.pk).role == Role.OWNER
    assert not AuditEvent.objects.filter(action__in=["member.role_changed", "member.removed"]).exists()


def test_with_a_second_owner_the_first_may_step_down_and_then_the_second_is_the_last(practice, team):
    olive, cora = (Membership.objects.get(user=team[r]) for r in (Role.OWNER, Role.COACH))
    owner = client_for(team[Role.OWNER])
    owner.post(f"/accounts/members/{cora.pk}/role/", {"role": Role.OWNER})
    response = owner.post(f"/accounts/members/{olive.pk}/role/", {"role": Role.COACH})
    assert response.status_code == 303 and response["Location"] == "/funnels/"  # no longer an owner
    assert owner.get("/accounts/members/").status_code == 403
    cora_client = client_for(team[Role.COACH])
    cora_client.post(f"/accounts/members/{cora.pk}/remove/")
    assert Membership.objects.get(pk=cora.pk).role == Role.OWNER  # now the last owner


def test_an_owner_may_leave_when_another_owner_remains(practice, team):
    cora = Membership.objects.get(user=team[Role.COACH])
    olive = Membership.objects.get(user=team[Role.OWNER])
    owner = client_for(team[Role.OWNER])
    owner.post(f"/accounts/members/{cora.pk}/role/", {"role": Role.OWNER})
    response = owner.post(f"/accounts/members/{olive.pk}/remove/")
    assert response.status_code == 303 and response["Location"] == "/funnels/"
    assert not Membership.objects.filter(pk=olive.pk).exists()


def test_another_practices_members_are_not_found(practice, team):
    elsewhere = make_practice()
    theirs = Membership.objects.get(user=person(elsewhere, Role.COACH, "stranger"))
    owner = client_for(team[Role.OWNER])
    assert owner.post(f"/accounts/members/{theirs.pk}/role/", {"role": Role.VIEWER}).status_code == 404
    assert owner.post(f"/accounts/members/{theirs.pk}/remove/").status_code == 404
    assert Membership.objects.get(pk=theirs.pk).role == Role.COACH
    assert "stranger" not in owner.get("/accounts/members/").content.decode()


def test_a_role_that_is_not_one_is_refused(practice, team):
    cora = Membership.objects.get(user=team[Role.COACH])
    response = client_for(team[Role.OWNER]).post(f"/accounts/members/{cora.pk}/role/", {"role": "admin"}, follow=True)
    assert "Choose one of the roles." in response.content.decode()
    assert Membership.objects.get(pk=cora.pk).role == Role.COACH


def test_changes_need_csrf(practice, team):
    client = client_for(team[Role.OWNER], enforce_csrf_checks=True)
    cora = Membership.objects.get(user=team[Role.COACH])
    assert client.post(f"/accounts/members/{cora.pk}/role/", {"role": Role.VIEWER}).status_code == 403
    assert client.post(f"/accounts/members/{cora.pk}/remove/").status_code == 403
    assert client.post("/accounts/members/invite/", {"email": "x@example.com", "role": "viewer"}).status_code == 403
    assert Membership.objects.get(pk=cora.pk).role == Role.COACH


def test_a_user_with_several_practices_finds_the_new_practice_link_beside_the_switcher(practice, team):
    html = client_for(team[Role.VIEWER]).get("/funnels/").content.decode()
    switcher = html.index('class="practice-switcher"')
    assert html.index('href="/accounts/practices/new/"') > switcher
