"""The funnel file's field checks: each value either passes (normalised) or fails with one plain message.

The pydantic models (``funnels.interchange.models``) attach these as validators, so that a wrong value reads
``must be …, not …`` rather than pydantic's own wording; the limits they enforce are in
``funnels.interchange.limits``. No text may hold control characters other than tab and line breaks. Money is a
JSON number or a decimal string (``97``, ``"97.00"``), at most 2 places, 0..1,000,000; a take rate a number (or
decimal string) in 0..1 with at most 4 places.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, localcontext
from typing import TypeGuard

from core.money import CENT, CURRENCY_PATTERN, money_problem, rate_problem, to_decimal
from core.slugs import KEY_PATTERN
from core.text import CONTROL_CHARACTER
from funnels.interchange.limits import FORMAT_ID, TOPIC_PATTERN
from funnels.interchange.problems import fail, not_, quoted
from offers.domain.kinds import OfferKind


def is_key(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and KEY_PATTERN.fullmatch(value) is not None


_DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_KINDS = frozenset(kind.value for kind in OfferKind)


# -- values: each validator raises one plain message ------------------------------------------------------


def check_text(max_length: int, *, blank: bool = True) -> Callable[[object], str]:
    def check(value: object) -> str:
        if not isinstance(value, str):
            fail(f"must be text, {not_(value)}")
        if len(value) > max_length:
            fail(f"must be at most {max_length:,} characters (this has {len(value):,})")
        if not blank and not value.strip():
            fail("must not be empty")
        bad = CONTROL_CHARACTER.search(value)
        if bad:
            fail(f"contains a character that is not allowed (U+{ord(bad.group()):04X})")
        return value

    return check


def check_key(value: object) -> str:
    if not isinstance(value, str) or not KEY_PATTERN.fullmatch(value):
        fail(f'must be 1-64 characters from a-z, 0-9 and "-", {not_(value)}')
    return value


def check_topic(value: object) -> str:
    if not isinstance(value, str) or not TOPIC_PATTERN.fullmatch(value):
        fail(f'must be 1-40 characters from a-z, 0-9 and "-", {not_(value)}')
    return value


def check_topics(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for topic in values:
        if topic in seen:
            fail(f"lists {quoted(topic)} more than once")
        seen.add(topic)
    return tuple(sorted(values))


def check_format_id(value: object) -> str:
    if value != FORMAT_ID:
        fail(f'must be "{FORMAT_ID}", {not_(value)}')
    return FORMAT_ID


def check_currency(value: object) -> str:
    if not isinstance(value, str) or not CURRENCY_PATTERN.fullmatch(value):
        fail(f'must be 3 capital letters such as "USD", {not_(value)}')
    return value


def check_kind(value: object) -> OfferKind:
    if not isinstance(value, str) or value not in _KINDS:
        fail(f"must be one of {', '.join(OfferKind)}, {not_(value)}")
    return OfferKind(value)


def _decimal(value: object, expected: str) -> Decimal:
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        return Decimal(value)
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return to_decimal(value)
    fail(f"must be {expected}, {not_(value)}")


def _exactly(check: Callable[[Decimal], str | None], value: Decimal) -> str | None:
    """``check`` with enough precision and exponent range that ``normalize`` inside it is exact."""
    context = Context(prec=max(28, len(value.as_tuple().digits) + 2), Emin=MIN_EMIN, Emax=MAX_EMAX)
    with localcontext(context):
        return check(value)


def check_money(value: object) -> Decimal:
    amount = _decimal(value, 'an amount such as 97 or "97.00"')
    problem = _exactly(money_problem, amount)
    if problem:
        fail(problem)
    return amount.quantize(CENT) if amount else Decimal("0.00")


def check_rate(value: object) -> Decimal:
    rate = _decimal(value, "a number between 0 and 1 such as 0.2")
    problem = _exactly(rate_problem, rate)
    if problem:
        fail(problem)
    return rate if rate else Decimal("0")
