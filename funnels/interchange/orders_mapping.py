"""How an export's columns and product names map onto the orders format (``offer-architect/orders@1``).

The format itself is the identity mapping (``ORDERS_FORMAT``): its own column names, offer keys, ISO 8601 times
with an offset, the words ``paid``, ``refunded`` and ``failed``. A payment provider's export names things its own
way, so a ``ColumnMapping`` says which of its columns holds each field, which offer each product name stands
for, what its status words mean, and in which zone its times are when they carry no offset. The ready mappings
(Stripe's payments export, WooCommerce's orders export) are starting points the coach confirms on the page;
the README says where their column names come from and which of them no documentation we found confirms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, timedelta, timezone

FORMAT = "offer-architect/orders@1"
REQUIRED_FIELDS = ("buyer", "offer", "placed_at", "amount")
OPTIONAL_FIELDS = ("order_id", "currency", "status")
FIELDS = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS)
FIELD_LABELS = {
    "buyer": "Buyer (any stable id; email addresses are hashed on reading)",
    "offer": "Offer (the product bought)",
    "placed_at": "Placed at (date and time)",
    "amount": "Amount",
    "order_id": "Order id",
    "currency": "Currency",
    "status": "Status",
}
STATUS_SYNONYMS: dict[str, str] = {
    # what exports call a payment, in lower case -> the format's word
    "paid": "paid",
    "succeeded": "paid",
    "successful": "paid",
    "completed": "paid",
    "processing": "paid",
    "refunded": "refunded",
    "partially refunded": "refunded",
    "failed": "failed",
    "cancelled": "failed",
    "canceled": "failed",
    "pending": "failed",
    "on-hold": "failed",
    "blocked": "failed",
}
"""Each ready mapping's status words. Only a payment taken counts as a yes, so anything that did not take money
(pending, on hold, cancelled) reads as ``failed`` and a refund as ``refunded``."""


@dataclass(frozen=True)
class ColumnMapping:
    """``columns``: field -> the export's column; ``products``: the export's product name -> offer key (empty:
    the column holds offer keys); ``statuses``: the export's status word (lower case) -> paid | refunded |
    failed; ``naive_zone``: the zone of times without an offset (None: an offset is required);
    ``month_first``: times written ``MM/DD/YYYY HH:MM[:SS]``; ``loose_amounts``: amounts may carry a currency
    symbol or thousands separators; ``loose_currency``: currency codes in any case."""

    name: str
    columns: dict[str, str]
    products: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(
        default_factory=lambda: {"paid": "paid", "refunded": "refunded", "failed": "failed"}
    )
    naive_zone: timezone | None = None
    month_first: bool = False
    loose_amounts: bool = False
    loose_currency: bool = False

    @property
    def is_strict(self) -> bool:
        return self.name == FORMAT


ORDERS_FORMAT = ColumnMapping(name=FORMAT, columns={f: f for f in FIELDS})

STRIPE_PAYMENTS = ColumnMapping(
    name="stripe",
    columns={
        "buyer": "Customer ID",
        "offer": "Description",
        "placed_at": "Created (UTC)",
        "amount": "Amount",
        "order_id": "id",
        "currency": "Currency",
        "status": "Status",
    },
    statuses=dict(STATUS_SYNONYMS),
    naive_zone=UTC,
    loose_amounts=True,
    loose_currency=True,
)

WOOCOMMERCE_ORDERS = ColumnMapping(
    name="woocommerce",
    columns={
        "buyer": "customer_email",
        "offer": "item_name",
        "placed_at": "order_date",
        "amount": "item_total",
        "order_id": "order_id",
        "currency": "order_currency",
        "status": "status",
    },
    statuses=dict(STATUS_SYNONYMS),
    naive_zone=UTC,
    month_first=True,
    loose_amounts=True,
    loose_currency=True,
)

READY_MAPPINGS = {m.name: m for m in (ORDERS_FORMAT, STRIPE_PAYMENTS, WOOCOMMERCE_ORDERS)}
SOURCE_LABELS = {
    FORMAT: "Orders file (offer-architect/orders@1)",
    "stripe": "Stripe payments export",
    "woocommerce": "WooCommerce orders export (one row per item)",
}


def zone_of(offset_minutes: int | None) -> timezone | None:
    """A fixed offset from UTC, in minutes (None: times must carry their own offset)."""
    if offset_minutes is None:
        return None
    if not -24 * 60 < offset_minutes < 24 * 60:
        raise ValueError("an offset from UTC lies within ±24 hours")
    return timezone(timedelta(minutes=offset_minutes))


def offset_minutes_of(zone: timezone | None) -> int | None:
    if zone is None:
        return None
    delta = zone.utcoffset(None)
    return int(delta.total_seconds() // 60)
