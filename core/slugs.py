"""Keys and slugs: the short lower-case names that objects carry in URLs, files and the command line."""

from __future__ import annotations

import re
from collections.abc import Collection

KEY_PATTERN = re.compile(r"[a-z0-9-]{1,64}\Z")
KEY_REGEX = r"^[a-z0-9-]{1,64}$"
"""The same rule as ``KEY_PATTERN``, in the form the database's check constraints take."""

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""A slug a person types: words of letters and digits joined by single hyphens."""
SLUG_MAX = 58
"""Short enough that a ``-N`` suffix still fits the 64 characters of a key."""


def slug_base(slugified: str, *, fallback: str) -> str:
    """The stem a new slug starts from: the slugified name cut to ``SLUG_MAX``, else ``fallback``."""
    return slugified[:SLUG_MAX].strip("-") or fallback


def unique_slug(*, base: str, taken: Collection[str]) -> str:
    """``base`` itself when it is free, else ``base-2``, ``base-3``… the first that nobody has taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
