"""Write the demo's orders file for its classic funnel, from a seeded simulation (the same file every time).

    uv run python funnels/demo/generate_orders.py            # funnels/demo/calm-classic-orders.csv
    uv run python funnels/demo/generate_orders.py OUT.csv --visits 600000   # e.g. a million rows for a benchmark

The buyers' true rates differ from the funnel's assumptions on purpose (the upsell sells to 10%, not the 20%
assumed), so the reality check has something to say; some visits carry an off-path purchase and some purchases
fall outside any visit (unmatched), and a few payments fail or are refunded.
"""

from __future__ import annotations

import argparse
import csv
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from funnels.domain.actuals.purchases import funnel_places  # noqa: E402
from funnels.domain.actuals.simulation import HEADER, Expected, Simulation, simulate  # noqa: E402
from funnels.interchange.plans import plan_from_document  # noqa: E402
from funnels.interchange.reading import read_funnel_document  # noqa: E402

DEMO = Path(__file__).resolve().parent
TRUE_RATES = {"breath-cards": "0.32", "up1": "0.10", "down1": "0.17", "sleep-audio": "0.06"}


def write_orders(out: Path, *, visits: int, seed: int) -> Expected:
    plan = plan_from_document(read_funnel_document((DEMO / "calm-classic.json").read_bytes()))
    rates = {p: Decimal(TRUE_RATES[p.key]) for p in funnel_places(plan).all if p.key in TRUE_RATES}
    expected = Expected()
    sim = Simulation(plan=plan, visits=visits, seed=seed, rates=rates, off_path_share=0.02, unmatched_share=0.02)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(simulate(sim, expected))
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(DEMO / "calm-classic-orders.csv"))
    parser.add_argument("--visits", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    expected = write_orders(Path(args.out), visits=args.visits, seed=args.seed)
    print(
        f"{args.out}: {expected.rows:,} rows, {expected.visits:,} visits, {expected.off_path} off-path, "
        f"{expected.unmatched} unmatched, {expected.refunded} refunded, {expected.failed} failed"
    )


if __name__ == "__main__":
    main()
