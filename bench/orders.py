"""How fast an orders file is read and counted, as a ratio to Python's csv module merely reading the same file,
and the peak memory (the process's peak resident size, before and after) while doing it. Prints ratios, not
seconds: machines differ, ratios less.

Each round times, one after the other on the same file, csv.reader merely reading it, the whole count the
background task runs (``orders_count`` then ``orders_actuals``: every row read, validated, hashed and kept, then
every buyer counted against the funnel, then the figures), which is the figure held to the goal, and the reader
alone (``read_orders``); the ratios printed are the medians over the rounds. Times are the process's CPU time
(every thread's), so that other work on a shared machine sways them less than a wall clock. Memory: the
process's peak resident size, and (in one more, untimed pass under ``tracemalloc``) the most that reading and
counting had allocated at once in Python objects (pyarrow's own buffers are not traced there).

    uv run python bench/orders.py                 # 600,000 visits, about a million rows, in a temporary file
    uv run python bench/orders.py --visits 180000 --rounds 3
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from funnels.demo.generate_orders import write_orders  # noqa: E402
from funnels.interchange.orders import read_orders  # noqa: E402
from funnels.services.actuals import orders_actuals, orders_buyer_key, orders_count  # noqa: E402
from tests.funnels.demo_plans import demo_plan  # noqa: E402

GOAL = 0.3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=600_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    plan = demo_plan()
    catalog = [o.key for o in plan.offers]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        expected = write_orders(path, visits=args.visits, seed=1)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        reader_ratios, counted_ratios = [], []
        rows = 0
        for _ in range(args.rounds):
            started = time.process_time()
            with path.open(newline="", encoding="utf-8") as handle:
                rows = sum(1 for _ in csv.reader(handle)) - 1
            baseline = time.process_time() - started

            started = time.process_time()
            with path.open("rb") as stream:
                counted = orders_count(plan=plan, stream=stream, catalog=catalog)
            actuals = orders_actuals(plan=plan, counted=counted)
            counting = time.process_time() - started
            assert counted.counts.rows == rows == expected.rows and actuals.visits == expected.visits
            del counted, actuals

            started = time.process_time()
            with path.open("rb") as stream:
                table = read_orders(stream, offers=catalog, currency=plan.currency, buyer_key=orders_buyer_key())
            reading = time.process_time() - started
            assert table.rows == rows
            del table
            counted_ratios.append(baseline / counting)
            reader_ratios.append(baseline / reading)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        tracemalloc.start()  # once more, untimed: what reading and counting allocate at most, whatever ran before
        with path.open("rb") as stream:
            orders_count(plan=plan, stream=stream, catalog=catalog)
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        whole, reader = statistics.median(counted_ratios), statistics.median(reader_ratios)
        print(f"rows: {rows:,} ({path.stat().st_size / 2**20:.0f} MiB), median of {args.rounds} rounds")
        print(
            f"read, validated and counted (the background task's work): {whole:.2f} × csv.reader merely reading "
            f"(goal ≥ {GOAL}: {'met' if whole >= GOAL else 'not met'}); rounds: "
            + ", ".join(f"{r:.2f}" for r in counted_ratios)
        )
        print(
            f"read and validated alone: {reader:.2f} × csv.reader merely reading; rounds: "
            + ", ".join(f"{r:.2f}" for r in reader_ratios)
        )
        print(
            f"peak resident memory: {peak / 1024:.0f} MiB ({(peak - before) / 1024:.0f} MiB more than before reading); "
            f"at most {traced / 2**20:.0f} MiB allocated in Python objects while reading and counting"
        )


if __name__ == "__main__":
    main()
