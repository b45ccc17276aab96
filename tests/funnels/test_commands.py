"""The command line end to end: exit codes, output, and never a traceback for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from funnels.models import Funnel, FunnelStep
from funnels.services.demo import DEMO_DIR
from offers.models import Offer
from tests.factories import make_offer, make_practice

ROOT = Path(__file__).resolve().parents[2]
CLASSIC = DEMO_DIR / "calm-classic.json"
DRAFT = DEMO_DIR / "calm-first-draft.json"


def run(*args: str) -> tuple[int, str, str]:
    """Call ``manage.py funnel`` in-process; return (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("funnel", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, document: dict | str | bytes, name: str = "funnel.json") -> str:
    path = tmp_path / name
    if isinstance(document, dict):
        path.write_text(json.dumps(document))
    elif isinstance(document, str):
        path.write_text(document)
    else:
        path.write_bytes(document)
    return str(path)


def primer(take_rate: str = "0.2", upsell_price: str = "300") -> dict:
    return {
        "format": "offer-architect/funnel@1",
        "name": "Primer",
        "currency": "USD",
        "offers": [
            {
                "key": "calm-course",
                "name": "Calm Your Nervous System",
                "kind": "core",
                "price": "97.00",
                "topics": ["anxiety"],
            },
            {
                "key": "three-calls",
                "name": "Three calls",
                "kind": "upsell",
                "price": upsell_price,
                "topics": ["anxiety"],
            },
        ],
        "checkout": {"core": "calm-course", "bumps": [], "cross_sells": []},
        "post_purchase": {
            "start": "up1",
            "steps": [
                {
                    "key": "up1",
                    "offer": "three-calls",
                    "take_rate": Decimal(take_rate),
                    "on_accept": None,
                    "on_decline": None,
                }
            ],
        },
        "thank_you": {"cross_sells": []},
    }


def dumps(document: dict) -> str:
    """Decimals as JSON strings, which the format reads as exactly as numbers."""
    return json.dumps(document, default=str)


class TestCheck:
    def test_a_clean_funnel_exits_0_and_prints_no_findings(self):
        code, out, err = run("check", str(CLASSIC))
        assert (code, out) == (0, "")
        assert "0 errors, 0 warnings" in err

    def test_errors_exit_1_with_one_finding_a_line_starting_with_severity_and_code(self):
        code, out, _ = run("check", str(DRAFT))
        lines = out.splitlines()
        assert code == 1
        assert lines[0].startswith("error upsell-before-purchase three-calls: ")
        assert "warning price-jump big: " in out
        assert all(line.split()[0] in {"error", "warning"} for line in lines)

    def test_warnings_only_exit_0(self, tmp_path):
        code, out, _ = run("check", write(tmp_path, dumps(primer(upsell_price="3000"))))
        assert code == 0
        assert out.startswith("warning price-jump up1: ")

    def test_a_loop_is_a_finding_not_a_hang(self, tmp_path):
        document = primer()
        document["post_purchase"]["steps"][0]["on_decline"] = "up1"
        code, out, _ = run("check", write(tmp_path, dumps(document)))
        assert code == 1
        assert out.startswith("error cycle up1: ")


class TestAov:
    def test_the_primer_aov_is_157_to_the_cent(self, tmp_path):
        code, out, _ = run("aov", write(tmp_path, dumps(primer())), "--json", "--buyers", "1000")
        data = json.loads(out)
        assert code == 0
        assert data["aov"] == "157.00"
        assert data["revenue_per_buyer"] == "157.00"
        assert data["core_price"] == "97.00"
        assert data["currency"] == "USD"
        assert data["std"] == "120.00"  # sqrt(0.2 * 0.8) * 300
        assert data["projection"]["buyers"] == 1000
        assert data["projection"]["revenue"] == "157000.00"
        [step] = data["steps"]
        assert step == step | {
            "key": "up1",
            "offer": "three-calls",
            "stage": "post_purchase",
            "reach": "1",
            "take": "0.2",
            "expected_revenue": "60.00",
            "sensitivity": "300.00",
        }
        assert data["findings"] == []

    def test_the_classic_demo_in_json(self):
        code, out, _ = run("aov", str(CLASSIC), "--json")
        data = json.loads(out)
        assert code == 0
        assert (data["aov"], data["revenue_per_buyer"]) == ("177.10", "178.55")
        sensitivities = {s["key"]: s["sensitivity"] for s in data["steps"]}
        assert sensitivities["up1"] == "282.00"  # one more point of take rate adds $2.82

    def test_the_text_report_shows_each_figure_with_its_definition_and_the_note(self):
        code, out, _ = run("aov", str(CLASSIC), "--buyers", "1000")
        assert code == 0
        assert "$177.10" in out and "Average order value" in out
        assert "Projection for 1,000 buyers: $177,100.00" in out
        assert "illustrative" in out and "not a promise of results" in out

    def test_a_loop_gives_a_reason_and_exit_1(self, tmp_path):
        document = primer()
        document["post_purchase"]["steps"][0]["on_accept"] = "up1"
        code, out, _ = run("aov", write(tmp_path, dumps(document)), "--json")
        data = json.loads(out)
        assert code == 1
        assert data["aov"] is None and data["error"]
        assert data["findings"][0]["code"] == "cycle"

    def test_buyers_must_be_positive(self):
        code, _, err = run("aov", str(CLASSIC), "--buyers", "0")
        assert code == 2
        assert "--buyers must be between 1" in err


BAD_INPUTS = {
    "not JSON": b'{"format": "offer-architect/funnel@1",',
    "empty": b"",
    "binary": bytes(range(256)),
    "latin-1": '{"name": "Caf\u00e9"}'.encode("latin-1"),
    "an array": b"[1, 2, 3]",
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "too big": b'{"name": "' + b"x" * 1_100_000 + b'"}',
    "a float price with three places": dumps(primer(upsell_price="300.001")).encode(),
    "a take rate above 1": dumps(primer(take_rate="1.5")).encode(),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
@pytest.mark.parametrize("action", ["check", "aov"])
def test_unusable_input_exits_2_with_a_message_and_no_traceback(tmp_path, case, action):
    path = write(tmp_path, BAD_INPUTS[case])
    code, out, err = run(action, path)
    assert code == 2
    assert out == ""
    assert err.startswith(f"{path}: ")
    assert "Traceback" not in err


def test_a_missing_file_and_a_folder_exit_2(tmp_path):
    assert run("check", str(tmp_path / "nope.json"))[0:3:2] == (2, f"{tmp_path / 'nope.json'}: no such file\n")
    assert run("check", str(tmp_path))[0] == 2


def test_every_problem_of_a_bad_file_is_listed_with_its_path(tmp_path):
    document = primer()
    document["offers"][1]["price"] = "-3"
    document["post_purchase"]["steps"][0]["on_decline"] = "dwn1"
    document["checkout"]["colour"] = "blue"
    code, _, err = run("check", write(tmp_path, dumps(document)))
    assert code == 2
    assert "offers[1].price: " in err
    assert 'post_purchase.steps[0].on_decline: no step "dwn1"' in err
    assert "checkout.colour: unknown field" in err


@pytest.mark.django_db
class TestImportExport:
    def test_import_then_export_gives_the_same_document_as_exporting_again(self, tmp_path):
        practice = make_practice(slug="calm")
        code, out, _ = run("import", str(CLASSIC), "--practice", "calm")
        assert code == 0
        assert 'as "calm-course-classic"' in out and "5 offers created" in out
        code, exported, _ = run("export", "calm-course-classic", "--practice", "calm")
        assert code == 0
        other = make_practice(slug="other")
        assert run("import", write(tmp_path, exported), "--practice", "other")[0] == 0
        assert run("export", "calm-course-classic", "--practice", "other")[1] == exported
        assert Funnel.objects.filter(practice__in=[practice, other]).count() == 2

    def test_export_to_a_file(self, tmp_path):
        make_practice(slug="calm")
        run("import", str(CLASSIC), "--practice", "calm")
        target = tmp_path / "out.json"
        assert run("export", "calm-course-classic", "--practice", "calm", "--output", str(target))[0] == 0
        assert json.loads(target.read_text())["name"] == "Calm course: classic"

    def test_a_bad_import_exits_2_and_writes_nothing(self, tmp_path):
        practice = make_practice(slug="calm")
        make_offer(practice, key="three-calls", kind="upsell", price="250")
        before = (Offer.objects.count(), Funnel.objects.count(), FunnelStep.objects.count())
        code, _, err = run("import", str(CLASSIC), "--practice", "calm")
        assert code == 2
        assert 'offers[2].price: the catalog\'s "three-calls" costs $250.00, the file says $300.00' in err
        assert (Offer.objects.count(), Funnel.objects.count(), FunnelStep.objects.count()) == before

    def test_unknown_practice_and_funnel_exit_2_naming_what_exists(self):
        make_practice(slug="calm")
        code, _, err = run("import", str(CLASSIC), "--practice", "nowhere")
        assert code == 2 and 'no practice "nowhere"' in err and "calm" in err
        code, _, err = run("export", "missing", "--practice", "calm")
        assert code == 2 and 'has no funnel "missing"' in err


def test_the_real_command_never_prints_a_traceback(tmp_path):
    # a separate process, as a coach would run it: exit code and stderr as the shell sees them
    bad = write(tmp_path, b"\xff\xfe not json")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "funnel", "aov", bad, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{bad}: ")
