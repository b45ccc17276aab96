"""Starting a funnel from the list page's blank form, with its core offer made on the spot when the catalog has none.

A coach with an empty catalog should not have to leave the page to add the first yes before starting a funnel:
the form gives the core offer's name and price, and this service adds that offer to the catalog and starts the
funnel on it in one transaction, so a refusal of either leaves neither behind.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from accounts.audit import SYSTEM, Actor
from accounts.models import Practice
from core.slugs import slug_base, unique_slug
from funnels.models import Funnel
from funnels.services.editing import FunnelEditError, funnel_create
from offers.domain.kinds import OfferKind
from offers.models import Offer
from offers.selectors import offer_keys_taken
from offers.services import offer_create


def core_offer_key_for(*, practice: Practice, name: str) -> str:
    """A key made from the offer's name ("Calm Your Nervous System" -> calm-your-nervous-system), numbered
    (``-2``, ``-3``…) when another offer of the practice has it, because keys are unique in a practice."""
    base = slug_base(slugify(name), fallback="core-offer")
    return unique_slug(base=base, taken=offer_keys_taken(practice=practice, prefix=base))


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
                key=core_offer_key_for(practice=practice, name=offer_name),
                name=offer_name,
                kind=OfferKind.CORE,
                price=offer_price,
                actor=actor,
            )
        return funnel_create(
            practice=practice, name=name.strip() or core_offer.name, core_offer=core_offer, actor=actor
        )
