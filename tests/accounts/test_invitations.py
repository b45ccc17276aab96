"""Invitations: an owner invites by email with a role; the link joins once, as a new or an existing user, before it
expires, into the practice it was sent for and no other."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from accounts.invitations import SALT, invitation_token
from accounts.models import AuditEvent, Invitation, Membership, Role
from tests.accounts.people import PASSWORD, client_for, person
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/accounts/join/[^/\s]+/)")


def invite(owner_client: Client, email: str = "sam@example.com", role: str = Role.CATALOG_ADMIN) -> str:
    """Send an invitation through the members page; the path of the link it emailed."""
    response = owner_client.post("/accounts/members/invite/", {"email": email, "role": role})
    assert response.status_code == 303, response.content[:400]
    found = LINK.search(mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


@pytest.fixture
def owner(practice):
    return client_for(person(practice, Role.OWNER, "olive"))


def test_an_invitation_is_emailed_with_a_signed_link_and_listed_as_open(practice, owner):
    path = invite(owner)
    message = mail.outbox[-1]
    assert message.to == ["sam@example.com"]
    assert f"olive invites you to {practice.name}" in message.subject
    assert "as a catalog admin" in message.body
    invitation = Invitation.objects.get(practice=practice)
    assert invitation.role == Role.CATALOG_ADMIN and invitation.accepted_at is None
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert signing.loads(path.split("/")[3], salt=SALT)["i"] == invitation.pk
    page = owner.get("/accounts/members/").content.decode()
    assert "Open invitations" in page and "sam@example.com" in page


def test_a_new_user_accepts_and_lands_in_the_practice_with_the_role(practice, owner):
    path = invite(owner)
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200
    assert f"Join {practice.name}" in page.content.decode() and "catalog admin" in page.content.decode()
    response = visitor.post(path, {"username": "sam", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 303 and response["Location"] == "/offers/"
    membership = Membership.objects.get(user__username="sam")
    assert (membership.practice, membership.role) == (practice, Role.CATALOG_ADMIN)
    assert membership.user.email == "sam@example.com"
    assert visitor.get("/offers/").status_code == 200  # signed in, working in the practice
    assert Invitation.objects.get().accepted_by == membership.user


def test_an_existing_user_accepts_while_signed_in_and_keeps_their_other_practice(practice, owner):
    home = make_practice()
    sam = person(home, Role.OWNER, "sam")
    path = invite(owner, role=Role.VIEWER)
    sam_client = client_for(sam)
    assert "Join as sam" in sam_client.get(path).content.decode()
    response = sam_client.post(path)
    assert response.status_code == 303 and response["Location"] == "/funnels/"
    assert set(Membership.objects.filter(user=sam).values_list("practice_id", "role")) == {
        (home.pk, Role.OWNER),
        (practice.pk, Role.VIEWER),
    }
    assert sam_client.session["current_practice_id"] == practice.pk


def test_an_existing_user_who_is_signed_out_is_offered_the_sign_in_that_comes_back(practice, owner):
    person(None, username="sam")
    path = invite(owner)
    page = Client().get(path).content.decode()
    assert f'href="/accounts/sign-in/?next={path}"' in page
    client = Client()
    response = client.post("/accounts/sign-in/", {"username": "sam", "password": PASSWORD, "next": path})
    assert response.status_code == 302 and response["Location"] == path
    assert client.post(path).status_code == 303
    assert Membership.objects.filter(user__username="sam", practice=practice).exists()


def test_a_link_works_once(practice, owner):
    path = invite(owner)
    assert Client().post(path, {"username": "sam", "password1": PASSWORD, "password2": PASSWORD}).status_code == 303
    again = Client().post(path, {"username": "kim", "password1": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 410
    assert "has been used already" in again.content.decode()
    assert not Membership.objects.filter(user__username="kim").exists()
    assert Client().get(path).status_code == 410


def test_an_expired_invitation_is_refused(practice, owner):
    path = invite(owner)
    Invitation.objects.update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(days=1)
    )
    response = Client().post(path, {"username": "sam", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410 and "has expired" in response.content.decode()
    assert not Membership.objects.filter(user__username="sam").exists()
    assert 'badge-warning">expired' in owner.get("/accounts/members/").content.decode()


def test_a_token_older_than_its_signature_allows_is_refused(practice, owner, monkeypatch):
    path = invite(owner)
    later = time.time() + timedelta(days=8).total_seconds()
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = Client().get(path)
    assert response.status_code == 410 and "has expired" in response.content.decode()


def test_a_token_for_another_practice_or_tampered_with_is_refused(practice, owner):
    path = invite(owner)
    invitation = Invitation.objects.get()
    other = make_practice()
    # the same invitation's id signed as if it were the other practice's: the signature is not the site's
    forged = signing.dumps({"i": invitation.pk, "p": other.pk, "n": invitation.nonce}, salt="not-the-salt")
    assert Client().get(f"/accounts/join/{forged}/").status_code == 404
    # a real signature naming the wrong practice (as if an invitation of ours had moved) is refused as well
    wrong = signing.dumps({"i": invitation.pk, "p": other.pk, "n": invitation.nonce}, salt=SALT)
    response = Client().post(
        f"/accounts/join/{wrong}/", {"username": "sam", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 404 and "not valid" in response.content.decode()
    tampered = path.replace("/join/", "/join/x")
    assert Client().get(tampered).status_code == 404
    assert not Membership.objects.filter(user__username="sam").exists()
    assert not Membership.objects.filter(practice=other).exclude(role=Role.OWNER).exists()


def test_sending_again_makes_the_old_link_stop_working(practice, owner):
    old = invite(owner)
    invitation = Invitation.objects.get()
    assert owner.post(f"/accounts/invitations/{invitation.pk}/send-again/").status_code == 303
    new = LINK.search(mail.outbox[-1].body).group(1)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_a_withdrawn_invitation_is_refused(practice, owner):
    path = invite(owner)
    invitation = Invitation.objects.get()
    assert owner.post(f"/accounts/invitations/{invitation.pk}/withdraw/").status_code == 303
    response = Client().get(path)
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    assert "Open invitations" not in owner.get("/accounts/members/").content.decode()


def test_a_member_of_the_practice_cannot_join_it_again(practice, owner):
    sam = person(practice, Role.VIEWER, "sam")
    path = invite(owner, email="someone-else@example.com")
    assert client_for(sam).get(path).status_code == 409
    response = client_for(sam).post(path)
    assert response.status_code == 409 and "member of this practice already" in response.content.decode()
    assert Membership.objects.get(user=sam).role == Role.VIEWER
    assert Invitation.objects.get().accepted_at is None


def test_inviting_the_address_of_a_member_is_refused_beside_the_field(practice, owner):
    person(practice, Role.COACH, "sam", email="sam@example.com")
    response = owner.post("/accounts/members/invite/", {"email": "SAM@example.com", "role": Role.VIEWER})
    assert response.status_code == 200
    assert "belongs to a member of" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_another_practices_owner_cannot_touch_its_invitations(practice, owner):
    invite(owner)
    invitation = Invitation.objects.get()
    stranger = client_for(person(make_practice(), Role.OWNER, "stranger"))
    assert stranger.post(f"/accounts/invitations/{invitation.pk}/withdraw/").status_code == 404
    assert stranger.post(f"/accounts/invitations/{invitation.pk}/send-again/").status_code == 404
    assert "sam@example.com" not in stranger.get("/accounts/members/").content.decode()
    assert Invitation.objects.get().revoked_at is None and len(mail.outbox) == 1


def test_only_owners_invite(practice):
    for role in (Role.COACH, Role.CATALOG_ADMIN, Role.VIEWER):
        client = client_for(person(practice, role, f"a-{role}".replace("_", "-")))
        assert (
            client.post("/accounts/members/invite/", {"email": "x@example.com", "role": Role.OWNER}).status_code == 403
        )
    assert not Invitation.objects.exists()


def test_invitation_sends_are_limited_per_address_and_per_practice(practice, owner, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invite-ip": (3, 3600), "invite-practice": (4, 86400)}
    for n in range(3):
        invite(owner, email=f"p{n}@example.com")
    refused = owner.post("/accounts/members/invite/", {"email": "p3@example.com", "role": Role.VIEWER})
    assert refused.status_code == 429 and "Too many invitations" in refused.content.decode()
    # from another address the practice still has one send left, then it too is refused
    other_address = {"REMOTE_ADDR": "198.51.100.7"}
    assert (
        owner.post(
            "/accounts/members/invite/", {"email": "p4@example.com", "role": "viewer"}, **other_address
        ).status_code
        == 303
    )
    assert (
        owner.post(
            "/accounts/members/invite/", {"email": "p5@example.com", "role": "viewer"}, **other_address
        ).status_code
        == 429
    )
    assert Invitation.objects.count() == 4 and len(mail.outbox) == 4


def test_a_new_account_through_a_link_follows_the_password_rules(practice, owner):
    path = invite(owner)
    response = Client().post(path, {"username": "sam", "password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not Membership.objects.filter(user__username="sam").exists()
    assert Invitation.objects.get().accepted_at is None


def test_each_step_is_on_the_audit_trail(practice, owner):
    path = invite(owner)
    Client().post(path, {"username": "sam", "password1": PASSWORD, "password2": PASSWORD})
    rows = list(AuditEvent.objects.filter(practice=practice, action__startswith="member.").order_by("pk"))
    assert [(r.action, r.actor_label, r.target) for r in rows] == [
        ("member.invited", "olive", "sam@example.com"),
        ("member.joined", "sam", "sam"),
    ]
    assert rows[0].detail == {"role": "catalog_admin"} and rows[0].ip_address == "127.0.0.1"
    assert invitation_token(Invitation.objects.get())  # the token still reads (for the page that says it was used)
