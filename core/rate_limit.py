"""Rate limits in the cache: at most ``count`` requests per ``seconds`` for one key (an address, a practice).

A fixed window per key: the first request of a window creates its counter with the window's lifetime, every
request adds one, and past ``count`` the caller is told how long until the window ends. The cache is shared by
every app server (Redis where ``REDIS_URL`` is set), so the limit holds across them. Limits are named in
``settings.RATE_LIMITS`` so a deployment can change them without touching code.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("security")


@dataclass(frozen=True)
class RateLimit:
    name: str
    count: int
    seconds: int


def rate_limit(name: str) -> RateLimit:
    """The limit named ``name`` in ``settings.RATE_LIMITS`` (``"sign-up-ip": (10, 3600)``)."""
    count, seconds = settings.RATE_LIMITS[name]
    return RateLimit(name=name, count=int(count), seconds=int(seconds))


def rate_limit_refusal(name: str, key: str) -> int | None:
    """Count one request for ``key`` against the limit ``name``; None when it may go ahead, else the seconds
    to wait before the next window opens (the request was refused and is logged)."""
    limit = rate_limit(name)
    now = time.time()
    window = math.floor(now / limit.seconds)
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    counter = f"rate:{limit.name}:{digest}:{window}"
    cache.add(counter, 0, timeout=limit.seconds + 1)
    try:
        used = cache.incr(counter)
    except ValueError:  # the counter expired between add and incr: this request opens the next window
        cache.add(counter, 1, timeout=limit.seconds + 1)
        used = 1
    if used <= limit.count:
        return None
    wait = max(1, math.ceil((window + 1) * limit.seconds - now))
    log.warning("rate limit reached", extra={"event": "rate_limited", "limit": limit.name, "retry_after": wait})
    return wait


def wait_in_words(seconds: int) -> str:
    """``about 12 minutes``, ``about 2 hours``, ``a few seconds``: how long a person has to wait."""
    if seconds < 60:
        return "a few seconds" if seconds < 45 else "about a minute"
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"about {hours} hours"
