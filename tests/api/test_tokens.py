"""Tokens: shown once, stored hashed, acting as their practice within their scope, until they expire or are revoked;
and the owners' page that makes and revokes them, on the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.audit import SYSTEM
from accounts.models import AuditEvent
from api.models import ApiToken
from api.selectors import secret_digest
from api.services.tokens import token_revoke
from tests.api.conftest import ApiClient, make_token
from tests.factories import make_primer_catalog, signed_in_client

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_as_a_digest_only(practice):
    new = make_token(practice, "read")
    row = ApiToken.objects.get(pk=new.token.pk)
    assert new.secret.startswith("oa_") and len(new.secret) >= 40
    assert row.digest == secret_digest(new.secret) and new.secret not in (row.digest, row.prefix, row.name)
    assert new.secret.startswith(row.prefix)


def test_a_read_token_reads_but_may_not_write(practice):
    make_primer_catalog(practice)
    reader = ApiClient(make_token(practice, "read").secret)
    assert reader.call("get", "/api/v1/offers").status_code == 200
    refused = reader.call("post", "/api/v1/offers", json={"key": "x", "name": "X", "kind": "upsell", "price": "1"})
    assert refused.status_code == 403
    assert "write scope" in refused.json()["detail"]
    assert not practice.offers.filter(key="x").exists()


def test_a_write_token_writes(practice):
    writer = ApiClient(make_token(practice, "write").secret)
    made = writer.call("post", "/api/v1/offers", json={"key": "x", "name": "X", "kind": "upsell", "price": "1"})
    assert made.status_code == 201
    assert practice.offers.get(key="x").price == 1


@pytest.mark.parametrize(
    "header, says",
    [
        (None, "send a valid API token"),
        ("Bearer oa_not-a-real-token", "unknown API token"),
        ("Basic dXNlcjpwYXNz", "Bearer <token>"),
    ],
)
def test_no_valid_token_is_401_with_a_challenge(practice, client, header, says):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/offers", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert says in response.json()["detail"]


def test_an_expired_token_stops_working(practice):
    new = make_token(practice, "read", expires_at=timezone.now() + timedelta(days=1))
    api = ApiClient(new.secret)
    assert api.call("get", "/api/v1/funnels").status_code == 200
    past = timezone.now() - timedelta(seconds=1)  # as if a day went by: made two days ago, expired just now
    ApiToken.objects.filter(pk=new.token.pk).update(created_at=past - timedelta(days=2), expires_at=past)
    refused = api.call("get", "/api/v1/funnels")
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]


def test_a_revoked_token_stops_working(practice):
    new = make_token(practice, "write")
    token_revoke(practice=practice, token=new.token, actor=SYSTEM)
    refused = ApiClient(new.secret).call("get", "/api/v1/funnels")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_use_is_noted_on_the_token(practice):
    new = make_token(practice, "read")
    ApiClient(new.secret).call("get", "/api/v1/funnels")
    assert ApiToken.objects.get(pk=new.token.pk).last_used_at is not None


def test_an_owner_makes_a_token_and_sees_its_secret_once(practice):
    owner = signed_in_client(practice, "owner")
    page = owner.post("/api/tokens/", {"name": "nightly check", "scope": "write", "expires": "30"})
    assert page.status_code == 200
    token = ApiToken.objects.get(practice=practice)
    secret = page.context["new"].secret
    assert secret.encode() in page.content and token.digest == secret_digest(secret)
    assert token.scope == "write" and token.expires_at is not None
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    again = owner.get("/api/tokens/")
    assert secret.encode() not in again.content and b"nightly check" in again.content
    assert ApiClient(secret).call("get", "/api/v1/funnels").status_code == 200
    event = AuditEvent.objects.get(practice=practice, action="api_token.created")
    assert event.target == "nightly check" and event.detail["scope"] == "write"


def test_an_owner_revokes_a_token_on_the_trail(practice):
    new = make_token(practice, "read", name="old script")
    owner = signed_in_client(practice, "owner")
    assert owner.post(f"/api/tokens/{new.token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=new.token.pk).revoked_at is not None
    assert ApiClient(new.secret).call("get", "/api/v1/funnels").status_code == 401
    assert AuditEvent.objects.filter(practice=practice, action="api_token.revoked", target="old script").exists()


def test_an_owner_cannot_revoke_another_practices_token(practice):
    from tests.factories import make_practice

    other = make_token(make_practice(), "read")
    owner = signed_in_client(practice, "owner")
    owner.post(f"/api/tokens/{other.token.pk}/revoke/")
    assert ApiToken.objects.get(pk=other.token.pk).revoked_at is None


@pytest.mark.parametrize("role", ["coach", "catalog_admin", "viewer"])
def test_only_owners_manage_tokens(practice, role):
    member = signed_in_client(practice, role)
    assert member.get("/api/tokens/").status_code == 403
    assert member.post("/api/tokens/", {"name": "x", "scope": "write", "expires": "30"}).status_code == 403
    assert not ApiToken.objects.exists()
    assert b"API tokens" not in member.get("/funnels/").content


def test_the_header_links_owners_to_the_tokens(practice):
    assert b'href="/api/tokens/"' in signed_in_client(practice, "owner").get("/funnels/").content


def test_a_token_needs_a_name(practice):
    page = signed_in_client(practice, "owner").post("/api/tokens/", {"name": "  ", "scope": "read", "expires": "never"})
    assert page.status_code == 200 and page.context["form"].errors
    assert not ApiToken.objects.exists()
