"""The tenancy matrix over every API route: a token acts as its practice only. Another practice's offers, funnels
and steps answer 404 exactly as missing ones do, and nothing of theirs changes; lists and creates stay inside the
token's own practice. The routes are read from the OpenAPI description, so a new route must join the matrix."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.site import api
from funnels.services.transfer import funnel_export
from tests.api.conftest import ApiClient, make_token
from tests.factories import make_practice, make_primer_catalog, make_primer_funnel

pytestmark = pytest.mark.django_db
CLASSIC = Path("funnels/demo/calm-classic.json").read_text(encoding="utf-8")
IDS = {"slug": "calm", "key": "up1", "stage": "post_purchase", "number": "1"}
QUERIES = {"/api/v1/funnels/{slug}/diff": "?a=1&b=3"}
OFFER_KEY = "three-calls"

# A body that is valid for each operation, so that what answers is the tenancy, not the validation.
BODIES: dict[tuple[str, str], object] = {
    ("patch", "/api/v1/offers/{key}"): {"price": "1"},
    ("post", "/api/v1/offers/{key}/archive"): None,
    ("put", "/api/v1/funnels/{slug}"): CLASSIC,
    ("patch", "/api/v1/funnels/{slug}"): {"name": "Taken over"},
    ("delete", "/api/v1/funnels/{slug}"): None,
    ("post", "/api/v1/funnels/{slug}/steps"): {"offer": "three-calls", "slot": "cross_sell", "stage": "thank_you"},
    ("patch", "/api/v1/funnels/{slug}/steps/{stage}/{key}"): {"take_rate": 0.9},
    ("delete", "/api/v1/funnels/{slug}/steps/{stage}/{key}"): None,
    ("put", "/api/v1/funnels/{slug}/steps/post_purchase/{key}/edges"): {"on_accept": None, "on_decline": None},
    ("put", "/api/v1/funnels/{slug}/start"): {"step": None},
    ("get", "/api/v1/offers/{key}"): None,
    ("get", "/api/v1/funnels/{slug}"): None,
    ("get", "/api/v1/funnels/{slug}/metrics"): None,
    ("get", "/api/v1/funnels/{slug}/versions"): None,
    ("get", "/api/v1/funnels/{slug}/diff"): None,
    ("post", "/api/v1/funnels/{slug}/versions/{number}/restore"): {"keep_today": True},
}
UNSCOPED = {  # routes without an object in the path: they act inside the token's practice
    ("get", "/api/v1/offers"),
    ("post", "/api/v1/offers"),
    ("get", "/api/v1/funnels"),
    ("post", "/api/v1/funnels"),
    ("post", "/api/v1/check"),
}


def _routes() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return sorted((method, path) for path, ops in paths.items() for method in ops)


def test_every_route_is_in_the_matrix():
    assert set(_routes()) == set(BODIES) | UNSCOPED


@pytest.fixture
def theirs():  # type: ignore[no-untyped-def]
    """Practice A with the primer funnel "calm" (version 3), and its export, to check nothing of it changed."""
    practice = make_practice()
    funnel, _, _ = make_primer_funnel(practice, make_primer_catalog(practice))
    return practice, funnel_export(practice=practice, funnel=funnel)


@pytest.mark.parametrize("method, path", sorted(BODIES), ids=lambda x: x)
def test_another_practices_object_answers_404(theirs, method, path):
    owner, before = theirs
    intruder = ApiClient(make_token(make_practice(), "write").secret)
    url = path.format(**{**IDS, "key": OFFER_KEY if path.startswith("/api/v1/offers") else IDS["key"]})
    url += QUERIES.get(path, "")
    body = BODIES[(method, path)]
    kwargs = {"raw": body} if isinstance(body, str) else {"json": body}
    answer = intruder.call(method, url, **kwargs, **{"If-Match": '"3"'})
    assert answer.status_code == 404, (method, url, answer.content)
    funnel = owner.funnels.get(slug="calm")
    assert funnel_export(practice=owner, funnel=funnel) == before and funnel.version == 3
    assert owner.offers.get(key=OFFER_KEY).price == 300


def test_lists_and_creates_stay_in_the_tokens_practice(theirs):
    owner, _ = theirs
    mine = make_practice()
    api_client = ApiClient(make_token(mine, "write").secret)
    assert api_client.call("get", "/api/v1/funnels").json()["count"] == 0
    assert api_client.call("get", "/api/v1/offers").json()["count"] == 0
    made = api_client.call("post", "/api/v1/funnels", raw=CLASSIC)
    assert made.status_code == 201 and made.json()["offers_reused"] == []  # A's catalog is not B's
    assert mine.funnels.count() == 1 and owner.funnels.count() == 1
    check = api_client.call("post", "/api/v1/check", raw=CLASSIC).json()
    assert check["offers_created"] == [] and check["slug"] == "calm-course-classic-2"
    offer = api_client.call("post", "/api/v1/offers", json={"key": "x", "name": "X", "kind": "upsell", "price": "5"})
    assert offer.status_code == 201 and not owner.offers.filter(key="x").exists()


def test_an_upgrade_cannot_point_at_another_practices_offer(theirs):
    mine = make_practice()
    api_client = ApiClient(make_token(mine, "write").secret)
    refused = api_client.call(
        "post",
        "/api/v1/offers",
        json={"key": "plus", "name": "Plus", "kind": "upsell", "price": "150", "replaces": "calm-course"},
    )
    assert refused.status_code == 422 and refused.json()["problems"][0]["path"] == "replaces"
