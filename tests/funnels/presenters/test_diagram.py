"""The flow diagram's layout: boxes never overlap, arrows start and end on their boxes, loops and long chains are safe."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funnels.domain.checks.findings import Finding, Severity
from funnels.domain.checks.rules import check_funnel
from funnels.domain.flow.graph import analyse_flow
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step
from funnels.interchange.plans import plan_from_document
from funnels.interchange.reading import read_funnel_document
from funnels.presenters.diagram import CHECKOUT_KEY, THANK_YOU_KEY, DiagramEdge, DiagramNode, FlowDiagram, layout_flow
from funnels.services.demo import DEMO_DIR
from offers.domain.kinds import OfferKind
from tests.funnels.domain.strategies import funnels
from tests.profiles import examples

GAP = 8  # the least room between two boxes
NUMBER = re.compile(r"-?\d+")
DEMO = DEMO_DIR / "calm-classic.json"


# --- builders -------------------------------------------------------------------------------------------------


def offer(key: str, kind: OfferKind = OfferKind.UPSELL, price: str = "300", name: str | None = None) -> OfferSpec:
    return OfferSpec(key, name or key.title(), kind, Decimal(price), "USD")


def plan_of(steps: list[Step], start: str | None = "s1", **extra: object) -> FunnelPlan:
    offers = [offer("core", OfferKind.CORE, "97", "Calm Your Nervous System"), offer("cards", OfferKind.ORDER_BUMP)]
    offers += [offer(s.offer) for s in steps if s.offer not in {o.key for o in offers}]
    return FunnelPlan(
        name="Test funnel",
        currency="USD",
        offers=tuple(offers),
        core="core",
        bumps=(Placement("cards", "cards", Slot.BUMP, Stage.CHECKOUT),),
        start=start,
        steps=tuple(steps),
        **extra,  # type: ignore[arg-type]
    )


def chain(count: int) -> FunnelPlan:
    """s1 → s2 → … → sN on both answers, except every odd step's yes goes to the thank-you page."""
    steps = []
    for i in range(1, count + 1):
        following = f"s{i + 1}" if i < count else None
        steps.append(Step(f"s{i}", f"o{i}", None, None if i % 2 else following, following))
    return plan_of(steps)


def nodes_by_key(diagram: FlowDiagram) -> dict[str, DiagramNode]:
    return {node.key: node for node in diagram.nodes}


def endpoints(edge: DiagramEdge) -> tuple[tuple[int, int], tuple[int, int]]:
    numbers = [int(n) for n in NUMBER.findall(edge.path)]
    return (numbers[0], numbers[1]), (numbers[-2], numbers[-1])


def on_boundary(point: tuple[int, int], node: DiagramNode) -> bool:
    x, y = point
    inside = node.x <= x <= node.x + node.width and node.y <= y <= node.y + node.height
    edge = x in (node.x, node.x + node.width) or y in (node.y, node.y + node.height)
    return inside and edge


def assert_sound(plan: FunnelPlan, diagram: FlowDiagram) -> None:
    """No two boxes overlap (with GAP to spare), all sit inside the drawing, every arrow runs box to box."""
    for a, b in combinations(diagram.nodes, 2):
        apart = (
            a.x + a.width + GAP <= b.x
            or b.x + b.width + GAP <= a.x
            or a.y + a.height + GAP <= b.y
            or b.y + b.height + GAP <= a.y
        )
        assert apart, (a, b)
    for node in diagram.nodes:
        assert node.x >= 0 and node.x + node.width <= diagram.width
        assert node.y >= 0 and node.y + node.height <= diagram.height
    boxes = nodes_by_key(diagram)
    assert len(boxes) == len(diagram.nodes)
    for edge in diagram.edges:
        start, end = endpoints(edge)
        assert on_boundary(start, boxes[edge.source]), edge
        assert on_boundary(end, boxes[edge.target]), edge
        for x, y in (start, end):
            assert 0 <= x <= diagram.width and 0 <= y <= diagram.height
    graph = analyse_flow(plan)
    steps = {key for key, node in boxes.items() if node.kind == "step"}
    assert steps == set(graph.reachable)
    assert {key for key, node in boxes.items() if node.kind == "unreachable"} == set(graph.unreachable)


# --- properties -----------------------------------------------------------------------------------------------


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(funnels(max_steps=20))
def test_random_acyclic_funnels_have_no_overlapping_boxes_and_arrows_run_box_to_box(plan: FunnelPlan) -> None:
    diagram = layout_flow(plan, check_funnel(plan))
    assert_sound(plan, diagram)
    boxes = nodes_by_key(diagram)
    for edge in diagram.edges:  # without a loop, every arrow points down the page
        assert boxes[edge.target].y > boxes[edge.source].y
    assert layout_flow(plan, check_funnel(plan)) == diagram


@st.composite
def tangled_plans(draw: st.DrawFn) -> FunnelPlan:
    """Any edges at all: loops, self-loops, missing targets, duplicate keys, unreachable knots."""
    count = draw(st.integers(0, 20))
    keys = [f"s{i}" for i in range(count)]
    targets = st.sampled_from([None, "gone", *keys]) if keys else st.sampled_from([None, "gone"])
    steps = [Step(key, f"o{i}", None, draw(targets), draw(targets)) for i, key in enumerate(keys)]
    if steps and draw(st.booleans()):
        steps.append(Step(steps[0].key, "o-dup", None, draw(targets), draw(targets)))
    return plan_of(steps, start=draw(targets))


@settings(max_examples=examples(150), deadline=None)
@given(tangled_plans())
def test_any_graph_at_all_is_laid_out_soundly(plan: FunnelPlan) -> None:
    assert_sound(plan, layout_flow(plan, check_funnel(plan)))


# --- what the boxes and arrows say ----------------------------------------------------------------------------


def test_the_demo_funnel_reads_checkout_upsell_downsell_thank_you() -> None:
    plan = plan_from_document(read_funnel_document(DEMO.read_text()))
    diagram = layout_flow(plan, check_funnel(plan))
    boxes = nodes_by_key(diagram)
    assert [n.kind for n in diagram.nodes] == ["checkout", "step", "step", "thank_you"]
    checkout, up, down, thanks = (boxes[k] for k in (CHECKOUT_KEY, "up1", "down1", THANK_YOU_KEY))
    assert checkout.label == "Calm Your Nervous System" and checkout.detail == "Checkout · $97.00 · 1 bump"
    assert up.label == "Three 1-on-1 coaching calls" and up.detail == "Upsell · $300.00 · 20%"
    assert down.detail == "Downsell · $120.00 · 15%"
    assert checkout.y < up.y < down.y < thanks.y
    assert (checkout.href, up.href, thanks.href) == ("#checkout", "#step-up1", "#thank-you")
    arrows = {(e.source, e.target, e.kind, e.label) for e in diagram.edges}
    assert arrows == {
        (CHECKOUT_KEY, "up1", "start", ""),
        ("up1", THANK_YOU_KEY, "accept", "Yes"),
        ("up1", "down1", "decline", "No"),
        ("down1", THANK_YOU_KEY, "accept", "Yes"),
        ("down1", THANK_YOU_KEY, "decline", "No"),
    }
    assert diagram.description.startswith(
        "Checkout (Calm Your Nervous System) leads to Three 1-on-1 coaching calls. "
        "Three 1-on-1 coaching calls: if they accept → the thank-you page; if they decline → One coaching call."
    )
    assert not any(n.has_error or n.has_warning for n in diagram.nodes)


def test_no_steps_means_the_checkout_leads_straight_to_the_thank_you_page() -> None:
    diagram = layout_flow(plan_of([], start=None))
    assert [n.kind for n in diagram.nodes] == ["checkout", "thank_you"]
    assert [(e.source, e.target, e.kind) for e in diagram.edges] == [(CHECKOUT_KEY, THANK_YOU_KEY, "start")]


def test_an_error_finding_flags_its_step_a_warning_its_step_and_checkout_findings_the_checkout() -> None:
    plan = plan_of([Step("s1", "up", None, None, "s2"), Step("s2", "down", None, None, None)])
    findings = [
        Finding("downsell-not-smaller", Severity.ERROR, Stage.POST_PURCHASE, "s2", "m", "h"),
        Finding("price-jump", Severity.WARNING, Stage.POST_PURCHASE, "s1", "m", "h"),
        Finding("bump-too-big", Severity.WARNING, Stage.CHECKOUT, "cards", "m", "h"),
        Finding("cycle", Severity.ERROR, None, None, "m", "h"),  # the funnel as a whole: no box
    ]
    boxes = nodes_by_key(layout_flow(plan, findings))
    assert boxes["s2"].has_error and "node-error" in boxes["s2"].css_class
    assert boxes["s1"].has_warning and not boxes["s1"].has_error and "node-warning" in boxes["s1"].css_class
    assert boxes[CHECKOUT_KEY].has_warning and not boxes[CHECKOUT_KEY].has_error
    assert not boxes[THANK_YOU_KEY].has_error and not boxes[THANK_YOU_KEY].has_warning


def test_the_rules_own_errors_reach_the_diagram() -> None:
    offers = (offer("core", OfferKind.CORE, "97"), offer("late-bump", OfferKind.ORDER_BUMP, "19"))
    plan = FunnelPlan("F", "USD", offers, "core", start="s1", steps=(Step("s1", "late-bump"),))
    findings = check_funnel(plan)
    assert any(f.code == "bump-after-payment" for f in findings)
    assert nodes_by_key(layout_flow(plan, findings))["s1"].has_error


def test_a_loop_terminates_and_its_back_edge_is_drawn_as_a_curve() -> None:
    plan = plan_of(
        [Step("s1", "a", None, "s2", None), Step("s2", "b", None, "s3", "s1"), Step("s3", "c", None, "s3", None)]
    )
    diagram = layout_flow(plan, check_funnel(plan))
    assert_sound(plan, diagram)
    boxes = nodes_by_key(diagram)
    back = next(e for e in diagram.edges if (e.source, e.target) == ("s2", "s1"))
    assert back.kind == "decline" and back.label == "No" and "Q" in back.path
    assert boxes["s1"].y < boxes["s2"].y
    self_loop = next(e for e in diagram.edges if (e.source, e.target) == ("s3", "s3"))
    assert "Q" in self_loop.path
    assert "loops" in diagram.description


def test_a_hundred_step_chain_is_laid_out_quickly_in_one_column() -> None:
    plan = chain(100)
    began = time.perf_counter()
    diagram = layout_flow(plan, check_funnel(plan))
    assert time.perf_counter() - began < 1.0
    assert_sound(plan, diagram)
    steps = [n for n in diagram.nodes if n.kind == "step"]
    assert len(steps) == 100 and len({n.x for n in steps}) == 1
    assert diagram.width < 400  # the fifty yeses to the thank-you page share one lane


def test_a_hundred_step_tangle_stays_fast() -> None:
    steps = [Step(f"s{i}", f"o{i}", None, f"s{(i * 7 + 3) % 100}", f"s{(i + 1) % 100}") for i in range(100)]
    plan = plan_of(steps, start="s0")
    began = time.perf_counter()
    diagram = layout_flow(plan, check_funnel(plan))
    assert time.perf_counter() - began < 2.0
    assert_sound(plan, diagram)


def test_unreachable_steps_sit_in_their_own_row_below_the_thank_you_page() -> None:
    plan = plan_of(
        [Step("s1", "a"), Step("lost", "b", None, "s1", None), Step("lost2", "c", None, None, "lost")],
    )
    diagram = layout_flow(plan, check_funnel(plan))
    assert_sound(plan, diagram)
    boxes = nodes_by_key(diagram)
    thanks = boxes[THANK_YOU_KEY]
    for key in ("lost", "lost2"):
        assert boxes[key].kind == "unreachable" and "node-unreachable" in boxes[key].css_class
        assert boxes[key].y > thanks.y + thanks.height
        assert boxes[key].detail.startswith("Not reachable")
        assert not any(key in (e.source, e.target) for e in diagram.edges)
    assert diagram.description.endswith("Not reachable from the checkout: B (has errors), C (has errors).")


def test_edges_to_missing_steps_are_left_out() -> None:
    plan = plan_of([Step("s1", "a", None, "nowhere", None)])
    diagram = layout_flow(plan, check_funnel(plan))
    assert {(e.source, e.target, e.kind) for e in diagram.edges} == {
        (CHECKOUT_KEY, "s1", "start"),
        ("s1", THANK_YOU_KEY, "decline"),
    }
    assert "a missing step (nowhere)" in diagram.description
    missing_start = layout_flow(plan_of([Step("s1", "a")], start="gone"))
    assert [e.target for e in missing_start.edges] == []


def test_accept_and_decline_keep_their_kinds_labels_and_sides() -> None:
    plan = plan_of([Step("s1", "up", None, "s2", "s3"), Step("s2", "b"), Step("s3", "c")])
    diagram = layout_flow(plan)
    boxes = nodes_by_key(diagram)
    by_kind = {e.kind: e for e in diagram.edges if e.source == "s1"}
    assert (by_kind["accept"].target, by_kind["accept"].label) == ("s2", "Yes")
    assert (by_kind["decline"].target, by_kind["decline"].label) == ("s3", "No")
    assert boxes["s2"].x < boxes["s3"].x  # yes to the left, no to the right, so they do not cross
    assert boxes["s2"].y == boxes["s3"].y
    assert {e.css_class for e in diagram.edges} == {"edge edge-start", "edge edge-accept", "edge edge-decline"}


def test_long_names_are_truncated_with_an_ellipsis_and_kept_whole_in_the_tooltip() -> None:
    name = "A very long offer name that goes on and on and on"
    offers = (offer("core", OfferKind.CORE, "97"), offer("up", name=name))
    plan = FunnelPlan("F", "USD", offers, "core", start="s1", steps=(Step("s1", "up"),))
    node = nodes_by_key(layout_flow(plan))["s1"]
    assert len(node.label) == 28 and node.label.endswith("…")
    assert node.tooltip == name
    assert node.label_length == node.width - 20  # squeezed to fit the box


def test_the_layout_is_deterministic_and_ignores_the_listing_order_of_steps() -> None:
    steps = [
        Step("s1", "a", None, "s2", "s3"),
        Step("s2", "b", None, "s4"),
        Step("s3", "c", None, None, "s4"),
        Step("s4", "d"),
    ]
    first = layout_flow(plan_of(steps))
    assert layout_flow(plan_of(steps)) == first
    shuffled = layout_flow(plan_of([steps[2], steps[0], steps[3], steps[1]]))
    place = {n.key: (n.x, n.y) for n in first.nodes}
    assert {n.key: (n.x, n.y) for n in shuffled.nodes} == place
