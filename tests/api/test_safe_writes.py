"""Writes that cannot overwrite or repeat: the version is the ETag, a write sends it as If-Match (428 without, 412
when stale, with the current version), and a create with an Idempotency-Key makes one funnel however often sent."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from funnels.models import Funnel
from tests.factories import make_primer_catalog, make_primer_funnel

pytestmark = pytest.mark.django_db
CLASSIC = Path("funnels/demo/calm-classic.json").read_text(encoding="utf-8")


@pytest.fixture
def calm(practice):  # type: ignore[no-untyped-def]
    funnel, _, _ = make_primer_funnel(practice, make_primer_catalog(practice))
    return funnel


def test_every_funnel_answer_carries_its_version(writer, calm):
    assert writer.call("get", "/api/v1/funnels/calm")["ETag"] == '"3"'
    assert writer.call("get", "/api/v1/funnels/calm/metrics")["ETag"] == '"3"'
    changed = writer.call(
        "patch", "/api/v1/funnels/calm/steps/post_purchase/up1", json={"take_rate": 0.25}, **{"If-Match": '"3"'}
    )
    assert changed.status_code == 200 and changed["ETag"] == '"4"' and changed.json()["version"] == 4
    assert writer.call("get", "/api/v1/funnels/calm")["ETag"] == '"4"'


def test_a_stale_if_match_is_412_with_the_current_version(writer, calm):
    stale = writer.call(
        "patch", "/api/v1/funnels/calm/steps/post_purchase/up1", json={"take_rate": 0.5}, **{"If-Match": '"2"'}
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 3 and stale["ETag"] == '"3"'
    calm.refresh_from_db()
    assert calm.version == 3
    assert calm.steps.get(key="up1").take_rate == Decimal("0.2")


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("patch", "/api/v1/funnels/calm/steps/post_purchase/up1", {"take_rate": 0.5}),
        ("put", "/api/v1/funnels/calm", None),
        ("patch", "/api/v1/funnels/calm", {"name": "Renamed"}),
        ("delete", "/api/v1/funnels/calm", None),
        ("post", "/api/v1/funnels/calm/steps", {"offer": "cards", "slot": "bump"}),
        ("put", "/api/v1/funnels/calm/steps/post_purchase/up1/edges", {"on_accept": None, "on_decline": None}),
        ("put", "/api/v1/funnels/calm/start", {"step": None}),
        ("delete", "/api/v1/funnels/calm/steps/post_purchase/down1", None),
    ],
)
def test_every_funnel_write_needs_if_match(writer, calm, method, path, body):
    raw = CLASSIC if method == "put" and body is None else None
    missing = writer.call(method, path, json=body, raw=raw)
    assert missing.status_code == 428
    assert missing.json()["problems"] == [{"path": "header.If-Match", "message": "missing"}]
    garbled = writer.call(method, path, json=body, raw=raw, **{"If-Match": "yesterday"})
    assert garbled.status_code == 400
    calm.refresh_from_db()
    assert calm.version == 3 and calm.name == "Calm"


def test_a_weak_or_bare_etag_is_understood(writer, calm):
    assert (
        writer.call("put", "/api/v1/funnels/calm/start", json={"step": "up1"}, **{"If-Match": 'W/"3"'}).status_code
        == 200
    )
    assert (
        writer.call("put", "/api/v1/funnels/calm/start", json={"step": "up1"}, **{"If-Match": "4"}).status_code == 200
    )


def test_a_replace_with_a_stale_version_writes_nothing(writer, calm):
    refused = writer.call("put", "/api/v1/funnels/calm", raw=CLASSIC, **{"If-Match": '"1"'})
    assert refused.status_code == 412
    assert not calm.steps.filter(key="breath-cards").exists()


def test_an_idempotent_create_makes_one_funnel(writer, practice):
    first = writer.call("post", "/api/v1/funnels", raw=CLASSIC, **{"Idempotency-Key": "build-1"})
    again = writer.call("post", "/api/v1/funnels", raw=CLASSIC, **{"Idempotency-Key": "build-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["ETag"] == first["ETag"] and again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Funnel.objects.filter(practice=practice).count() == 1
    other = writer.call("post", "/api/v1/funnels", raw=CLASSIC, **{"Idempotency-Key": "build-2"})
    assert other.status_code == 201 and other.json()["slug"] != first.json()["slug"]
    assert Funnel.objects.filter(practice=practice).count() == 2


def test_without_a_key_each_create_makes_a_funnel(writer, practice):
    writer.call("post", "/api/v1/funnels", raw=CLASSIC)
    writer.call("post", "/api/v1/funnels", raw=CLASSIC)
    assert Funnel.objects.filter(practice=practice).count() == 2


def test_a_key_reused_for_another_request_is_refused(writer, practice):
    writer.call("post", "/api/v1/funnels", raw=CLASSIC, **{"Idempotency-Key": "k"})
    other = CLASSIC.replace("Calm course: classic", "Another name")
    refused = writer.call("post", "/api/v1/funnels", raw=other, **{"Idempotency-Key": "k"})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["path"] == "header.Idempotency-Key"
    assert Funnel.objects.filter(practice=practice).count() == 1


def test_keys_belong_to_their_token(practice):
    from tests.api.conftest import ApiClient, make_token

    one, two = ApiClient(make_token(practice).secret), ApiClient(make_token(practice).secret)
    one.call("post", "/api/v1/funnels", raw=CLASSIC, **{"Idempotency-Key": "same"})
    two.call("post", "/api/v1/funnels", raw=CLASSIC, **{"Idempotency-Key": "same"})
    assert Funnel.objects.filter(practice=practice).count() == 2


def test_an_idempotent_offer_create_makes_one_offer(writer, practice):
    body = {"key": "journal", "name": "Calm journal", "kind": "cross_sell", "price": "12.50"}
    first = writer.call("post", "/api/v1/offers", json=body, **{"Idempotency-Key": "o-1"})
    again = writer.call("post", "/api/v1/offers", json=body, **{"Idempotency-Key": "o-1"})
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert practice.offers.filter(key="journal").count() == 1


def test_a_refused_create_keeps_no_answer(writer, practice):
    bad = CLASSIC.replace('"price": "97.00"', '"price": "97.001"')
    assert writer.call("post", "/api/v1/funnels", raw=bad, **{"Idempotency-Key": "fix-me"}).status_code == 422
    assert writer.call("post", "/api/v1/funnels", raw=CLASSIC, **{"Idempotency-Key": "fix-me"}).status_code == 201
