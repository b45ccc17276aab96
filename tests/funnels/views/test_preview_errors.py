"""A preview of a funnel with errors says so at its top, with the count and the way to the editor's findings."""

from __future__ import annotations

import pytest

from funnels.models import FunnelStep
from funnels.services.editing import funnel_step_set_edges
from tests.funnels.views.test_preview import calm, coach, get, html_of, primer  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def test_a_funnel_without_errors_has_no_banner(coach, calm):  # noqa: F811
    assert 'id="preview-errors"' not in html_of(get(coach))


def test_a_funnel_with_errors_says_how_many_and_links_to_the_findings(coach, calm):  # noqa: F811
    up1, down1 = (FunnelStep.objects.get(funnel=calm, key=key) for key in ("up1", "down1"))
    funnel_step_set_edges(funnel=calm, expected_version=5, step=down1, on_accept=None, on_decline=up1)  # a loop
    html = html_of(get(coach))
    banner = html[html.index('id="preview-errors"') :]
    assert banner.index("This funnel has 1 error.") < banner.index('class="preview-banner"')  # above the rest
    assert '<a href="/funnels/calm/#findings">See the error in the editor\'s findings</a>' in banner
    assert html.index('id="preview-errors"') < html.index('<div id="preview"')
