"""One purchase as the actuals read it, and the place each of a funnel's offers takes.

A purchase is a plain tuple (the reader makes up to a million of them, so each costs as little as a tuple),
its time whole milliseconds since 1970 in UTC, its amount whole cents. The funnel's places (its bumps and
checkout cross-sells, its one-click steps, its thank-you cross-sells) are numbered once, so counting what
buyers saw and bought is indexing into lists, never a lookup by name per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

from funnels.domain.plan import FunnelPlan, Stage


class Status(IntEnum):
    """Only a paid purchase is a yes; a refunded or failed one is counted apart and never explains a path."""

    PAID = 0
    REFUNDED = 1
    FAILED = 2

    @property
    def word(self) -> str:
        return self.name.lower()


STATUS_WORDS = {status.word: status for status in Status}


class Purchase(NamedTuple):
    """One row of an orders file: ``row`` is its number in the file (the header is row 1)."""

    row: int
    buyer: str
    offer: str
    at: int  # milliseconds since 1970-01-01T00:00:00Z
    status: Status
    cents: int


@dataclass(frozen=True)
class Place:
    """Where an offer stands in the funnel: ``index`` numbers it among the funnel's places."""

    index: int
    stage: Stage
    key: str
    offer: str

    @property
    def is_in_order(self) -> bool:
        """Whether a yes here adds to the order value (AOV); thank-you cross-sells are later, separate orders."""
        return self.stage is not Stage.THANK_YOU


@dataclass(frozen=True)
class FunnelPlaces:
    """The plan's places, numbered: the checkout's (bumps, then cross-sells), the one-click steps in the
    coach's order, then the thank-you page's."""

    checkout: tuple[Place, ...]
    steps: dict[str, Place]
    thank_you: tuple[Place, ...]

    @property
    def all(self) -> tuple[Place, ...]:
        return (*self.checkout, *self.steps.values(), *self.thank_you)

    @property
    def offers(self) -> frozenset[str]:
        return frozenset(place.offer for place in self.all)


def funnel_places(plan: FunnelPlan) -> FunnelPlaces:
    """Number the plan's places (a duplicated step key: the first counts, as in the engine)."""
    placements = [*plan.bumps, *plan.checkout_cross_sells]
    checkout = tuple(Place(i, Stage.CHECKOUT, p.key, p.offer) for i, p in enumerate(placements))
    steps: dict[str, Place] = {}
    for step in plan.steps:
        if step.key not in steps:
            steps[step.key] = Place(len(checkout) + len(steps), Stage.POST_PURCHASE, step.key, step.offer)
    first = len(checkout) + len(steps)
    thank_you = tuple(
        Place(first + i, Stage.THANK_YOU, p.key, p.offer) for i, p in enumerate(plan.thank_you_cross_sells)
    )
    return FunnelPlaces(checkout, steps, thank_you)
