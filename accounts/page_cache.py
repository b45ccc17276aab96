"""A signed-in page rendered once per state of everything it shows, kept in Django's cache, and served with this
request's own CSRF token and with its relative times said as of now.

Why: most GETs of a workspace page show exactly what the last one showed (a funnel changes when it is edited,
not when it is read), yet rendering a page through Django's templates costs several times what reading the
session, the user, the practice and the funnel row costs. So a page is rendered once for a key that holds
everything it reads, and a GET with the same key reads the HTML from the cache: local memory by default, Redis
where ``REDIS_URL`` is set, under a cache alias of their own (``PAGES``).

What the key holds: the page's own parts (each view names what it shows: a funnel's ``analysis_key``, the
practice's funnels' versions…), the URL with its query, and the viewer (who is signed in, which practice, which
role, the practices of the switcher and their names), since the site's header shows them.

What is filled in on every serve, never cached: the CSRF token (the page is rendered with ``CSRF_SLOT`` in its
place; each serve puts in a token of this request's own, which is what Django's ``{% csrf_token %}`` would have
put there) and relative times (``{% said_when %}`` writes a slot with the time itself, and the serve says it
as of now: "3 minutes ago" never goes stale in the cache). A request with messages waiting to be shown, an
htmx request (it gets a part of the page) and an answer other than 200 are never cached.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from accounts.access import WorkspaceRequest
from core.http import is_htmx

FORMAT = 1
"""Part of every key: change it when what a page's HTML holds changes meaning (slots, say)."""
TIMEOUT = 24 * 60 * 60
PAGES = "pages"
"""The cache alias of kept pages (``config.settings``): apart from the small entries, with a bound of its own."""
CSRF_SLOT = "oa-csrf-slot-5d0c7a91"
"""Stands in for the CSRF token in a cached page: letters and digits only, so escaping leaves it as it is."""
WHEN_SLOT = "oa-when-slot:"
WHEN = re.compile(r"oa-when-slot:([0-9T:.+\-]+);")
LATE_BOUND = "page_cache_slots"
"""The context flag that tells ``{% said_when %}`` to write a slot instead of the words."""

Render = Callable[[Mapping[str, object]], HttpResponse]
"""Renders the page; the mapping is extra context to render it with (the slots)."""


def when_slot(moment: datetime) -> str:
    """What ``{% said_when %}`` writes into a page that is kept: the time, to be said at each serve."""
    return f"{WHEN_SLOT}{moment.isoformat()};"


@lru_cache(maxsize=4096)
def _said(moment: str, second: int) -> str:
    """A time as people say it, worked out once per second of the clock: a list of twenty funnels says twenty
    of them on every serve, and within one second the words could only move on by that second."""
    return str(naturaltime(datetime.fromisoformat(moment)))


def filled(html: str, request: HttpRequest) -> str:
    """The kept page as this request sees it: its own CSRF token, its relative times as of now."""
    html = html.replace(CSRF_SLOT, get_token(request))
    if WHEN_SLOT in html:
        second = int(time.time())
        html = WHEN.sub(lambda slot: _said(slot[1], second), html)
    return html


def viewer_parts(request: WorkspaceRequest) -> tuple[object, ...]:
    """What the site's header shows of who is looking: the user, their practices and roles, the current one."""
    user, workspace = request.user, request.workspace
    return (
        user.pk,
        user.get_username(),
        user.is_staff,
        workspace.practice.pk,
        workspace.role,
        tuple((m.practice_id, m.practice.slug, m.practice.name, m.role) for m in workspace.memberships),
    )


def page_key(request: WorkspaceRequest, parts: Sequence[object]) -> str:
    query = tuple(sorted((name, tuple(request.GET.getlist(name))) for name in request.GET))
    whole = (FORMAT, request.get_host(), request.path, query, viewer_parts(request), *parts)
    return "page:" + hashlib.sha256(repr(whole).encode()).hexdigest()[:40]


def is_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or is_htmx(request):
        return False
    return not len(get_messages(request))  # counted, not read: they stay for the page to show


def cached_page(request: WorkspaceRequest, *, parts: Sequence[object], render: Render) -> HttpResponse:
    """The page from the cache under ``parts`` (and the URL and viewer), else ``render`` it and keep it.

    ``parts`` must name everything the page reads beyond the URL and the viewer: a page that reads a row the key
    does not cover would be served stale after that row changes.
    """
    if not is_cacheable(request):
        return render({})
    key = page_key(request, parts)
    kept = caches[PAGES]
    html = kept.get(key)
    if html is None:
        response = render({"csrf_token": CSRF_SLOT, LATE_BOUND: True})
        if response.streaming:
            raise TypeError("a streamed page cannot be kept")
        html = response.content.decode(response.charset)
        if response.status_code != 200:  # said once, as it is: only a page that stands is kept
            response.content = filled(html, request).encode(response.charset)
            return response
        kept.set(key, html, TIMEOUT)
    return HttpResponse(filled(html, request))
