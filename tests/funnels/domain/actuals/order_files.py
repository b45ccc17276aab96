"""Orders files made up from known choices (``funnels.domain.actuals.simulation``), written the ways real files
come: the format itself or a Stripe or WooCommerce export through its ready mapping, emails or ids, CRLF line
ends, a byte-order mark, blank lines, rows in any order. The tests that hold the quick reading and counting to
the row loop and to one buyer at a time read these."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal

from funnels.domain.actuals.simulation import HEADER, Expected, Simulation, simulate
from funnels.domain.plan import FunnelPlan
from funnels.interchange.orders_mapping import ORDERS_FORMAT, STRIPE_PAYMENTS, WOOCOMMERCE_ORDERS, ColumnMapping
from offers.domain.kinds import OfferKind
from tests.funnels.domain.plans import alongside, bump, cross, funnel, offer, step, thank_you

CHAIN = funnel(
    offer("cards", OfferKind.ORDER_BUMP, "19"),
    cross("book", "40"),
    offer("a1"),
    offer("a2", price="200"),
    offer("a3", OfferKind.DOWNSELL, "100"),
    cross("audio", "29"),
    bumps=(bump("cards"),),
    checkout_cross_sells=(alongside("book"),),
    thank_you_cross_sells=(thank_you("audio"),),
    start="s1",
    steps=(step("s1", "a1", "s2", "s3"), step("s2", "a2", None, "s3"), step("s3", "a3")),
)
"""A funnel with a place of every kind (a bump, a checkout cross-sell, three one-click steps whose paths meet
again, a thank-you cross-sell): what the quick count and the one-buyer count are compared on."""

GIFT = "Gift card"
"""A product of a mapped export that is no offer (mapped to ""): every row of it is unmatched."""
STRIPE_STATUS = {"paid": "Succeeded", "refunded": "Refunded", "failed": "Failed"}
WOO_STATUS = {"paid": "completed", "refunded": "refunded", "failed": "cancelled"}


@dataclass(frozen=True)
class Shape:
    """How a file is written: ``source`` is ``format``, ``stripe`` or ``woocommerce``."""

    source: str = "format"
    newline: str = "\n"
    bom: bool = False
    blank_lines: bool = False
    shuffled: bool = False
    email_share: float = 0.5

    def __str__(self) -> str:
        marks = [self.source, repr(self.newline)]
        marks += [name for name in ("bom", "blank_lines", "shuffled") if getattr(self, name)]
        return "-".join([*marks, f"emails{self.email_share}"])


SHAPES = [
    Shape(),
    Shape(newline="\r\n", bom=True, blank_lines=True),
    Shape(shuffled=True),
    Shape(email_share=0.0),
    Shape(email_share=1.0, shuffled=True, newline="\r\n"),
    Shape(source="stripe"),
    Shape(source="stripe", shuffled=True, blank_lines=True),
    Shape(source="woocommerce", email_share=1.0),
    Shape(source="woocommerce", shuffled=True, newline="\r\n"),
]


def order_file(
    plan: FunnelPlan,
    shape: Shape,
    *,
    visits: int,
    seed: int,
    off_path: float = 0.05,
    unmatched: float = 0.05,
    spoilt: float = 0.02,
) -> tuple[bytes, ColumnMapping, Expected]:
    """The file's bytes, the mapping to read it with, and what is in it: what the simulation chose, and in a
    mapped export a few rows of a product that is no offer (unmatched)."""
    expected = Expected()
    sim = Simulation(
        plan=plan,
        visits=visits,
        seed=seed,
        off_path_share=off_path,
        unmatched_share=unmatched,
        failed_share=spoilt,
        refunded_share=spoilt,
        email_share=shape.email_share,
    )
    rows = list(simulate(sim, expected))
    chance = random.Random(seed)
    names = {o.key: o.name for o in plan.offers}
    mapping: ColumnMapping
    if shape.source == "format":
        header, mapping = list(HEADER), ORDERS_FORMAT
    else:
        extra = [(row[0], GIFT, row[2], "5.00", row[4], row[5], "paid") for row in rows[:: max(1, len(rows) // 7)]]
        rows += extra
        expected.unmatched += len(extra)
        expected.rows += len(extra)
        products = {name: key for key, name in names.items()} | {GIFT: ""}
        if shape.source == "stripe":
            header, mapping = list(STRIPE_PAYMENTS.columns.values()), replace(STRIPE_PAYMENTS, products=products)
        else:
            header, mapping = list(WOOCOMMERCE_ORDERS.columns.values()), replace(WOOCOMMERCE_ORDERS, products=products)
        rows = [_exported(shape.source, row, names, number) for number, row in enumerate(rows)]
    if shape.shuffled:
        chance.shuffle(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=shape.newline)
    writer.writerow(header)
    for row in rows:
        if shape.blank_lines and chance.random() < 0.05:
            out.write(shape.newline)
        writer.writerow(row)
    text = ("\ufeff" if shape.bom else "") + out.getvalue()
    return text.encode(), mapping, expected


def _exported(source: str, row: tuple[str, ...], names: dict[str, str], number: int) -> tuple[str, ...]:
    """A row of the orders format as a Stripe or WooCommerce export writes it, in its mapping's column order."""
    buyer, offer, placed_at, amount, order_id, currency, status = row
    product = names.get(offer, offer)
    when = datetime.fromisoformat(placed_at).astimezone(UTC)
    if source == "stripe":
        cells = {
            "buyer": buyer,
            "offer": product,
            "placed_at": when.strftime("%Y-%m-%d %H:%M:%S"),
            "amount": f"${Decimal(amount):.2f}" if number % 3 else amount,
            "order_id": f"ch_{number}",
            "currency": currency.lower(),
            "status": STRIPE_STATUS.get(status, status),
        }
        return tuple(cells[field] for field in STRIPE_PAYMENTS.columns)
    cells = {
        "buyer": buyer,
        "offer": product,
        "placed_at": f"{when.month}/{when.day}/{when.year} {when.hour}:{when.minute:02d}:{when.second:02d}",
        "amount": amount,
        "order_id": order_id,
        "currency": currency,
        "status": WOO_STATUS.get(status, status),
    }
    return tuple(cells[field] for field in WOOCOMMERCE_ORDERS.columns)
