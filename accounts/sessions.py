"""The signed-in session: how long it lives unused, that its pages are never cached, and when its password was
last typed (re-authentication before what cannot be undone).

- Idle timeout: a session lasts ``SESSION_IDLE_TIMEOUT`` seconds (2 hours unless set) from its last request.
  Django's session expiry counts from the last save, so the session is saved again (its expiry pushed on)
  whenever a minute or more has passed since the last save: a sliding window without a write on every request.
  A session found idle longer than the timeout is signed out here too, whatever its backend kept.
- Pages a signed-in person sees carry ``Cache-Control: no-store``, so neither a shared proxy nor the browser's
  history keeps a copy of a practice's catalog or funnels after sign-out.
- Deleting a practice or a funnel asks for the password again unless it was typed within the last
  ``REAUTH_WINDOW`` seconds (a "sudo" window): whoever finds a signed-in screen cannot destroy work with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty

LAST_SEEN = "accounts.last_seen"
PASSWORD_AT = "accounts.password_at"
TOUCH_EVERY = 60  # seconds: how stale the expiry may get before the session is saved again


def _now() -> int:
    return int(time.time())


class IdleTimeoutMiddleware:
    """Signs out a session idle for longer than ``SESSION_IDLE_TIMEOUT``; keeps an active one alive.

    It works when the request first asks who its user is (it wraps the lazy ``request.user`` that
    ``AuthenticationMiddleware`` set), so a request that never asks (the health probe, a CSP report) reads no
    session and makes no query, and every page that shows anyone's data is checked before it does.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lazy_user = request.user

        def checked_user() -> Any:
            self.check(request)
            return lazy_user if BACKEND_SESSION_KEY in request.session else AnonymousUser()

        request.user = SimpleLazyObject(checked_user)  # type: ignore[assignment]
        return self.get_response(request)

    @staticmethod
    def check(request: HttpRequest) -> None:
        session = request.session
        if BACKEND_SESSION_KEY not in session:  # signed out already
            return
        now, seen = _now(), session.get(LAST_SEEN)
        timeout = int(settings.SESSION_IDLE_TIMEOUT)
        if isinstance(seen, int) and now - seen > timeout:
            session.flush()  # what logout() does, without asking for the user this very check is resolving
            hours = timeout / 3600
            idle = f"{hours:g} hour{'s' if hours != 1 else ''}" if hours >= 1 else f"{timeout // 60} minutes"
            messages.info(request, f"You were signed out after {idle} without activity. Please sign in again.")
        elif not isinstance(seen, int) or now - seen >= min(TOUCH_EVERY, timeout // 10 or 1):
            session[LAST_SEEN] = now  # saved with the response, which also pushes the expiry on


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a signed-in person (one whose request asked who they are:
    every page that shows a practice's data does)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # a lazy user nobody asked for stays unasked (no query); one set by login() is a plain User
        resolved = not isinstance(user, SimpleLazyObject) or user._wrapped is not empty
        if resolved and user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


def stamp_password_entry(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: a sign-in is a password typed just now (and the idle clock starts)."""
    if request is not None and hasattr(request, "session"):
        request.session[PASSWORD_AT] = request.session[LAST_SEEN] = _now()


def password_recently_entered(request: HttpRequest) -> bool:
    at = request.session.get(PASSWORD_AT)
    return isinstance(at, int) and _now() - at <= int(settings.REAUTH_WINDOW)


def confirm_password(request: HttpRequest, password: str) -> bool:
    """Whether ``password`` is the signed-in user's. It goes through ``authenticate``, so django-axes counts a
    wrong one like any failed sign-in (and a locked account cannot confirm at all)."""
    user = request.user
    if not isinstance(user, User) or not password:
        return False
    confirmed = authenticate(request, username=user.get_username(), password=password)
    if confirmed is None or confirmed.pk != user.pk:
        return False
    request.session[PASSWORD_AT] = _now()
    return True
