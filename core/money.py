"""Money and take rates: one way to read, check, round and show them, for every layer.

Money is always ``Decimal`` with at most two places and lies in 0..1,000,000; a take rate is a ``Decimal``
in 0..1 with at most four places. Nothing here knows Django (Babel only supplies the currency symbols),
so the domain words its findings with the same formatter as the screens.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import format_currency

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
DISPLAY_LOCALE = "en_US"
"""The screens are in English; amounts are grouped and signed the way English readers expect."""
PERCENT_PLACES = RATE_PLACES - 2
"""A take rate's four places are a percentage's two."""
NOT_A_PERCENT = "Enter a percentage such as 15 or 12.5."
PERCENT_OUT_OF_RANGE = "Enter a percentage between 0 and 100."
PERCENT_TOO_PRECISE = f"Use at most {PERCENT_PLACES} decimal places, such as 12.25."


NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
"""A number as a person types it: ASCII digits with at most one decimal point (and a sign, so that "-5" is
told it is out of range rather than not a number). Not "١٢٣" or "１２" (other scripts' digits), "1_000"
(Python's grouping), "0E+1000" or "Infinity", all of which ``Decimal`` itself would take."""


def decimal_text(text: str) -> Decimal:
    """The exact decimal a person typed (surrounding spaces ignored); ``InvalidOperation`` for anything else."""
    cleaned = text.strip()
    if not NUMBER_TEXT.match(cleaned):
        raise InvalidOperation(f"{text!r} is not a number")
    return Decimal(cleaned)


def to_decimal(value: object) -> Decimal:
    """Read a number as an exact decimal; text must be plain ASCII digits (``decimal_text``); floats go
    through ``str`` so 19.99 stays 19.99."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation(f"{value!r} is not a number")
    if isinstance(value, str):
        return decimal_text(value)
    if isinstance(value, int):
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
    """Money as a person reads it (``$1,234.50``, ``-€3.00``, ``CHF1,234.50``), by Babel's currency data.

    Always to the cent, whatever the currency's usual digits: every amount here is exact to two places, and a
    total that hid its cents would not seem to add up.
    """
    return _formatted(str(quantize_money(value)), currency)


@lru_cache(maxsize=8192)
def _formatted(cents: str, currency: str) -> str:
    """Babel's formatting, once per amount: it costs as much as a rule, and a long funnel names the same prices
    in many findings and boxes. Keyed by the rounded amount's text, so ``-0.00`` and ``0.00`` stay apart."""
    return format_currency(Decimal(cents), currency, locale=DISPLAY_LOCALE, currency_digits=False)


def money_string(value: Decimal) -> str:
    """Money for machines (JSON, the command line's ``--json``): a plain decimal string rounded to cents."""
    return str(quantize_money(value))


def format_percent(rate: Decimal, places: int = 1) -> str:
    """0.15 -> ``15%``; 0.125 -> ``12.5%``."""
    scaled = (rate * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    text = f"{scaled:f}"
    return f"{text}%"


class PercentError(ValueError):
    """What a person typed is not a percentage we can take; ``code`` says which way (for form errors)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def parse_percent(text: str) -> Decimal | None:
    """ "15" or "15%" -> ``Decimal("0.15")`` exactly, "12.5" -> 0.125; blank -> None (nothing chosen).

    Raises ``PercentError`` for anything that is not a percentage from 0 to 100 with at most two places.
    """
    cleaned = text.strip().removesuffix("%").strip()
    if not cleaned:
        return None
    try:
        percent = decimal_text(cleaned)
    except InvalidOperation:
        raise PercentError(NOT_A_PERCENT, "invalid") from None
    if not percent.is_finite():
        raise PercentError(NOT_A_PERCENT, "invalid")
    if percent < 0 or percent > 100:
        raise PercentError(PERCENT_OUT_OF_RANGE, "range")
    if not has_places_at_most(percent, PERCENT_PLACES):
        raise PercentError(PERCENT_TOO_PRECISE, "places")
    return percent.scaleb(-2)


def percent_input(rate: Decimal | None) -> str:
    """The inverse, for an input's value: 0.2 -> "20", 0.125 -> "12.5", None -> ""."""
    if rate is None:
        return ""
    return f"{rate.scaleb(2).normalize():f}"


def read_money(value: object) -> Decimal:
    """A price from any input (text, number, Decimal), checked; raises ``ValueError`` saying what is wrong."""
    try:
        amount = to_decimal(value)
    except (InvalidOperation, ValueError):
        raise ValueError(f"{value!r} is not an amount of money") from None
    problem = money_problem(amount)
    if problem:
        raise ValueError(problem)
    return amount


def read_rate(value: object) -> Decimal | None:
    """A take rate (0..1) from any input, checked; blank or None -> None; raises ``ValueError`` otherwise."""
    if value is None or value == "":
        return None
    try:
        rate = to_decimal(value)
    except (InvalidOperation, ValueError):
        raise ValueError(f"{value!r} is not a take rate") from None
    problem = rate_problem(rate)
    if problem:
        raise ValueError(problem)
    return rate
