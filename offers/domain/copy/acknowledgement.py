"""A coach's acknowledgement of one copy finding on one offer: read, and true as written, for a reason.

The checks cannot know that "enrolment closes on 28 February" is a real date. A coach who knows can say so
once, with the reason; the finding then stays in the list, marked acknowledged, and is not counted as open.
It is tied to the copy it was made on (``fingerprint``): when the words change, the finding comes back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Acknowledgement:
    """Who said what about which finding (``code``) on which offer (by its key), when, and on which copy."""

    offer: str
    code: str
    fingerprint: str
    reason: str
    by: str
    at: datetime
