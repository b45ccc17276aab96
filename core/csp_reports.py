"""Where browsers report what the Content-Security-Policy blocked (``report-uri`` in ``SECURE_CSP``).

A report is logged as one structured line (``security`` logger, ``event: csp_violation``), so a script or
style the policy blocks shows up in the logs instead of failing silently in someone's browser. Anyone can
post here, so the body is capped, only a few known fields are kept (each cut short), and each address may
send only so many reports a minute (``RATE_LIMITS["csp-report-ip"]``).
"""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.client_ip import client_ip
from core.rate_limit import rate_limit_refusal

log = logging.getLogger("security")

MAX_REPORT_BYTES = 16_384
KEPT_FIELDS = (
    "document-uri",
    "documentURL",
    "violated-directive",
    "effective-directive",
    "effectiveDirective",
    "blocked-uri",
    "blockedURL",
    "source-file",
    "sourceFile",
    "line-number",
    "lineNumber",
    "disposition",
)
FIELD_MAX = 300


def _reports(body: bytes) -> list[dict[str, object]]:
    """The reports in a body of either format: ``{"csp-report": {...}}`` (report-uri) or a list of
    ``{"type": "csp-violation", "body": {...}}`` (the Reporting API)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return []
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        return [data["csp-report"]]
    if isinstance(data, list):
        return [item["body"] for item in data[:10] if isinstance(item, dict) and isinstance(item.get("body"), dict)]
    return []


REPORT_TYPES = frozenset({"application/csp-report", "application/reports+json", "application/json"})
"""What browsers send reports as. None is a type a plain cross-site form can send, so the exemption from the CSRF
check below cannot be used to post anything a person did not mean to."""


@csrf_exempt  # browsers send reports without cookies or tokens; nothing here changes any state
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    if request.content_type not in REPORT_TYPES:
        return HttpResponse(status=415)
    address = client_ip(request)
    if rate_limit_refusal("csp-report-ip", address) is not None:
        return HttpResponse(status=429)
    declared = request.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > MAX_REPORT_BYTES:
        return HttpResponse(status=413)
    for report in _reports(request.read(MAX_REPORT_BYTES)):
        fields = {name: str(report[name])[:FIELD_MAX] for name in KEPT_FIELDS if name in report}
        log.warning("content security policy violation", extra={"event": "csp_violation", "ip": address, **fields})
    return HttpResponse(status=204)
