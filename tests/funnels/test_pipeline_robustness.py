"""Damaged funnel files never crash the pipeline: each is refused with its problems, found uncomputable
with a reason, or checked and forecast. (Seeded, so a failure reproduces.)"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from core.money import quantize_money
from funnels.domain.checks.rules import check_funnel
from funnels.domain.metrics import UncomputableFunnel, compute_metrics, exact_decimal, project, scenarios
from funnels.interchange.plans import plan_from_document
from funnels.interchange.problems import FunnelFileError
from funnels.interchange.reading import read_funnel_document
from funnels.services.demo import DEMO_DIR

DEMO = sorted(DEMO_DIR.glob("*.json"))
ODD_VALUES: list[Any] = [
    None,
    0,
    1,
    -1,
    "0",
    "1.5",
    "0.0001",
    "up1",
    "down1",
    "calm-course",
    "three-calls",
    "mastermind",
    "single",
    "big",
    "calls",
    "upgrade",
    [],
    {},
    True,
    "",
    "x" * 70,
    "1000000",
    "0.9999",
    "core",
    "upsell",
    "downsell",
    "order_bump",
    "cross_sell",
]


def json_paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from json_paths(child, (*prefix, key))


def damaged(document: dict[str, Any], rng: random.Random) -> str:
    copy = json.loads(json.dumps(document))
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        path = rng.choice([p for p in json_paths(copy) if p])
        parent = copy
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and rng.random() < 0.2:
            del parent[path[-1]]
        else:
            parent[path[-1]] = rng.choice(ODD_VALUES)
    return json.dumps(copy)


@pytest.mark.parametrize("seed", range(4))
def test_damaged_files_are_refused_or_computed_never_crash(seed: int) -> None:
    rng = random.Random(seed)
    documents = [json.loads(path.read_text()) for path in DEMO]
    outcomes = {"refused": 0, "uncomputable": 0, "computed": 0}
    for _ in range(400):
        raw = damaged(rng.choice(documents), rng)
        try:
            plan = plan_from_document(read_funnel_document(raw))
        except FunnelFileError as error:
            assert error.problems and all(p.path and p.message for p in error.problems)
            outcomes["refused"] += 1
            continue
        findings = check_funnel(plan)
        assert all(f.message and f.hint for f in findings)
        try:
            metrics = compute_metrics(plan)
        except UncomputableFunnel as error:
            assert str(error)
            outcomes["uncomputable"] += 1
            continue
        # an upgrade priced below its original is an error finding, so the AOV may dip under the core's price
        assert metrics.aov.is_finite() and metrics.std >= 0
        assert quantize_money(project(metrics, 1000).revenue) == quantize_money(exact_decimal(1000 * metrics.aov_exact))
        scenarios(plan)
        outcomes["computed"] += 1
    assert outcomes["refused"] and outcomes["computed"]
