"""What the editor page shows (funnels.presenters.editor): the edge selects' options, built in Python for speed and
still escaping every name; and the rows, choices, findings and figures built from a loaded funnel."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from funnels.domain.plan import Stage
from funnels.models import FunnelStep
from funnels.presenters.editor import Refusal, editor_context, escaped_targets, step_anchor, target_options
from funnels.selectors import funnel_load
from funnels.services.editing import funnel_create, funnel_step_add
from offers.selectors import offer_list
from tests.factories import make_offer, make_primer_funnel


def test_options_escape_names_and_keys_and_mark_the_selected_one():
    options = escaped_targets([("up1", '<script>alert(1)</script> "Calls"'), ("down1", "One & only call")])
    html = target_options(options, own="nobody", selected="down1")
    assert html == (
        '<option value="up1">&lt;script&gt;alert(1)&lt;/script&gt; &quot;Calls&quot;</option>'
        '<option value="down1" selected>One &amp; only call</option>'
    )


def test_a_step_is_not_offered_as_its_own_target():
    options = escaped_targets([("up1", "Calls"), ("down1", "Call")])
    assert target_options(options, own="up1", selected="") == '<option value="down1">Call</option>'


# -- the page's parts, from a loaded funnel ----------------------------------------------------------------------


def member(can_edit: bool = True) -> SimpleNamespace:
    """What ``editor_context`` reads of a request: whether the member may change funnels."""
    return SimpleNamespace(workspace=SimpleNamespace(can_edit_funnels=can_edit))


def page(practice, funnel, *, can_edit: bool = True, **options) -> dict[str, object]:
    funnel.refresh_from_db()
    catalog = list(offer_list(practice=practice))
    return editor_context(member(can_edit), funnel_load(practice=practice, funnel=funnel), catalog, **options)


def choices(options) -> list[tuple[str, str]]:
    return [(o.value, o.label) for o in options]


@pytest.fixture
def primer_funnel(practice, primer_catalog):
    """The primer's example: the $97 course, then the $300 three-call upsell taken by 20% (version 2)."""
    funnel = funnel_create(practice=practice, name="Calm", slug="calm", core_offer=primer_catalog["course"])
    funnel_step_add(
        funnel=funnel, expected_version=1, offer=primer_catalog["calls"], slot="one_click", key="up1", take_rate="0.2"
    )
    return funnel


def test_step_anchors_name_the_column_except_after_payment():
    assert step_anchor(Stage.POST_PURCHASE, "up1") == "step-up1"
    assert step_anchor(Stage.CHECKOUT, "breath-cards") == "step-checkout-breath-cards"
    assert step_anchor(Stage.THANK_YOU, "sleep-audio") == "step-thank-you-sleep-audio"


@pytest.mark.django_db
def test_the_primers_figures_show_157_dollars(practice, primer_funnel):
    figures = page(practice, primer_funnel)["figures"]
    # AOV = 97 + 0.2·300; a point more of take rate adds 300 / 100
    assert (figures.aov, figures.revenue_per_buyer, figures.uplift, figures.uplift_ratio) == (
        "$157.00",
        "$157.00",
        "$60.00",
        "61.9%",
    )
    assert (figures.core_price, figures.thank_you_revenue) == ("$97.00", "$0.00")
    [up1] = figures.steps
    assert (up1.key, up1.anchor, up1.href, up1.name, up1.where) == (
        "up1",
        "step-up1",
        "#step-up1",
        "Three 1-on-1 coaching calls",
        "After payment",
    )
    assert (up1.take_rate, up1.reach, up1.expected, up1.sensitivity, up1.per_point) == (
        "20%",
        "100%",
        "$60.00",
        "$300.00",
        "+$3.00",
    )
    assert (up1.expected_bar, up1.sensitivity_bar, figures.expected_max, figures.sensitivity_max) == (
        "60.00",
        "300.00",
        "60.00",
        "300.00",
    )


@pytest.mark.django_db
def test_the_primers_rows_and_add_choices(practice, primer_funnel):
    context = page(practice, primer_funnel)
    assert (context["version"], context["can_edit"], context["uncomputable"], context["findings"]) == (2, True, "", [])
    assert context["core"] == {
        "key": "calm-course",
        "name": "Calm Your Nervous System",
        "price": "$97.00",
        "anchor": "step-checkout-calm-course",
        "error": "",
    }
    assert choices(context["core_choices"]) == [("calm-course", "Calm Your Nervous System — $97.00")]
    [row] = context["one_click"]
    assert (row.key, row.anchor, row.column, row.name, row.kind_label, row.primer_words, row.price) == (
        "up1",
        "step-up1",
        "post-purchase",
        "Three 1-on-1 coaching calls",
        "Upsell",
        "go bigger",
        "$300.00",
    )
    # the typed 20% in the input; 14.54% is what a blank input would leave in force for this upsell
    assert (row.take_rate_input, row.default_rate, row.rate_in_force) == ("20", "14.54", "20%")
    assert (row.first, row.last, row.is_start, row.accept_name, row.decline_name) == (
        True,
        True,
        True,
        "the thank-you page",
        "the thank-you page",
    )
    assert (row.accept_options, row.decline_options) == ("", "")  # no other step to lead to
    assert (context["bumps"], context["checkout_cross_sells"], context["thank_you"]) == ([], [], [])
    assert [(label, choices(group)) for label, group in context["add_bump"].groups] == [
        ("Order bump: a quick yes-or-no at the till", [("breath-cards", "Printable breathing cards — $19.00")])
    ]
    assert [(label, choices(group)) for label, group in context["add_one_click"].groups] == [
        ("Upsell: go bigger", [("three-calls", "Three 1-on-1 coaching calls — $300.00")]),
        ("Downsell: go smaller", [("one-call", "One coaching call — $120.00")]),
        ("Cross-sell: go sideways", [("sleep-audio", "Sleep wind-down audio series — $29.00")]),
    ]
    assert choices(context["add_one_click"].after) == [
        ("up1:on_accept", 'If they accept "Three 1-on-1 coaching calls" (up1)'),
        ("up1:on_decline", 'If they decline "Three 1-on-1 coaching calls" (up1)'),
    ]
    assert choices(context["targets"]) == [("up1", "Three 1-on-1 coaching calls (up1)")]


@pytest.mark.django_db
def test_the_downsell_on_the_decline_edge_is_selected_and_named(practice, primer_catalog):
    funnel, _, _ = make_primer_funnel(practice, primer_catalog)
    context = page(practice, funnel)
    up1, down1 = context["one_click"]
    assert (up1.on_decline, up1.decline_name, up1.on_accept) == ("down1", "One coaching call", "")
    assert up1.decline_options == '<option value="down1" selected>One coaching call (down1)</option>'
    assert up1.accept_options == '<option value="down1">One coaching call (down1)</option>'
    assert (up1.first, up1.last, down1.first, down1.last, down1.is_start) == (True, False, False, True, False)
    assert context["figures"].aov == "$171.40"  # 97 + 0.2·300 + 0.8·0.15·120


@pytest.mark.django_db
def test_a_loop_has_its_finding_linked_to_the_step_and_no_figures(practice, primer_catalog):
    funnel, up1, _ = make_primer_funnel(practice, primer_catalog)
    FunnelStep.objects.filter(funnel=funnel, key="down1").update(on_decline=up1)  # past the editor, which refuses it
    context = page(practice, funnel)
    assert context["figures"] is None
    assert context["uncomputable"].startswith("The post-purchase flow loops (up1 → down1 → up1)")
    [item] = context["findings"]
    assert (item.severity, item.label, item.code, item.href, item.where) == (
        "error",
        "Error",
        "cycle",
        "#step-up1",
        "After payment · up1",
    )
    assert (context["error_count"], context["warning_count"]) == (1, 0)


@pytest.mark.django_db
def test_a_refused_edit_shows_its_message_and_what_was_typed_in_its_place(practice, primer_funnel):
    typed = Refusal(control="take-rate:step-up1", message="Enter a percent such as 15.", entered={"take_rate": "abc"})
    [row] = page(practice, primer_funnel, refusal=typed)["one_click"]
    assert (row.take_rate_error, row.take_rate_input, row.edges_error) == ("Enter a percent such as 15.", "abc", "")
    refused_add = Refusal(control="add:bump", message="Choose an order bump.", entered={"offer": "nope"})
    context = page(practice, primer_funnel, refusal=refused_add)
    assert (context["add_bump"].error, context["add_bump"].entered) == ("Choose an order bump.", {"offer": "nope"})
    assert (context["add_one_click"].error, context["add_one_click"].entered) == ("", {})


@pytest.mark.django_db
def test_draft_offers_say_so_and_readers_get_no_forms(practice, primer_funnel):
    make_offer(practice, key="journal", kind="order_bump", price="27", name="Calm journal", status="draft")
    context = page(practice, primer_funnel, can_edit=False)
    assert context["can_edit"] is False
    [(_, bumps)] = context["add_bump"].groups
    assert choices(bumps) == [  # the catalog's order: by name
        ("journal", "Calm journal — $27.00 (draft)"),
        ("breath-cards", "Printable breathing cards — $19.00"),
    ]
