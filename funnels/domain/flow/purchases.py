"""What a buyer has surely bought by the time they meet an offer, and so what an upgrade costs them.

An upgrade (an offer that ``replaces`` another) adds only its price minus the price of what it replaces,
and only a buyer who owns the original can upgrade it. The core offer is owned by everyone; a one-click
offer is owned on every path that passes its accept edge. Bumps are independent yes/no choices, so no
later step can count on one. Where the original is not surely owned, the rules report
``upgrade-without-original`` and the arithmetic charges the full price.
"""

from __future__ import annotations

from decimal import Decimal

from funnels.domain.flow.graph import FlowGraph
from funnels.domain.plan import FunnelPlan, Placement, Stage, Step

THANK_YOU = ""
"""The key under which ``owned_before`` files the thank-you page."""


def owned_before(plan: FunnelPlan, graph: FlowGraph) -> dict[str, frozenset[str]]:
    """For each reachable step (and the thank-you page, under ``THANK_YOU``), the offers owned on every path.

    Only meaningful on an acyclic flow; on a loop it answers for the core alone. Of the one-click offers only
    those some upgrade replaces are tracked, since only owning them changes a price or a rule: a set of every
    offer bought would be copied, as long as the path, at every accept of a long chain.
    """
    at_checkout = frozenset({plan.core})
    originals = frozenset(offer.replaces for offer in plan.offers if offer.replaces is not None)
    owned: dict[str, frozenset[str]] = {}
    if graph.cycle is not None:
        return {THANK_YOU: at_checkout}
    for key in graph.order:
        sets = []
        for source, edge in graph.incoming[key]:
            sets.append(at_checkout if edge == "start" else _after(plan, owned, source, edge, originals))
        owned[key] = frozenset.intersection(*sets) if sets else at_checkout
    ends: list[frozenset[str]] = []
    if plan.start is None or plan.start not in graph.reachable:
        ends.append(at_checkout)
    for key in graph.order:
        step = plan.step(key)
        assert step is not None
        for edge, dest in step.edges:
            if dest is None or dest not in graph.reachable:
                ends.append(_after(plan, owned, key, edge, originals))
    owned[THANK_YOU] = frozenset.intersection(*ends) if ends else at_checkout
    return owned


def _after(
    plan: FunnelPlan, owned: dict[str, frozenset[str]], source: str, edge: str, originals: frozenset[str]
) -> frozenset[str]:
    before = owned[source]
    step = plan.step(source)
    if edge == "accept" and step is not None and step.offer in originals and step.offer not in before:
        return before | {step.offer}
    return before


def owned_at(owned: dict[str, frozenset[str]], placed: Placement | Step, plan: FunnelPlan) -> frozenset[str]:
    """The offers surely owned where ``placed`` is shown."""
    if isinstance(placed, Step):
        return owned.get(placed.key, frozenset({plan.core}))
    if placed.stage is Stage.THANK_YOU:
        return owned.get(THANK_YOU, frozenset({plan.core}))
    return frozenset({plan.core})


def effective_price(plan: FunnelPlan, offer_key: str, owned: frozenset[str]) -> Decimal:
    """What saying yes adds to the buyer's spend: the price, less the replaced offer's when it is owned."""
    offer = plan.offer(offer_key)
    if offer is None:
        return Decimal("0")
    if offer.replaces is not None and offer.replaces in owned:
        original = plan.offer(offer.replaces)
        if original is not None:
            return offer.price - original.price
    return offer.price
