"""The headers that make writes safe: a funnel's version travels as its ``ETag`` and comes back as ``If-Match``.

A write without ``If-Match`` is refused with 428 (it would overwrite whatever changed since the script read the
funnel); one with a version that moved on gets 412 from the edit itself (``StaleFunnel``), with the current one.
"""

from __future__ import annotations

import re

from api.errors import ApiError

_ETAG = re.compile(r'\s*(?:W/)?"?([0-9]{1,9})"?\s*\Z')
IF_MATCH_HELP = 'send the version you read as If-Match, exactly as its ETag header gave it, e.g. If-Match: "3"'


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None) -> int:
    """The version ``If-Match`` names; 428 when it is missing, 400 when it names no version."""
    if if_match is None or not if_match.strip():
        raise ApiError(428, f"this write needs If-Match: {IF_MATCH_HELP}", [("header.If-Match", "missing")])
    found = _ETAG.match(if_match)
    if found is None or int(found.group(1)) < 1:
        raise ApiError(
            400,
            f"If-Match names no version of this funnel: {IF_MATCH_HELP}",
            [("header.If-Match", 'must be one version such as "3"')],
        )
    return int(found.group(1))
