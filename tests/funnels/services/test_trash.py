"""The trash: a deleted funnel is kept and listed nowhere else, restorable with its history, its slug kept; purging
removes it for good, and ``purge_trash`` removes what has expired."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent
from funnels.models import Funnel, FunnelStep, FunnelVersion
from funnels.selectors import (
    FunnelNotFound,
    funnel_get,
    funnel_list,
    funnel_load_all,
    funnel_slugs_taken,
    funnel_trash,
)
from funnels.services.editing import FunnelEditError, funnel_create, funnel_delete
from funnels.services.trash import funnel_purge, funnel_untrash, trash_empty, trash_expires_at, trash_purge_expired
from offers.models import Offer
from tests.factories import make_practice, make_primer_catalog, make_primer_funnel

pytestmark = pytest.mark.django_db


def test_a_deleted_funnel_is_in_the_trash_and_nowhere_else(practice, primer_catalog, settings):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_delete(funnel=funnel, expected_version=3)
    assert list(funnel_trash(practice=practice)) == [funnel]
    assert not funnel_list(practice=practice).exists() and funnel_load_all(practice=practice) == []
    with pytest.raises(FunnelNotFound):
        funnel_get(practice=practice, slug=funnel.slug)
    settings.FUNNEL_TRASH_DAYS = 30
    kept = Funnel.objects.get(pk=funnel.pk)
    assert trash_expires_at(kept) == kept.deleted_at + timedelta(days=30)
    assert FunnelStep.objects.filter(funnel=funnel).count() == 2  # kept as it was


def test_a_trashed_funnels_slug_stays_taken_so_a_new_one_gets_a_suffix(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_delete(funnel=funnel, expected_version=3)
    assert funnel.slug in funnel_slugs_taken(practice=practice, prefix="calm")
    again = funnel_create(practice=practice, name="Calm", core_offer=primer_catalog["course"])
    assert again.slug == "calm-2"


def test_restoring_from_the_trash_brings_it_back_with_its_history(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_delete(funnel=funnel, expected_version=3)
    funnel_untrash(funnel=Funnel.objects.get(pk=funnel.pk))
    back = funnel_get(practice=practice, slug="calm")
    assert back.version == 5 and back.deleted_at is None
    assert list(FunnelVersion.objects.filter(funnel=funnel).order_by("number").values_list("summary", flat=True))[
        -2:
    ] == [
        "moved the funnel to the trash",
        "took the funnel back out of the trash",
    ]
    with pytest.raises(FunnelEditError, match="not in the trash"):
        funnel_untrash(funnel=back)


def test_purging_removes_the_funnel_its_steps_and_versions_and_keeps_the_offers(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    with pytest.raises(FunnelEditError, match="not in the trash"):
        funnel_purge(funnel=funnel)
    funnel_delete(funnel=funnel, expected_version=3)
    funnel_purge(funnel=Funnel.objects.get(pk=funnel.pk))
    assert not Funnel.objects.filter(pk=funnel.pk).exists()
    assert not FunnelVersion.objects.filter(funnel_id=funnel.pk).exists() and not FunnelStep.objects.exists()
    assert Offer.objects.filter(practice=practice).count() == 5
    event = AuditEvent.objects.filter(practice=practice).order_by("-pk").first()
    assert event.detail["purged"] is True and event.target == "Calm"


def test_emptying_the_trash_purges_only_this_practices_trash(practice, primer_catalog):
    mine, _, _ = make_primer_funnel(practice, primer_catalog)
    kept = funnel_create(practice=practice, name="Kept", core_offer=primer_catalog["course"])
    other_practice = make_practice()
    theirs, _, _ = make_primer_funnel(other_practice, make_primer_catalog(other_practice))
    funnel_delete(funnel=mine, expected_version=3)
    funnel_delete(funnel=theirs, expected_version=3)
    assert trash_empty(practice=practice) == 1
    assert set(Funnel.objects.values_list("pk", flat=True)) == {kept.pk, theirs.pk}


def test_purge_trash_removes_only_what_has_expired(practice, primer_catalog, settings):
    settings.FUNNEL_TRASH_DAYS = 30
    old, _, _ = make_primer_funnel(practice, primer_catalog)
    recent = funnel_create(practice=practice, name="Recent", core_offer=primer_catalog["course"])
    funnel_delete(funnel=old, expected_version=3)
    funnel_delete(funnel=recent, expected_version=1)
    Funnel.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - timedelta(days=31))
    out = StringIO()
    call_command("purge_trash", "--dry-run", stdout=out)
    assert (
        f"{practice.slug}/calm: in the trash since" in out.getvalue() and "1 funnel would be removed." in out.getvalue()
    )
    assert Funnel.objects.filter(pk=old.pk).exists()
    call_command("purge_trash", stdout=out)
    assert "Removed 1 funnel from the trash for good." in out.getvalue()
    assert list(Funnel.objects.values_list("pk", flat=True)) == [recent.pk]
    assert trash_purge_expired() == 0
