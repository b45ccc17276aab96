"""Per-token rate limits kept in the cache (429 with Retry-After), body size limits (413), pagination caps, and
unknown query parameters refused."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.api.conftest import ApiClient, make_token
from tests.factories import make_offer

pytestmark = pytest.mark.django_db


@override_settings(RATE_LIMITS={"api-token": (3, 60), "api-failed-ip": (100, 60)})
def test_a_token_past_its_limit_gets_429_with_retry_after(practice):
    api = ApiClient(make_token(practice, "read").secret)
    assert [api.call("get", "/api/v1/funnels").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.call("get", "/api/v1/funnels")
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60 and refused.json()["retry_after"] == wait
    other = ApiClient(make_token(practice, "read").secret)  # the limit is per token
    assert other.call("get", "/api/v1/funnels").status_code == 200


def test_the_default_limit_is_120_a_minute(settings):
    assert settings.RATE_LIMITS["api-token"] == (120, 60)


@override_settings(RATE_LIMITS={"api-token": (100, 60), "api-failed-ip": (2, 60)})
def test_guessing_tokens_is_limited_per_address(practice, client):
    codes = [client.get("/api/v1/funnels", headers={"Authorization": "Bearer oa_guess"}).status_code for _ in range(3)]
    assert codes == [401, 401, 429]


@override_settings(API_MAX_BODY_BYTES=1000)
def test_a_body_over_the_limit_is_413(writer):
    big = writer.call("post", "/api/v1/check", raw="{" + " " * 2000 + "}")
    assert big.status_code == 413


def test_pages_are_capped_at_100(reader, practice):
    for n in range(3):
        make_offer(practice, key=f"o-{n}")
    page = reader.call("get", "/api/v1/offers?limit=2&offset=1")
    assert page.json()["count"] == 3 and [o["key"] for o in page.json()["items"]] == ["o-1", "o-2"]
    too_many = reader.call("get", "/api/v1/offers?limit=101")
    assert too_many.status_code == 422 and too_many.json()["problems"][0]["path"] == "query.limit"


def test_an_unknown_query_parameter_is_refused(reader):
    refused = reader.call("get", "/api/v1/offers?limt=5")
    assert refused.status_code == 422
    assert refused.json()["problems"] == [{"path": "query.limt", "message": "unknown parameter"}]
