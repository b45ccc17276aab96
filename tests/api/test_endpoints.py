"""The endpoints do what the screens do, through the same services: the catalog, funnels as documents, and the
step edits; the token is named on the audit trail and in the funnel's history."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from accounts.models import AuditEvent
from funnels.services.transfer import funnel_export
from tests.factories import make_offer, make_primer_catalog, make_primer_funnel

pytestmark = pytest.mark.django_db
CLASSIC = Path("funnels/demo/calm-classic.json").read_text(encoding="utf-8")
TOKEN_ACTOR = 'API token "script"'


# -- offers ---------------------------------------------------------------------------------------------------


def test_offers_are_listed_filtered_and_searched(practice, reader):
    make_primer_catalog(practice)
    everything = reader.call("get", "/api/v1/offers").json()
    assert everything["count"] == 5 and [o["key"] for o in everything["items"]] == sorted(
        o["key"] for o in everything["items"]
    )
    upsells = reader.call("get", "/api/v1/offers?kind=upsell").json()["items"]
    assert [o["key"] for o in upsells] == ["three-calls"]
    assert upsells[0]["price"] == "300.00" and upsells[0]["currency"] == "USD"
    found = reader.call("get", "/api/v1/offers?search=coaching").json()["items"]
    assert {o["key"] for o in found} == {"three-calls", "one-call"}


def test_an_offer_is_created_changed_and_archived_on_the_trail(practice, writer):
    course = make_primer_catalog(practice, "course")["course"]
    body = {
        "key": "calm-plus",
        "name": "Calm + community",
        "kind": "upsell",
        "price": 147,
        "replaces": "calm-course",
        "take_rate": 0.1,
        "topics": ["anxiety", "community"],
    }
    made = writer.call("post", "/api/v1/offers", json=body)
    assert made.status_code == 201 and made["Location"] == "/api/v1/offers/calm-plus"
    assert made.json()["replaces"] == "calm-course" and made.json()["take_rate"] == "0.1"
    offer = practice.offers.get(key="calm-plus")
    assert offer.replaces == course and offer.default_take_rate == Decimal("0.1")
    changed = writer.call("patch", "/api/v1/offers/calm-plus", json={"price": "19.99", "take_rate": None})
    assert changed.status_code == 200 and changed.json()["price"] == "19.99" and changed.json()["take_rate"] is None
    offer.refresh_from_db()
    assert offer.price == Decimal("19.99") and offer.name == "Calm + community"
    archived = writer.call("post", "/api/v1/offers/calm-plus/archive")
    assert archived.json()["status"] == "archived"
    trail = AuditEvent.objects.filter(practice=practice, target="calm-plus").order_by("pk")
    assert [(e.action, e.actor_label) for e in trail] == [
        ("offer.created", TOKEN_ACTOR),
        ("offer.updated", TOKEN_ACTOR),
        ("offer.archived", TOKEN_ACTOR),
    ]


def test_a_bad_offer_gets_every_problem_with_its_path(writer):
    refused = writer.call(
        "post", "/api/v1/offers", json={"key": "Bad Key", "kind": "upsell", "price": "1.234", "colour": "red"}
    )
    assert refused.status_code == 422
    paths = [p["path"] for p in refused.json()["problems"]]
    assert paths == ["key", "name", "price", "colour"]


def test_a_duplicate_offer_key_is_refused(practice, writer):
    make_offer(practice, key="taken")
    refused = writer.call(
        "post", "/api/v1/offers", json={"key": "taken", "name": "Again", "kind": "upsell", "price": "1"}
    )
    assert refused.status_code == 422


def test_a_missing_offer_is_404(reader):
    assert reader.call("get", "/api/v1/offers/nothing-here").status_code == 404


# -- funnels --------------------------------------------------------------------------------------------------


def test_a_funnel_reads_as_its_export(practice, reader):
    funnel, _, _ = make_primer_funnel(practice, make_primer_catalog(practice))
    answer = reader.call("get", "/api/v1/funnels/calm")
    assert answer.content.decode() == funnel_export(practice=practice, funnel=funnel)
    assert answer["Content-Type"] == "application/json"


def test_a_funnel_is_created_from_a_document_and_reads_back_equal(practice, writer):
    made = writer.call("post", "/api/v1/funnels?slug=classic", raw=CLASSIC)
    assert made.status_code == 201
    assert made.json()["slug"] == "classic" and made.json()["version"] == 1 and made["ETag"] == '"1"'
    assert len(made.json()["offers_created"]) == 5
    document = json.loads(writer.call("get", "/api/v1/funnels/classic").content)
    assert document == json.loads(funnel_export(practice=practice, funnel=practice.funnels.get(slug="classic")))
    assert document["post_purchase"]["steps"][0] == {
        "key": "up1",
        "offer": "three-calls",
        "take_rate": 0.2,
        "on_accept": None,
        "on_decline": "down1",
    }
    event = AuditEvent.objects.get(practice=practice, action="funnel.imported")
    assert event.actor_label == TOKEN_ACTOR


def test_a_funnel_is_replaced_whole_and_keeps_its_slug(practice, writer):
    make_primer_funnel(practice, make_primer_catalog(practice))
    replaced = writer.call("put", "/api/v1/funnels/calm", raw=CLASSIC, **{"If-Match": '"3"'})
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["slug"] == "calm" and replaced.json()["version"] == 4 and replaced["ETag"] == '"4"'
    funnel = practice.funnels.get(slug="calm")
    assert funnel.name == "Calm course: classic"
    exported = json.loads(funnel_export(practice=practice, funnel=funnel))
    original = json.loads(CLASSIC)
    assert exported["checkout"]["bumps"] == original["checkout"]["bumps"]
    assert exported["post_purchase"] == original["post_purchase"]
    assert AuditEvent.objects.get(practice=practice, action="funnel.replaced").actor_label == TOKEN_ACTOR


def test_a_funnel_is_renamed_and_deleted(practice, writer):
    make_primer_funnel(practice, make_primer_catalog(practice))
    renamed = writer.call(
        "patch", "/api/v1/funnels/calm", json={"name": "Calm, live", "status": "live"}, **{"If-Match": '"3"'}
    )
    assert renamed.json()["name"] == "Calm, live" and renamed.json()["status"] == "live" and renamed["ETag"] == '"4"'
    gone = writer.call("delete", "/api/v1/funnels/calm", **{"If-Match": '"4"'})
    assert gone.status_code == 204
    assert writer.call("get", "/api/v1/funnels/calm").status_code == 404
    assert writer.call("get", "/api/v1/funnels").json()["count"] == 0


def test_funnels_are_listed_with_their_versions(practice, reader):
    make_primer_funnel(practice, make_primer_catalog(practice))
    page = reader.call("get", "/api/v1/funnels").json()
    assert page["count"] == 1 and page["items"][0]["slug"] == "calm" and page["items"][0]["version"] == 3
    assert reader.call("get", "/api/v1/funnels?status=live").json()["count"] == 0


# -- steps ----------------------------------------------------------------------------------------------------


def test_the_primer_funnel_is_built_step_by_step(practice, writer):
    catalog = make_primer_catalog(practice)
    writer.call(
        "post",
        "/api/v1/funnels",
        raw=json.dumps(
            {
                "format": "offer-architect/funnel@1",
                "name": "Built",
                "currency": "USD",
                "offers": [{"key": "calm-course", "name": "Calm Your Nervous System", "kind": "core", "price": "97"}],
                "checkout": {"core": "calm-course"},
            }
        ),
    )
    funnel = practice.funnels.get(slug="built")
    up = writer.call(
        "post",
        "/api/v1/funnels/built/steps",
        json={"offer": "three-calls", "slot": "one_click", "key": "up1", "take_rate": 0.2},
        **{"If-Match": '"1"'},
    )
    assert up.status_code == 201 and up.json()["version"] == 2 and up.json()["step"]["stage"] == "post_purchase"
    down = writer.call(
        "post",
        "/api/v1/funnels/built/steps",
        json={
            "offer": "one-call",
            "slot": "one_click",
            "key": "down1",
            "take_rate": 0.15,
            "after": {"step": "up1", "edge": "on_decline"},
        },
        **{"If-Match": '"2"'},
    )
    assert down.status_code == 201
    bump = writer.call(
        "post",
        "/api/v1/funnels/built/steps",
        json={"offer": "breath-cards", "slot": "bump", "take_rate": 0.3},
        **{"If-Match": '"3"'},
    )
    assert bump.json()["step"] == {
        "key": "breath-cards",
        "offer": "breath-cards",
        "take_rate": "0.3",
        "on_accept": None,
        "on_decline": None,
        "stage": "checkout",
        "slot": "bump",
    }
    rate = writer.call(
        "patch", "/api/v1/funnels/built/steps/post_purchase/up1", json={"take_rate": "0.25"}, **{"If-Match": '"4"'}
    )
    assert rate.json()["step"]["take_rate"] == "0.25"
    edges = writer.call(
        "put",
        "/api/v1/funnels/built/steps/post_purchase/up1/edges",
        json={"on_accept": None, "on_decline": None},
        **{"If-Match": '"5"'},
    )
    assert edges.json()["step"]["on_decline"] is None
    start = writer.call("put", "/api/v1/funnels/built/start", json={"step": "down1"}, **{"If-Match": '"6"'})
    assert start.json() == {"version": 7}
    removed = writer.call("delete", "/api/v1/funnels/built/steps/post_purchase/down1", **{"If-Match": '"7"'})
    assert removed.json() == {"version": 8, "reconnected": [{"step": "start", "edge": "start"}]}
    funnel.refresh_from_db()
    assert funnel.version == 8 and funnel.start_step is None
    assert catalog["cards"].funnel_steps.filter(funnel=funnel).exists()


def test_step_bodies_that_name_nothing_are_422_with_the_path(practice, writer):
    make_primer_funnel(practice, make_primer_catalog(practice))
    no_offer = writer.call(
        "post", "/api/v1/funnels/calm/steps", json={"offer": "nope", "slot": "bump"}, **{"If-Match": '"3"'}
    )
    assert no_offer.status_code == 422 and no_offer.json()["problems"][0]["path"] == "offer"
    no_step = writer.call(
        "put",
        "/api/v1/funnels/calm/steps/post_purchase/up1/edges",
        json={"on_accept": "nope", "on_decline": None},
        **{"If-Match": '"3"'},
    )
    assert no_step.status_code == 422 and no_step.json()["problems"][0]["path"] == "on_accept"
    bad_rate = writer.call(
        "patch", "/api/v1/funnels/calm/steps/post_purchase/up1", json={"take_rate": 1.5}, **{"If-Match": '"3"'}
    )
    assert bad_rate.status_code == 422 and bad_rate.json()["problems"][0]["path"] == "take_rate"
    assert (
        writer.call(
            "patch", "/api/v1/funnels/calm/steps/checkout/up1", json={"take_rate": 0.1}, **{"If-Match": '"3"'}
        ).status_code
        == 404
    )
    assert practice.funnels.get(slug="calm").version == 3


def test_a_control_character_never_reaches_the_database(practice, writer):
    make_primer_funnel(practice, make_primer_catalog(practice))
    refused = writer.call("patch", "/api/v1/funnels/calm", json={"name": "Calm\u0000"}, **{"If-Match": '"3"'})
    assert refused.status_code == 422 and refused.json()["problems"][0]["path"] == "name"
    assert writer.call("get", "/api/v1/offers?search=a%00b").status_code == 422
    assert writer.call("get", "/api/v1/offers/a%00b").status_code == 422
