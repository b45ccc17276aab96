"""``POST /api/v1/check``: findings and metrics of a document, and what creating it would do, with nothing written;
a bad document gets every problem with its JSON path, as the file import reports them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funnels.interchange.problems import FunnelFileError
from funnels.services.transfer import read_plan
from tests.factories import make_primer_catalog

pytestmark = pytest.mark.django_db
CLASSIC = Path("funnels/demo/calm-classic.json").read_text(encoding="utf-8")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def test_the_dry_run_writes_nothing(practice, reader):
    make_primer_catalog(practice)
    reader.call("get", "/api/v1/funnels")  # the token's "last used" is noted now, not during the check
    with CaptureQueriesContext(connection) as queries:
        answer = reader.call("post", "/api/v1/check?buyers=500", raw=CLASSIC)
    assert answer.status_code == 200
    written = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert written == []
    assert not practice.funnels.exists()


def test_the_dry_run_says_what_the_create_would_do(practice, reader):
    make_primer_catalog(practice, "course", "calls")
    report = reader.call("post", "/api/v1/check?buyers=500", raw=CLASSIC).json()
    assert report["would_create"] is True and report["slug"] == "calm-course-classic"
    assert report["offers_matched"] == ["calm-course", "three-calls"]
    assert report["offers_created"] == ["breath-cards", "one-call", "sleep-audio"]
    assert report["metrics"]["projection"]["buyers"] == 500
    assert report["metrics"]["aov"] == "177.10"  # 97 + 0.3·19 + 0.2·300 + 0.8·0.15·120
    severities = [f["severity"] for f in report["findings"]]
    assert report["tally"] == {"errors": 0, "warnings": severities.count("warning"), "acknowledged": 0}
    assert report["metrics"]["findings"] == report["findings"]


def test_a_clash_with_the_catalog_is_reported_not_written(practice, reader):
    make_primer_catalog(practice, "course")
    report = reader.call("post", "/api/v1/check", raw=CLASSIC.replace('"97.00"', '"90.00"', 1)).json()
    assert report["would_create"] is False
    assert report["clashes"][0]["path"] == "offers[0].price"


def test_findings_come_back_with_their_codes(reader):
    document = json.loads(CLASSIC)
    document["post_purchase"]["steps"][1]["on_decline"] = "up1"  # down1 → up1: a loop
    report = reader.call("post", "/api/v1/check", json=document).json()
    assert "cycle" in {f["code"] for f in report["findings"]}
    assert report["tally"]["errors"] >= 1
    assert report["metrics"]["aov"] is None and report["metrics"]["error"]


def test_a_bad_document_gets_every_problem_with_its_path_as_the_import_does(practice, reader):
    document = json.loads(CLASSIC)
    document["post_purchase"]["steps"][1]["on_decline"] = "dwn1"
    document["offers"][0]["price"] = "97.001"
    document["surprise"] = True
    raw = json.dumps(document)
    refused = reader.call("post", "/api/v1/check", raw=raw)
    assert refused.status_code == 422
    with pytest.raises(FunnelFileError) as imported:
        read_plan(raw=raw, practice=practice)
    expected = [{"path": p.path, "message": p.message} for p in imported.value.problems]
    assert refused.json()["problems"] == expected
    assert {"path": "post_purchase.steps[1].on_decline", "message": 'no step "dwn1"'} in expected
    assert len(expected) == 3


def test_a_body_that_is_not_json_is_422(reader):
    refused = reader.call("post", "/api/v1/check", raw="{not json")
    assert refused.status_code == 422 and refused.json()["problems"][0]["path"] == "(file)"
