"""The page cache's own parts: the slots a kept page holds, filled in at each serve, and what is never kept."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.messages.storage.fallback import FallbackStorage
from django.middleware.csrf import CSRF_TOKEN_LENGTH
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from accounts.page_cache import CSRF_SLOT, LATE_BOUND, WHEN_SLOT, filled, is_cacheable, when_slot


def request_with_session(method: str = "get", **headers: str):  # type: ignore[no-untyped-def]
    request = getattr(RequestFactory(), method)("/funnels/", headers=headers)
    request.session = {}  # type: ignore[assignment]
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]  # as HtmxMiddleware sets it
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_each_serve_puts_in_a_csrf_token_of_its_own_where_the_slot_was() -> None:
    page = (
        f'<input name="csrfmiddlewaretoken" value="{CSRF_SLOT}"><body hx-headers=\'{{"X-CSRFToken": "{CSRF_SLOT}"}}\'>'
    )
    request = request_with_session()
    served = filled(page, request)
    assert CSRF_SLOT not in served
    token = served.split('value="')[1].split('"')[0]
    assert len(token) == CSRF_TOKEN_LENGTH and served.count(token) == 2
    assert request.META["CSRF_COOKIE"]  # the cookie the token belongs to goes out with the answer


def test_a_kept_time_is_said_as_of_the_serve() -> None:
    moment = timezone.now() - timedelta(hours=3, minutes=1)
    page = f"<time>{when_slot(moment)}</time> and <time>{when_slot(timezone.now())}</time>"
    assert filled(page, request_with_session()) == "<time>3\xa0hours ago</time> and <time>now</time>"


def test_said_when_writes_the_words_unless_the_page_is_to_be_kept() -> None:
    template = Template("{% load page_slots %}{% said_when moment %}")
    moment = timezone.now() - timedelta(minutes=5)
    assert template.render(Context({"moment": moment})) == "5\xa0minutes ago"
    kept = template.render(Context({"moment": moment, LATE_BOUND: True}))
    assert kept.startswith(WHEN_SLOT) and filled(kept, request_with_session()) == "5\xa0minutes ago"
    assert template.render(Context({"moment": None})) == ""


def test_only_a_plain_get_without_messages_waiting_is_kept() -> None:
    assert is_cacheable(request_with_session())
    assert not is_cacheable(request_with_session("post"))
    assert not is_cacheable(request_with_session(**{"HX-Request": "true"}))
    waiting = request_with_session()
    waiting._messages.add(20, "Saved.")
    assert not is_cacheable(waiting)
    assert len(waiting._messages) == 1  # counted, not read: the page still shows it
