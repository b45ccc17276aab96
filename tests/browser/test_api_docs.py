"""The API docs in a real browser: Swagger UI draws every operation from the vendored files, under the site's
Content Security Policy, with no violation and no script error; "Try it out" reaches the API with a token."""

from __future__ import annotations

import pytest

from tests.api.conftest import make_token
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_draw_every_operation_within_the_csp(page, live_server, practice):
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = {p.inner_text().replace("\u200b", "") for p in page.locator(".opblock-summary-path").all()}
    assert "/api/v1/funnels/{slug}/metrics" in paths and "/api/v1/check" in paths
    assert page.locator("button.authorize").count() == 1
    screenshot(page, "api-docs")
    assert violations == [] and page.console_errors == []
    assert all(url.startswith(live_server.url) for url in requests), requests  # nothing from a CDN


def test_try_it_out_sends_the_token(page, live_server, practice):
    secret = make_token(practice, "read").secret
    page.goto("/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    page.locator("button.authorize").click()
    page.locator(".auth-container input").fill(secret)
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator(".btn-done").click()
    operation = page.locator("#operations-funnels-api_endpoints_funnels_list_funnels")
    if not operation.locator(".try-out").is_visible():
        operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    with page.expect_response(lambda r: "/api/v1/funnels" in r.url) as answer:
        operation.locator(".execute").click()
    assert answer.value.status == 200
    assert page.console_errors == []
