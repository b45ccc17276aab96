"""The accepted rows of an orders file, kept as a few numbers each in typed arrays (23 bytes a row, never the
file's text), each row with its buyer's index, so that the rows can be handed on grouped by buyer (``grouped``).

Grouping is arranging, not judging: a stable sort of the rows by buyer, which pyarrow does in C (a file whose
buyers' rows already come together, as the reader sees, is handed on as it is, without a copy)."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import overload

import pyarrow as pa
import pyarrow.compute as pc

from funnels.domain.actuals.purchases import BuyerRows, BuyerShapes, Purchase

FIRST_ROW = 2
"""The row number of the first kept row: the header is row 1, and a table is kept only from a file with no
problem at all, where every row but a blank line is kept, so the k-th kept row (from 0) is row k + 2."""

ARROW_TYPES = {"b": pa.int8(), "H": pa.uint16(), "i": pa.int32(), "q": pa.int64()}


@dataclass
class OrdersTable:
    """The accepted rows; ``grouped`` hands them on by buyer, ``by_buyer`` yields each buyer's purchases.

    ``buyers`` holds the buyers' ids in the order they first appear; ``buyer_of`` (an index into ``buyers``),
    ``offer_of`` (an index into ``offers``), ``at``, ``status`` and ``cents`` hold one number per row, in the
    order of the file."""

    rows: int = 0
    notes: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    buyers: Sequence[str] = field(default_factory=list)
    buyer_of: array[int] = field(default_factory=lambda: array("i"))
    offer_of: array[int] = field(default_factory=lambda: array("H"))
    at: array[int] = field(default_factory=lambda: array("q"))
    status: array[int] = field(default_factory=lambda: array("b"))
    cents: array[int] = field(default_factory=lambda: array("q"))

    def grouped(self, *, shaped: bool = True) -> BuyerRows:
        """The rows by buyer, buyers in the order they first appear, each buyer's rows in the order of the file;
        with the buyers' shapes (``BuyerShapes``) worked out in C unless not ``shaped``."""
        with system_memory():
            kept = len(self.buyer_of)
            buyer_of = as_arrow(self.buyer_of)
            runs = _run_starts(buyer_of)
            if len(runs) - 1 == len(self.buyers):  # one run per buyer: the buyers' rows already come together
                rows: range | array[int] = range(FIRST_ROW, kept + FIRST_ROW)
                offer_of, at, status, cents = self.offer_of, self.at, self.status, self.cents
            else:
                order = pc.sort_indices(buyer_of)  # a stable sort: each buyer's rows stay in the order of the file
                buyer_of = pc.take(buyer_of, order)
                runs = _run_starts(buyer_of)
                rows = from_arrow("i", pc.add(order.cast(pa.int32()), FIRST_ROW))
                offer_of = from_arrow("H", pc.take(as_arrow(self.offer_of), order))
                at = from_arrow("q", pc.take(as_arrow(self.at), order))
                status = from_arrow("b", pc.take(as_arrow(self.status), order))
                cents = from_arrow("q", pc.take(as_arrow(self.cents), order))
            shapes = _shapes(runs, as_arrow(offer_of), as_arrow(at), buyer_of) if shaped else None
            return BuyerRows(self.offers, self.buyers, runs, rows, offer_of, at, status, cents, shapes)

    def by_buyer(self) -> Iterator[list[Purchase]]:
        """Each buyer's purchases in the order of the file, buyer by buyer in the order they first appear."""
        grouped = self.grouped(shaped=False)
        for buyer in range(grouped.buyer_count):
            yield grouped.purchases(buyer)


@contextmanager
def system_memory() -> Iterator[None]:
    """pyarrow allocates from the C library's malloc meanwhile. Its default, mimalloc, keeps the blocks freed as
    a file is read batch by batch, and peaks some 50 MiB higher over a million rows (``bench/orders.py``)."""
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def release_unused() -> None:
    """Hand the memory freed so far back to the system (``malloc_trim``): a million rows' batches leave tens of
    megabytes of freed blocks that would otherwise only add to the peak of the next step."""
    pa.system_memory_pool().release_unused()


class ArrowTexts(Sequence[str]):
    """Texts that pyarrow keeps (in a fraction of the memory of as many Python strings), read one at a time."""

    def __init__(self, texts: pa.Array) -> None:
        self.texts = texts

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return list(self.texts[index].to_pylist())
        if not -len(self.texts) <= index < len(self.texts):
            raise IndexError(index)
        return str(self.texts[index].as_py())

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts.to_pylist())


def as_arrow(values: array[int]) -> pa.Array:
    """A typed array seen as an arrow array, without a copy (the typed array must not grow while it is seen)."""
    return pa.Array.from_buffers(ARROW_TYPES[values.typecode], len(values), [None, pa.py_buffer(values)])


def from_arrow(typecode: str, values: pa.Array | pa.ChunkedArray) -> array[int]:
    """An arrow array of whole numbers (no gaps) as a typed array of ``typecode``, copied."""
    kept = array(typecode)
    extend_from_arrow(kept, values)
    return kept


def extend_from_arrow(kept: array[int], values: pa.Array | pa.ChunkedArray) -> None:
    """Append an arrow array of whole numbers (no gaps) to a typed array, as the typed array's own numbers."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    for chunk in chunks:
        chunk = chunk.cast(ARROW_TYPES[kept.typecode])
        if chunk.null_count:
            raise ValueError("a column of whole numbers has a gap")
        width = kept.itemsize
        kept.frombytes(memoryview(chunk.buffers()[1])[chunk.offset * width : (chunk.offset + len(chunk)) * width])


def _run_starts(buyer_of: pa.Array) -> array[int]:
    """Where each run of rows of one buyer begins, and the number of rows at the end."""
    kept = len(buyer_of)
    starts = array("i", [0] if kept else [])
    if kept > 1:
        changes = pc.indices_nonzero(pc.not_equal(buyer_of[1:], buyer_of[:-1]))
        starts.extend(from_arrow("i", pc.add(changes.cast(pa.int32()), 1)))
    starts.append(kept)
    return starts


def _shapes(starts: array[int], offer_of: pa.Array, at: pa.Array, buyer_of: pa.Array) -> BuyerShapes:
    """Every buyer's shape, in C: exactly what ``buyer_shapes`` works out a step per row."""
    buyers = len(starts) - 1
    if buyers == 0:
        return BuyerShapes([], array("i"), array("i"), array("i", [0]), array("q"), [])
    bounds = as_arrow(starts)
    codes = offer_of.buffers()[1].slice(offer_of.offset * 2)
    # a buyer's offer codes, two bytes a row, as one value: equal values, equal kinds
    ends = pc.multiply(bounds, pa.scalar(2, pa.int32())).buffers()[1]
    encoded = pc.dictionary_encode(pa.Array.from_buffers(pa.binary(), buyers, [None, ends, codes]))
    kinds = [tuple(array("H", value)) for value in encoded.dictionary.to_pylist()]
    by_kind = pc.sort_indices(encoded.indices)  # a stable sort: each kind's buyers in order
    spans = pc.subtract(pc.take(at, pc.subtract(bounds[1:], 1)), pc.take(at, bounds[:-1]))
    earlier = pc.and_(pc.less(at[1:], at[:-1]), pc.equal(buyer_of[1:], buyer_of[:-1]))
    late = sorted(pc.unique(pc.filter(buyer_of[1:], earlier)).to_pylist())
    return BuyerShapes(
        kinds=kinds,
        kind_of=from_arrow("i", encoded.indices),
        by_kind=from_arrow("i", by_kind),
        kind_starts=_run_starts(pc.take(encoded.indices, by_kind)),
        spans=from_arrow("q", spans),
        out_of_order=late,
    )
