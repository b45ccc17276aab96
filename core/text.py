"""Control characters: the one rule for what no text a person types or uploads may hold.

A NUL byte cannot be stored in PostgreSQL text at all (the query fails), and the other C0 and C1 control
characters have no place in a name, a key or a description: they only hide text or break what reads it.
Tab and line breaks are ordinary text. This module knows no framework, so the funnel file format, the forms
and the views that read a request directly all refuse the same characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0 controls but tab, line feed and carriage return; DEL; C1 controls; lone surrogates (not text at all)."""


def control_character_in(value: object) -> str | None:
    """The first control character in ``value`` (text, or a list of texts) as ``U+0000``, or None."""
    texts: Iterable[object] = value if isinstance(value, list | tuple) else (value,)
    for text in texts:
        if isinstance(text, str):
            found = CONTROL_CHARACTER.search(text)
            if found:
                return f"U+{ord(found.group()):04X}"
    return None


def control_character_message(found: str) -> str:
    """What a field error says: which character, and what to do."""
    return f"Remove the control character ({found}) from this field; it cannot be stored."
