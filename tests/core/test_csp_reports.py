"""CSP violations reach an endpoint of the app that logs them as one structured line, a limited number a minute."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

REPORT = {
    "csp-report": {
        "document-uri": "https://offers.example.com/funnels/",
        "violated-directive": "script-src 'self'",
        "blocked-uri": "inline",
        "original-policy": "x" * 5000,
    }
}


def post(body: object, **meta: str):
    return Client().post("/csp-report/", json.dumps(body), content_type="application/csp-report", **meta)


@pytest.mark.django_db
def test_pages_ask_browsers_to_report_here():
    from tests.accounts.people import client_for, person
    from tests.factories import make_practice

    response = client_for(person(make_practice())).get("/funnels/")
    assert "report-uri /csp-report/" in response["Content-Security-Policy"]


def test_a_report_is_logged_as_one_structured_line(caplog):
    with caplog.at_level(logging.WARNING, logger="security"):
        assert post(REPORT).status_code == 204
    record = next(r for r in caplog.records if getattr(r, "event", "") == "csp_violation")
    assert record.__dict__["violated-directive"] == "script-src 'self'"
    assert "original-policy" not in record.__dict__  # only the known fields, each cut short
    from core.log_format import JsonLinesFormatter

    line = json.loads(JsonLinesFormatter().format(record))
    assert line["event"] == "csp_violation" and line["blocked-uri"] == "inline" and line["level"] == "warning"


def test_the_reporting_api_format_is_read_too(caplog):
    body = [{"type": "csp-violation", "body": {"documentURL": "https://x/", "effectiveDirective": "style-src"}}]
    with caplog.at_level(logging.WARNING, logger="security"):
        assert post(body).status_code == 204
    assert any(getattr(r, "effectiveDirective", "") == "style-src" for r in caplog.records)


def test_reports_are_limited_per_address_and_in_size(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "csp-report-ip": (3, 60)}
    assert [post(REPORT).status_code for _ in range(4)] == [204, 204, 204, 429]
    assert post(REPORT, REMOTE_ADDR="198.51.100.8").status_code == 204
    too_big = Client().post(
        "/csp-report/", "x" * 20_000, content_type="application/csp-report", REMOTE_ADDR="198.51.100.9"
    )
    assert too_big.status_code == 413


def test_only_the_report_types_are_taken():
    assert Client().post("/csp-report/", {"document-uri": "x"}).status_code == 415  # what a cross-site form sends
    assert Client().post("/csp-report/", "{}", content_type="text/plain").status_code == 415


def test_garbage_is_taken_without_complaint():
    assert Client().post("/csp-report/", b"\xff\x00not json", content_type="application/csp-report").status_code == 204
    assert Client().get("/csp-report/").status_code == 405
