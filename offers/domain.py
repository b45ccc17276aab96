"""The catalog's vocabulary, free of Django so the funnel engine can reason with it.

The primer's four words map to kinds: an upsell is "go bigger", a downsell "go smaller", a cross-sell
"go sideways" and an order bump "a quick yes-or-no at the till"; the core offer is the first yes.
Money is always ``Decimal`` with at most two places; a take rate is a ``Decimal`` in 0..1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from enum import StrEnum

MONEY_MIN = Decimal("0")
MONEY_MAX = Decimal("1000000")
CENT = Decimal("0.01")
RATE_MIN = Decimal("0")
RATE_MAX = Decimal("1")
RATE_PLACES = 4
RATE_STEP = Decimal("0.0001")
KEY_PATTERN = re.compile(r"[a-z0-9-]{1,64}\Z")
CURRENCY_PATTERN = re.compile(r"[A-Z]{3}\Z")

DEFAULT_ACCEPT_LABEL = "Yes, add this to my order"
DEFAULT_DECLINE_LABEL = "No, thank you"


class OfferKind(StrEnum):
    CORE = "core"
    ORDER_BUMP = "order_bump"
    UPSELL = "upsell"
    DOWNSELL = "downsell"
    CROSS_SELL = "cross_sell"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def primer_words(self) -> str:
        return KIND_PRIMER_WORDS[self]


KIND_LABELS: dict[OfferKind, str] = {
    OfferKind.CORE: "Core offer",
    OfferKind.ORDER_BUMP: "Order bump",
    OfferKind.UPSELL: "Upsell",
    OfferKind.DOWNSELL: "Downsell",
    OfferKind.CROSS_SELL: "Cross-sell",
}

KIND_PRIMER_WORDS: dict[OfferKind, str] = {
    OfferKind.CORE: "the first yes",
    OfferKind.ORDER_BUMP: "a quick yes-or-no at the till",
    OfferKind.UPSELL: "go bigger",
    OfferKind.DOWNSELL: "go smaller",
    OfferKind.CROSS_SELL: "go sideways",
}


@dataclass(frozen=True)
class TakeRateRange:
    """A typical claimed range of take rates: labelled as claims from practice, not facts."""

    low: Decimal
    high: Decimal
    default: Decimal


# DESIGN §3.4. The upsell range depends on how the upsell is priced against the core offer;
# the rules module interpolates between these two.
TYPICAL_TAKE_RATES: dict[OfferKind, TakeRateRange] = {
    OfferKind.ORDER_BUMP: TakeRateRange(Decimal("0.20"), Decimal("0.40"), Decimal("0.30")),
    OfferKind.UPSELL: TakeRateRange(Decimal("0.10"), Decimal("0.25"), Decimal("0.15")),
    OfferKind.DOWNSELL: TakeRateRange(Decimal("0.10"), Decimal("0.20"), Decimal("0.15")),
    OfferKind.CROSS_SELL: TakeRateRange(Decimal("0.01"), Decimal("0.10"), Decimal("0.05")),
}
EXPENSIVE_UPSELL_TAKE_RATES = TakeRateRange(Decimal("0.03"), Decimal("0.10"), Decimal("0.05"))
"""An upsell priced at five times the core or more: typically 3–10%."""


def typical_take_rates(kind: OfferKind, price: Decimal, core_price: Decimal | None) -> TakeRateRange:
    """The typical claimed take rates for an offer of ``kind`` at ``price`` after a core at ``core_price``.

    An upsell's range slides from 10–25% (priced up to 3× the core) to 3–10% (5× or more), linearly
    between: the bigger the jump, the fewer say yes. Other kinds have one range whatever their price.
    """
    if kind is OfferKind.CORE:
        return TakeRateRange(Decimal("1"), Decimal("1"), Decimal("1"))
    typical = TYPICAL_TAKE_RATES[kind]
    if kind is not OfferKind.UPSELL or core_price is None or core_price <= 0:
        return typical
    dear = EXPENSIVE_UPSELL_TAKE_RATES
    share = min(max((price / core_price - 3) / 2, Decimal(0)), Decimal(1))

    def slide(cheap: Decimal, expensive: Decimal) -> Decimal:
        # rounded to a take rate's 4 places, so the forecast built on it stays an exact decimal
        return (cheap + (expensive - cheap) * share).quantize(RATE_STEP, rounding=ROUND_HALF_UP)

    return TakeRateRange(
        low=slide(typical.low, dear.low),
        high=slide(typical.high, dear.high),
        default=slide(typical.default, dear.default),
    )


def default_take_rate(kind: OfferKind, price: Decimal = Decimal(0), core_price: Decimal | None = None) -> Decimal:
    """The take rate assumed when neither the funnel nor the offer names one (the core is always bought)."""
    return typical_take_rates(kind, price, core_price).default


def to_decimal(value: object) -> Decimal:
    """Read a number as an exact decimal; floats go through ``str`` so 19.99 stays 19.99."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation(f"{value!r} is not a number")
    if isinstance(value, int | str):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    raise InvalidOperation(f"{value!r} is not a number")


_WIDE = Context(prec=60)


def has_places_at_most(value: Decimal, places: int) -> bool:
    """Exactly, whatever the digits: 97.000 has two places, 0.1 followed by thirty 9s has more.

    Only for values already known to lie within 0..1,000,000 (so 60 digits hold them at any scale we allow).
    """
    step = Decimal(1).scaleb(-places)
    return value.quantize(step, context=_WIDE) == value


def money_problem(value: Decimal) -> str | None:
    """Why ``value`` is not a valid price, or None when it is."""
    if not value.is_finite():
        return "must be a finite number"
    if value < MONEY_MIN or value > MONEY_MAX:
        return f"must lie between {MONEY_MIN} and {MONEY_MAX:,}"
    if not has_places_at_most(value, 2):
        return "has more than 2 decimal places"
    return None


def rate_problem(value: Decimal) -> str | None:
    """Why ``value`` is not a valid take rate, or None when it is."""
    if not value.is_finite():
        return "must be a finite number"
    if value < RATE_MIN or value > RATE_MAX:
        return "must lie between 0 and 1 (0.2 means 20%)"
    if not has_places_at_most(value, RATE_PLACES):
        return f"has more than {RATE_PLACES} decimal places"
    return None


def quantize_money(value: Decimal) -> Decimal:
    """Round to cents, half up, as a person rounds money."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value: Decimal, currency: str) -> str:
    """``$1,234.50``-style text for the currencies we know a symbol for, ``1,234.50 CHF`` otherwise."""
    symbols = {"USD": "$", "EUR": "€", "GBP": "£", "AUD": "A$", "CAD": "C$", "NZD": "NZ$"}
    amount = quantize_money(value)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}"
    symbol = symbols.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"


def format_percent(rate: Decimal, places: int = 1) -> str:
    """0.15 -> ``15%``; 0.125 -> ``12.5%``."""
    scaled = (rate * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    text = f"{scaled:f}"
    return f"{text}%"
