"""The typed request, and the few responses every app's views share.

``HtmxRequest`` is django-htmx's own pattern: ``HtmxMiddleware`` sets ``request.htmx``, and a subclass of
``HttpRequest`` tells the type checker so, instead of a ``# type: ignore`` at every use.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """A request that went through ``HtmxMiddleware``: ``request.htmx`` is truthy for an htmx request."""

    htmx: HtmxDetails


class HttpResponseSeeOther(HttpResponseRedirect):
    """303: after a POST, the browser fetches the next page with GET (the form is not posted again)."""

    status_code = 303


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (its ``HX-Request`` header, as read by ``HtmxMiddleware``)."""
    return bool(getattr(request, "htmx", False))


def go(request: HttpRequest, url: str) -> HttpResponse:
    """Send the browser to ``url`` after a POST: a client redirect for htmx, a plain redirect otherwise."""
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def wants_partial(request: HttpRequest) -> bool:
    """Whether to answer with only the swapped part: an htmx request, but not htmx restoring its history
    (that one needs the whole page, as a fresh visit would)."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request
