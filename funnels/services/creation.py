"""Starting a funnel from the list page's blank form, with its core offer made on the spot when the catalog has none.

A coach with an empty catalog should not have to leave the page to add the first yes before starting a funnel:
the form gives the core offer's name and price, and this service adds that offer to the catalog and starts the
funnel on it in one transaction, so a refusal of either leaves neither behind.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from accounts.audit import SYSTEM, Actor
from accounts.models import Practice
from funnels.models import Funnel
from funnels.services.editing import FunnelEditError, funnel_create
from offers.domain.kinds import OfferKind
from offers.models import Offer
from offers.services import offer_create, offer_key_from_name


def funnel_start(
    *,
    practice: Practice,
    name: str = "",
    core_offer: Offer | None = None,
    offer_name: str = "",
    offer_price: Decimal | None = None,
    actor: Actor = SYSTEM,
) -> Funnel:
    """A new draft funnel on ``core_offer``, or on a new core offer (``offer_name``, ``offer_price``) added to the
    catalog in the same transaction. The funnel is named after its core offer unless ``name`` says otherwise.

    Raises ``FunnelEditError`` when neither an offer nor a new offer's name and price are given, and the catalog's
    ``ValidationError`` (keyed by the offer's fields, ``name`` and ``price``) when the new offer is refused.
    """
    with transaction.atomic():
        if core_offer is None:
            offer_name = offer_name.strip()
            if not offer_name or offer_price is None:
                raise FunnelEditError("a funnel needs a core offer: choose one or give a new one's name and price")
            core_offer = offer_create(
                practice=practice,
                key=offer_key_from_name(practice=practice, name=offer_name, fallback="core-offer"),
                name=offer_name,
                kind=OfferKind.CORE,
                price=offer_price,
                actor=actor,
            )
        return funnel_create(
            practice=practice, name=name.strip() or core_offer.name, core_offer=core_offer, actor=actor
        )
