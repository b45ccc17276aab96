"""The accepted rows of an orders file, kept as a few numbers each in typed arrays (23 bytes a row, never
the file's text), linked per buyer so that the buyers can be counted one at a time (``by_buyer``)."""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from funnels.domain.actuals import Purchase, Status

FIRST_ROW = 2
"""The row number of the first kept row: the header is row 1, and a table is kept only from a file with no
problem at all, where every row but a blank line is kept, so the k-th kept row (from 0) is row k + 2."""


@dataclass
class OrdersTable:
    """The accepted rows, linked per buyer; ``by_buyer`` yields each buyer's purchases.

    ``offer_of``, ``at``, ``status``, ``cents`` and ``previous`` (the same buyer's row before, -1: none) hold one
    number per row; ``last`` (the buyer's last row) one per buyer, in the order of ``buyers`` (id -> its index)."""

    rows: int = 0
    notes: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    buyers: dict[str, int] = field(default_factory=dict)
    offer_of: array[int] = field(default_factory=lambda: array("H"))
    at: array[int] = field(default_factory=lambda: array("q"))
    status: array[int] = field(default_factory=lambda: array("b"))
    cents: array[int] = field(default_factory=lambda: array("q"))
    previous: array[int] = field(default_factory=lambda: array("i"))
    last: array[int] = field(default_factory=lambda: array("i"))

    def by_buyer(self) -> Iterator[list[Purchase]]:
        """Each buyer's purchases in the order of the file, buyer by buyer in the order they first appear."""
        statuses = tuple(Status)
        offer_of, at, status, cents = self.offer_of, self.at, self.status, self.cents
        previous, offers, last = self.previous, self.offers, self.last
        make = tuple.__new__  # a NamedTuple's own constructor runs Python code; a million of them show
        for index, buyer in enumerate(self.buyers):
            r = last[index]
            found = [make(Purchase, (r + FIRST_ROW, buyer, offers[offer_of[r]], at[r], statuses[status[r]], cents[r]))]
            r = previous[r]
            if r == -1:
                yield found
                continue
            while r != -1:
                found.append(
                    make(Purchase, (r + FIRST_ROW, buyer, offers[offer_of[r]], at[r], statuses[status[r]], cents[r]))
                )
                r = previous[r]
            found.reverse()  # walked from the last row back
            yield found
