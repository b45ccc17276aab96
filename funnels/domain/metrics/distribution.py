"""Every order total a buyer can end up with, and how likely each one is, exactly.

The checkout's choices (bumps, cross-sells alongside) are independent yes/no choices, so their totals
are convolved one by one. The post-purchase walk is worked backwards over the flow's order: the totals
still to come from a step are ``q·shift(D(accept), p) + (1−q)·D(decline)`` merged by total, each step's
distribution computed once however many paths share it. Only branches a buyer takes with some chance
are followed, so a total that cannot happen never appears and no part of the work outgrows the answer.

A distribution folds the smaller branch into the larger and keeps the larger's scale and shift as two
numbers instead of rewriting every entry, so a long ladder of downsells costs time linear in its length.
The number of distinct totals can still grow fast (every yes may add a new amount), so the work stops,
and says so, once it passes a bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

PERCENTILES = (10, 25, 50, 75, 90)
_ZERO = Fraction(0)


@dataclass(frozen=True)
class Outcome:
    """One possible order total and the exact chance a buyer ends with it."""

    total: Decimal
    probability: Fraction


@dataclass(frozen=True)
class Distribution:
    """The order totals of one buyer, sorted by total; the probabilities add up to exactly 1."""

    outcomes: tuple[Outcome, ...]

    @cached_property
    def mean(self) -> Fraction:
        return sum((Fraction(o.total) * o.probability for o in self.outcomes), Fraction(0))

    @cached_property
    def variance(self) -> Fraction:
        mean = self.mean
        return sum(((Fraction(o.total) - mean) ** 2 * o.probability for o in self.outcomes), Fraction(0))

    @property
    def minimum(self) -> Decimal:
        return self.outcomes[0].total

    @property
    def maximum(self) -> Decimal:
        return self.outcomes[-1].total

    def percentile(self, p: Decimal) -> Decimal:
        """The smallest total that at least a share ``p`` (0..1) of buyers do not exceed."""
        share = Fraction(p)
        if not 0 <= share <= 1:
            raise ValueError(f"a percentile is a share between 0 and 1, not {p}")
        cumulative = Fraction(0)
        for outcome in self.outcomes:
            cumulative += outcome.probability
            if cumulative >= share:
                return outcome.total
        return self.outcomes[-1].total

    def percentiles(self) -> dict[int, Decimal]:
        """The 10th, 25th, 50th (median), 75th and 90th percentiles, by their number."""
        return {n: self.percentile(Decimal(n) / 100) for n in PERCENTILES}


@dataclass(frozen=True)
class CheckoutOdds:
    """A yes/no choice at the checkout: ``price`` is added with chance ``take``."""

    take: Fraction
    price: Decimal


@dataclass(frozen=True)
class WalkStep:
    """A post-purchase step as the distribution needs it; an edge of None ends at the thank-you page."""

    key: str
    take: Fraction
    price: Decimal
    accept: str | None
    decline: str | None


class TooManyOutcomes(Exception):
    """The distribution would list more distinct totals than the bound allows."""


def order_distribution(
    *,
    core: Decimal,
    checkout: Sequence[CheckoutOdds],
    walk: Sequence[WalkStep],
    start: str | None,
    max_outcomes: int,
) -> Distribution:
    """The exact distribution of order totals; ``walk`` lists the steps, each before every step it leads to.

    Raises ``TooManyOutcomes`` as soon as more than ``max_outcomes`` distinct totals are possible.
    """
    if max_outcomes < 1:
        raise ValueError("max_outcomes must be at least 1")
    places = max([_places(core)] + [_places(c.price) for c in checkout] + [_places(s.price) for s in walk])
    totals = _walk_totals(walk, start, places, max_outcomes).materialise()
    core_units = _units(core, places)
    totals = {amount + core_units: chance for amount, chance in totals.items()}
    for choice in checkout:
        totals = _with_choice(totals, choice.take, _units(choice.price, places), max_outcomes)
    return Distribution(
        tuple(Outcome(_from_units(amount, places), totals[amount]) for amount in sorted(totals) if totals[amount] != 0)
    )


class _Partial:
    """Totals still to come from a step: ``{amount: weight}`` stands for ``{amount + shift: weight·scale}``.

    ``shared`` says another partial reads the same dict, which must then be copied before it is changed.
    """

    __slots__ = ("weights", "scale", "shift", "shared")

    def __init__(self, weights: dict[int, Fraction], scale: Fraction, shift: int, shared: bool) -> None:
        self.weights = weights
        self.scale = scale
        self.shift = shift
        self.shared = shared

    @classmethod
    def ending(cls) -> _Partial:
        return cls({0: Fraction(1)}, Fraction(1), 0, False)

    def view(self, factor: Fraction, shift: int) -> _Partial:
        """This partial times ``factor`` and shifted by ``shift``, without touching its entries."""
        self.shared = True
        return _Partial(self.weights, self.scale * factor, self.shift + shift, True)

    def absorb(self, other: _Partial, factor: Fraction, shift: int) -> None:
        """Add ``factor`` times ``other`` shifted by ``shift`` into this partial."""
        if self.shared or self.weights is other.weights:
            self.weights = dict(self.weights)
            self.shared = False
        ratio = other.scale * factor / self.scale
        offset = other.shift + shift - self.shift
        weights = self.weights
        for amount, weight in other.weights.items():
            key = amount + offset
            weights[key] = weights.get(key, _ZERO) + weight * ratio

    def materialise(self) -> dict[int, Fraction]:
        return {amount + self.shift: weight * self.scale for amount, weight in self.weights.items()}


def _walk_totals(walk: Sequence[WalkStep], start: str | None, places: int, bound: int) -> _Partial:
    if start is None:
        return _Partial.ending()
    branches = {step.key: _branches(step, places) for step in walk}
    uses: dict[str, int] = {start: 1}
    for step in walk:  # forward: count the taken edges into each step a buyer can reach
        if uses.get(step.key, 0) == 0:
            continue
        for target, _factor, _shift in branches[step.key]:
            if target is not None:
                uses[target] = uses.get(target, 0) + 1
    done: dict[str, _Partial] = {}
    for step in reversed(walk):
        if uses.get(step.key, 0) == 0:
            continue
        taken = [(_take(done, uses, target), factor, shift) for target, factor, shift in branches[step.key]]
        done[step.key] = _merge(taken, bound)
    return done[start]


def _branches(step: WalkStep, places: int) -> list[tuple[str | None, Fraction, int]]:
    """The edges a buyer takes with some chance: (target, chance, amount added)."""
    found: list[tuple[str | None, Fraction, int]] = []
    if step.take > 0:
        found.append((step.accept, step.take, _units(step.price, places)))
    if step.take < 1:
        found.append((step.decline, 1 - step.take, 0))
    return found


def _take(done: dict[str, _Partial], uses: dict[str, int], target: str | None) -> tuple[_Partial, bool]:
    """The partial of ``target`` and whether this was its last use (so it may be changed in place)."""
    if target is None:
        return _Partial.ending(), True
    partial = done[target]
    uses[target] -= 1
    if uses[target] == 0:
        del done[target]
        return partial, True
    return partial, False


def _merge(taken: list[tuple[tuple[_Partial, bool], Fraction, int]], bound: int) -> _Partial:
    taken.sort(key=lambda branch: len(branch[0][0].weights), reverse=True)
    (big, big_is_free), factor, shift = taken[0]
    if big_is_free and not any(other is big for (other, _), _f, _s in taken[1:]):
        big.scale *= factor
        big.shift += shift
        merged = big
    else:
        merged = big.view(factor, shift)
    for (small, _free), small_factor, small_shift in taken[1:]:
        merged.absorb(small, small_factor, small_shift)
    if len(merged.weights) > bound:
        raise TooManyOutcomes
    return merged


def _with_choice(totals: dict[int, Fraction], take: Fraction, price: int, bound: int) -> dict[int, Fraction]:
    if take == 0:
        return totals
    if take == 1:
        return {amount + price: chance for amount, chance in totals.items()}
    combined = {amount: chance * (1 - take) for amount, chance in totals.items()}
    for amount, chance in totals.items():
        combined[amount + price] = combined.get(amount + price, _ZERO) + chance * take
    if len(combined) > bound:
        raise TooManyOutcomes
    return combined


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _units(value: Decimal, places: int) -> int:
    scaled = Fraction(value) * 10**places
    assert scaled.denominator == 1
    return int(scaled.numerator)


def _from_units(amount: int, places: int) -> Decimal:
    sign, digits, _exponent = Decimal(amount).as_tuple()
    return Decimal((sign, digits, -places))
