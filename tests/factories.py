"""Small factories: each builds rows through the services, with defaults a test can override.

``make_primer_catalog`` is the primer's catalog (funnels/demo/*.json): the $97 "Calm Your Nervous System" course,
the $300 three-call upsell, the $120 one-call downsell, the $19 bump, the $29 cross-sell and the $147 upgrade.
The ``primer_catalog`` fixture (tests/conftest.py) is its five offers of the classic funnel in a new practice.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import Membership, Practice
from accounts.services import practice_create
from funnels.models import Funnel, FunnelStep
from funnels.services.editing import funnel_create, funnel_step_add
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


# -- the primer's catalog -----------------------------------------------------------------------------------------

PRIMER_OFFERS: dict[str, dict[str, str]] = {
    # handle: the offer as funnels/demo/*.json has it ("replaces" names another handle)
    "course": {"key": "calm-course", "kind": "core", "price": "97", "name": "Calm Your Nervous System"},
    "calls": {"key": "three-calls", "kind": "upsell", "price": "300", "name": "Three 1-on-1 coaching calls"},
    "call": {"key": "one-call", "kind": "downsell", "price": "120", "name": "One coaching call"},
    "cards": {"key": "breath-cards", "kind": "order_bump", "price": "19", "name": "Printable breathing cards"},
    "audio": {"key": "sleep-audio", "kind": "cross_sell", "price": "29", "name": "Sleep wind-down audio series"},
    "plus": {
        "key": "calm-plus",
        "kind": "upsell",
        "price": "147",
        "name": "Calm course + community",
        "replaces": "course",
    },
}
CLASSIC_CATALOG = ("course", "calls", "call", "cards", "audio")  # the offers of the classic demo funnel


class PrimerCatalog(dict[str, Offer]):
    """The primer's offers by handle (``catalog["calls"]`` is the $300 three-call upsell), with their practice."""

    def __init__(self, practice: Practice, offers: dict[str, Offer]) -> None:
        super().__init__(offers)
        self.practice = practice


def make_primer_catalog(
    practice: Practice, *handles: str, named: bool = True, **changes: dict[str, Any]
) -> PrimerCatalog:
    """The primer's offers in ``practice``, each with the topic "anxiety", made in the order of ``handles``
    (by default ``CLASSIC_CATALOG``; "plus" is the $147 upgrade of the course and needs "course" before it).

    ``named=False`` names each offer after its key ("Three Calls"), as ``make_offer`` does; ``changes`` sets
    fields of one offer by its handle, e.g. ``call={"name": "One call", "accept_label": "Yes, one call"}``.
    """
    unknown = set(changes) - set(handles or CLASSIC_CATALOG)
    if unknown:
        raise ValueError(f"changes for offers not made: {sorted(unknown)}")
    offers: dict[str, Offer] = {}
    for handle in handles or CLASSIC_CATALOG:
        fields: dict[str, Any] = {"topics": ["anxiety"], **PRIMER_OFFERS[handle]}
        if not named:
            del fields["name"]
        fields.update(changes.get(handle, {}))
        if isinstance(fields.get("replaces"), str):
            fields["replaces"] = offers[fields["replaces"]]
        offers[handle] = make_offer(practice, **fields)
    return PrimerCatalog(practice, offers)


def make_primer_funnel(practice: Practice, offers: dict[str, Offer]) -> tuple[Funnel, FunnelStep, FunnelStep]:
    """Course → three-call upsell (20%) → one-call downsell (15%) on decline; the funnel at version 3."""
    funnel = funnel_create(practice=practice, name="Calm", core_offer=offers["course"])
    up = funnel_step_add(
        funnel=funnel, expected_version=1, offer=offers["calls"], slot="one_click", key="up1", take_rate="0.2"
    )
    down = funnel_step_add(
        funnel=funnel,
        expected_version=2,
        offer=offers["call"],
        slot="one_click",
        key="down1",
        take_rate="0.15",
        connect_from=up,
        edge="on_decline",
    )
    return funnel, up, down


def make_long_funnel(practice: Practice, core: Offer, offers: list[Offer], name: str) -> Funnel:
    """A bump, a thank-you cross-sell and a chain of one-click steps along their decline edges."""
    funnel = funnel_create(practice=practice, name=name, core_offer=core)
    bump, thanks, *chain = offers
    FunnelStep.objects.bulk_create(
        [
            FunnelStep(funnel=funnel, key="bump", stage="checkout", slot="bump", offer=bump, take_rate=Decimal("0.3")),
            FunnelStep(funnel=funnel, key="thanks", stage="thank_you", slot="cross_sell", offer=thanks),
        ]
    )
    steps = FunnelStep.objects.bulk_create(
        [
            FunnelStep(
                funnel=funnel,
                key=f"up{i}",
                stage="post_purchase",
                slot="one_click",
                offer=offer,
                take_rate=Decimal("0.1"),
                position=i,
            )
            for i, offer in enumerate(chain, start=1)
        ]
    )
    for step, following in zip(steps, steps[1:], strict=False):
        step.on_decline = following
    FunnelStep.objects.bulk_update(steps, ["on_decline"])
    funnel.start_step = steps[0]
    funnel.save(update_fields=["start_step"])
    return funnel
