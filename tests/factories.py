"""Small factories: each builds one row through the services, with defaults a test can override."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import Membership, Practice
from accounts.services import practice_create
from offers.models import Offer
from offers.services import offer_create

_counter = itertools.count(1)


def make_practice(*, slug: str | None = None, currency: str = "USD", **extra: Any) -> Practice:
    n = next(_counter)
    practice = practice_create(name=f"Practice {n}", slug=slug or f"practice-{n}", currency=currency)
    for field, value in extra.items():
        setattr(practice, field, value)
    if extra:
        practice.save()
    return practice


def make_offer(
    practice: Practice, *, key: str | None = None, kind: str = "upsell", price: str = "100", **fields: Any
) -> Offer:
    key = key or f"offer-{next(_counter)}"
    fields.setdefault("name", key.replace("-", " ").title())
    return offer_create(practice=practice, key=key, kind=kind, price=price, **fields)


def signed_in_client(practice: Practice, role: str = "owner", **client_options: Any) -> Client:
    """A test client signed in as a new member of ``practice`` with ``role`` (one user per role and practice)."""
    user = get_user_model().objects.create_user(username=f"{role}-of-{practice.slug}")
    Membership.objects.create(user=user, practice=practice, role=role)
    client = Client(**client_options)
    client.force_login(user)
    return client
