"""The flow diagram annotated with what buyers did: each step's box says its observed rate beside the assumed
one, and a step whose assumption lies outside its interval carries the warning badge. The layout is
``funnels.presenters.diagram``'s own, unchanged; only the boxes' words, links and marks are replaced."""

from __future__ import annotations

from dataclasses import replace

from core.money import format_percent
from funnels.domain.actuals import Actuals
from funnels.domain.plan import FunnelPlan, Stage
from funnels.presenters.diagram import CHECKOUT_KEY, THANK_YOU_KEY, FlowDiagram, layout_flow


def observed_diagram(plan: FunnelPlan, actuals: Actuals) -> FlowDiagram:
    diagram = layout_flow(plan)
    steps = {s.place.key: s for s in actuals.steps if s.place.stage is Stage.POST_PURCHASE}
    checkout = [s for s in actuals.steps if s.place.stage is Stage.CHECKOUT]
    nodes = []
    for node in diagram.nodes:
        step = steps.get(node.key) if node.kind in ("step", "unreachable") else None
        if step is not None:
            seen = f"{format_percent(step.rate)} of {step.shown:,}" if step.rate is not None else "not seen"
            node = replace(
                node,
                detail=f"{seen} · assumed {format_percent(step.assumed)}",
                href=f"#actual-{step.place.stage}-{step.place.key}",
                has_error=False,
                has_warning=step.assumption_off,
            )
        elif node.key == CHECKOUT_KEY:
            node = replace(
                node,
                detail=f"{actuals.visits:,} visits",
                href="#actuals-steps",
                has_error=False,
                has_warning=any(s.assumption_off for s in checkout),
            )
        elif node.key == THANK_YOU_KEY:
            node = replace(node, href="#actuals-steps", has_error=False, has_warning=False)
        nodes.append(node)
    return replace(diagram, nodes=tuple(nodes), title=f"Observed flow of {plan.name}")
