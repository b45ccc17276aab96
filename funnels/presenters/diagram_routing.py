"""Where the flow diagram's boxes sit within their layers and how its arrows run between them.

``funnels.presenters.diagram`` gives each box its layer (over an order of the steps in which every edge not
closing a loop points forward, ``reverse_postorder`` here when the flow loops) and places the rows; this module
does the rest, so that the drawing stays readable however the steps are wired. Within a layer the boxes are
ordered by the barycentre of their parents and children (a few stable sweeps), so arrows cross less.

An arrow to the next layer is one curve. An arrow that skips layers runs down a lane to the right of the boxes;
one that points up or sideways (a loop) runs up a lane to the left, with rounded corners. Arrows to the same box
of the same kind share a lane, so a long chain whose steps all decline to the thank-you page needs one lane, not
one per step. Lanes are reused where their spans do not meet (greedy interval colouring). Each box spreads its
arrows along its bottom (outgoing) and top (incoming) edge in the order they head, so they do not cross there.
Everything is linear in steps and edges apart from the sorts, and iterative: a loop cannot hang it, a 100-step
chain cannot overflow.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

from funnels.domain.plan import Step

CHECKOUT_KEY = "(checkout)"
"""The checkout node's key: parentheses never appear in a step key, so it cannot clash with one."""
THANK_YOU_KEY = "(thank-you)"

NODE_WIDTH = 216
NODE_HEIGHT = 54
LANE_GAP = 14
CORNER = 6
LABEL_OFFSET = 15  # an edge label's centre, beside its line
_FAR = 10**9


# -- working values ---------------------------------------------------------------------------------------------


@dataclass
class Arrow:
    """An arrow being routed (a working value of the layout, not part of its result)."""

    source: str
    target: str
    kind: str  # "accept" | "decline" | "start"
    route: str = "direct"  # "direct" | "right" (down a lane) | "left" (up a lane)
    lane: int = 0
    out_x: int = 0
    in_x: int = 0


@dataclass
class Box:
    """A box being placed (a working value of the layout, not part of its result)."""

    key: str
    layer: int
    x: int = 0
    y: int = 0
    outgoing: list[Arrow] = field(default_factory=list)
    incoming: list[Arrow] = field(default_factory=list)


# -- order ------------------------------------------------------------------------------------------------------


def reverse_postorder(start: str | None, steps: dict[str, Step], reachable: Iterable[str]) -> list[str]:
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


def order_layers(
    start: str | None, steps: dict[str, Step], boxes: dict[str, Box], thank_you_layer: int
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
                    [arrow.source for arrow in box.incoming if arrow.route != "left"]
                    if downwards
                    else [arrow.target for arrow in box.outgoing if arrow.route != "left"]
                )
                return sum(position[k] for k in others) / len(others) if others else position[key]

            row.sort(key=weight)  # stable: ties keep their order
            index(row)

    last = thank_you_layer - 1
    sweep(range(2, last + 1), downwards=True)
    sweep(range(last - 1, 0, -1), downwards=False)
    sweep(range(2, last + 1), downwards=True)
    return layers


def assign_lanes(arrows: list[Arrow], boxes: dict[str, Box]) -> int:
    """Give each group of arrows (same target, same kind) a lane; groups whose spans do not meet share one."""
    groups: dict[tuple[str, str], list[Arrow]] = {}
    for arrow in arrows:
        groups.setdefault((arrow.target, arrow.kind), []).append(arrow)
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


def _lane_x(arrow: Arrow, content_left: int, content_right: int) -> int:
    if arrow.route == "right":
        return content_right + (arrow.lane + 1) * LANE_GAP - LANE_GAP // 2
    return content_left - (arrow.lane + 1) * LANE_GAP + LANE_GAP // 2


def assign_ports(boxes: dict[str, Box], content_left: int, content_right: int) -> None:
    """Spread each box's arrows along its bottom (outgoing) and top (incoming) edge, in the order they head."""
    kind_order = {"start": 0, "accept": 1, "decline": 2}
    for box in boxes.values():

        def heading(arrow: Arrow) -> tuple[int, int]:
            if arrow.route == "direct":
                target = boxes[arrow.target]
                return target.x + NODE_WIDTH // 2, kind_order[arrow.kind]
            return (_FAR if arrow.route == "right" else -_FAR), kind_order[arrow.kind]

        outgoing = sorted(box.outgoing, key=heading)
        for i, arrow in enumerate(outgoing):
            arrow.out_x = box.x + NODE_WIDTH * (i + 1) // (len(outgoing) + 1)

    for box in boxes.values():
        # arrows down one lane arrive together, so a lane takes one port
        ports: dict[tuple[str, int, str], list[Arrow]] = {}
        for arrow in box.incoming:
            port = ("direct", id(arrow), "") if arrow.route == "direct" else (arrow.route, arrow.lane, arrow.kind)
            ports.setdefault(port, []).append(arrow)

        def coming_from(group: list[Arrow]) -> tuple[int, int]:
            arrow = group[0]
            if arrow.route == "direct":
                return arrow.out_x, kind_order[arrow.kind]
            return _lane_x(arrow, content_left, content_right), kind_order[arrow.kind]

        groups = sorted(ports.values(), key=coming_from)
        for i, group in enumerate(groups):
            for arrow in group:
                arrow.in_x = box.x + NODE_WIDTH * (i + 1) // (len(groups) + 1)


def draw(arrow: Arrow, boxes: dict[str, Box], content_left: int, content_right: int) -> tuple[str, int, int]:
    """The arrow's SVG path (``d``, from the source box to the target box) and where its label's centre goes."""
    source, target = boxes[arrow.source], boxes[arrow.target]
    sx, sy = arrow.out_x, source.y + NODE_HEIGHT
    tx, ty = arrow.in_x, target.y
    if arrow.route == "direct":
        bend = (ty - sy) // 2
        path = f"M{sx},{sy} C{sx},{sy + bend} {tx},{ty - bend} {tx},{ty}"
        side = -1 if tx >= sx else 1  # the label sits on the side the curve leaves
    else:
        lane = _lane_x(arrow, content_left, content_right)
        step = 6 * (arrow.lane % 4)
        leave = sy + 20 + step
        arrive = ty - 22 - step  # leaves a straight run for the arrowhead
        path = _rounded([(sx, sy), (sx, leave), (lane, leave), (lane, arrive), (tx, arrive), (tx, ty)])
        side = -1 if arrow.route == "right" else 1
    return path, sx + side * LABEL_OFFSET, sy + 14


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
