"""What a catalog change does to the funnels that use the offer: the preview (before → after, nothing written)
and the apply (their versions move in the catalog's transaction, so a stale editor is refused)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funnels.models import Funnel, FunnelVersion
from funnels.selectors import funnel_plan
from funnels.services.editing import StaleFunnel, funnel_create, funnel_step_add, funnel_step_set_take_rate
from offers.impact import FunnelsChanged, catalog_impact
from offers.models import Offer, OfferStatus
from offers.services import offer_archive, offer_archive_preview, offer_update, offer_update_preview
from tests.factories import make_offer, make_practice, make_primer_catalog, make_primer_funnel

pytestmark = pytest.mark.django_db

DOWNSELL_NOT_SMALLER = (
    'The downsell "One coaching call" costs $120.00, which is not less than the $100.00 of the upsell '
    '"Three 1-on-1 coaching calls" it follows when declined.'
)


@pytest.fixture
def funnels(practice, primer_catalog):
    """Calm (course → calls 20% → call 15% on decline, version 3), Calm lite (course → calls 20%, version 2),
    and Sleep (another core, no calls: untouched by a change to the calls)."""
    calm, up, _ = make_primer_funnel(practice, primer_catalog)
    lite = funnel_create(practice=practice, name="Calm lite", core_offer=primer_catalog["course"])
    funnel_step_add(funnel=lite, expected_version=1, offer=primer_catalog["calls"], slot="one_click", take_rate="0.2")
    sleep_core = make_offer(practice, key="sleep-course", kind="core", price="49", name="Sleep course")
    sleep = funnel_create(practice=practice, name="Sleep", core_offer=sleep_core)
    return {"calm": calm, "lite": lite, "sleep": sleep}


def version_of(funnel: Funnel) -> int:
    return Funnel.objects.get(pk=funnel.pk).version


# -- the preview ---------------------------------------------------------------------------------------------


def test_a_price_cut_lists_each_funnel_using_the_offer_with_its_new_errors_and_aov(practice, primer_catalog, funnels):
    # when the $300 three calls would cost $100, below the $120 downsell that follows their decline
    proposal = offer_update_preview(practice=practice, offer=primer_catalog["calls"], price="100")
    # then both funnels that show the calls are listed, by name, and the one without them is not
    assert [i.name for i in proposal.impacts] == ["Calm", "Calm lite"]
    calm, lite = proposal.impacts
    assert calm.new_errors == (DOWNSELL_NOT_SMALLER,)
    assert (calm.errors_before, calm.errors_after) == (0, 1)
    # 97 + 0.2·300 + 0.8·0.15·120 = 171.40, and with the calls at $100: 97 + 20 + 14.40 = 131.40
    assert (calm.aov_before_text, calm.aov_after_text) == ("$171.40", "$131.40")
    assert lite.new_errors == () and (lite.aov_before_text, lite.aov_after_text) == ("$157.00", "$117.00")
    assert proposal.versions == {"calm": 3, "calm-lite": 2}
    assert proposal.needs_confirmation
    # nothing was written
    assert Offer.objects.get(pk=primer_catalog["calls"].pk).price == Decimal("300")
    assert primer_catalog["calls"].price == Decimal("300")
    assert (version_of(funnels["calm"]), version_of(funnels["lite"])) == (3, 2)


def test_a_kind_change_shows_the_timing_error_it_brings(practice, primer_catalog, funnels):
    proposal = offer_update_preview(practice=practice, offer=primer_catalog["calls"], kind="order_bump")
    calm = proposal.impacts[0]
    assert any(
        message.startswith('"Three 1-on-1 coaching calls" is an order bump, but it is shown after payment')
        for message in calm.new_errors
    )
    assert calm.errors_after > calm.errors_before


def test_a_price_rise_that_clears_nothing_and_adds_nothing_still_lists_the_moved_aov(practice, primer_catalog, funnels):
    calm = offer_update_preview(practice=practice, offer=primer_catalog["calls"], price="350").impacts[0]
    assert calm.new_errors == calm.new_warnings == calm.gone == ()
    assert (calm.aov_before_text, calm.aov_after_text) == ("$171.40", "$181.40")
    assert not calm.changes_nothing_shown


def test_topics_that_share_nothing_bring_the_unrelated_warning(practice, primer_catalog, funnels):
    lite = offer_update_preview(practice=practice, offer=primer_catalog["calls"], topics=["marketing"]).impacts[1]
    assert lite.name == "Calm lite"
    assert [m for m in lite.new_warnings if "shares no topic" in m]
    assert lite.aov_changes is False and (lite.warnings_before, lite.warnings_after) == (0, 1)


def test_name_and_words_ask_nothing_of_the_funnels(practice, primer_catalog, funnels):
    proposal = offer_update_preview(
        practice=practice, offer=primer_catalog["calls"], name="Three calls", body="Three 1-on-1 calls."
    )
    assert proposal.impacts == [] and not proposal.needs_confirmation
    assert set(proposal.changes) == {"name", "body"}


def test_an_unused_offer_asks_nothing(practice, primer_catalog, funnels):
    assert offer_update_preview(practice=practice, offer=primer_catalog["audio"], price="5").impacts == []


def test_draft_and_active_are_not_the_funnels_concern_but_archiving_is(practice, primer_catalog, funnels):
    calls = primer_catalog["calls"]
    assert offer_update_preview(practice=practice, offer=calls, status=OfferStatus.DRAFT).impacts == []
    archived = offer_update_preview(practice=practice, offer=calls, status=OfferStatus.ARCHIVED)
    assert [i.name for i in archived.impacts] == ["Calm", "Calm lite"]
    assert archived.impacts[0].new_warnings == (
        '"Three 1-on-1 coaching calls" is archived in the catalog, taken off sale, yet this funnel still shows it '
        "after payment.",
    )
    assert offer_archive_preview(practice=practice, offer=calls).impacts == archived.impacts


def test_another_practices_funnels_never_appear(practice, primer_catalog, funnels):
    other = make_practice()
    theirs = make_primer_catalog(other)
    make_primer_funnel(other, theirs)
    assert [
        i.name for i in offer_update_preview(practice=practice, offer=primer_catalog["calls"], price="1").impacts
    ] == [
        "Calm",
        "Calm lite",
    ]
    assert offer_update_preview(practice=other, offer=theirs["calls"], price="1").versions == {"calm": 3}


def test_the_funnel_of_an_upgrade_is_listed_when_what_it_upgrades_changes(practice):
    # given a funnel on the deep course whose upsell is the $147 upgrade of the $97 course (not itself in it)
    offers = make_primer_catalog(practice, "course", "plus")
    deep = make_offer(practice, key="calm-deep", kind="core", price="197", topics=["anxiety"], name="Calm, deep")
    funnel = funnel_create(practice=practice, name="Deep", core_offer=deep)
    funnel_step_add(funnel=funnel, expected_version=1, offer=offers["plus"], slot="one_click", take_rate="0.1")
    # when the course it upgrades would cost $200, more than the upgrade
    [impact] = offer_update_preview(practice=practice, offer=offers["course"], price="200").impacts
    # then
    assert impact.name == "Deep"
    assert any("upgrades" in message and "$200.00" in message for message in impact.new_errors)


def test_a_newly_chosen_upgrade_is_checked_against_what_it_would_upgrade(practice, primer_catalog, funnels):
    # the three calls set up as an upgrade of the $120 one call: on Calm lite nobody owns the one call first
    lite = offer_update_preview(
        practice=practice, offer=primer_catalog["calls"], replaces=primer_catalog["call"]
    ).impacts[1]
    assert any("upgrades" in message for message in lite.new_errors)


def test_the_preview_costs_the_same_queries_for_two_funnels_and_for_twelve(practice, primer_catalog, funnels):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            offer_update_preview(practice=practice, offer=primer_catalog["calls"], price="100")
        return len(queries)

    two = count()
    for n in range(10):
        more = funnel_create(practice=practice, name=f"More {n}", core_offer=primer_catalog["course"])
        funnel_step_add(funnel=more, expected_version=1, offer=primer_catalog["calls"], slot="one_click")
    assert count() == two


# -- the apply -------------------------------------------------------------------------------------------------


def test_a_change_moves_every_funnel_using_the_offer_in_one_update_and_an_old_editor_is_refused(
    practice, primer_catalog, funnels
):
    calm = funnels["calm"]
    with CaptureQueriesContext(connection) as queries:
        offer_update(offer=primer_catalog["calls"], price="350")
    bumps = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "funnels_funnel"')]
    assert len(bumps) == 1
    assert (version_of(calm), version_of(funnels["lite"]), version_of(funnels["sleep"])) == (4, 3, 1)
    # an editor that loaded Calm at version 3 is refused
    step = calm.steps.get(key="up1")
    with pytest.raises(StaleFunnel):
        funnel_step_set_take_rate(funnel=calm, expected_version=3, step=step, take_rate="0.3")
    assert funnel_plan(practice=practice, funnel=calm).offer("three-calls").price == Decimal("350")


def test_each_moved_funnel_keeps_the_change_in_its_history(practice, primer_catalog, funnels):
    offer_update(offer=primer_catalog["calls"], price="350")
    latest = FunnelVersion.objects.filter(funnel=funnels["calm"]).order_by("-number").first()
    assert latest is not None and latest.number == 4
    assert latest.summary == 'price of "Three 1-on-1 coaching calls" $300.00 → $350.00 in the catalog'
    assert latest.aov == Decimal("181.40")


def test_names_and_words_move_no_version(practice, primer_catalog, funnels):
    offer_update(offer=primer_catalog["calls"], name="Three calls", headline="Talk it through")
    assert (version_of(funnels["calm"]), version_of(funnels["lite"])) == (3, 2)


def test_a_confirmation_for_versions_that_moved_writes_nothing(practice, primer_catalog, funnels):
    shown = offer_update_preview(practice=practice, offer=primer_catalog["calls"], price="100").versions
    # another tab edits Calm meanwhile
    calm = funnels["calm"]
    funnel_step_set_take_rate(funnel=calm, expected_version=3, step=calm.steps.get(key="up1"), take_rate="0.3")
    calls = primer_catalog["calls"]
    with pytest.raises(FunnelsChanged):
        offer_update(offer=calls, price="100", expected_versions=shown)
    assert Offer.objects.get(pk=calls.pk).price == Decimal("300") and calls.price == Decimal("300")
    assert (version_of(calm), version_of(funnels["lite"])) == (4, 2)


def test_a_funnel_that_began_using_the_offer_since_counts_as_a_change(practice, primer_catalog, funnels):
    shown = offer_update_preview(practice=practice, offer=primer_catalog["audio"], price="39").versions
    assert shown == {}
    funnel_step_add(
        funnel=funnels["sleep"], expected_version=1, offer=primer_catalog["audio"], slot="cross_sell", stage="thank_you"
    )
    with pytest.raises(FunnelsChanged):
        offer_update(offer=primer_catalog["audio"], price="39", expected_versions=shown)


def test_archiving_moves_the_versions_and_the_funnels_then_warn(practice, primer_catalog, funnels):
    offer_archive(offer=primer_catalog["calls"], expected_versions={"calm": 3, "calm-lite": 2})
    assert (version_of(funnels["calm"]), version_of(funnels["lite"]), version_of(funnels["sleep"])) == (4, 3, 1)
    plan = funnel_plan(practice=practice, funnel=funnels["lite"])
    assert plan.offer("three-calls").archived is True
    latest = FunnelVersion.objects.filter(funnel=funnels["lite"]).order_by("-number").first()
    assert latest is not None and latest.summary == '"Three 1-on-1 coaching calls" archived in the catalog'
    assert latest.warning_count == 1


def test_the_catalog_on_its_own_asks_nobody(practice, primer_catalog, funnels, monkeypatch):
    from offers import impact

    monkeypatch.setattr(impact, "_registered", [])
    assert offer_update_preview(practice=practice, offer=primer_catalog["calls"], price="100").impacts == []
    assert type(catalog_impact()).__name__ == "_NoFunnels"
