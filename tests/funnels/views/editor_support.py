"""What the editor's view tests share: the primer's offers and funnels, and how an edit's reply is read.

An edit's reply is a fragment of parts, each swapped out of band by its id: the parts it changed (a card, a
column, the header) and always the figures bar, the findings, the offer-by-offer figures, the diagram, the
status line and the funnel's new version.
"""

from __future__ import annotations

import re

from funnels.models import Funnel, FunnelStep

HTMX = {"HTTP_HX_REQUEST": "true"}
EDITOR = "/funnels/calm/"
SIDE_IDS = ("figures-bar", "findings", "metrics", "flow")


def version_of(funnel: Funnel) -> int:
    return Funnel.objects.get(pk=funnel.pk).version


def step(funnel: Funnel, key: str, stage: str = "post_purchase") -> FunnelStep:
    return FunnelStep.objects.get(funnel=funnel, stage=stage, key=key)


def keys_in_order(funnel: Funnel, stage: str) -> list[str]:
    return list(
        FunnelStep.objects.filter(funnel=funnel, stage=stage).order_by("position", "id").values_list("key", flat=True)
    )


def oob(element_id: str) -> str:
    """The start of a part swapped out of band: ``id="..."`` followed, within the tag, by hx-swap-oob."""
    return f'id="{element_id}"'


def assert_edit_answer(response, *, parts: tuple[str, ...], version: int) -> str:
    """200, a fragment (no page), each changed part and every side part out of band, and nothing else."""
    assert response.status_code == 200, response.content[:400]
    html = response.content.decode()
    assert "<html" not in html
    for element_id in (*parts, *SIDE_IDS):
        tag = html.split(f'id="{element_id}"', 1)
        assert len(tag) == 2, f"#{element_id} is not in the reply"
        assert 'hx-swap-oob="true"' in tag[1].split(">", 1)[0], f"#{element_id} is not swapped out of band"
    assert f'<input type="hidden" id="funnel-version" name="version" value="{version}" hx-swap-oob="true">' in html
    assert '<div id="editor-alert" class="editor-alert" aria-live="polite" hx-swap-oob="innerHTML">' in html
    return html


def status_line(message: str) -> str:
    return f'<p class="message message-success" role="status">{message}'


def aov(amount: str) -> str:
    return f'<dd class="figure-value" id="figure-aov">{amount}</dd>'


def bar_aov(amount: str) -> str:
    return f'<dd id="bar-aov" class="num">{amount}</dd>'


def tokenless(html: bytes) -> str:
    """The page without its CSRF tokens: every serve of a kept page has a token of its own."""
    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", html.decode())
