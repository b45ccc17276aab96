"""Writing a funnel file: a :class:`FunnelDocument` as canonical JSON text.

Canonical, so export -> import -> export is identical byte for byte: fields in the order the models declare
them, 2-space indent, UTF-8 text, money as ``"97.00"``, take rates as plain numbers (``0.2``, ``1``), topics
sorted; ``start`` and edges are always written (null included), labels always (so an export pins what the buyer
reads even if the defaults change); an offer's ``replaces``, ``take_rate``, ``format``, ``headline`` and
``body``, and a placement's or step's ``take_rate``, are left out when empty.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from core.money import CENT
from funnels.interchange.models import FunnelDocument, OfferEntry, PlacementEntry


def dump_document(doc: FunnelDocument) -> str:
    """The canonical JSON text of ``doc`` (see the module's docstring), ending with a newline."""

    def placement(entry: PlacementEntry) -> dict[str, Any]:
        return {"offer": entry.offer, **_rate_field(entry.take_rate)}

    data = {
        "format": doc.format,
        "name": doc.name,
        "currency": doc.currency,
        "offers": [_offer_json(offer) for offer in doc.offers],
        "checkout": {
            "core": doc.checkout.core,
            "bumps": [placement(entry) for entry in doc.checkout.bumps],
            "cross_sells": [placement(entry) for entry in doc.checkout.cross_sells],
        },
        "post_purchase": {
            "start": doc.post_purchase.start,
            "steps": [
                {
                    "key": step.key,
                    "offer": step.offer,
                    **_rate_field(step.take_rate),
                    "on_accept": step.on_accept,
                    "on_decline": step.on_decline,
                }
                for step in doc.post_purchase.steps
            ],
        },
        "thank_you": {"cross_sells": [placement(entry) for entry in doc.thank_you.cross_sells]},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _offer_json(offer: OfferEntry) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": offer.key,
        "name": offer.name,
        "kind": offer.kind.value,
        "price": f"{offer.price.quantize(CENT):f}",
    }
    if offer.replaces is not None:
        data["replaces"] = offer.replaces
    data.update(_rate_field(offer.take_rate))
    data["topics"] = list(offer.topics)
    for name in ("format", "headline", "body"):
        if getattr(offer, name):
            data[name] = getattr(offer, name)
    data["accept_label"] = offer.accept_label
    data["decline_label"] = offer.decline_label
    return data


def _rate_field(rate: Decimal | None) -> dict[str, int | float]:
    """``{"take_rate": 0.2}``, or nothing for None. A float's repr of a decimal of at most 4 places is that
    decimal's shortest form, so it reads back exactly with ``parse_float=Decimal``."""
    if rate is None:
        return {}
    plain = rate.normalize()
    return {"take_rate": int(plain) if plain == plain.to_integral_value() else float(plain)}
