"""The refusal to serve with settings that are unsafe to deploy: with ``DEBUG`` off, the ``SECRET_KEY`` must
be set and at least 50 characters long (it signs sessions, password-reset links and invitations).

Called by the WSGI and ASGI entry points (so gunicorn and ``runserver`` alike), not at settings import: the
commands that never serve a request or sign anything (``makemigrations``, ``funnel check``) still run in a
fresh clone without a key. The reason is one line on stderr, not a traceback.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_KEY_LENGTH = 50


def unsafe_settings_reason() -> str | None:
    """Why these settings must not serve, or None when they may."""
    if settings.DEBUG:
        return None
    try:
        key = str(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django's own refusal of an empty key
        key = ""
    if not key:
        return "SECRET_KEY is not set and DEBUG is off (set SECRET_KEY, or DEBUG=true on your own machine)."
    if len(key) < MIN_KEY_LENGTH:
        return f"SECRET_KEY has {len(key)} characters; with DEBUG off it needs at least {MIN_KEY_LENGTH}."
    return None


def refuse_unsafe_settings() -> None:
    reason = unsafe_settings_reason()
    if reason:
        sys.stderr.write(f"Offer Architect will not start: {reason}\n")
        sys.stderr.flush()
        raise SystemExit(3)
