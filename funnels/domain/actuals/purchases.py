"""One purchase as the actuals read it, and the place each of a funnel's offers takes.

A purchase is a plain tuple, its time whole milliseconds since 1970 in UTC, its amount whole cents. A whole
file's purchases are kept as ``BuyerRows``, columns of plain numbers grouped by buyer, so that a million rows are
counted without a tuple apiece (``PathCounter.add_rows``); a ``Purchase`` is made only for the few rows that are
listed or that need the careful count. The funnel's places (its bumps and checkout cross-sells, its one-click
steps, its thank-you cross-sells) are numbered once, so counting what buyers saw and bought is indexing into
lists, never a lookup by name per row.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from itertools import accumulate
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
STATUS_OF_CODE = tuple(Status)


class Purchase(NamedTuple):
    """One row of an orders file: ``row`` is its number in the file (the header is row 1)."""

    row: int
    buyer: str
    offer: str
    at: int  # milliseconds since 1970-01-01T00:00:00Z
    status: Status
    cents: int


@dataclass(frozen=True)
class BuyerShapes:
    """What counting asks of each buyer's rows as a whole, worked out for every buyer at once: its kind, the
    offer codes of its rows in the order of the file (``kinds[kind_of[b]]``), the buyers of each kind in order
    (``by_kind[kind_starts[k]:kind_starts[k + 1]]``), the milliseconds from its first row to its last
    (``spans``), and the buyers whose rows do not come in time order (``out_of_order``, in order)."""

    kinds: Sequence[tuple[int, ...]]
    kind_of: Sequence[int]
    by_kind: Sequence[int]
    kind_starts: Sequence[int]
    spans: Sequence[int]
    out_of_order: Sequence[int]

    def of_kind(self, kind: int) -> Sequence[int]:
        return self.by_kind[self.kind_starts[kind] : self.kind_starts[kind + 1]]


@dataclass(frozen=True)
class BuyerRows:
    """Every row of a file as numbers, grouped by buyer: buyer ``b`` (its id ``buyers[b]``) has the positions
    ``starts[b]`` up to ``starts[b + 1]``, in the order of the file. Per position: ``rows`` the row's number in the
    file, ``offer_of`` its offer's code (an index into ``offers``), ``at``, ``status`` (``Status`` values, a typed
    array of typecode ``b``) and ``cents`` as in ``Purchase``. ``shapes``: the buyers' shapes, if whoever made
    the rows worked them out (more quickly than ``buyer_shapes`` can); else ``shaped`` works them out."""

    offers: Sequence[str]
    buyers: Sequence[str]
    starts: Sequence[int]
    rows: Sequence[int]
    offer_of: Sequence[int]
    at: Sequence[int]
    status: array[int]
    cents: Sequence[int]
    shapes: BuyerShapes | None = None

    @property
    def buyer_count(self) -> int:
        return len(self.starts) - 1

    def shaped(self) -> BuyerShapes:
        return self.shapes if self.shapes is not None else buyer_shapes(self)

    def purchases(self, buyer: int) -> list[Purchase]:
        """The buyer's rows as purchases, in the order of the file."""
        return [self.purchase(position, buyer) for position in range(self.starts[buyer], self.starts[buyer + 1])]

    def purchase(self, position: int, buyer: int) -> Purchase:
        fields = (
            self.rows[position],
            self.buyers[buyer],
            self.offers[self.offer_of[position]],
            self.at[position],
            STATUS_OF_CODE[self.status[position]],
            self.cents[position],
        )
        return tuple.__new__(Purchase, fields)  # a NamedTuple's own constructor runs Python code; thousands show


def buyer_shapes(rows: BuyerRows) -> BuyerShapes:
    """Every buyer's shape, with the standard library, a step per row: the reference for quicker ways."""
    starts, at, offer_of = rows.starts, rows.at, rows.offer_of
    spans = array("q")
    kind_of = array("i")
    numbered: dict[tuple[int, ...], int] = {}
    for begin, end in zip(starts[:-1], starts[1:], strict=True):
        kind_of.append(numbered.setdefault(tuple(offer_of[begin:end]), len(numbered)))
        spans.append(at[end - 1] - at[begin])
    by_kind = array("i", sorted(range(len(kind_of)), key=kind_of.__getitem__))
    sizes = Counter(kind_of)
    kind_starts = array("i", accumulate((sizes[kind] for kind in range(len(numbered))), initial=0))
    firsts = set(starts)
    late = {bisect_right(starts, p) - 1 for p in range(1, len(at)) if at[p] < at[p - 1] and p not in firsts}
    return BuyerShapes(list(numbered), kind_of, by_kind, kind_starts, spans, sorted(late))


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
