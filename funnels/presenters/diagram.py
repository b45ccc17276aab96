"""The editor's flow diagram as plain values: where each box and arrow goes, worked out once per plan.

The diagram reads top to bottom, which suits a narrow side panel and a phone: the checkout, then the
post-purchase steps in layers (a step's layer is its longest path from the start, so every arrow between
reachable steps points down), then the thank-you page; steps no path reaches sit in a trailing row of their own.
Within a layer the boxes are ordered by the barycentre of their parents and children (a few stable sweeps), so
arrows cross less; each layer is centred, so boxes never overlap.

An arrow to the next layer is one curve. An arrow that skips layers runs down a lane to the right of the boxes;
one that points up or sideways (a loop) runs up a lane to the left, with rounded corners. Arrows to the same box
of the same kind share a lane, so a long chain whose steps all decline to the thank-you page needs one lane, not
one per step. Lanes are reused where their spans do not meet (greedy interval colouring). Everything is linear
in steps and edges apart from the sorts, and iterative: a loop cannot hang it, a 100-step chain cannot overflow.

The template (``templates/funnels/_diagram.html``) only draws these values; all user text is escaped there.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import format_money, format_percent
from funnels.domain.checks.findings import Finding, Severity
from funnels.domain.flow.graph import analyse_flow
from funnels.domain.plan import FunnelPlan, Stage, Step

__all__ = [
    "CHECKOUT_KEY",
    "THANK_YOU_KEY",
    "DiagramEdge",
    "DiagramNode",
    "FlowDiagram",
    "layout_flow",
]

CHECKOUT_KEY = "(checkout)"
"""The checkout node's key: parentheses never appear in a step key, so it cannot clash with one."""
THANK_YOU_KEY = "(thank-you)"

NODE_WIDTH = 216
NODE_HEIGHT = 54
H_GAP = 28  # between boxes of one layer
V_GAP = 64  # between layers: room for the arrows, their labels and the lanes' turns
MARGIN = 12
LANE_GAP = 14
UNREACHABLE_GAP = 28  # extra space above the row of unreachable steps
CORNER = 6
LABEL_MAX = 28
DETAIL_MAX = 36
LABEL_OFFSET = 15  # an edge label's centre, beside its line
_FAR = 10**9
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


# -- working values ---------------------------------------------------------------------------------------------


@dataclass
class _Link:
    source: str
    target: str
    kind: str  # "accept" | "decline" | "start"
    route: str = "direct"  # "direct" | "right" (down a lane) | "left" (up a lane)
    lane: int = 0
    out_x: int = 0
    in_x: int = 0


@dataclass
class _Box:
    key: str
    layer: int
    x: int = 0
    y: int = 0
    outgoing: list[_Link] = field(default_factory=list)
    incoming: list[_Link] = field(default_factory=list)


def layout_flow(plan: FunnelPlan, findings: Sequence[Finding] = ()) -> FlowDiagram:
    """Place the plan's checkout, steps and thank-you page, and route the arrows between them."""
    graph = analyse_flow(plan)
    steps: dict[str, Step] = {}
    for step in plan.steps:
        steps.setdefault(step.key, step)  # a duplicate key: the first one counts, as in the graph
    reachable = graph.reachable
    order = list(graph.order) if graph.cycle is None else _reverse_postorder(plan.start, steps, reachable)
    rank = {key: i for i, key in enumerate(order)}

    # layers: the longest path from the start over the forward edges (a loop's back edge is left out)
    layer: dict[str, int] = dict.fromkeys(order, 1)
    links: list[_Link] = []
    if plan.start is None:
        links.append(_Link(CHECKOUT_KEY, THANK_YOU_KEY, "start"))
    elif plan.start in reachable:
        links.append(_Link(CHECKOUT_KEY, plan.start, "start"))
    for key in order:
        for kind, dest in steps[key].edges:
            if dest is None:
                links.append(_Link(key, THANK_YOU_KEY, kind))
            elif dest in rank:  # an edge to a missing step is skipped
                links.append(_Link(key, dest, kind))
                if rank[dest] > rank[key]:
                    layer[dest] = max(layer[dest], layer[key] + 1)
    thank_you_layer = max(layer.values(), default=0) + 1

    boxes: dict[str, _Box] = {CHECKOUT_KEY: _Box(CHECKOUT_KEY, 0), THANK_YOU_KEY: _Box(THANK_YOU_KEY, thank_you_layer)}
    for key in order:
        boxes[key] = _Box(key, layer[key])
    boxes[THANK_YOU_KEY].layer = thank_you_layer
    for link in links:
        boxes[link.source].outgoing.append(link)
        boxes[link.target].incoming.append(link)
        gap = boxes[link.target].layer - boxes[link.source].layer
        link.route = "direct" if gap == 1 else "right" if gap > 1 else "left"

    layers = _order_layers(plan.start, steps, boxes, thank_you_layer)
    unreachable = list(dict.fromkeys(key for key in graph.unreachable if key in steps))  # once per duplicate key
    widest = max(len(row) for row in layers)
    columns = max(widest, min(len(unreachable), 2))
    rows_below = [unreachable[i : i + columns] for i in range(0, len(unreachable), columns)]

    right_lanes = _assign_lanes([link for link in links if link.route == "right"], boxes)
    left_lanes = _assign_lanes([link for link in links if link.route == "left"], boxes)

    content_width = columns * NODE_WIDTH + (columns - 1) * H_GAP
    content_left = MARGIN + left_lanes * LANE_GAP
    content_right = content_left + content_width
    width = content_right + right_lanes * LANE_GAP + MARGIN

    def place_row(keys: Sequence[str], top: int) -> None:
        row_width = len(keys) * NODE_WIDTH + (len(keys) - 1) * H_GAP
        left = content_left + (content_width - row_width) // 2
        for i, key in enumerate(keys):
            box = boxes.setdefault(key, _Box(key, -1))
            box.x, box.y = left + i * (NODE_WIDTH + H_GAP), top

    for number, row in enumerate(layers):
        place_row(row, MARGIN + number * (NODE_HEIGHT + V_GAP))
    bottom = MARGIN + len(layers) * (NODE_HEIGHT + V_GAP) - V_GAP
    for number, row in enumerate(rows_below):
        place_row(row, bottom + UNREACHABLE_GAP + V_GAP // 2 + number * (NODE_HEIGHT + H_GAP))
    if rows_below:
        bottom += UNREACHABLE_GAP + V_GAP // 2 + len(rows_below) * (NODE_HEIGHT + H_GAP) - H_GAP
    height = bottom + MARGIN

    _assign_ports(boxes, content_left, content_right)
    edges = tuple(_draw(link, boxes, content_left, content_right) for link in links)
    nodes = _nodes(plan, findings, boxes, order, unreachable)
    return FlowDiagram(
        width=width,
        height=height,
        nodes=nodes,
        edges=edges,
        title=f"Flow of {plan.name}" if plan.name else "Funnel flow",
        description=_describe(plan, steps, order, unreachable, graph.cycle, nodes),
    )


# -- order ------------------------------------------------------------------------------------------------------


def _reverse_postorder(start: str | None, steps: dict[str, Step], reachable: Iterable[str]) -> list[str]:
    """An order of the reachable steps in which every edge not closing a loop points forward (iterative DFS)."""
    if start is None or start not in steps:
        return []
    allowed = set(reachable)
    postorder: list[str] = []
    seen = {start}
    stack: list[tuple[str, int]] = [(start, 0)]
    while stack:
        key, index = stack.pop()
        edges = steps[key].edges
        if index < len(edges):
            stack.append((key, index + 1))
            dest = edges[index][1]
            if dest is not None and dest in allowed and dest not in seen:
                seen.add(dest)
                stack.append((dest, 0))
            continue
        postorder.append(key)
    postorder.reverse()
    return postorder


def _order_layers(
    start: str | None, steps: dict[str, Step], boxes: dict[str, _Box], thank_you_layer: int
) -> list[list[str]]:
    """Each layer's keys, left to right: first met (accept before decline), then barycentre sweeps."""
    first_met: dict[str, int] = {}
    queue = [start] if start is not None and start in boxes else []
    for key in queue:  # a breadth-first walk; the list grows as it goes
        if key in first_met:
            continue
        first_met[key] = len(first_met)
        queue.extend(dest for _, dest in steps[key].edges if dest is not None and dest in boxes)
    layers: list[list[str]] = [[] for _ in range(thank_you_layer + 1)]
    layers[0].append(CHECKOUT_KEY)
    layers[thank_you_layer].append(THANK_YOU_KEY)
    for key in sorted(first_met, key=first_met.__getitem__):
        layers[boxes[key].layer].append(key)

    position: dict[str, float] = {}

    def index(row: list[str]) -> None:
        middle = (len(row) - 1) / 2
        for i, key in enumerate(row):
            position[key] = i - middle

    for row in layers:
        index(row)

    def sweep(numbers: Iterable[int], downwards: bool) -> None:
        for number in numbers:
            row = layers[number]
            if len(row) < 2:
                continue

            def weight(key: str) -> float:
                box = boxes[key]
                others = (
                    [link.source for link in box.incoming if link.route != "left"]
                    if downwards
                    else [link.target for link in box.outgoing if link.route != "left"]
                )
                return sum(position[k] for k in others) / len(others) if others else position[key]

            row.sort(key=weight)  # stable: ties keep their order
            index(row)

    last = thank_you_layer - 1
    sweep(range(2, last + 1), downwards=True)
    sweep(range(last - 1, 0, -1), downwards=False)
    sweep(range(2, last + 1), downwards=True)
    return layers


def _assign_lanes(links: list[_Link], boxes: dict[str, _Box]) -> int:
    """Give each group of links (same target, same kind) a lane; groups whose spans do not meet share one."""
    groups: dict[tuple[str, str], list[_Link]] = {}
    for link in links:
        groups.setdefault((link.target, link.kind), []).append(link)
    spans = []
    for number, members in enumerate(groups.values()):
        layers = [boxes[m.source].layer for m in members] + [boxes[members[0].target].layer]
        spans.append((min(layers), max(layers), number, members))
    spans.sort(key=lambda span: (span[0], span[1], span[2]))
    free: list[tuple[int, int]] = []  # (last layer used, lane)
    lanes = 0
    for low, high, _, members in spans:
        if free and free[0][0] < low:
            _, lane = heapq.heappop(free)
        else:
            lane, lanes = lanes, lanes + 1
        heapq.heappush(free, (high, lane))
        for member in members:
            member.lane = lane
    return lanes


# -- geometry ---------------------------------------------------------------------------------------------------


def _lane_x(link: _Link, content_left: int, content_right: int) -> int:
    if link.route == "right":
        return content_right + (link.lane + 1) * LANE_GAP - LANE_GAP // 2
    return content_left - (link.lane + 1) * LANE_GAP + LANE_GAP // 2


def _assign_ports(boxes: dict[str, _Box], content_left: int, content_right: int) -> None:
    """Spread each box's arrows along its bottom (outgoing) and top (incoming) edge, in the order they head."""
    kind_order = {"start": 0, "accept": 1, "decline": 2}
    for box in boxes.values():

        def heading(link: _Link) -> tuple[int, int]:
            if link.route == "direct":
                target = boxes[link.target]
                return target.x + NODE_WIDTH // 2, kind_order[link.kind]
            return (_FAR if link.route == "right" else -_FAR), kind_order[link.kind]

        outgoing = sorted(box.outgoing, key=heading)
        for i, link in enumerate(outgoing):
            link.out_x = box.x + NODE_WIDTH * (i + 1) // (len(outgoing) + 1)

    for box in boxes.values():
        # arrows down one lane arrive together, so a lane takes one port
        ports: dict[tuple[str, int, str], list[_Link]] = {}
        for link in box.incoming:
            port = ("direct", id(link), "") if link.route == "direct" else (link.route, link.lane, link.kind)
            ports.setdefault(port, []).append(link)

        def coming_from(group: list[_Link]) -> tuple[int, int]:
            link = group[0]
            if link.route == "direct":
                return link.out_x, kind_order[link.kind]
            return _lane_x(link, content_left, content_right), kind_order[link.kind]

        groups = sorted(ports.values(), key=coming_from)
        for i, group in enumerate(groups):
            for link in group:
                link.in_x = box.x + NODE_WIDTH * (i + 1) // (len(groups) + 1)


def _draw(link: _Link, boxes: dict[str, _Box], content_left: int, content_right: int) -> DiagramEdge:
    source, target = boxes[link.source], boxes[link.target]
    sx, sy = link.out_x, source.y + NODE_HEIGHT
    tx, ty = link.in_x, target.y
    label = {"accept": "Yes", "decline": "No"}.get(link.kind, "")
    if link.route == "direct":
        bend = (ty - sy) // 2
        path = f"M{sx},{sy} C{sx},{sy + bend} {tx},{ty - bend} {tx},{ty}"
        side = -1 if tx >= sx else 1  # the label sits on the side the curve leaves
    else:
        lane = _lane_x(link, content_left, content_right)
        step = 6 * (link.lane % 4)
        leave = sy + 20 + step
        arrive = ty - 22 - step  # leaves a straight run for the arrowhead
        path = _rounded([(sx, sy), (sx, leave), (lane, leave), (lane, arrive), (tx, arrive), (tx, ty)])
        side = -1 if link.route == "right" else 1
    return DiagramEdge(
        source=link.source,
        target=link.target,
        kind=link.kind,
        path=path,
        label=label,
        label_x=sx + side * LABEL_OFFSET,
        label_y=sy + 14,
    )


def _rounded(points: list[tuple[int, int]]) -> str:
    """An orthogonal polyline as an SVG path whose corners are small quadratic curves."""
    parts = [f"M{points[0][0]},{points[0][1]}"]
    for before, corner, after in zip(points, points[1:], points[2:], strict=False):
        into = _toward(corner, before)
        out = _toward(corner, after)
        parts.append(f"L{into[0]},{into[1]} Q{corner[0]},{corner[1]} {out[0]},{out[1]}")
    parts.append(f"L{points[-1][0]},{points[-1][1]}")
    return " ".join(parts)


def _toward(corner: tuple[int, int], other: tuple[int, int]) -> tuple[int, int]:
    """The point CORNER units from ``corner`` toward ``other`` (half way if they are closer)."""
    dx, dy = other[0] - corner[0], other[1] - corner[1]
    length = abs(dx) + abs(dy)  # the segments are horizontal or vertical
    if length == 0:
        return corner
    reach = min(CORNER, length // 2)
    return corner[0] + dx * reach // length, corner[1] + dy * reach // length


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
    boxes: dict[str, _Box],
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
