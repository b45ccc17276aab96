"""The flow diagram partial: one linked box per step, arrows by kind, accessible, escaped, no inline styles."""

from __future__ import annotations

import re
from decimal import Decimal

from django.template.loader import render_to_string

from funnels.domain.checks.rules import check_funnel
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step
from funnels.interchange.plans import plan_from_document
from funnels.interchange.reading import read_funnel_document
from funnels.presenters.diagram import FlowDiagram, layout_flow
from funnels.services.demo import DEMO_DIR
from offers.domain.kinds import OfferKind

DEMO = DEMO_DIR / "calm-classic.json"


def render(diagram: FlowDiagram, **context: object) -> str:
    return render_to_string("funnels/_diagram.html", {"diagram": diagram, **context})


def demo_diagram() -> FlowDiagram:
    plan = plan_from_document(read_funnel_document(DEMO.read_text()))
    return layout_flow(plan, check_funnel(plan))


def hostile_plan() -> FunnelPlan:
    offers = (
        OfferSpec("core", '<script>alert("core")</script>', OfferKind.CORE, Decimal("97"), "USD"),
        OfferSpec("up", "<script>alert(1)</script> & more", OfferKind.UPSELL, Decimal("300"), "USD"),
        OfferSpec("late", "Late bump", OfferKind.ORDER_BUMP, Decimal("19"), "USD"),
    )
    return FunnelPlan(
        name='<img src=x onerror="boom">',
        currency="USD",
        offers=offers,
        core="core",
        bumps=(Placement("late", "late", Slot.BUMP, Stage.CHECKOUT),),
        start="s1",
        steps=(Step("s1", "up", None, "s2", "s1"), Step("s2", "late")),
    )


def test_the_svg_is_a_labelled_group_with_title_description_and_viewbox() -> None:
    # a group, not an image: its boxes are links, and an image's children are presentational (axe's
    # nested-interactive), so the links would be hidden from assistive technology
    diagram = demo_diagram()
    html = render(diagram)
    svg = re.search(r"<svg[^>]*>", html)
    assert svg is not None
    tag = svg.group(0)
    assert 'role="group"' in tag and 'class="flow-diagram"' in tag
    assert f'viewBox="0 0 {diagram.width} {diagram.height}"' in tag
    assert 'aria-labelledby="flow-diagram-title flow-diagram-desc"' in tag
    assert '<title id="flow-diagram-title">Flow of Calm course: classic</title>' in html
    assert '<desc id="flow-diagram-desc">Checkout (Calm Your Nervous System) leads to' in html
    for kind in ("start", "accept", "decline"):
        assert f'<marker id="flow-diagram-arrow-{kind}"' in html


def test_each_box_links_to_its_place_in_the_editor_and_each_arrow_carries_its_kind() -> None:
    diagram = demo_diagram()
    html = render(diagram)
    for href in ("#checkout", "#step-up1", "#step-down1", "#thank-you"):
        assert html.count(f'<a href="{href}"') == 1
    assert html.count("<rect ") == len(diagram.nodes) == 4
    assert html.count('class="edge edge-accept"') == 2
    assert html.count('class="edge edge-decline"') == 2
    assert html.count('class="edge edge-start"') == 1
    assert 'marker-end="url(#flow-diagram-arrow-decline)"' in html
    assert ">Yes</text>" in html and ">No</text>" in html
    assert "Three 1-on-1 coaching calls" in html and "Upsell · $300.00 · 20%" in html


def test_user_text_is_escaped_and_errors_are_marked() -> None:
    plan = hostile_plan()
    html = render(layout_flow(plan, check_funnel(plan)))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "&lt;img src=x onerror=&quot;boom&quot;&gt;" in html
    assert 'class="node node-step node-error"' in html  # the bump placed after payment, and the loop
    assert 'class="node-badge"' in html


def test_there_are_no_inline_styles_anywhere() -> None:
    plan = hostile_plan()
    for diagram in (demo_diagram(), layout_flow(plan, check_funnel(plan))):
        html = render(diagram)
        assert "style=" not in html.lower()
        assert "<style" not in html.lower()


def test_a_second_diagram_on_a_page_can_take_its_own_ids() -> None:
    html = render(demo_diagram(), diagram_id="what-if")
    assert 'aria-labelledby="what-if-title what-if-desc"' in html
    assert 'id="what-if-arrow-accept"' in html and "url(#what-if-arrow-accept)" in html
    assert 'id="flow-diagram-' not in html
