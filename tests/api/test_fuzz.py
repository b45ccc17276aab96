"""Schemathesis against the API's own OpenAPI description, every operation, with a write token, in process
(WSGI) so it runs on whichever database the suite runs on (SQLite, then PostgreSQL in CI): no server error and
no answer outside the description, positive and negative data alike, within a bounded number of examples.

``SCHEMATHESIS_MAX_EXAMPLES`` (default 12 per operation and mode, set in .ci/run) raises the bound for a deeper run:
``SCHEMATHESIS_MAX_EXAMPLES=200 uv run pytest tests/api/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import make_token
from tests.factories import make_primer_catalog, make_primer_funnel

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():  # type: ignore[no-untyped-def]
    """Schemathesis calls the WSGI application directly, so each request ends with Django closing the database
    connection it deems unusable: on PostgreSQL, the test's own transaction. Django's test client switches that
    off for its requests; so does this, for the fuzzing's."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _schema() -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


OPERATIONS = [result.ok() for result in _schema().get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
@override_settings(RATE_LIMITS={"api-token": (1_000_000, 60), "api-failed-ip": (1_000_000, 60)})
def test_operation_conforms(practice, operation, mode) -> None:  # type: ignore[no-untyped-def]
    """Every answer is one the description names, in the shape it names; a request outside it is refused."""
    catalog = make_primer_catalog(practice)
    make_primer_funnel(practice, catalog)  # a funnel "calm" and the primer's offers, for the examples to find
    secret = make_token(practice, "write").secret
    checks = [*CHECKS, negative_data_rejection] if mode is GenerationMode.NEGATIVE else CHECKS

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=checks)

    fuzz()


KNOWN_PATH = {"slug": "calm", "key": "up1", "stage": "post_purchase"}
"""The primer funnel's slug and its upsell step, so these examples reach the funnel instead of a 404."""


@pytest.mark.parametrize(
    "operation", [op for op in OPERATIONS if "{" in op.path or op.method.upper() != "GET"], ids=lambda op: op.label
)
@override_settings(RATE_LIMITS={"api-token": (1_000_000, 60), "api-failed-ip": (1_000_000, 60)})
def test_operation_on_a_real_funnel(practice, operation) -> None:  # type: ignore[no-untyped-def]
    """The same checks on the primer funnel itself, with its current version as If-Match, so that generated
    bodies are really applied (and refused) by the services, not only turned away at the door."""
    from funnels.selectors import funnel_get

    catalog = make_primer_catalog(practice)
    make_primer_funnel(practice, catalog)
    secret = make_token(practice, "write").secret
    params = {name: value for name, value in KNOWN_PATH.items() if "{" + name + "}" in operation.path}
    if "{key}" in operation.path and "/offers/" in operation.path:
        params["key"] = "three-calls"

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(path_parameters=params))
    def fuzz(case: schemathesis.Case) -> None:
        headers = {"Authorization": f"Bearer {secret}"}
        if case.headers and "If-Match" in case.headers:
            with contextlib.suppress(LookupError):  # deleted by an earlier example: then 404, as described
                headers["If-Match"] = f'"{funnel_get(practice=practice, slug="calm").version}"'
        case.call_and_validate(headers=headers, checks=CHECKS)

    fuzz()
