"""The shape of the post-purchase flow: which steps a buyer can reach, in what order, and where it loops.

Worked out once, iteratively (no recursion, so a 100-step chain cannot overflow the stack), in time
linear in steps and edges. The rules report what is wrong with the shape; the metrics walk ``order``
backwards, so each step's value is computed once from values already known.
"""

from __future__ import annotations

from dataclasses import dataclass

from funnels.domain.plan import FunnelPlan

Edge = tuple[str, str]
"""(from step key, "accept" | "decline"); the start edge is ("", "start")."""


@dataclass(frozen=True)
class MissingTarget:
    """An edge (or the start) naming a step the funnel does not have."""

    source: str | None  # None: the funnel's start
    edge: str  # "start", "accept" or "decline"
    target: str


@dataclass(frozen=True)
class FlowGraph:
    """The post-purchase flow as the buyer can walk it.

    ``order`` lists the reachable steps, each before every step it can lead to; it is empty when
    ``cycle`` is set, since a loop has no such order. ``incoming`` gives, for each reachable step, the
    edges that lead into it from reachable steps (and ``("", "start")`` for the first step).
    Edges to missing steps are reported in ``missing`` and otherwise treated as leading to the thank-you page.
    """

    reachable: frozenset[str]
    order: tuple[str, ...]
    cycle: tuple[str, ...] | None
    unreachable: tuple[str, ...]
    missing: tuple[MissingTarget, ...]
    incoming: dict[str, tuple[Edge, ...]]

    @property
    def is_sound(self) -> bool:
        """True when every path ends at the thank-you page and every edge has a target."""
        return self.cycle is None and not self.missing


def analyse_flow(plan: FunnelPlan) -> FlowGraph:
    """Walk the flow from the start: reachability, a topological order, one loop if there is any."""
    missing: list[MissingTarget] = []
    known = {step.key for step in plan.steps}

    def target(source: str | None, edge: str, key: str | None) -> str | None:
        if key is None:
            return None
        if key not in known:
            missing.append(MissingTarget(source, edge, key))
            return None
        return key

    start = target(None, "start", plan.start)
    successors: dict[str, tuple[str, ...]] = {}
    for step in plan.steps:
        if step.key in successors:
            continue  # a duplicate key: the first one counts, the files' checks report the rest
        successors[step.key] = tuple(
            key for edge, dest in step.edges if (key := target(step.key, edge, dest)) is not None
        )

    postorder, cycle = _depth_first(start, successors)
    reachable = frozenset(postorder)
    incoming: dict[str, list[Edge]] = {key: [] for key in postorder}
    if start is not None:
        incoming[start].append(("", "start"))
    for step in plan.steps:
        if step.key not in reachable or plan.step(step.key) is not step:
            continue
        for edge, dest in step.edges:
            if dest is not None and dest in incoming:
                incoming[dest].append((step.key, edge))

    return FlowGraph(
        reachable=reachable,
        order=() if cycle else tuple(reversed(postorder)),
        cycle=cycle,
        unreachable=tuple(s.key for s in plan.steps if s.key not in reachable and s.key in successors),
        missing=tuple(missing),
        incoming={key: tuple(edges) for key, edges in incoming.items()},
    )


def _depth_first(start: str | None, successors: dict[str, tuple[str, ...]]) -> tuple[list[str], tuple[str, ...] | None]:
    """Postorder of the steps reachable from ``start`` and the first loop met (as the keys around it)."""
    if start is None:
        return [], None
    postorder: list[str] = []
    on_path: dict[str, int] = {}
    done: set[str] = set()
    path: list[str] = []
    cycle: tuple[str, ...] | None = None
    stack: list[tuple[str, int]] = [(start, 0)]
    while stack:
        node, index = stack.pop()
        if index == 0:
            on_path[node] = len(path)
            path.append(node)
        children = successors.get(node, ())
        if index < len(children):
            stack.append((node, index + 1))
            child = children[index]
            if child in on_path:
                if cycle is None:
                    cycle = tuple(path[on_path[child] :])
            elif child not in done:
                stack.append((child, 0))
            continue
        path.pop()
        del on_path[node]
        done.add(node)
        postorder.append(node)
    return postorder, cycle
