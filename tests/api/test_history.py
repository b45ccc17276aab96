"""The change log, the difference between versions and the rollback through the API: the same versions the history
page shows, each naming the token that made it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import make_primer_catalog, make_primer_funnel

pytestmark = pytest.mark.django_db
CLASSIC = Path("funnels/demo/calm-classic.json").read_text(encoding="utf-8")


@pytest.fixture
def calm(practice):  # type: ignore[no-untyped-def]
    funnel, _, _ = make_primer_funnel(practice, make_primer_catalog(practice))
    return funnel


def test_the_change_log_names_the_token(writer, calm):
    writer.call("patch", "/api/v1/funnels/calm/steps/post_purchase/up1", json={"take_rate": 0.3}, **{"If-Match": '"3"'})
    log = writer.call("get", "/api/v1/funnels/calm/versions").json()
    assert [v["number"] for v in log["items"]] == [4, 3, 2, 1] and log["count"] == 4
    assert log["items"][0]["by"] == 'API token "script"' and "30%" in log["items"][0]["summary"]


def test_a_diff_says_what_changed_and_the_aov_either_side(writer, calm):
    writer.call("patch", "/api/v1/funnels/calm/steps/post_purchase/up1", json={"take_rate": 0.3}, **{"If-Match": '"3"'})
    diff = writer.call("get", "/api/v1/funnels/calm/diff?a=4&b=3").json()
    assert (diff["a"], diff["b"]) == (3, 4)
    assert diff["aov"] == ["171.40", "199.60"]  # 97 + q·300 + (1−q)·0.15·120 with q 0.2, then 0.3
    assert diff["changes"]
    assert writer.call("get", "/api/v1/funnels/calm/diff?a=1&b=99").json()["problems"][0]["path"] == "query.b"


def test_a_restore_brings_an_old_version_back_as_a_new_one(writer, calm):
    writer.call("put", "/api/v1/funnels/calm", raw=CLASSIC, **{"If-Match": '"3"'})
    assert writer.call("get", "/api/v1/funnels/calm/metrics").json()["aov"] == "177.10"
    restored = writer.call("post", "/api/v1/funnels/calm/versions/3/restore", json={}, **{"If-Match": '"4"'})
    assert restored.status_code == 200, restored.content
    assert restored.json()["restored"] == 3 and restored.json()["version"] == 5 and restored["ETag"] == '"5"'
    assert writer.call("get", "/api/v1/funnels/calm/metrics").json()["aov"] == "171.40"
    document = json.loads(writer.call("get", "/api/v1/funnels/calm").content)
    assert [s["key"] for s in document["post_purchase"]["steps"]] == ["up1", "down1"] and document["checkout"][
        "bumps"
    ] == []
    assert writer.call("get", "/api/v1/funnels/calm/versions").json()["items"][0]["kind"] == "restore"


def test_a_restore_needs_the_current_version(writer, calm):
    assert writer.call("post", "/api/v1/funnels/calm/versions/1/restore", json={}).status_code == 428
    stale = writer.call("post", "/api/v1/funnels/calm/versions/1/restore", json={}, **{"If-Match": '"2"'})
    assert stale.status_code == 412 and stale.json()["current_version"] == 3


def test_a_restore_over_catalog_changes_asks_which_to_keep(writer, calm):
    writer.call("patch", "/api/v1/offers/three-calls", json={"price": "350"})
    version = writer.call("get", "/api/v1/funnels/calm")["ETag"]
    asked = writer.call("post", "/api/v1/funnels/calm/versions/3/restore", json={}, **{"If-Match": version})
    assert asked.status_code == 409 and asked.json()["drifts"][0]["key"] == "three-calls"
    kept = writer.call(
        "post", "/api/v1/funnels/calm/versions/3/restore", json={"keep_today": True}, **{"If-Match": version}
    )
    assert kept.status_code == 200
    assert writer.call("get", "/api/v1/offers/three-calls").json()["price"] == "350.00"


def test_a_missing_version_is_404(writer, calm):
    assert (
        writer.call("post", "/api/v1/funnels/calm/versions/42/restore", json={}, **{"If-Match": '"3"'}).status_code
        == 404
    )
