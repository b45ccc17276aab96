"""``manage.py funnel actuals FILE ORDERS.csv``: the JSON contract, the exit codes, and the demo's orders file."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from funnels.domain.actuals.purchases import funnel_places
from funnels.domain.actuals.simulation import HEADER, Expected, Simulation, simulate
from funnels.services.demo import DEMO_DIR
from tests.funnels.demo_plans import demo_plan

CLASSIC = str(DEMO_DIR / "calm-classic.json")


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("funnel", "actuals", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as stopped:
        code = int(stopped.code or 0)
    return code, out.getvalue(), err.getvalue()


def write(path: Path, rows: list[tuple[str, ...]]) -> str:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return str(path)


def test_json_has_every_count_exact_and_money_to_the_cent(tmp_path: Path) -> None:
    plan = demo_plan()
    expected = Expected()
    rows = list(
        simulate(Simulation(plan=plan, visits=800, seed=21, off_path_share=0.05, unmatched_share=0.05), expected)
    )
    code, out, _ = run(CLASSIC, write(tmp_path / "orders.csv", rows), "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["visits"], data["off_path"], data["unmatched"]) == (
        expected.visits,
        expected.off_path,
        expected.unmatched,
    )
    assert (data["refunded"], data["failed"], data["rows"]) == (expected.refunded, expected.failed, expected.rows)
    places = {p.key: p.index for p in funnel_places(plan).all}
    for step in data["steps"]:
        index = places[step["key"]]
        assert step["shown"] == expected.shown[index] and step["accepted"] == expected.accepted.get(index, 0)
        assert Decimal(step["rate"]) == round(Decimal(step["accepted"]) / Decimal(step["shown"]), 6)
        assert set(step) >= {"key", "offer", "shown", "accepted", "rate", "low", "high", "assumed"}
    realised = (Decimal(expected.order_cents) / 100 / expected.visits).quantize(Decimal("0.01"))
    assert data["realised_aov"] == data["observed_aov"] == str(realised)
    assert data["forecast_aov"] == "177.10"
    assert len(data["off_path_rows"]) == expected.off_path and len(data["unmatched_rows"]) == expected.unmatched
    assert all(f["code"] == "assumption-off" for f in data["findings"])


def test_the_demo_orders_file_has_something_to_say() -> None:
    code, out, _ = run(CLASSIC, str(DEMO_DIR / "calm-classic-orders.csv"), "--json")
    data = json.loads(out)
    assert code == 0 and data["visits"] == 1500 and data["off_path"] > 0 and data["unmatched"] > 0
    assert [f["step"] for f in data["findings"]] == ["up1"]  # the upsell sells to about 10%, not the 20% assumed


def test_the_window_option_changes_what_belongs_to_a_visit(tmp_path: Path) -> None:
    rows = [
        ("a", "calm-course", "2026-01-05T10:00:00+00:00", "97", "", "", ""),
        ("a", "three-calls", "2026-01-05T10:20:00+00:00", "300", "", "", ""),
    ]
    orders = write(tmp_path / "o.csv", rows)
    assert json.loads(run(CLASSIC, orders, "--json")[1])["unmatched"] == 0
    assert json.loads(run(CLASSIC, orders, "--json", "--window", "10")[1])["unmatched"] == 1


def test_a_bad_orders_file_exits_2_with_every_row_and_column(tmp_path: Path) -> None:
    rows = [
        ("a", "calm-course", "soon", "97", "", "", ""),
        ("b", "calm-plus", "2026-01-05T10:00:00+00:00", "97", "", "", ""),  # not an offer of the funnel file
    ]
    code, out, err = run(CLASSIC, write(tmp_path / "bad.csv", rows), "--json")
    assert code == 2 and out == ""
    assert "bad.csv: row 2, column placed_at:" in err
    assert 'bad.csv: row 3, column offer: unknown offer "calm-plus"' in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["missing.csv"], "missing.csv: cannot be read"),
        (["ORDERS", "--window", "-1"], "--window must be between 0"),
        (["ORDERS", "--change", "0"], "--change must be"),
    ],
)
def test_unusable_input_exits_2_with_a_message(tmp_path: Path, args: list[str], said: str) -> None:
    orders = write(tmp_path / "o.csv", [("a", "calm-course", "2026-01-05T10:00:00+00:00", "97", "", "", "")])
    code, _, err = run(CLASSIC, *[orders if a == "ORDERS" else a for a in args])
    assert code == 2 and said in err


def test_a_file_without_a_core_purchase_has_nothing_to_count(tmp_path: Path) -> None:
    orders = write(tmp_path / "o.csv", [("a", "three-calls", "2026-01-05T10:00:00+00:00", "300", "", "", "")])
    code, _, err = run(CLASSIC, orders)
    assert code == 2 and "no paid purchase of the core offer" in err


def test_the_text_report_names_the_wrong_assumption() -> None:
    code, out, _ = run(CLASSIC, str(DEMO_DIR / "calm-classic-orders.csv"))
    assert code == 0 and "warning assumption-off up1: You assumed 20% for Three 1-on-1 coaching calls" in out
