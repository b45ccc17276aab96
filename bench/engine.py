"""How the pure engine's work grows with a funnel's size: 100 against 1,000 steps, as ratios.

``uv run python bench/engine.py`` builds plans in memory (no database, no Django) of three shapes and times each
part of the engine on each, the median of ``BENCH_ROUNDS`` rounds:

- **chain**: upsells each shown to those who declined the one before (the benchmarks' usual funnel);
- **ladder**: both answers of every step lead to the next, so the number of order totals explodes and the
  distribution must give up at its bound early and cheaply;
- **bumps**: one order bump per "step" at the checkout (independent yes/no choices), a short flow after it.

Each part is also timed on ten separately built 100-step funnels in a row: the same amount of work over as many
Python objects. A 100-step funnel fits in the processor's caches and a 1,000-step one does not, so part of any
growth above 10 is memory, and the column ``÷ 10×100`` (about 1 when the work is linear) tells the two apart.
The plans' prices repeat every 100 steps, so both sizes hold the same mix of offers and findings per step.

The parts: the rules (``check_funnel``), the metrics (``compute_metrics``: AOV, sensitivities, the spread and the
distribution of order totals), the scenarios, the forecast (metrics, projection and scenarios, as the forecast
page asks for them) and the layout of the flow diagram. The figure printed is the growth ratio
time(1,000) / time(100): linear work gives about 10, and the goal is at most about 11. Absolute times are shown
only as a relative scale (the 100-step rules of a chain = 1), since the machines are noisy and shared.
``BENCH_PROFILE=shape/part`` (e.g. ``chain/metrics``) prints a cProfile of that part at 1,000 steps instead.
"""

from __future__ import annotations

import cProfile
import gc
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from funnels.domain.checks.rules import Finding, check_funnel  # noqa: E402
from funnels.domain.metrics import compute_metrics, project, scenarios  # noqa: E402
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step  # noqa: E402
from funnels.presenters.diagram import layout_flow  # noqa: E402
from offers.domain.kinds import OfferKind  # noqa: E402

SIZES = (100, 1000)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
GOAL = 11.0
CORE = OfferSpec("core", "Calm Your Nervous System", OfferKind.CORE, Decimal("97"), "USD", frozenset({"anxiety"}))


def _offer(n: int, size: int, kind: OfferKind, price: Decimal) -> OfferSpec:
    return OfferSpec(
        f"o{n}",
        f"Step {n} of {size}",
        kind,
        price,
        "USD",
        frozenset({"anxiety"}),
        headline=f"Go deeper with part {n}",
        body="A calm, practical next step for your nervous system, with support when you need it.",
    )


def chain(size: int) -> FunnelPlan:
    """``size`` upsells, each shown to those who declined the one before (as ``bench/chains.py`` builds them)."""
    offers = tuple(_offer(n, size, OfferKind.UPSELL, Decimal(100 + n % 100)) for n in range(size))
    steps = tuple(
        Step(f"s{n}", f"o{n}", Decimal("0.1"), None, f"s{n + 1}" if n + 1 < size else None) for n in range(size)
    )
    return FunnelPlan(f"Chain of {size}", "USD", (CORE, *offers), "core", start="s0", steps=steps)


def ladder(size: int) -> FunnelPlan:
    """``size`` cross-sells after payment, both answers of each leading to the next: 2^size paths."""
    offers = tuple(_offer(n, size, OfferKind.CROSS_SELL, Decimal(100 + n % 100)) for n in range(size))
    steps = []
    for n in range(size):
        following = f"s{n + 1}" if n + 1 < size else None
        steps.append(Step(f"s{n}", f"o{n}", Decimal("0.1"), following, following))
    return FunnelPlan(f"Ladder of {size}", "USD", (CORE, *offers), "core", start="s0", steps=tuple(steps))


def bumps(size: int) -> FunnelPlan:
    """``size`` order bumps at the checkout and one upsell after payment."""
    offers = tuple(_offer(n, size, OfferKind.ORDER_BUMP, Decimal(10 + n % 40)) for n in range(size))
    placed = tuple(Placement(f"o{n}", f"o{n}", Slot.BUMP, Stage.CHECKOUT, Decimal("0.3")) for n in range(size))
    upsell = _offer(size, size, OfferKind.UPSELL, Decimal("200"))
    step = Step("up", upsell.key, Decimal("0.15"))
    return FunnelPlan(f"Bumps {size}", "USD", (CORE, *offers, upsell), "core", bumps=placed, start="up", steps=(step,))


SHAPES: dict[str, Callable[[int], FunnelPlan]] = {"chain": chain, "ladder": ladder, "bumps": bumps}


def _forecast(plan: FunnelPlan) -> object:
    metrics = compute_metrics(plan)
    return project(metrics, 1000), scenarios(plan)


PARTS: dict[str, Callable[[FunnelPlan], object]] = {
    "rules": check_funnel,
    "metrics": compute_metrics,
    "scenarios": scenarios,
    "forecast": _forecast,
    "layout": lambda plan: layout_flow(plan, _findings(plan)),
}
_FOUND: dict[str, tuple[Finding, ...]] = {}


def _findings(plan: FunnelPlan) -> tuple[Finding, ...]:
    """The layout is timed on its own: the findings it marks the boxes with are worked out once, beforehand."""
    if plan.name not in _FOUND:
        _FOUND[plan.name] = check_funnel(plan)
    return _FOUND[plan.name]


def timed(
    part: Callable[[FunnelPlan], object], small: FunnelPlan, large: FunnelPlan, tens: list[FunnelPlan]
) -> tuple[float, float, float]:
    """The median times of ``ROUNDS`` runs on the small plan, the large one and ten separately built small ones
    in a row, taking turns (so all share the noise of a shared machine), each on a fresh copy of its plan (its
    cached lookups rebuilt) after a garbage collection."""
    samples: dict[int, list[float]] = {0: [], 1: [], 2: []}
    for _ in range(ROUNDS):
        for index, plans in enumerate(([small], [large], tens)):
            fresh = [replace(plan) for plan in plans]
            gc.collect()
            started = time.perf_counter()
            for plan in fresh:
                part(plan)
            samples[index].append(time.perf_counter() - started)
    return statistics.median(samples[0]), statistics.median(samples[1]), statistics.median(samples[2])


def profile(target: str) -> None:
    shape, part = target.split("/")
    plan = SHAPES[shape](SIZES[-1])
    profiler = cProfile.Profile()
    profiler.runcall(PARTS[part], plan)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    if target := os.environ.get("BENCH_PROFILE"):
        profile(target)
        return
    unit: float | None = None
    print(f"pure engine, median of {ROUNDS} rounds; growth = time at {SIZES[1]:,} steps / time at {SIZES[0]:,}")
    print(f"{'shape':<8}{'part':<11}{'× unit @100':>13}{'× unit @1000':>14}{'growth':>9}{'÷ 10×100':>10}")
    worst = 0.0
    for shape, build in SHAPES.items():
        small, large = build(SIZES[0]), build(SIZES[1])
        tens = [build(SIZES[0]) for _ in range(SIZES[1] // SIZES[0])]
        for name, part in PARTS.items():
            part(small), part(large)  # warm up: imports, regexes compiled and texts read once per process
            t_small, t_large, t_tens = timed(part, small, large, tens)
            unit = unit or t_small
            growth = t_large / t_small
            worst = max(worst, growth)
            flag = "" if growth <= GOAL else "  over the goal"
            print(
                f"{shape:<8}{name:<11}{t_small / unit:>13.2f}{t_large / unit:>14.2f}{growth:>9.1f}"
                f"{t_large / t_tens:>10.2f}{flag}"
            )
    print(f"worst growth {worst:.1f}× (goal: at most about {GOAL:g}×); unit = the 100-step chain's rules")
    print(
        "÷ 10×100: the 1,000-step time over ten separately built 100-step funnels run in a row (the same work "
        "over as many objects): about 1 means linear, and growth above 10 is then memory, not the algorithm"
    )


if __name__ == "__main__":
    main()
