"""``funnel history``, ``funnel diff``, ``funnel restore`` and ``funnel export --version``: output, and the
exit-code rules of the other subcommands (0 fine or warnings, 1 errors, 2 unusable input, never a traceback)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from funnels.models import Funnel, FunnelVersion
from funnels.selectors import funnel_plan
from funnels.services.editing import funnel_start_set, funnel_step_set_take_rate
from offers.models import Offer
from offers.services import offer_update
from tests.factories import make_primer_funnel
from tests.funnels.test_commands import run

pytestmark = pytest.mark.django_db


def test_history_lists_versions_newest_first(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.25")
    code, out, err = run("history", "calm", "--practice", practice.slug)
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0].split()[0] == "4" and "Take rate of Three 1-on-1 coaching calls 20% → 25%" in lines[0]
    assert "AOV $185.50, 0 errors, 1 warnings" in lines[0]
    assert len(lines) == 4
    code, out, _ = run("history", "calm", "--practice", practice.slug, "--json", "--limit", "2")
    data = json.loads(out)
    assert [v["number"] for v in data["versions"]] == [4, 3] and data["versions"][1]["aov"] == "171.40"


def test_history_exits_1_when_the_newest_version_has_errors(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_start_set(funnel=funnel, expected_version=3, step=down)  # a downsell first: an error
    assert run("history", "calm", "--practice", practice.slug)[0] == 1


def test_diff_prints_the_changes_and_both_aovs_as_funnel_aov_does(practice, primer_catalog, tmp_path: Path):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.25")
    code, out, err = run("diff", "calm", "4", "2", "--practice", practice.slug)
    assert code == 0, err
    assert out.splitlines()[0] == "Calm: version 2 → version 4"
    assert "  AOV                $157.00 → $185.50 (+$28.50)" in out
    assert "Added One coaching call after payment at a take rate of 15%" in out
    assert "Take rate of Three 1-on-1 coaching calls 20% → 25%" in out
    assert "Findings gained:\n  warning optimistic-take-rate" in out
    _, data, _ = run("diff", "calm", "2", "4", "--practice", practice.slug, "--json")
    figures = json.loads(data)["aov"]
    for number, aov in zip((2, 4), figures, strict=True):
        path = tmp_path / f"v{number}.json"
        assert run("export", "calm", "--practice", practice.slug, "--version", str(number), "-o", str(path))[0] == 0
        assert json.loads(run("aov", str(path), "--json")[1])["aov"] == aov


def test_restore_puts_a_version_back_and_says_so(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    funnel_step_set_take_rate(funnel=funnel, expected_version=3, step=up, take_rate="0.25")
    code, out, err = run("restore", "calm", "3", "--practice", practice.slug)
    assert code == 0, err
    assert out == 'Restored version 3 of "Calm" as version 5: AOV $171.40, 0 errors, 0 warnings.\n'
    assert funnel_plan(practice=practice, funnel=funnel).step("up1").take_rate == Decimal("0.2")
    assert FunnelVersion.objects.get(funnel=funnel, number=5).actor_label == "command line"


def test_restore_asks_what_to_do_with_offers_that_changed(practice, primer_catalog):
    funnel, up, down = make_primer_funnel(practice, primer_catalog)
    offer_update(offer=primer_catalog["calls"], price="350")
    code, out, err = run("restore", "calm", "3", "--practice", practice.slug)
    assert code == 2 and "three-calls (price then $300.00, today $350.00)" in err and "--keep-today" in err
    assert Funnel.objects.get(pk=funnel.pk).version == 4  # nothing written
    assert run("restore", "calm", "3", "--practice", practice.slug, "--as-it-was", "nope")[0] == 2
    code, out, err = run("restore", "calm", "3", "--practice", practice.slug, "--as-it-was", "three-calls")
    assert code == 0, err
    assert Offer.objects.get(pk=primer_catalog["calls"].pk).price == Decimal("300")


@pytest.mark.parametrize(
    "args",
    [
        ("history", "nope", "--practice", "{p}"),
        ("history", "calm", "--practice", "no-such-practice"),
        ("diff", "calm", "1", "99", "--practice", "{p}"),
        ("restore", "calm", "99", "--practice", "{p}"),
        ("export", "calm", "--practice", "{p}", "--version", "99"),
        ("history", "calm", "--practice", "{p}", "--limit", "0"),
    ],
)
def test_unusable_input_exits_2_with_one_line_and_no_traceback(practice, primer_catalog, args):
    make_primer_funnel(practice, primer_catalog)
    code, out, err = run(*(a.format(p=practice.slug) for a in args))
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
