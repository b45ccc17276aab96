"""Every order total a buyer can end up with, and how likely each one is, exactly.

The post-purchase walk is followed forwards over the flow's order: what buyers have spent so far when they reach
a step, ``{amount: chance}``, is passed on along its accept edge (shifted by the price, times the take rate) and
its decline edge (times the rest), and whatever reaches the thank-you page is merged by total. The checkout's
choices (bumps, cross-sells alongside) are independent yes/no choices, convolved one by one after that. Only
branches a buyer takes with some chance are followed, so a total that cannot happen never appears.

A step reached by one edge only does not copy what it is passed: it keeps the sender's entries with a scale and a
shift as two numbers, so a long chain (each step declining to the next) costs time linear in its length; only
where edges meet are entries merged. Chances are finite decimals computed exactly (``exact``).

No step can have more distinct amounts than the final list has totals, so the work stops, and says so, as soon
as any of them passes the bound. It first runs on the amounts alone, without chances (integers, cheap), so a
funnel with too many totals (a ladder whose every answer leads on, twenty bumps) gives up after work bounded
by the bound, and the exact chances are worked out only for a list that will be shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from funnels.domain.metrics.exact import EXACT, ONE, ZERO, exact, total

PERCENTILES = (10, 25, 50, 75, 90)


@dataclass(frozen=True)
class Outcome:
    """One possible order total and the exact chance a buyer ends with it: ``chance`` as the engine works it out
    (a finite decimal, exact) or as given (a fraction); ``probability`` is the same value as a fraction."""

    total: Decimal
    chance: Decimal | Fraction

    @cached_property
    def probability(self) -> Fraction:
        return self.chance if isinstance(self.chance, Fraction) else Fraction(self.chance)


@dataclass(frozen=True)
class Distribution:
    """The order totals of one buyer, sorted by total; the probabilities add up to exactly 1."""

    outcomes: tuple[Outcome, ...]

    @cached_property
    def _exact(self) -> tuple[Decimal, ...] | None:
        """The chances when all are finite decimals (as the engine makes them): the figures are then summed
        exactly as decimals, with no fraction to reduce at every step."""
        chances = tuple(o.chance for o in self.outcomes if isinstance(o.chance, Decimal))
        return chances if len(chances) == len(self.outcomes) else None

    @cached_property
    def mean(self) -> Fraction:
        chances = self._exact
        if chances is not None:
            return Fraction(total(EXACT.multiply(o.total, c) for o, c in zip(self.outcomes, chances, strict=True)))
        return sum((Fraction(o.total) * o.probability for o in self.outcomes), Fraction(0))

    @cached_property
    def variance(self) -> Fraction:
        chances = self._exact
        if chances is not None:
            with exact():
                second = total(o.total * o.total * c for o, c in zip(self.outcomes, chances, strict=True))
                first = total(o.total * c for o, c in zip(self.outcomes, chances, strict=True))
                return Fraction(second - first * first)
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
        if not 0 <= p <= 1:
            raise ValueError(f"a percentile is a share between 0 and 1, not {p}")
        chances = self._exact
        if chances is not None:
            reached = ZERO
            for outcome, chance in zip(self.outcomes, chances, strict=True):
                reached = EXACT.add(reached, chance)
                if reached >= p:
                    return outcome.total
            return self.outcomes[-1].total
        share, cumulative = Fraction(p), Fraction(0)
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

    take: Decimal
    price: Decimal


@dataclass(frozen=True)
class WalkStep:
    """A post-purchase step as the distribution needs it; an edge of None ends at the thank-you page."""

    key: str
    take: Decimal
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

    Raises ``TooManyOutcomes`` when more than ``max_outcomes`` distinct totals are possible, having counted them
    without their chances.
    """
    if max_outcomes < 1:
        raise ValueError("max_outcomes must be at least 1")
    places = max([_places(core)] + [_places(c.price) for c in checkout] + [_places(s.price) for s in walk])
    _totals(checkout, walk, start, places, max_outcomes, weighed=False)  # raises when there are too many
    with exact():
        totals = _totals(checkout, walk, start, places, max_outcomes, weighed=True)
    core_units = _units(core, places)
    return Distribution(
        tuple(Outcome(_from_units(amount + core_units, places), Decimal(totals[amount])) for amount in sorted(totals))
    )


Weight = Decimal | int
"""A chance (exact) or, when only the amounts are counted, a placeholder 1."""


class _Mass:
    """Buyers at a step by what they have spent so far: ``{amount: weight}`` stands for
    ``{amount + shift: weight · scale}``. The entries may be shared with other masses and are never changed."""

    __slots__ = ("weights", "scale", "shift")

    def __init__(self, weights: dict[int, Weight], scale: Weight, shift: int) -> None:
        self.weights = weights
        self.scale = scale
        self.shift = shift

    def view(self, factor: Weight, shift: int) -> _Mass:
        return _Mass(self.weights, self.scale * factor, self.shift + shift)


def _totals(
    checkout: Sequence[CheckoutOdds],
    walk: Sequence[WalkStep],
    start: str | None,
    places: int,
    bound: int,
    *,
    weighed: bool,
) -> dict[int, Weight]:
    """Order totals less the core's price, in units of ``10**-places``; with their chances when ``weighed`` (in
    an exact context), else each with a 1. Raises ``TooManyOutcomes`` as soon as any step passes the bound."""
    one: Weight = ONE if weighed else 1
    totals: dict[int, Weight] = {0: one}
    if start is not None:
        arriving: dict[str | None, list[_Mass]] = {start: [_Mass({0: one}, one, 0)]}
        for step in walk:
            incoming = arriving.pop(step.key, None)
            if not incoming:
                continue  # no buyer gets here
            mass = incoming[0] if len(incoming) == 1 else _Mass(_merged(incoming, bound, weighed), one, 0)
            for target, factor, shift in _branches(step, places, weighed):
                arriving.setdefault(target, []).append(mass.view(factor, shift))
        totals = _merged(arriving[None], bound, weighed)
    for choice in checkout:
        totals = _with_choice(totals, choice.take, _units(choice.price, places), bound, weighed)
    return totals


def _branches(step: WalkStep, places: int, weighed: bool) -> list[tuple[str | None, Weight, int]]:
    """The edges a buyer takes with some chance: (target, chance, amount added)."""
    found: list[tuple[str | None, Weight, int]] = []
    if step.take > 0:
        found.append((step.accept, step.take if weighed else 1, _units(step.price, places)))
    if step.take < 1:
        found.append((step.decline, 1 - step.take if weighed else 1, 0))
    return found


def _merged(masses: list[_Mass], bound: int, weighed: bool) -> dict[int, Weight]:
    """The masses added up by amount, into new entries."""
    if len(masses) == 1 and masses[0].shift == 0 and (not weighed or masses[0].scale == 1):
        return masses[0].weights
    merged: dict[int, Weight] = {}
    for mass in masses:
        shift, scale = mass.shift, mass.scale
        if weighed:
            for amount, weight in mass.weights.items():
                key = amount + shift
                merged[key] = merged.get(key, ZERO) + weight * scale
        else:
            merged.update(dict.fromkeys([amount + shift for amount in mass.weights], 1))
        if len(merged) > bound:
            raise TooManyOutcomes
    return merged


def _with_choice(totals: dict[int, Weight], take: Decimal, price: int, bound: int, weighed: bool) -> dict[int, Weight]:
    """The totals after one checkout choice, taken with chance ``take``."""
    if take == 0:
        return totals
    if take == 1:
        return {amount + price: chance for amount, chance in totals.items()}
    combined: dict[int, Weight]
    if weighed:
        combined = {amount: chance * (1 - take) for amount, chance in totals.items()}
        for amount, chance in totals.items():
            combined[amount + price] = combined.get(amount + price, ZERO) + chance * take
    else:
        combined = dict(totals)
        combined.update(dict.fromkeys([amount + price for amount in totals], 1))
    if len(combined) > bound:
        raise TooManyOutcomes
    return combined


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _units(value: Decimal, places: int) -> int:
    scaled = EXACT.scaleb(value, places)
    units = int(scaled)
    assert units == scaled
    return units


def _from_units(amount: int, places: int) -> Decimal:
    sign, digits, _exponent = Decimal(amount).as_tuple()
    return Decimal((sign, digits, -places))
