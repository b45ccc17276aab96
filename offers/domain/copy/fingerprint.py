"""A fingerprint of the copy a finding was made on, so an acknowledgement lasts only as long as those words.

A coach who marks "this cohort really closes on 28 February" as reviewed has vouched for the copy as it stood;
if the copy changes, the finding must come back to be read again. The fingerprint covers every field the buyer
reads, and for a reference price also the offer's recorded price (the finding compares the two).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal

from offers.domain.copy.claims import FIELD_LABELS, UNVERIFIED_REFERENCE_PRICE

CENT = Decimal("0.01")


def copy_fingerprint(fields: Mapping[str, str], *, price: Decimal | None, code: str) -> str:
    """The same for the same words (and, for a reference price, the same price), different for any change."""
    parts = [code, *(f"{name}={fields.get(name, '')}" for name in FIELD_LABELS)]
    if code == UNVERIFIED_REFERENCE_PRICE:
        parts.append(f"price={price.quantize(CENT) if price is not None else ''}")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
