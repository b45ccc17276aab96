"""How fast an orders file is read and counted, as a ratio to Python's csv module merely reading the same
file, and the peak memory (the process's peak resident size, before and after) while doing it.
Prints ratios, not seconds: machines differ, ratios less.

    uv run python bench/orders.py                 # 600,000 visits, about a million rows, in a temporary file
    uv run python bench/orders.py --visits 60000
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from funnels.demo.generate_orders import write_orders  # noqa: E402
from funnels.services.actuals import orders_actuals, orders_count  # noqa: E402
from tests.funnels.demo_plans import demo_plan  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=600_000)
    args = parser.parse_args()
    plan = demo_plan()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        expected = write_orders(path, visits=args.visits, seed=1)
        started = time.perf_counter()
        with path.open(newline="", encoding="utf-8") as handle:
            rows = sum(1 for _ in csv.reader(handle)) - 1
        baseline = time.perf_counter() - started
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        with path.open("rb") as stream:
            counted = orders_count(plan=plan, stream=stream, catalog=[o.key for o in plan.offers])
        actuals = orders_actuals(plan=plan, counted=counted)
        ours = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        assert counted.counts.rows == rows == expected.rows and actuals.visits == expected.visits
        print(f"rows: {rows:,} ({path.stat().st_size / 2**20:.0f} MiB)")
        print(
            f"read and counted: {rows / ours:,.0f} rows/s = {baseline / ours:.2f} × "
            "csv.reader merely reading (goal ≥ 0.3)"
        )
        print(
            f"peak resident memory: {peak / 1024:.0f} MiB ({(peak - before) / 1024:.0f} MiB more than before reading)"
        )


if __name__ == "__main__":
    main()
