"""Money and take rates: one way to read, check, round and show them, for every layer.

Money is always ``Decimal`` with at most two places and lies in 0..1,000,000; a take rate is a ``Decimal``
in 0..1 with at most four places. Nothing here knows Django, so the domain can word its findings with it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

MONEY_MIN = Decimal("0")
MONEY_MAX = Decimal("1000000")
CENT = Decimal("0.01")
RATE_MIN = Decimal("0")
RATE_MAX = Decimal("1")
RATE_PLACES = 4
RATE_STEP = Decimal("0.0001")
CURRENCY_PATTERN = re.compile(r"[A-Z]{3}\Z")
CURRENCY_REGEX = r"^[A-Z]{3}$"
"""The same rule as ``CURRENCY_PATTERN``, in the form the database's check constraints take."""


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
