"""Exact arithmetic for the engine: finite decimals, added and multiplied without ever rounding.

Every price and take rate is a finite decimal, and the engine only adds, subtracts and multiplies them, so
every figure it works out (a chance, an expected amount, a second moment) is a finite decimal too, exactly.
``Fraction`` would give the same values but reduces every result by a greatest common divisor: along a chain
of a thousand 10% steps the chances have a thousand digits, and those reductions made the figures grow with
the square of the funnel's length. A ``Decimal`` in a context of unlimited precision holds the same exact
value as an integer and a power of ten, in C, with no reduction; any operation that could not be exact (a
division) traps instead of rounding, so exactness is checked, not assumed.

``exact`` runs a block in that context; ``rounded`` turns an exact value into the engine's shown figure (40
significant digits, correctly rounded, written as ``exact_decimal`` writes the same value as a fraction).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from contextlib import AbstractContextManager
from decimal import Context, Decimal, Inexact, localcontext
from fractions import Fraction

PRECISION = 40

EXACT = Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""Unlimited precision, and a trap on anything inexact: sums and products of finite decimals only."""

ZERO = Decimal(0)
ONE = Decimal(1)
_UNIT = Decimal(1)


def exact() -> AbstractContextManager[Context]:
    """``with exact():`` the block's Decimal operators compute exactly (or raise ``decimal.Inexact``)."""
    return localcontext(EXACT)


def total(values: Iterable[Decimal]) -> Decimal:
    """The exact sum."""
    found = ZERO
    for value in values:
        found = EXACT.add(found, value)
    return found


def rounded(value: Decimal) -> Decimal:
    """``value`` to 40 significant digits, correctly rounded; an exact result in its shortest form, as a division
    of its fraction gives it (``157``, not ``157.00`` nor ``1.57E+2``)."""
    context = Context(prec=PRECISION, traps=[])
    found = context.plus(value)
    if context.flags[Inexact]:
        return found
    found = found.normalize(context)
    exponent = found.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        found = found.quantize(_UNIT, context=context)
    return found


def quotient(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator`` to 40 significant digits, correctly rounded, in ``rounded``'s form."""
    context = Context(prec=PRECISION, traps=[])
    found = context.divide(numerator, denominator)
    return found if context.flags[Inexact] else rounded(found)


_DIRECT_LIMIT = 10**50


def exact_decimal(value: Fraction) -> Decimal:
    """A fraction as a decimal of 40 significant digits, correctly rounded (exact for any amount of money)."""
    numerator, denominator = value.numerator, value.denominator
    context = Context(prec=PRECISION)
    if abs(numerator) < _DIRECT_LIMIT and denominator < _DIRECT_LIMIT:
        return context.divide(Decimal(numerator), Decimal(denominator))
    # Huge terms (chances along a long chain): dividing them as integers to a few more digits than needed costs
    # less than turning them into decimals; a last "sticky" digit keeps the rounding exact.
    magnitude = (abs(numerator).bit_length() - denominator.bit_length()) * 30103 // 100000
    shift = PRECISION + 3 - magnitude
    if shift >= 0:
        digits, remainder = divmod(abs(numerator) * 10**shift, denominator)
    else:
        digits, remainder = divmod(abs(numerator), denominator * 10**-shift)
    sticky = digits * 10 + (1 if remainder else 0)
    return context.create_decimal(EXACT.scaleb(Decimal(-sticky if numerator < 0 else sticky), Decimal(-shift - 1)))
