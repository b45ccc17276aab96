"""The editor's flow diagram as plain values: where each box and arrow goes, worked out once per plan.

The diagram reads top to bottom, which suits a narrow side panel and a phone: the checkout, then the
post-purchase steps in layers (a step's layer is its longest path from the start, so every arrow between
reachable steps points down), then the thank-you page; steps no path reaches sit in a trailing row of their own.
Each layer is centred, so boxes never overlap. This module places the layers and says what each box and the
whole drawing read as (labels, details, the screen-reader description); the order within a layer and the
arrows' lanes, ports and paths are ``funnels.presenters.diagram_routing``'s.

The template (``templates/funnels/_diagram.html``) only draws these values; all user text is escaped there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.money import format_money, format_percent
from funnels.domain.checks.findings import Finding, Severity
from funnels.domain.flow.graph import analyse_flow
from funnels.domain.plan import FunnelPlan, Stage, Step
from funnels.presenters.diagram_routing import (
    CHECKOUT_KEY,
    LANE_GAP,
    NODE_HEIGHT,
    NODE_WIDTH,
    THANK_YOU_KEY,
    Arrow,
    Box,
    assign_lanes,
    assign_ports,
    draw,
    order_layers,
    reverse_postorder,
)

__all__ = [
    "CHECKOUT_KEY",
    "THANK_YOU_KEY",
    "DiagramEdge",
    "DiagramNode",
    "FlowDiagram",
    "layout_flow",
]

H_GAP = 28  # between boxes of one layer
V_GAP = 64  # between layers: room for the arrows, their labels and the lanes' turns
MARGIN = 12
UNREACHABLE_GAP = 28  # extra space above the row of unreachable steps
LABEL_MAX = 28
DETAIL_MAX = 36
LABEL_EM = 7.6  # a generous average glyph width of the label (13px, semi-bold) and detail (11px) fonts
DETAIL_EM = 6.3
PADDING = 10


@dataclass(frozen=True)
class DiagramNode:
    """One box: the checkout, a post-purchase step, the thank-you page, or a step no path reaches."""

    key: str
    label: str
    detail: str
    kind: str  # "checkout" | "step" | "thank_you" | "unreachable"
    x: int
    y: int
    width: int
    height: int
    has_error: bool
    has_warning: bool
    href: str
    tooltip: str = ""  # the full, untruncated name

    @property
    def center_x(self) -> int:
        return self.x + self.width // 2

    @property
    def label_y(self) -> int:
        return self.y + 23

    @property
    def detail_y(self) -> int:
        return self.y + 41

    @property
    def label_length(self) -> int:
        """The width to squeeze the label into when it may not fit (0: it fits), for SVG ``textLength``."""
        return _squeeze(self.label, LABEL_EM, self.width)

    @property
    def detail_length(self) -> int:
        return _squeeze(self.detail, DETAIL_EM, self.width)

    @property
    def badge_x(self) -> int:
        return self.x + self.width - 4  # on the corner, clear of the label

    @property
    def badge_y(self) -> int:
        return self.y + 4

    @property
    def css_class(self) -> str:
        classes = ["node", f"node-{self.kind.replace('_', '-')}"]
        if self.has_error:
            classes.append("node-error")
        elif self.has_warning:
            classes.append("node-warning")
        return " ".join(classes)


@dataclass(frozen=True)
class DiagramEdge:
    """One arrow: ``path`` is an SVG path's ``d``; it starts on the source box and ends on the target box."""

    source: str
    target: str
    kind: str  # "accept" | "decline" | "start"
    path: str
    label: str  # "Yes" | "No" | ""
    label_x: int
    label_y: int

    @property
    def css_class(self) -> str:
        return f"edge edge-{self.kind}"


@dataclass(frozen=True)
class FlowDiagram:
    """The whole drawing, in SVG user units (``0 0 width height``)."""

    width: int
    height: int
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    title: str
    description: str


def layout_flow(plan: FunnelPlan, findings: Sequence[Finding] = ()) -> FlowDiagram:
    """Place the plan's checkout, steps and thank-you page, and route the arrows between them."""
    graph = analyse_flow(plan)
    steps: dict[str, Step] = {}
    for step in plan.steps:
        steps.setdefault(step.key, step)  # a duplicate key: the first one counts, as in the graph
    reachable = graph.reachable
    order = list(graph.order) if graph.cycle is None else reverse_postorder(plan.start, steps, reachable)
    rank = {key: i for i, key in enumerate(order)}

    # layers: the longest path from the start over the forward edges (a loop's back edge is left out)
    layer: dict[str, int] = dict.fromkeys(order, 1)
    arrows: list[Arrow] = []
    if plan.start is None:
        arrows.append(Arrow(CHECKOUT_KEY, THANK_YOU_KEY, "start"))
    elif plan.start in reachable:
        arrows.append(Arrow(CHECKOUT_KEY, plan.start, "start"))
    for key in order:
        for kind, dest in steps[key].edges:
            if dest is None:
                arrows.append(Arrow(key, THANK_YOU_KEY, kind))
            elif dest in rank:  # an edge to a missing step is skipped
                arrows.append(Arrow(key, dest, kind))
                if rank[dest] > rank[key]:
                    layer[dest] = max(layer[dest], layer[key] + 1)
    thank_you_layer = max(layer.values(), default=0) + 1

    boxes: dict[str, Box] = {CHECKOUT_KEY: Box(CHECKOUT_KEY, 0), THANK_YOU_KEY: Box(THANK_YOU_KEY, thank_you_layer)}
    for key in order:
        boxes[key] = Box(key, layer[key])
    boxes[THANK_YOU_KEY].layer = thank_you_layer
    for arrow in arrows:
        boxes[arrow.source].outgoing.append(arrow)
        boxes[arrow.target].incoming.append(arrow)
        gap = boxes[arrow.target].layer - boxes[arrow.source].layer
        arrow.route = "direct" if gap == 1 else "right" if gap > 1 else "left"

    layers = order_layers(plan.start, steps, boxes, thank_you_layer)
    unreachable = list(dict.fromkeys(key for key in graph.unreachable if key in steps))  # once per duplicate key
    widest = max(len(row) for row in layers)
    columns = max(widest, min(len(unreachable), 2))
    rows_below = [unreachable[i : i + columns] for i in range(0, len(unreachable), columns)]

    right_lanes = assign_lanes([arrow for arrow in arrows if arrow.route == "right"], boxes)
    left_lanes = assign_lanes([arrow for arrow in arrows if arrow.route == "left"], boxes)

    content_width = columns * NODE_WIDTH + (columns - 1) * H_GAP
    content_left = MARGIN + left_lanes * LANE_GAP
    content_right = content_left + content_width
    width = content_right + right_lanes * LANE_GAP + MARGIN

    def place_row(keys: Sequence[str], top: int) -> None:
        row_width = len(keys) * NODE_WIDTH + (len(keys) - 1) * H_GAP
        left = content_left + (content_width - row_width) // 2
        for i, key in enumerate(keys):
            box = boxes.setdefault(key, Box(key, -1))
            box.x, box.y = left + i * (NODE_WIDTH + H_GAP), top

    for number, row in enumerate(layers):
        place_row(row, MARGIN + number * (NODE_HEIGHT + V_GAP))
    bottom = MARGIN + len(layers) * (NODE_HEIGHT + V_GAP) - V_GAP
    for number, row in enumerate(rows_below):
        place_row(row, bottom + UNREACHABLE_GAP + V_GAP // 2 + number * (NODE_HEIGHT + H_GAP))
    if rows_below:
        bottom += UNREACHABLE_GAP + V_GAP // 2 + len(rows_below) * (NODE_HEIGHT + H_GAP) - H_GAP
    height = bottom + MARGIN

    assign_ports(boxes, content_left, content_right)
    edges = tuple(_edge(arrow, boxes, content_left, content_right) for arrow in arrows)
    nodes = _nodes(plan, findings, boxes, order, unreachable)
    return FlowDiagram(
        width=width,
        height=height,
        nodes=nodes,
        edges=edges,
        title=f"Flow of {plan.name}" if plan.name else "Funnel flow",
        description=_describe(plan, steps, order, unreachable, graph.cycle, nodes),
    )


def _edge(arrow: Arrow, boxes: dict[str, Box], content_left: int, content_right: int) -> DiagramEdge:
    path, label_x, label_y = draw(arrow, boxes, content_left, content_right)
    return DiagramEdge(
        source=arrow.source,
        target=arrow.target,
        kind=arrow.kind,
        path=path,
        label={"accept": "Yes", "decline": "No"}.get(arrow.kind, ""),
        label_x=label_x,
        label_y=label_y,
    )


# -- words ------------------------------------------------------------------------------------------------------


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _squeeze(text: str, glyph: float, width: int) -> int:
    room = width - 2 * PADDING
    return room if len(text) * glyph > room else 0


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _step_name(plan: FunnelPlan, steps: dict[str, Step], key: str) -> str:
    step = steps.get(key)
    offer = plan.offer(step.offer) if step is not None else None
    return offer.name if offer is not None and offer.name.strip() else f"Step {key}"


def _nodes(
    plan: FunnelPlan,
    findings: Sequence[Finding],
    boxes: dict[str, Box],
    order: Sequence[str],
    unreachable: Sequence[str],
) -> tuple[DiagramNode, ...]:
    errors: set[tuple[Stage, str | None]] = set()
    warnings: set[tuple[Stage, str | None]] = set()
    for found in findings:
        if found.stage is None:
            continue
        place = (found.stage, found.step if found.stage is Stage.POST_PURCHASE else None)
        (errors if found.severity is Severity.ERROR else warnings).add(place)

    def node(key: str, label: str, detail: str, kind: str, href: str, place: tuple[Stage, str | None]) -> DiagramNode:
        box = boxes[key]
        return DiagramNode(
            key=key,
            label=_truncate(label, LABEL_MAX),
            detail=_truncate(detail, DETAIL_MAX),
            kind=kind,
            x=box.x,
            y=box.y,
            width=NODE_WIDTH,
            height=NODE_HEIGHT,
            has_error=place in errors,
            has_warning=place in warnings,
            href=href,
            tooltip=" ".join(label.split()),
        )

    core = plan.core_offer
    bumps = len(plan.bumps)
    checkout_detail = " · ".join(
        part
        for part in (
            "Checkout",
            format_money(core.price, plan.currency) if core is not None else "",
            _plural(bumps, "bump") if bumps else "no bumps",
        )
        if part
    )
    nodes = [
        node(
            CHECKOUT_KEY,
            core.name if core is not None and core.name.strip() else "Checkout",
            checkout_detail,
            "checkout",
            "#checkout",
            (Stage.CHECKOUT, None),
        )
    ]
    steps = {s.key: s for s in reversed(plan.steps)}  # the first of a duplicate key wins
    for key, kind in [*((k, "step") for k in order), *((k, "unreachable") for k in unreachable)]:
        step = steps[key]
        offer = plan.offer(step.offer)
        if offer is None:
            detail = "Offer not found"
        else:
            rate: Decimal = plan.take_rate(step)
            detail = f"{offer.kind.label} · {format_money(offer.price, plan.currency)} · {format_percent(rate)}"
        if kind == "unreachable":
            detail = f"Not reachable · {detail}"
        name = _step_name(plan, steps, key)
        nodes.append(node(key, name, detail, kind, f"#step-{key}", (Stage.POST_PURCHASE, key)))
    later = len(plan.thank_you_cross_sells)
    thank_you_detail = "Order summary" + (f" · {_plural(later, 'cross-sell')}" if later else "")
    nodes.append(
        node(THANK_YOU_KEY, "Thank-you page", thank_you_detail, "thank_you", "#thank-you", (Stage.THANK_YOU, None))
    )
    return tuple(nodes)


def _describe(
    plan: FunnelPlan,
    steps: dict[str, Step],
    order: Sequence[str],
    unreachable: Sequence[str],
    cycle: tuple[str, ...] | None,
    nodes: Sequence[DiagramNode],
) -> str:
    """The diagram in sentences, for screen readers: where the checkout leads, then each step's two answers."""
    flagged = {n.key: n for n in nodes}

    def name(key: str | None) -> str:
        if key is None:
            return "the thank-you page"
        if key not in steps:
            return f"a missing step ({key})"
        text = _step_name(plan, steps, key)
        mark = flagged.get(key)
        if mark is not None and mark.has_error:
            text += " (has errors)"
        elif mark is not None and mark.has_warning:
            text += " (has warnings)"
        return text

    core = plan.core_offer
    checkout = f"Checkout ({core.name})" if core is not None else "Checkout"
    sentences = [f"{checkout} leads to {name(plan.start)}."]
    for key in order:
        step = steps[key]
        sentences.append(
            f"{name(key)}: if they accept → {name(step.on_accept)}; if they decline → {name(step.on_decline)}."
        )
    if cycle:
        loop = " → ".join(_step_name(plan, steps, k) for k in (*cycle, cycle[0]))
        sentences.append(f"The flow loops: {loop}.")
    if unreachable:
        sentences.append("Not reachable from the checkout: " + ", ".join(name(k) for k in unreachable) + ".")
    return " ".join(sentences)
