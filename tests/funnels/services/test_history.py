"""record_version: every kind of edit keeps one version with its summary in the product's words; consecutive edits
of one field by one person fold; the rows and queries an edit costs are pinned."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.audit import COMMAND_LINE, SYSTEM, Actor
from funnels.interchange.snapshots import unpack_text
from funnels.models import Funnel, FunnelVersion
from funnels.selectors import funnel_plan
from funnels.services.editing import (
    claim_version,
    funnel_delete,
    funnel_start_set,
    funnel_step_add,
    funnel_step_move,
    funnel_step_remove,
    funnel_step_set_edges,
    funnel_step_set_take_rate,
    funnel_steps_reorder,
    funnel_update,
)
from funnels.services.history import folded_summary, record_version
from funnels.services.transfer import funnel_duplicate, funnel_export, funnel_import
from tests.factories import make_primer_funnel

pytestmark = pytest.mark.django_db


def summaries(funnel: Funnel) -> list[str]:
    return list(FunnelVersion.objects.filter(funnel=funnel).order_by("number").values_list("summary", flat=True))


def latest(funnel: Funnel) -> FunnelVersion:
    return FunnelVersion.objects.filter(funnel=funnel).order_by("-number").first()


@pytest.fixture
def maya(db):  # type: ignore[no-untyped-def]
    return Actor(user=get_user_model().objects.create_user(username="maya"), ip="192.0.2.1")


def test_creating_and_adding_steps_each_keep_a_version_in_the_products_words(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    assert summaries(funnel) == [
        "created the funnel with Calm Your Nervous System as its core offer",
        "added Three 1-on-1 coaching calls after payment",
        "added One coaching call after payment, where buyers who decline Three 1-on-1 coaching calls go",
    ]
    versions = list(FunnelVersion.objects.filter(funnel=funnel).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.aov for v in versions] == [Decimal("97.00"), Decimal("157.00"), Decimal("171.40")]
    assert all(v.actor_label == "system" and v.actor is None for v in versions)


def test_the_snapshot_is_the_funnels_export_byte_for_byte(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    assert unpack_text(latest(funnel).snapshot) == funnel_export(practice=practice, funnel=funnel)


@pytest.mark.parametrize(
    ("edit", "summary"),
    [
        (
            lambda f, up, down, c: funnel_step_set_take_rate(funnel=f, expected_version=3, step=up, take_rate="0.25"),
            "take rate of Three 1-on-1 coaching calls 20% → 25%",
        ),
        (
            lambda f, up, down, c: funnel_step_set_take_rate(funnel=f, expected_version=3, step=down, take_rate=None),
            "take rate of One coaching call 15% → the default",
        ),
        (
            lambda f, up, down, c: funnel_step_set_edges(
                funnel=f, expected_version=3, step=up, on_accept=down, on_decline=None
            ),
            "accept of Three 1-on-1 coaching calls: the thank-you page → One coaching call; "
            "decline of Three 1-on-1 coaching calls: One coaching call → the thank-you page",
        ),
        (
            lambda f, up, down, c: funnel_start_set(funnel=f, expected_version=3, step=down),
            "first offer after payment Three 1-on-1 coaching calls → One coaching call",
        ),
        (
            lambda f, up, down, c: funnel_start_set(funnel=f, expected_version=3, step=None),
            "first offer after payment Three 1-on-1 coaching calls → the thank-you page",
        ),
        (
            lambda f, up, down, c: funnel_step_remove(funnel=f, expected_version=3, step=down),
            "removed One coaching call after payment; 1 answer that led to it now go to the thank-you page",
        ),
        (
            lambda f, up, down, c: funnel_steps_reorder(
                funnel=f, expected_version=3, stage="post_purchase", keys=["down1", "up1"]
            ),
            "put the offers after payment in a new order: One coaching call, Three 1-on-1 coaching calls",
        ),
        (
            lambda f, up, down, c: funnel_step_move(funnel=f, expected_version=3, step=down, direction="up"),
            "moved One coaching call up after payment",
        ),
        (
            lambda f, up, down, c: funnel_step_add(funnel=f, expected_version=3, offer=c["cards"], slot="bump"),
            "added Printable breathing cards as an order bump at the checkout",
        ),
        (
            lambda f, up, down, c: funnel_step_add(
                funnel=f, expected_version=3, offer=c["audio"], slot="cross_sell", stage="thank_you"
            ),
            "added Sleep wind-down audio series on the thank-you page",
        ),
        (
            lambda f, up, down, c: funnel_update(funnel=f, expected_version=3, name="Calm, renamed"),
            "name Calm → Calm, renamed",
        ),
        (
            lambda f, up, down, c: funnel_update(funnel=f, expected_version=3, status="live"),
            "status Draft → Live",
        ),
        (
            lambda f, up, down, c: funnel_delete(funnel=f, expected_version=3),
            "moved the funnel to the trash",
        ),
    ],
    ids=[
        "take-rate",
        "take-rate-default",
        "edges",
        "start",
        "start-none",
        "remove",
        "reorder",
        "move",
        "bump",
        "thank-you",
        "rename",
        "status",
        "delete",
    ],
)
def test_each_kind_of_edit_writes_exactly_one_version_with_its_summary(practice, primer_catalog, edit, summary):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    before = FunnelVersion.objects.count()
    edit(funnel, up, down, primer_catalog)
    assert FunnelVersion.objects.count() == before + 1
    version = latest(funnel)
    assert version.number == Funnel.objects.get(pk=funnel.pk).version == 4
    assert version.summary == summary


def test_the_core_offer_change_names_both_offers(practice, primer_catalog):
    from tests.factories import make_offer

    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    other = make_offer(practice, key="calm-live", kind="core", price="150", name="Calm, live")
    funnel_update(funnel=funnel, expected_version=3, core_offer=other)
    assert latest(funnel).summary == "core offer Calm Your Nervous System → Calm, live"


def test_import_and_duplicate_keep_a_first_version_with_who_did_it(practice, primer_catalog, maya):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    copy = funnel_duplicate(practice=practice, funnel=funnel, actor=maya)
    assert summaries(copy) == ["copied from Calm as it stood at version 3"]
    assert latest(copy).actor == maya.user and latest(copy).aov == Decimal("171.40")
    text = funnel_export(practice=practice, funnel=funnel)
    imported = funnel_import(practice=practice, raw=text, slug="again", actor=COMMAND_LINE).funnel
    assert summaries(imported) == ["imported the funnel from a file"]
    assert latest(imported).actor_label == "command line"


def test_an_import_that_adds_offers_says_how_many(practice):
    from funnels.services.demo import DEMO_DIR

    funnel = funnel_import(practice=practice, raw=(DEMO_DIR / "calm-classic.json").read_text()).funnel
    assert summaries(funnel) == ["imported the funnel from a file, adding 5 offers to the catalog"]
    version = latest(funnel)
    assert (version.aov, version.revenue_per_buyer) == (Decimal("177.10"), Decimal("178.55"))


def test_the_counts_are_the_open_findings(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    # a downsell shown first, without an upsell's decline before it: an error
    funnel_start_set(funnel=funnel, expected_version=3, step=down)
    assert latest(funnel).error_count >= 1


# -- folding ----------------------------------------------------------------------------------------------------


def test_consecutive_edits_of_one_take_rate_by_one_person_fold_into_one_version(practice, primer_catalog, maya):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    for version, rate in ((3, "0.25"), (4, "0.3"), (5, "0.35")):
        funnel_step_set_take_rate(funnel=funnel, expected_version=version, step=up, take_rate=rate, actor=maya)
    rows = list(FunnelVersion.objects.filter(funnel=funnel).order_by("number"))
    assert [r.number for r in rows] == [1, 2, 3, 6]  # numbers skip where versions folded; they never repeat
    assert rows[-1].summary == "take rate of Three 1-on-1 coaching calls 20% → 35%"
    assert rows[-1].aov == Decimal("97") + Decimal("0.35") * 300 + Decimal("0.65") * Decimal("0.15") * 120
    assert json.loads(unpack_text(rows[-1].snapshot))["post_purchase"]["steps"][0]["take_rate"] == 0.35


def test_folding_stops_at_another_field_another_person_or_the_window(practice, primer_catalog, maya, settings):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.25", actor=maya)
    funnel_step_set_take_rate(funnel=funnel, expected_version=4, step=down, take_rate="0.2", actor=maya)  # other field
    funnel_step_set_take_rate(funnel=funnel, expected_version=5, step=down, take_rate="0.25", actor=SYSTEM)  # other one
    assert FunnelVersion.objects.filter(funnel=funnel).count() == 6
    # after the window, the same field by the same person starts a new version
    settings.FUNNEL_VERSION_FOLD_SECONDS = 60
    funnel_step_set_take_rate(funnel=funnel, expected_version=6, step=up, take_rate="0.3", actor=maya)
    FunnelVersion.objects.filter(funnel=funnel, number=7).update(created_at=timezone.now() - timedelta(seconds=61))
    funnel_step_set_take_rate(funnel=funnel, expected_version=7, step=up, take_rate="0.35", actor=maya)
    assert list(FunnelVersion.objects.filter(funnel=funnel).values_list("number", flat=True).order_by("number")) == [
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
    ]


def test_an_edit_without_a_fold_key_never_folds(practice, primer_catalog, maya):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_move(funnel=funnel, expected_version=3, step=down, direction="up", actor=maya)
    funnel_step_move(funnel=funnel, expected_version=4, step=down, direction="down", actor=maya)
    assert summaries(funnel)[-2:] == [
        "moved One coaching call up after payment",
        "moved One coaching call down after payment",
    ]


def test_folded_summaries_run_from_the_first_before_to_the_last_after():
    assert folded_summary("take rate of X 20% → 25%", "take rate of X 25% → 30%") == "take rate of X 20% → 30%"
    assert folded_summary("moved X up", "moved X up after payment") == "moved X up after payment"
    assert folded_summary("a 1 → 2; b 3 → 4", "a 2 → 5") == "a 2 → 5"


# -- what an edit costs -----------------------------------------------------------------------------------------


def test_rows_written_per_edit_are_pinned(practice, primer_catalog, maya, django_assert_num_queries):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    counts = []
    for version, rate in ((3, "0.25"), (4, "0.3")):
        before = FunnelVersion.objects.count()
        funnel_step_set_take_rate(funnel=funnel, expected_version=version, step=up, take_rate=rate, actor=maya)
        counts.append(FunnelVersion.objects.count() - before)
    assert counts == [1, 0]  # the first edit of a field adds one row; the next within the window folds into it
    # the whole edit: its savepoint and release, claim, write, then record_version's five (steps, offers,
    # acknowledgements, latest version, insert): one row whatever the funnel's size
    with django_assert_num_queries(9):
        funnel_step_set_take_rate(funnel=funnel, expected_version=5, step=down, take_rate="0.2", actor=maya)


def test_a_version_snapshot_reads_back_as_the_plan(practice, primer_catalog):
    from funnels.interchange.plans import plan_from_document
    from funnels.interchange.snapshots import unpack_document

    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    plan = plan_from_document(unpack_document(latest(funnel).snapshot))
    live = funnel_plan(practice=practice, funnel=funnel)
    assert [s.key for s in plan.steps] == [s.key for s in live.steps] and plan.start == live.start


def test_record_version_is_the_api_other_services_call_after_their_write(practice, primer_catalog, maya):
    from django.db import transaction

    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=3)
        Funnel.objects.filter(pk=funnel.pk).update(name="Calm, again")
        funnel.name = "Calm, again"
        version = record_version(funnel=funnel, actor=maya, summary="name Calm → Calm, again", fold_key="settings:name")
    assert (version.number, version.summary, version.actor) == (4, "name Calm → Calm, again", maya.user)
    assert json.loads(unpack_text(version.snapshot))["name"] == "Calm, again"
