"""The audit trail: each logged action writes its row (who, what, to what, from where) in the practice it
happened in, and the practice's owners read it on a page; nobody else, and no other practice's rows."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.models import AuditEvent, Membership, Role
from funnels.models import Funnel
from funnels.services.demo import DEMO_DIR, load_demo
from offers.models import Offer
from tests.accounts.people import client_for, person
from tests.factories import make_offer, make_practice

pytestmark = pytest.mark.django_db

CLASSIC = DEMO_DIR / "calm-classic.json"
FROM = {"REMOTE_ADDR": "203.0.113.42"}


def rows(practice, prefix: str) -> list[tuple[str, str, str, object, str | None]]:
    found = AuditEvent.objects.filter(practice=practice, action__startswith=prefix).order_by("pk")
    return [(e.action, e.actor_label, e.target, e.detail, e.ip_address) for e in found]


def test_catalog_edits_are_recorded_with_who_and_from_where(practice):
    owner = client_for(person(practice, Role.CATALOG_ADMIN, "cat"))
    offer = {
        "key": "calm-course",
        "name": "Calm",
        "kind": "core",
        "price": "97",
        "accept_label": "Yes",
        "status": "active",
    }
    assert owner.post("/offers/new/", offer, **FROM).status_code == 302
    assert (
        owner.post("/offers/calm-course/edit/", {**offer, "price": "99", "name": "Calm course"}, **FROM).status_code
        == 302
    )
    owner.post("/offers/calm-course/edit/", {**offer, "price": "99", "name": "Calm course"}, **FROM)  # no change
    assert owner.post("/offers/calm-course/archive/", **FROM).status_code == 302
    assert owner.post("/offers/calm-course/delete/", **FROM).status_code == 302
    assert rows(practice, "offer.") == [
        ("offer.created", "cat", "calm-course", {}, "203.0.113.42"),
        ("offer.updated", "cat", "calm-course", {"changed": ["name", "price"]}, "203.0.113.42"),
        ("offer.archived", "cat", "calm-course", {}, "203.0.113.42"),
        ("offer.deleted", "cat", "calm-course", {}, "203.0.113.42"),
    ]


def test_an_offer_still_in_use_is_not_deleted_and_nothing_is_recorded(practice):
    make_offer(practice, key="calm-course", kind="core", price="97")
    Funnel.objects.create(
        practice=practice, name="F", slug="f", currency="USD", core_offer=Offer.objects.get(key="calm-course")
    )
    client_for(person(practice)).post("/offers/calm-course/delete/")
    assert rows(practice, "offer.deleted") == []


def test_imports_in_the_browser_and_from_the_command_line_are_recorded(practice):
    coach = client_for(person(practice, Role.COACH, "cora"))
    page = coach.post(
        "/funnels/import/", {"file": SimpleUploadedFile("f.json", CLASSIC.read_bytes(), "application/json")}, **FROM
    )
    document = page.context["document"]
    assert (
        coach.post("/funnels/import/", {"document": document, "slug": "", "file_name": "f.json"}, **FROM).status_code
        == 303
    )
    call_command("funnel", "import", str(CLASSIC), "--practice", practice.slug, "--slug", "again", stdout=StringIO())
    imported = rows(practice, "funnel.imported")
    assert [(a, who, ip) for a, who, _, _, ip in imported] == [
        ("funnel.imported", "cora", "203.0.113.42"),
        ("funnel.imported", "command line", None),
    ]
    assert sorted(imported[0][3]["offers_created"]) == [
        "breath-cards",
        "calm-course",
        "one-call",
        "sleep-audio",
        "three-calls",
    ]
    assert imported[1][3] == {"slug": "again", "offers_created": []}


def test_a_funnel_delete_is_recorded(practice):
    coach = client_for(person(practice, Role.COACH, "cora"))
    coach.post("/funnels/new/", {"source": "demo", "demo": "calm-classic.json"})
    funnel = Funnel.objects.get(practice=practice)
    assert coach.post(f"/funnels/{funnel.slug}/delete/", {"version": "1"}, **FROM).status_code == 302
    assert rows(practice, "funnel.deleted") == [
        (
            "funnel.deleted",
            "cora",
            "Calm course: classic",
            {"slug": funnel.slug, "steps": 4, "trash": True},
            "203.0.113.42",
        )
    ]


def test_membership_changes_are_recorded(practice):
    olive = person(practice, Role.OWNER, "olive")
    cora = Membership.objects.get(user=person(practice, Role.COACH, "cora"))
    owner = client_for(olive)
    owner.post("/accounts/members/invite/", {"email": "sam@example.com", "role": "viewer"}, **FROM)
    invitation = practice.invitations.get()
    owner.post(f"/accounts/invitations/{invitation.pk}/send-again/", **FROM)
    owner.post(f"/accounts/invitations/{invitation.pk}/withdraw/", **FROM)
    owner.post(f"/accounts/members/{cora.pk}/role/", {"role": "viewer"}, **FROM)
    owner.post(f"/accounts/members/{cora.pk}/remove/", **FROM)
    assert rows(practice, "member.") == [
        ("member.invited", "olive", "sam@example.com", {"role": "viewer"}, "203.0.113.42"),
        ("member.invitation_resent", "olive", "sam@example.com", {}, "203.0.113.42"),
        ("member.invitation_revoked", "olive", "sam@example.com", {}, "203.0.113.42"),
        ("member.role_changed", "olive", "cora", {"from": "coach", "to": "viewer"}, "203.0.113.42"),
        ("member.removed", "olive", "cora", {"role": "viewer"}, "203.0.113.42"),
    ]


def test_a_new_practice_is_recorded_with_its_owner(db):
    load_demo()
    demo = AuditEvent.objects.filter(action="practice.created").get()
    assert demo.actor_label == "system"
    client = client_for(person(None, username="lonely"))
    client.post("/accounts/practices/new/", {"name": "Lonely No More", "currency": "USD"})
    made = AuditEvent.objects.filter(action="practice.created", actor__username="lonely").get()
    assert made.practice.name == "Lonely No More"


def test_the_owner_reads_the_trail_as_sentences_newest_first(practice):
    olive = person(practice, Role.OWNER, "olive")
    cora = Membership.objects.get(user=person(practice, Role.COACH, "cora"))
    owner = client_for(olive)
    owner.post(f"/accounts/members/{cora.pk}/role/", {"role": "viewer"}, **FROM)
    client_for(cora.user).post("/accounts/sign-in/", {})  # nothing recorded without a username
    page = owner.get("/accounts/audit/").content.decode()
    assert "<strong>olive</strong> changed the role of <q>cora</q>" in page
    assert "(from coach to viewer)" in page and "<code>203.0.113.42</code>" in page
    assert page.index("changed the role of") < page.index("created the practice")


def test_another_practices_trail_is_never_shown(practice):
    elsewhere = make_practice()
    make_offer(elsewhere, key="secret-offer", kind="core", price="5")
    page = client_for(person(practice)).get("/accounts/audit/").content.decode()
    assert "secret-offer" not in page and elsewhere.name not in page


def test_the_trail_comes_fifty_to_a_page(practice):
    for n in range(60):
        make_offer(practice, key=f"o-{n}", kind="core", price="5")
    client = client_for(person(practice))
    first = client.get("/accounts/audit/").content.decode()
    assert "Page 1 of 2" in first and first.count("data-action=") == 50 and "o-59" in first
    second = client.get("/accounts/audit/?page=2").content.decode()
    assert second.count("data-action=") == 11 and "created the practice" in second
    assert client.get("/accounts/audit/?page=\x00").status_code == 200
