"""NUL and the other control characters into every field of every form and htmx endpoint, and digits of other
scripts into every number: each is refused (a field error, or a 4xx that says why), nothing is written, and no
request fails, on SQLite as on PostgreSQL (where a NUL in a query used to be a 500). CI runs this file on both."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.audit import SYSTEM
from accounts.invitations import invitation_create, invitation_token
from accounts.models import AuditEvent, Invitation, Membership, Practice, Role
from accounts.sessions import PASSWORD_AT
from funnels.models import Funnel, FunnelStep
from funnels.services.demo import DEMO_DIR
from funnels.services.transfer import funnel_import
from offers.models import Offer
from tests.accounts.people import PASSWORD, client_for, person
from tests.factories import make_practice

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CLASSIC = (DEMO_DIR / "calm-classic.json").read_bytes()
REFUSED = re.compile(r"control character|Null characters|not a member|There is no step|Choose|Select a valid|valid")


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: str  # may hold {slug}, {token}, {member}, {uid}, {reset}
    data: dict[str, object]
    fields: tuple[str, ...]
    who: str = "owner"  # "owner" or "anonymous"
    htmx: bool = False
    extra: dict[str, str] = field(default_factory=dict)


OFFER = {
    "key": "new-offer",
    "name": "New offer",
    "kind": "upsell",
    "price": "150",
    "topics": "anxiety",
    "replaces": "",
    "format": "course",
    "headline": "Go deeper",
    "body": "Three calls.",
    "accept_label": "Yes",
    "decline_label": "No",
    "default_take_rate": "15",
    "status": "active",
}
EDIT = {k: v for k, v in OFFER.items() if k != "key"}
SIGN_UP = {
    "username": "kim",
    "email": "kim@example.com",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "practice_name": "Kim's",
    "currency": "USD",
}

ENDPOINTS = [
    Endpoint(
        "sign-in",
        "post",
        "/accounts/sign-in/",
        {"username": "olive", "password": PASSWORD},
        ("username", "password"),
        "anonymous",
    ),
    Endpoint("sign-up", "post", "/accounts/sign-up/", SIGN_UP, tuple(SIGN_UP), "anonymous"),
    Endpoint("reset", "post", "/accounts/password/reset/", {"email": "olive@example.com"}, ("email",), "anonymous"),
    Endpoint(
        "reset-confirm",
        "post",
        "/accounts/password/reset/{uid}/set-password/",
        {"new_password1": "quiet-river-morning-74", "new_password2": "quiet-river-morning-74"},
        ("new_password1", "new_password2"),
        "anonymous",
    ),
    Endpoint(
        "join",
        "post",
        "/accounts/join/{token}/",
        {"username": "sam", "password1": PASSWORD, "password2": PASSWORD},
        ("username", "password1", "password2"),
        "anonymous",
    ),
    Endpoint("switch", "post", "/accounts/practices/switch/", {"practice": "elsewhere"}, ("practice",)),
    Endpoint(
        "new-practice", "post", "/accounts/practices/new/", {"name": "Second", "currency": "EUR"}, ("name", "currency")
    ),
    Endpoint(
        "password",
        "post",
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "quiet-river-morning-74",
            "new_password2": "quiet-river-morning-74",
        },
        ("old_password", "new_password1", "new_password2"),
    ),
    Endpoint(
        "invite", "post", "/accounts/members/invite/", {"email": "sam@example.com", "role": "viewer"}, ("email", "role")
    ),
    Endpoint("member-role", "post", "/accounts/members/{member}/role/", {"role": "viewer"}, ("role",)),
    Endpoint(
        "delete-practice",
        "post",
        "/accounts/practice/delete/",
        {"name": "Calm", "password": PASSWORD},
        ("name", "password"),
    ),
    Endpoint("audit", "get", "/accounts/audit/", {"page": "1"}, ("page",)),
    Endpoint("catalog", "get", "/offers/", {"q": "calm", "kind": "core", "status": "active"}, ("q", "kind", "status")),
    Endpoint("catalog-htmx", "get", "/offers/", {"q": "calm"}, ("q",), htmx=True),
    Endpoint("offer-new", "post", "/offers/new/", OFFER, tuple(OFFER)),
    Endpoint("offer-edit", "post", "/offers/three-calls/edit/", EDIT, tuple(EDIT)),
    Endpoint("hints", "post", "/offers/hints/", OFFER, tuple(OFFER), htmx=True),
    Endpoint("hints-editing", "post", "/offers/hints/?editing=three-calls%00", EDIT, ("name",), htmx=True),
    Endpoint(
        "funnel-new",
        "post",
        "/funnels/new/",
        {"source": "blank", "name": "Spring", "core_offer": "{core}"},
        ("source", "name", "core_offer"),
    ),
    Endpoint("funnel-demo", "post", "/funnels/new/", {"source": "demo", "demo": "calm-upgrade.json"}, ("demo",)),
    Endpoint(
        "settings",
        "post",
        "/funnels/{slug}/settings/",
        {"core_offer": "calm-course", "version": "1"},
        ("core_offer", "version"),
        htmx=True,
    ),
    Endpoint(
        "step-add",
        "post",
        "/funnels/{slug}/steps/add/",
        {"place": "one_click", "offer": "calm-plus-x", "take_rate": "10", "after": "up1:on_accept", "version": "1"},
        ("place", "offer", "take_rate", "after", "version"),
        htmx=True,
    ),
    Endpoint(
        "take-rate",
        "post",
        "/funnels/{slug}/steps/post_purchase/up1/take-rate/",
        {"take_rate": "25", "version": "1"},
        ("take_rate", "version"),
        htmx=True,
    ),
    Endpoint(
        "step-edges",
        "post",
        "/funnels/{slug}/steps/post_purchase/up1/edges/",
        {"on_accept": "down1", "on_decline": "", "version": "1"},
        ("on_accept", "on_decline", "version"),
        htmx=True,
    ),
    Endpoint(
        "step-edges-plain",
        "post",
        "/funnels/{slug}/steps/post_purchase/up1/edges/",
        {"on_accept": "down1", "on_decline": "", "version": "1"},
        ("on_accept", "on_decline"),
    ),
    Endpoint(
        "move",
        "post",
        "/funnels/{slug}/steps/post_purchase/up1/move/",
        {"direction": "down", "version": "1"},
        ("direction",),
        htmx=True,
    ),
    Endpoint(
        "reorder",
        "post",
        "/funnels/{slug}/steps/post_purchase/reorder/",
        {"key": ["down1", "up1"], "version": "1"},
        ("key",),
        htmx=True,
    ),
    Endpoint("start", "post", "/funnels/{slug}/start/", {"step": "down1", "version": "1"}, ("step",), htmx=True),
    Endpoint(
        "funnel-delete",
        "post",
        "/funnels/{slug}/delete/",
        {"version": "1", "password": PASSWORD},
        ("version", "password"),
    ),
    Endpoint(
        "import-confirm",
        "post",
        "/funnels/import/",
        {"document": CLASSIC.decode(), "slug": "spring", "file_name": "f.json"},
        ("document", "slug", "file_name"),
    ),
    Endpoint(
        "preview",
        "get",
        "/funnels/{slug}/preview/",
        {"bumps": "breath-cards", "at": "post_purchase", "path": "up1:no", "view": "phone"},
        ("bumps", "at", "path", "view"),
    ),
    Endpoint("preview-htmx", "get", "/funnels/{slug}/preview/", {"bumps": "breath-cards"}, ("bumps",), htmx=True),
    Endpoint(
        "forecast",
        "get",
        "/funnels/{slug}/forecast/",
        {"buyers": "1000", "compare": "calm-course-classic"},
        ("buyers", "compare"),
    ),
    Endpoint("forecast-htmx", "get", "/funnels/{slug}/forecast/", {"buyers": "1000"}, ("buyers",), htmx=True),
]


@pytest.fixture
def world(db):
    """A practice with the classic demo funnel, its owner (signed in), an open invitation and a reset link."""
    practice = make_practice(slug="calm", name="Calm")
    Practice.objects.filter(pk=practice.pk).update(name="Calm")
    practice.refresh_from_db()
    olive = person(practice, Role.OWNER, "olive")
    cora = person(practice, Role.COACH, "cora")
    funnel = funnel_import(practice=practice, raw=CLASSIC).funnel
    Offer.objects.filter(practice=practice, key="calm-course").get()
    invitation = invitation_create(practice=practice, email="sam@example.com", role=Role.VIEWER, actor=SYSTEM)
    owner = client_for(olive)
    session = owner.session
    session[PASSWORD_AT] = int(time.time()) - 3600  # so the deletes ask for the password, and read it
    session.save()
    return {
        "practice": practice,
        "owner": owner,
        "slug": funnel.slug,
        "token": invitation_token(invitation),
        "member": Membership.objects.get(user=cora).pk,
        "uid": urlsafe_base64_encode(force_bytes(olive.pk)),
        "reset": default_token_generator.make_token(olive),
        "core": str(Offer.objects.get(practice=practice, key="calm-course").pk),
    }


def snapshot() -> tuple[int, ...]:
    return (
        Offer.objects.count(),
        Funnel.objects.count(),
        FunnelStep.objects.count(),
        Membership.objects.count(),
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).count(),
        Practice.objects.count(),
        AuditEvent.objects.exclude(action__startswith="sign_in.").count(),
    )


def send(world: dict, endpoint: Endpoint, data: dict[str, object]):
    values = {k: world[k] for k in ("slug", "token", "member", "uid")}
    url = endpoint.url.format(**values)
    if endpoint.name == "reset-confirm":  # Django's reset view first trades the token for a session
        client = Client()
        client.get(f"/accounts/password/reset/{world['uid']}/{world['reset']}/")
    else:
        client = Client() if endpoint.who == "anonymous" else world["owner"]
    payload = {k: (world["core"] if v == "{core}" else v) for k, v in data.items()}
    headers = HTMX if endpoint.htmx else {}
    if endpoint.method == "get":
        return client.get(url, payload, **headers)
    return client.post(url, payload, **headers)


CASES = [(e, f) for e in ENDPOINTS for f in e.fields]


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x1b", "\x7f", "\x85"], ids=["NUL", "SOH", "ESC", "DEL", "NEL"])
@pytest.mark.parametrize(("endpoint", "field_name"), CASES, ids=[f"{e.name}:{f}" for e, f in CASES])
def test_a_control_character_is_refused_and_nothing_is_written(world, endpoint, field_name, bad):
    before = snapshot()
    original = endpoint.data[field_name]
    value = [f"{v}{bad}" for v in original] if isinstance(original, list) else f"{original}{bad}"
    response = send(world, endpoint, {**endpoint.data, field_name: value})  # an exception here is the old 500
    assert response.status_code < 500
    assert snapshot() == before, f"{endpoint.name}: {field_name} with {bad!r} changed the database"
    if endpoint.method == "post" and response.status_code == 200 and not endpoint.htmx:
        assert REFUSED.search(response.content.decode()), f"{endpoint.name}: no error shown for {field_name}"


def test_a_nul_in_a_path_or_a_token_is_not_found(world):
    owner = world["owner"]
    assert Client().get("/accounts/join/abc%00def/").status_code == 404
    assert owner.get("/funnels/calm%00/").status_code == 404
    assert owner.get("/offers/three-calls%00/edit/").status_code == 404


def test_the_form_that_is_refused_says_so_beside_the_field(world):
    response = world["owner"].post("/offers/new/", {**OFFER, "replaces": "three-calls\x00"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Remove the control character (U+0000) from this field; it cannot be stored." in html
    assert not Offer.objects.filter(key="new-offer").exists()


# -- numbers: ASCII digits and one decimal point --------------------------------------------------------------

NOT_NUMBERS = ["١٢٣", "１２", "1_000", "0E+1000", "1e2", "Infinity", "NaN", "٫5", "12.5.1"]


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_a_price_in_other_digits_is_not_stored(world, typed):
    response = world["owner"].post("/offers/new/", {**OFFER, "price": typed})
    assert response.status_code == 200 and "Enter a price such as 97 or 19.99." in response.content.decode()
    assert not Offer.objects.filter(key="new-offer").exists()
    edit = world["owner"].post("/offers/three-calls/edit/", {**EDIT, "price": typed})
    assert edit.status_code == 200
    assert str(Offer.objects.get(key="three-calls").price) == "300.00"


@pytest.mark.parametrize("typed", NOT_NUMBERS)
def test_a_take_rate_in_other_digits_is_refused_everywhere(world, typed):
    owner, slug = world["owner"], world["slug"]
    offer = owner.post("/offers/new/", {**OFFER, "default_take_rate": typed})
    assert "Enter a percentage such as 15 or 12.5." in offer.content.decode()
    step = owner.post(
        f"/funnels/{slug}/steps/post_purchase/up1/take-rate/", {"take_rate": typed, "version": "1"}, **HTMX
    )
    assert step.status_code == 422
    assert FunnelStep.objects.get(funnel__slug=slug, key="up1").take_rate == __import__("decimal").Decimal("0.2")


@pytest.mark.parametrize("typed", ["١", "１", "1_0", " 1 ", "+1"])
def test_a_version_in_other_digits_is_a_bad_request(world, typed):
    owner, slug = world["owner"], world["slug"]
    assert owner.post(f"/funnels/{slug}/delete/", {"version": typed}).status_code == 400
    assert owner.post(f"/funnels/{slug}/start/", {"step": "down1", "version": typed}, **HTMX).status_code == 400
    assert Funnel.objects.filter(slug=slug).exists()


@pytest.mark.parametrize("typed", ["١٠٠٠", "１０００", "1e3"])
def test_buyers_in_other_digits_are_refused(world, typed):
    response = world["owner"].get(f"/funnels/{world['slug']}/forecast/", {"buyers": typed})
    assert response.status_code == 200 and "whole number" in response.content.decode()


def test_a_file_with_other_digits_in_a_price_is_refused(world):
    raw = CLASSIC.decode().replace('"price": "97.00"', '"price": "٩٧"', 1)
    assert '"٩٧"' in raw
    page = (
        world["owner"]
        .post("/funnels/import/", {"file": SimpleUploadedFile("f.json", raw.encode(), "application/json")})
        .content.decode()
    )
    assert "must be an amount such as 97" in page
