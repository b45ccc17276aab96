"""How sure an observed take rate is, and how many more buyers would make it surer.

The interval is Wilson's score interval: unlike the textbook p ± z·√(p(1−p)/n) it never leaves 0..1 and
stays honest at 0 of 12 or 12 of 12, where the coach's first numbers live. ``z = 1.96`` (95%), as the issue and
the forecast's projection use. The sample sizes answer the two questions a coach asks next: how many more
buyers must see a step before its interval is ±2 points wide, and how many buyers each version of a planned
change needs before a given difference in take rate would show (95% confidence, 80% power).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext

Z_95 = Decimal("1.96")
Z_POWER_80 = Decimal("0.8416")
"""The standard normal quantile below which 80% lies: a test with this power finds a real difference 4 times in 5."""
TARGET_HALF_WIDTH = Decimal("0.02")
""""±2 points": the half width an interval should shrink to before a coach can lean on the rate."""
PRECISION = 40
MAX_BUYERS = 10**12


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal

    @property
    def width(self) -> Decimal:
        return self.high - self.low

    def holds(self, rate: Decimal) -> bool:
        return self.low <= rate <= self.high


def observed_rate(accepted: int, shown: int) -> Decimal:
    """``accepted / shown`` to 40 significant digits."""
    if shown <= 0:
        raise ValueError("a rate needs at least one buyer who saw the step")
    if not 0 <= accepted <= shown:
        raise ValueError(f"{accepted} yeses out of {shown} is not possible")
    with localcontext(Context(prec=PRECISION)):
        return Decimal(accepted) / Decimal(shown)


def wilson_interval(accepted: int, shown: int, z: Decimal = Z_95) -> Interval:
    """Wilson's score interval: centre (p + z²/2n)/(1 + z²/n), half width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²)."""
    p = observed_rate(accepted, shown)
    with localcontext(Context(prec=PRECISION)):
        n = Decimal(shown)
        z2 = z * z
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
        low, high = max(Decimal(0), centre - half), min(Decimal(1), centre + half)
        if accepted == 0:
            low = Decimal(0)
        if accepted == shown:
            high = Decimal(1)
    return Interval(low, high)


def wilson_half_width(rate: Decimal, shown: int, z: Decimal = Z_95) -> Decimal:
    """The half width Wilson's interval would have with ``shown`` buyers and this observed rate."""
    with localcontext(Context(prec=PRECISION)):
        n = Decimal(shown)
        z2 = z * z
        return z / (1 + z2 / n) * (rate * (1 - rate) / n + z2 / (4 * n * n)).sqrt()


def shown_needed(rate: Decimal, target: Decimal = TARGET_HALF_WIDTH) -> int:
    """The fewest buyers who must see a step, at this rate, for its interval to be at most ±``target`` wide."""
    if not 0 <= rate <= 1:
        raise ValueError("a rate lies between 0 and 1")
    if target <= 0:
        raise ValueError("the target width must be positive")
    low, high = 1, 1
    while wilson_half_width(rate, high) > target:
        low, high = high, high * 2
        if high > MAX_BUYERS:
            return MAX_BUYERS
    while low < high:  # the half width falls as n grows: the first n at or under the target
        middle = (low + high) // 2
        if wilson_half_width(rate, middle) <= target:
            high = middle
        else:
            low = middle + 1
    return high


def buyers_per_arm(rate: Decimal, changed: Decimal, z: Decimal = Z_95, z_power: Decimal = Z_POWER_80) -> int:
    """Buyers who must see each version (the current and the changed one) for a test comparing two proportions
    to find a change from ``rate`` to ``changed``: n = (z·√(2p̄(1−p̄)) + z_β·√(p₁(1−p₁) + p₂(1−p₂)))² / (p₁ − p₂)²,
    rounded up (Fleiss, without continuity correction)."""
    if not (0 <= rate <= 1 and 0 <= changed <= 1):
        raise ValueError("both rates lie between 0 and 1")
    if rate == changed:
        raise ValueError("a change of zero cannot be detected")
    with localcontext(Context(prec=PRECISION)):
        mean = (rate + changed) / 2
        spread = (2 * mean * (1 - mean)).sqrt()
        each = (rate * (1 - rate) + changed * (1 - changed)).sqrt()
        n = (z * spread + z_power * each) ** 2 / (rate - changed) ** 2
    return max(1, math.ceil(n))
