"""What the editor page shows (funnels.presenters.editor, editor_rows, editor_choices, findings_panel): the
after-payment cards in flow order, the marks on each card, the kinds and choices a control offers, the figures
bar and the offer-by-offer figures, built from a loaded funnel.

The rules of order and choice are tested on plain values (no database); the page's parts on the primer's
funnel, loaded as the views load it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from funnels.domain.checks.findings import Finding, Severity
from funnels.domain.metrics import compute_metrics
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step
from funnels.forms import Place
from funnels.models import FunnelStep
from funnels.presenters.editor import SIDE_STEPS, editor_context, offer_names, shown_figures, step_anchor
from funnels.presenters.editor_choices import DRAFT, add_choices, core_choices, kinds_for, target_choices
from funnels.presenters.editor_rows import Answer, Refusal, finding_counts, flow_order
from funnels.selectors import funnel_load, funnel_steps
from funnels.services.editing import funnel_create, funnel_step_add
from offers.domain.copy.acknowledgement import Acknowledgement
from offers.domain.kinds import OfferKind
from offers.selectors import offer_list
from tests.factories import make_long_funnel, make_offer, make_primer_funnel

# -- the order of the after-payment cards (pure) ------------------------------------------------------------------


def rows(*spec: tuple[str, str | None, str | None]) -> list[SimpleNamespace]:
    """Steps as ``flow_order`` reads them, in the coach's order: (key, accept → key, decline → key)."""
    pks = {key: pk for pk, (key, _, _) in enumerate(spec, start=1)}
    return [
        SimpleNamespace(
            pk=pks[key],
            key=key,
            on_accept_id=pks.get(accept) if accept else None,
            on_decline_id=pks.get(decline) if decline else None,
        )
        for key, accept, decline in spec
    ]


def keys(steps) -> list[str]:
    return [s.key for s in steps]


def order_of(start: str | None, *spec: tuple[str, str | None, str | None]) -> tuple[list[str], list[str]]:
    ordered, stranded = flow_order(start, rows(*spec))
    return keys(ordered), keys(stranded)


def test_a_chain_comes_in_the_order_a_buyer_meets_it_whatever_order_it_was_made_in():
    # made last-first: the one-call downsell, then the cross-sell, then the upsell that leads to both
    assert order_of("up", ("down", None, "audio"), ("audio", None, None), ("up", None, "down")) == (
        ["up", "down", "audio"],
        [],
    )


def test_the_accept_answer_comes_before_the_decline_answer():
    assert order_of("up", ("up", "yes", "no"), ("no", None, None), ("yes", None, None)) == (["up", "yes", "no"], [])
    assert order_of("up", ("up", "no", "yes"), ("no", None, None), ("yes", None, None)) == (["up", "no", "yes"], [])


def test_branches_that_meet_again_show_the_meeting_step_once_after_both():
    # up: yes → plus, no → call; both lead on to the audio series (calm-upgrade.json's shape)
    spec = (("audio", None, None), ("call", "audio", "audio"), ("plus", "audio", None), ("up", "plus", "call"))
    assert order_of("up", *spec) == (["up", "plus", "call", "audio"], [])


def test_a_loop_is_listed_once_and_ends():
    assert order_of("up", ("up", None, "down"), ("down", "up", "up")) == (["up", "down"], [])
    assert order_of("up", ("up", "up", "up")) == (["up"], [])  # a step that leads to itself


def test_steps_no_path_reaches_are_listed_apart_in_the_coachs_order():
    spec = (("up", None, None), ("lost", None, "up"), ("orphan", None, None), ("down", None, None))
    assert order_of("up", *spec) == (["up"], ["lost", "orphan", "down"])  # "lost" leads in, but nothing leads to it


def test_without_a_start_or_with_a_start_that_is_gone_every_step_is_stranded():
    assert order_of(None, ("up", None, "down"), ("down", None, None)) == ([], ["up", "down"])
    assert order_of("gone", ("up", None, None)) == ([], ["up"])
    assert order_of(None) == ([], [])


def test_an_answer_to_a_step_outside_the_list_is_ignored():
    [up] = rows(("up", None, None))
    up.on_decline_id = 99  # a thank-you-page step, say: not one of these
    ordered, stranded = flow_order("up", [up])
    assert (keys(ordered), stranded) == (["up"], [])


# -- the marks on each card (pure) ---------------------------------------------------------------------------------


def finding(severity: Severity, stage: Stage | None, step: str | None, **extra) -> Finding:
    return Finding(code="x", severity=severity, stage=stage, step=step, message="m", hint="h", **extra)


def test_finding_counts_count_open_errors_and_warnings_per_stage_and_step():
    acknowledged = Acknowledgement(
        offer="o", code="x", fingerprint="f", reason="true", by="maya", at=datetime(2026, 2, 1, tzinfo=UTC)
    )
    findings = [
        finding(Severity.ERROR, Stage.POST_PURCHASE, "up1"),
        finding(Severity.ERROR, Stage.POST_PURCHASE, "up1"),
        finding(Severity.WARNING, Stage.POST_PURCHASE, "up1"),
        finding(Severity.WARNING, Stage.CHECKOUT, "up1"),  # the same key in another stage is another card
        finding(
            Severity.WARNING, Stage.POST_PURCHASE, "down1", offer="o", fingerprint="f", acknowledgement=acknowledged
        ),
        finding(Severity.ERROR, None, None),  # the whole funnel: no card
        finding(Severity.ERROR, Stage.THANK_YOU, None),  # a column: no card
    ]
    assert finding_counts(findings) == {(Stage.POST_PURCHASE, "up1"): (2, 1), (Stage.CHECKOUT, "up1"): (0, 1)}
    assert finding_counts([]) == {}


# -- the kinds an add form offers (pure) ---------------------------------------------------------------------------


def after(kind: OfferKind) -> SimpleNamespace:
    return SimpleNamespace(key="s", offer=SimpleNamespace(kind=kind.value, name="S"))


def test_a_downsell_is_offered_only_after_an_upsells_no_and_then_first():
    one_click = Place.ONE_CLICK
    assert kinds_for(one_click, after(OfferKind.UPSELL), "on_decline") == (
        OfferKind.DOWNSELL,
        OfferKind.CROSS_SELL,
        OfferKind.UPSELL,
    )
    assert kinds_for(one_click, after(OfferKind.UPSELL), "on_accept") == (OfferKind.UPSELL, OfferKind.CROSS_SELL)
    assert kinds_for(one_click, after(OfferKind.DOWNSELL), "on_decline") == (OfferKind.UPSELL, OfferKind.CROSS_SELL)
    assert kinds_for(one_click, after(OfferKind.CROSS_SELL), "on_decline") == (OfferKind.UPSELL, OfferKind.CROSS_SELL)
    assert kinds_for(one_click, None, "on_decline") == (OfferKind.UPSELL, OfferKind.CROSS_SELL)  # right after payment


def test_the_checkout_and_the_thank_you_page_take_only_their_own_kinds():
    assert kinds_for(Place.BUMP, None, "on_decline") == (OfferKind.ORDER_BUMP,)
    assert kinds_for(Place.CHECKOUT_CROSS_SELL, None, "on_decline") == (OfferKind.CROSS_SELL,)
    # an "after" means nothing outside the one-click steps
    assert kinds_for(Place.THANK_YOU_CROSS_SELL, after(OfferKind.UPSELL), "on_decline") == (OfferKind.CROSS_SELL,)


# -- names instead of keys (pure) ----------------------------------------------------------------------------------


def test_offer_names_give_each_placed_steps_offer_name_and_the_key_where_the_offer_is_missing():
    def spec(key: str, name: str, kind: OfferKind) -> OfferSpec:
        return OfferSpec(key=key, name=name, kind=kind, price=Decimal("10"), currency="USD")

    plan = FunnelPlan(
        name="Calm",
        currency="USD",
        offers=(
            spec("calm-course", "Calm Your Nervous System", OfferKind.CORE),
            spec("breath-cards", "Printable breathing cards", OfferKind.ORDER_BUMP),
            spec("three-calls", "Three 1-on-1 coaching calls", OfferKind.UPSELL),
            spec("sleep-audio", "Sleep audio", OfferKind.CROSS_SELL),
        ),
        core="calm-course",
        bumps=(Placement("cards", "breath-cards", Slot.BUMP, Stage.CHECKOUT),),
        start="up1",
        steps=(Step("up1", "three-calls", on_decline="down1"), Step("down1", "deleted-offer")),
        thank_you_cross_sells=(Placement("audio", "sleep-audio", Slot.CROSS_SELL, Stage.THANK_YOU),),
    )
    assert offer_names(plan) == {
        "cards": "Printable breathing cards",
        "up1": "Three 1-on-1 coaching calls",
        "down1": "down1",  # its offer is not in the plan: the key is all there is
        "audio": "Sleep audio",
    }
    assert offer_names(replace(plan, bumps=(), steps=(), thank_you_cross_sells=())) == {}


# -- the page's parts, from a loaded funnel ------------------------------------------------------------------------


def member(can_edit: bool = True) -> SimpleNamespace:
    """What ``editor_context`` reads of a request: whether the member may change funnels, and who they are
    (no one here: the undo buttons then offer nothing of theirs)."""
    return SimpleNamespace(workspace=SimpleNamespace(can_edit_funnels=can_edit), user=None)


def page(practice, funnel, *, can_edit: bool = True, **options) -> dict[str, object]:
    funnel.refresh_from_db()
    loaded = funnel_load(practice=practice, funnel=funnel, with_acknowledgements=True)
    return editor_context(member(can_edit), loaded, **options)


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
    assert (figures.core_price, figures.thank_you_revenue, figures.step_count) == ("$97.00", "$0.00", 1)
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
def test_the_side_panel_lists_only_the_offers_whose_take_rate_matters_most(practice, primer_catalog):
    offers = [primer_catalog["cards"], primer_catalog["audio"]]
    offers += [make_offer(practice, kind="upsell", price=str(100 + 10 * i), topics=["anxiety"]) for i in range(10)]
    funnel = make_long_funnel(practice, primer_catalog["course"], offers, "Long")
    metrics = compute_metrics(funnel_load(practice=practice, funnel=funnel).plan, with_distribution=False)
    figures = shown_figures(metrics, {})
    assert (len(figures.steps), figures.step_count) == (SIDE_STEPS, 12)
    weightiest = sorted(metrics.steps, key=lambda s: -abs(s.sensitivity))
    assert [f.key for f in figures.steps] == [s.key for s in weightiest[:SIDE_STEPS]]  # the weightiest first
    shown = {f.key for f in figures.steps}
    lightest_shown = min(abs(s.sensitivity) for s in metrics.steps if s.key in shown)
    assert all(abs(s.sensitivity) <= lightest_shown for s in metrics.steps if s.key not in shown)
    # the bars are scaled to the largest shown
    assert figures.sensitivity_max == max(s.sensitivity_bar for s in figures.steps)


@pytest.mark.django_db
def test_the_primers_cards_and_what_each_answer_leads_to(practice, primer_funnel):
    context = page(practice, primer_funnel)
    assert (context["version"], context["can_edit"], context["uncomputable"], context["findings"]) == (2, True, "", [])
    assert (context["error_count"], context["warning_count"], context["acknowledged_count"]) == (0, 0, 0)
    assert context["core"] == {
        "key": "calm-course",
        "name": "Calm Your Nervous System",
        "price": "$97.00",
        "anchor": "step-checkout-calm-course",
        "error": "",
    }
    assert (context["start_name"], context["start_anchor"]) == ("Three 1-on-1 coaching calls", "step-up1")
    [row] = context["one_click"]
    assert context["stranded"] == []
    assert (row.key, row.anchor, row.column, row.name, row.kind_label, row.primer_words, row.price) == (
        "up1",
        "step-up1",
        "post-purchase",
        "Three 1-on-1 coaching calls",
        "Upsell",
        "go bigger",
        "$300.00",
    )
    # the typed 20% in the input; 14.5% is what a blank input would leave in force for this upsell
    assert (row.take_rate_input, row.default_rate, row.rate_in_force) == ("20", "14.5%", "20%")
    assert (row.is_start, row.reached, row.marked) == (True, True, False)
    thank_you = ("", "the thank-you page", "thank-you")
    assert row.answers == (Answer("on_accept", "accept", *thank_you), Answer("on_decline", "decline", *thank_you))
    assert all(answer.ends for answer in row.answers)  # each one may get a next step
    assert (context["bumps"], context["checkout_cross_sells"], context["thank_you"]) == ([], [], [])


@pytest.mark.django_db
def test_the_add_and_core_choices_list_what_may_stand_there(practice, primer_catalog, primer_funnel):
    catalog = list(offer_list(practice=practice))
    bump = add_choices(funnel=primer_funnel, place=Place.BUMP, catalog=catalog, used=set())
    assert (bump.title, bump.after, bump.anchor, bump.topics) == ("Add an order bump", "", "add-bump", "anxiety")
    assert [(label, choices(group)) for label, group in bump.catalog] == [
        ("Order bump: a quick yes-or-no at the till", [("breath-cards", "Printable breathing cards — $19.00")])
    ]
    assert choices(bump.kinds) == [("order_bump", "Order bump (a quick yes-or-no at the till)")]
    first = add_choices(funnel=primer_funnel, place=Place.ONE_CLICK, catalog=catalog, used=set())
    assert [(label, choices(group)) for label, group in first.catalog] == [
        ("Upsell: go bigger", [("three-calls", "Three 1-on-1 coaching calls — $300.00")]),
        ("Cross-sell: go sideways", [("sleep-audio", "Sleep wind-down audio series — $29.00")]),
    ]
    # offers already at the checkout are left out, and then there is nothing to choose but a new offer
    used = add_choices(funnel=primer_funnel, place=Place.BUMP, catalog=catalog, used={primer_catalog["cards"].pk})
    assert (used.catalog[0][1], used.has_catalog) == ((), False)
    assert choices(core_choices(primer_funnel, catalog)) == [("calm-course", "Calm Your Nervous System — $97.00")]


@pytest.mark.django_db
def test_after_an_upsells_no_the_downsell_comes_first(practice, primer_funnel):
    up1 = FunnelStep.objects.select_related("offer").get(funnel=primer_funnel, key="up1")
    catalog = list(offer_list(practice=practice))
    add = add_choices(
        funnel=primer_funnel, place=Place.ONE_CLICK, catalog=catalog, used=set(), after=up1, edge="on_decline"
    )
    assert (add.title, add.after, add.anchor) == (
        "If they decline “Three 1-on-1 coaching calls”, offer…",
        "up1:on_decline",
        "add-one_click-up1-decline",
    )
    assert [label for label, _ in add.catalog] == [
        "Downsell: go smaller",
        "Cross-sell: go sideways",
        "Upsell: go bigger",
    ]
    assert [(k.value, k.selected) for k in add.kinds] == [("downsell", True), ("cross_sell", False), ("upsell", False)]


@pytest.mark.django_db
def test_the_downsell_on_the_decline_answer_is_named_linked_and_chosen(practice, primer_catalog):
    funnel, _, _ = make_primer_funnel(practice, primer_catalog)
    context = page(practice, funnel)
    up1, down1 = context["one_click"]
    accept, decline = up1.answers
    assert (accept.target_key, accept.target_name, accept.ends) == ("", "the thank-you page", True)
    assert (decline.target_key, decline.target_name, decline.target_anchor, decline.ends) == (
        "down1",
        "One coaching call",
        "step-down1",
        False,
    )
    assert (up1.is_start, down1.is_start, down1.reached) == (True, False, True)
    steps = funnel_steps(practice=practice, funnel=funnel)
    up1_row = next(s for s in steps if s.key == "up1")
    assert [(c.value, c.label, c.selected) for c in target_choices(up1_row, "on_decline", steps)] == [
        ("", "The thank-you page", False),
        ("down1", "One coaching call — Downsell", True),  # never itself
    ]
    assert [c.selected for c in target_choices(up1_row, "on_accept", steps)] == [True, False]
    assert context["figures"].aov == "$171.40"  # 97 + 0.2·300 + 0.8·0.15·120


EDGE_PAIRS = (("on_accept", "accept"), ("on_decline", "decline"))


@pytest.mark.django_db
def test_the_answer_choices_escape_every_name_when_rendered(practice, primer_catalog):
    funnel, _, down = make_primer_funnel(practice, primer_catalog)
    down.offer.name = '<script>alert(1)</script> "One" & only call'
    down.offer.save(update_fields=["name"])
    steps = funnel_steps(practice=practice, funnel=funnel)
    up1 = next(s for s in steps if s.key == "up1")
    answers = [{"edge": e, "word": w, "choices": target_choices(up1, e, steps)} for e, w in EDGE_PAIRS]
    html = render_to_string(
        "funnels/editor_choices.html#edge-form", {"funnel": funnel, "step": up1, "answers": answers}
    )
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;One&quot; &amp; only call — Downsell" in html


@pytest.mark.django_db
def test_a_step_no_path_reaches_is_listed_apart_and_marked(practice, primer_catalog):
    funnel, _, _ = make_primer_funnel(practice, primer_catalog)
    FunnelStep.objects.filter(funnel=funnel, key="up1").update(on_decline=None)
    context = page(practice, funnel)
    assert [r.key for r in context["one_click"]] == ["up1"]
    [stranded] = context["stranded"]
    assert (stranded.key, stranded.reached, stranded.marked) == ("down1", False, True)
    [unreachable] = [item for item in context["findings"] if item.code == "unreachable-step"]
    assert (unreachable.href, unreachable.where) == ("#step-down1", "After payment · One coaching call")
    assert context["rows"].find(Stage.POST_PURCHASE, "down1").reached is False
    assert context["rows"].find(Stage.POST_PURCHASE, "gone") is None


@pytest.mark.django_db
def test_a_loop_has_its_finding_linked_to_the_step_by_name_and_no_figures(practice, primer_catalog):
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
        "After payment · Three 1-on-1 coaching calls",  # the offer's name, not its key
    )
    assert (context["error_count"], context["warning_count"]) == (1, 0)
    up1_row, down1_row = context["one_click"]  # the loop is listed once, in flow order
    assert (up1_row.key, up1_row.errors, down1_row.key) == ("up1", 1, "down1")


@pytest.mark.django_db
def test_a_refused_edit_shows_its_message_and_what_was_typed_in_its_place(practice, primer_funnel):
    typed = Refusal(control="take-rate:step-up1", message="Enter a percent such as 15.", entered={"take_rate": "abc"})
    context = page(practice, primer_funnel, refusal=typed)
    [row] = context["one_click"]
    assert (row.take_rate_error, row.take_rate_input, row.edges_error, row.actions_error) == (
        "Enter a percent such as 15.",
        "abc",
        "",
        "",
    )
    assert (context["head_error"], context["entered_name"], context["core"]["error"]) == ("", "", "")
    renamed = Refusal(control="head", message="A funnel needs a name.", entered={"name": "   "})
    context = page(practice, primer_funnel, refusal=renamed)
    assert (context["head_error"], context["entered_name"]) == ("A funnel needs a name.", "   ")
    assert context["one_click"][0].take_rate_input == "20"  # another control's refusal leaves this one as it was
    edges = page(practice, primer_funnel, refusal=Refusal("edges:step-up1", "Cannot lead to itself."))
    assert edges["one_click"][0].edges_error == "Cannot lead to itself."
    order = page(practice, primer_funnel, refusal=Refusal("order:post_purchase", "This undo has expired."))
    assert order["order_errors"] == {"checkout": "", "post_purchase": "This undo has expired.", "thank_you": ""}


@pytest.mark.django_db
def test_draft_offers_say_so_and_readers_get_no_forms(practice, primer_funnel):
    make_offer(practice, key="journal", kind="order_bump", price="27", name="Calm journal", status="draft")
    make_offer(practice, key="old-cards", kind="order_bump", price="5", name="Old cards", status="archived")
    context = page(practice, primer_funnel, can_edit=False)
    assert context["can_edit"] is False
    assert all(not row.answers or row.answers[0].ends for row in context["one_click"])  # what it shows, no more
    add = add_choices(funnel=primer_funnel, place=Place.BUMP, catalog=list(offer_list(practice=practice)), used=set())
    [(_, bumps)] = add.catalog
    assert choices(bumps) == [  # the catalog's order: by name; an archived offer is not offered
        ("journal", f"Calm journal — $27.00{DRAFT}"),
        ("breath-cards", "Printable breathing cards — $19.00"),
    ]
