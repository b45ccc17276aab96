"""``GET /api/v1/funnels/{slug}/metrics?buyers=N`` is the object ``manage.py funnel aov FILE --json`` prints for the
funnel's export, key for key, value for value."""

from __future__ import annotations

import contextlib
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from funnels.selectors import funnel_get
from funnels.services.transfer import funnel_export
from tests.factories import make_primer_catalog, make_primer_funnel

pytestmark = pytest.mark.django_db
DEMO = sorted(Path("funnels/demo").glob("*.json"))


def _command_json(practice, funnel, buyers: int, tmp_path: Path) -> dict:  # type: ignore[no-untyped-def]
    exported = tmp_path / f"{funnel.slug}.json"
    exported.write_text(funnel_export(practice=practice, funnel=funnel), encoding="utf-8")
    out = StringIO()
    with contextlib.suppress(SystemExit):  # exit 1 when the funnel has errors: the JSON is printed all the same
        call_command(
            "funnel", "aov", str(exported), "--json", "--buyers", str(buyers), "--practice", practice.slug, stdout=out
        )
    return json.loads(out.getvalue())


def test_the_primer_funnel_metrics_equal_the_command(practice, reader, tmp_path):
    funnel, _, _ = make_primer_funnel(practice, make_primer_catalog(practice))
    answer = reader.call("get", "/api/v1/funnels/calm/metrics?buyers=250")
    assert answer.status_code == 200
    assert answer.json() == _command_json(practice, funnel, 250, tmp_path)
    assert answer.json()["aov"] == "171.40"  # 97 + 0.2·300 + 0.8·0.15·120


@pytest.mark.parametrize("path", DEMO, ids=lambda p: p.stem)
def test_each_demo_funnel_metrics_equal_the_command(practice, writer, tmp_path, path):
    made = writer.call("post", "/api/v1/funnels", raw=path.read_text(encoding="utf-8"))
    assert made.status_code == 201
    slug = made.json()["slug"]
    answer = writer.call("get", f"/api/v1/funnels/{slug}/metrics")
    funnel = funnel_get(practice=practice, slug=slug)
    assert answer.json() == _command_json(practice, funnel, 1000, tmp_path)


def test_buyers_must_be_a_sensible_count(reader, practice):
    make_primer_funnel(practice, make_primer_catalog(practice))
    refused = reader.call("get", "/api/v1/funnels/calm/metrics?buyers=0")
    assert refused.status_code == 422 and refused.json()["problems"][0]["path"] == "query.buyers"
