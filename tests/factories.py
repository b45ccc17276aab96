"""Small factories: each builds one row through the services, with defaults a test can override."""

from __future__ import annotations

import itertools
from typing import Any

from offers.models import Offer, Practice
from offers.services import offer_create, practice_create

_counter = itertools.count(1)


def make_practice(*, slug: str | None = None, currency: str = "USD", **extra: Any) -> Practice:
    n = next(_counter)
    practice = practice_create(name=f"Practice {n}", slug=slug or f"practice-{n}", currency=currency)
    for field, value in extra.items():
        setattr(practice, field, value)
    if extra:
        practice.save()
    return practice


def make_offer(practice: Practice, *, key: str | None = None, kind: str = "upsell", price: str = "100",
               **fields: Any) -> Offer:
    key = key or f"offer-{next(_counter)}"
    fields.setdefault("name", key.replace("-", " ").title())
    return offer_create(practice=practice, key=key, kind=kind, price=price, **fields)
