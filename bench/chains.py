"""The benchmarks' funnels: a chain of ``size`` upsells, each shown to those who declined the one before, so
every step is reachable and the engine walks the whole chain."""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import Practice
from funnels.models import Funnel
from funnels.services.editing import funnel_create, funnel_step_add
from offers.models import Offer
from offers.services import offer_create


def chain_funnel(
    *,
    practice: Practice,
    core: Offer,
    size: int,
    name: str = "",
    describe: Callable[[int], dict[str, object]] | None = None,
) -> Funnel:
    """``describe(n)`` gives the n-th upsell's own fields (its copy, say), over the plain ones."""
    funnel = funnel_create(practice=practice, name=name or f"Chain of {size}", core_offer=core)
    previous = None
    for n in range(size):
        fields: dict[str, object] = {
            "key": f"bench-{size}-{n}",
            "name": f"Step {n} of {size}",
            "price": str(100 + n),
            "topics": ["anxiety"],
        }
        offer = offer_create(practice=practice, kind="upsell", **(fields | (describe(n) if describe else {})))  # type: ignore[arg-type]
        previous = funnel_step_add(
            funnel=funnel,
            expected_version=funnel.version,
            offer=offer,
            slot="one_click",
            take_rate="0.1",
            connect_from=previous,
            edge="on_decline",
        )
    return funnel
