"""The quick reading of an orders file: pyarrow's CSV reader (C++) cuts the file into columns of text, a block at
a time, and each column's *distinct* texts are read by the same ``Cells`` as the row loop of
``funnels.interchange.orders``, so every value means exactly what it means there; only the spreading of those
meanings back over the rows, and the slicing of times into their pieces, is done per column in C.

Python's row loop costs about three times what the csv module alone does, which a million rows feel; this way
costs a fraction of that. It vouches only for what it reads the same way as the row loop: a file with a quote or
a NUL character anywhere (where the two CSV readers may differ), a header the row loop would question, a cell
longer than the csv module accepts, or anything pyarrow refuses (rows of the wrong width, bytes that are not
UTF-8, ...) or any cell that is not right, and it gives up (``read_quickly`` says False), so that the row loop
reads the file again from its start and reports every problem with its row and column, in its own words.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import IO, Protocol

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from funnels.interchange.orders_cells import TIME_PIECES, Cells
from funnels.interchange.orders_problems import Problems
from funnels.interchange.orders_table import (
    ArrowTexts,
    OrdersTable,
    as_arrow,
    extend_from_arrow,
    from_arrow,
    release_unused,
    system_memory,
)

BLOCK = 1 << 20
"""How much of the file pyarrow reads at a time (about 13,000 rows): memory stays small whatever the file."""
HEADER_LIMIT = 1 << 16
BOM = b"\xef\xbb\xbf"
NOT_QUICK = (b'"', b"\0")
"""Bytes after which only the row loop reads a file right."""


class Target(Protocol):
    """What the quick reading fills in: the row loop's own reader (``funnels.interchange.orders``), so the header
    is judged, and every distinct text read, by the same code."""

    @property
    def cells(self) -> Cells: ...

    @property
    def table(self) -> OrdersTable: ...

    @property
    def problems(self) -> Problems: ...

    @property
    def hashed(self) -> Callable[[str], str]: ...

    def columns(self, header: list[str]) -> dict[str, int]: ...


Progress = Callable[[int, int], None]


def read_quickly(stream: IO[bytes], target: Target, progress: Progress | None, every: int) -> bool:
    """Read the whole file into ``target.table``; False (the stream then anywhere) when it cannot vouch for it."""
    try:
        with system_memory():
            return _Quick(stream, target, progress, every).read()
    except Exception:  # whatever pyarrow or a cell finds odd, the row loop reads again and says what, row by row
        return False


class _Watched:
    """The file as pyarrow reads it, watched for the bytes after which only the row loop reads it right."""

    closed = False

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.done = 0
        self.unsure = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.unsure:
            return b""
        chunk = self.stream.read(size)
        if any(mark in chunk for mark in NOT_QUICK):
            self.unsure = True
            return b""  # the file "ends" here; the reading is given up after it
        self.done += len(chunk)
        return chunk


def header_of(line: bytes) -> list[str] | None:
    """The header's names, as the csv module reads them from the first line, if that line is plain (no quote, no
    lone carriage return, UTF-8, not empty); None otherwise."""
    line = line.rstrip(b"\r\n")
    if line.startswith(BOM):
        line = line[len(BOM) :]
    if not line or b"\r" in line or any(mark in line for mark in NOT_QUICK):
        return None
    try:
        names = line.decode("utf-8").split(",")
    except UnicodeDecodeError:
        return None
    return names if max(map(len, names)) <= csv.field_size_limit() else None


class _Quick:
    def __init__(self, stream: IO[bytes], target: Target, progress: Progress | None, every: int) -> None:
        self.stream = stream
        self.target = target
        self.cells = target.cells
        self.table = target.table
        self.progress = progress
        self.every = every
        self.ids: list[pa.Array] = []  # each block's distinct buyer ids, in the order they first appear there
        self.hashes: list[pa.Array] = []  # their Python hashes
        self.ids_so_far = 0

    def read(self) -> bool:
        start = self.stream.tell()
        line = self.stream.readline(HEADER_LIMIT)
        if not line.endswith(b"\n") and self.stream.read(1):
            return False  # a header longer than any real one
        header = header_of(line)
        if header is None:
            return False
        found = self.target.columns(header)
        if self.target.problems.total:
            return False
        self.stream.seek(start)
        watched = _Watched(self.stream)
        reader = pa_csv.open_csv(
            pa.PythonFile(watched, mode="r"),
            read_options=pa_csv.ReadOptions(use_threads=False, block_size=BLOCK),
            parse_options=pa_csv.ParseOptions(newlines_in_values=False, ignore_empty_lines=True),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        if reader.schema.names != header:
            return False
        rows = 0
        for batch in reader:
            if watched.unsure or not self.batch(batch, found):
                return False
            before, rows = rows, rows + batch.num_rows
            if self.progress is not None and rows // self.every != before // self.every:
                self.progress(rows, watched.done)
        if watched.unsure or self.target.problems.total:
            return False
        self.numbered()
        release_unused()
        self.table.rows = rows
        if self.progress is not None:
            self.progress(rows, watched.done)
        return True

    def batch(self, batch: pa.RecordBatch, found: dict[str, int]) -> bool:
        """One block's rows, appended to the table; False at the first sign of a problem."""
        limit = csv.field_size_limit()
        if batch.num_rows == 0:
            return True
        columns = batch.columns
        longest = [pc.max(pc.binary_length(column)).as_py() for column in columns]
        if max(longest) > limit:
            return False  # the csv module refuses such a cell; the row loop says where
        cells = self.cells
        buyers = self.buyers(columns[found["buyer"]])
        offers = mapped(columns[found["offer"]], cells.offer_codes, cells.offer, pa.uint16())
        times = self.times(columns[found["placed_at"]], longest[found["placed_at"]])
        cents = mapped(columns[found["amount"]], cells.amounts, cells.amount, pa.int64())
        status = (
            mapped(columns[found["status"]], cells.statuses, cells.status, pa.int8()) if "status" in found else None
        )
        if "currency" in found:
            for text in pc.unique(columns[found["currency"]]).to_pylist():
                if text not in cells.currencies and not cells.currency_ok(text, 0):
                    return False
        if buyers is None or offers is None or times is None or cents is None or self.target.problems.total:
            return False
        if "status" in found and status is None:
            return False
        table = self.table
        extend_from_arrow(table.buyer_of, buyers)
        extend_from_arrow(table.offer_of, offers)
        extend_from_arrow(table.at, times)
        extend_from_arrow(table.cents, cents)
        if status is None:
            table.status.frombytes(bytes(batch.num_rows))  # no status column: every row paid (0)
        else:
            extend_from_arrow(table.status, status)
        return True

    def buyers(self, column: pa.Array) -> pa.Array | None:
        """Each row's buyer, for now as the place of its id among the ids of every block so far (``numbered``
        numbers them at the end); None for an empty buyer. Each block's distinct cells are read once."""
        encoded = pc.dictionary_encode(column)
        ids = list(map(str.strip, encoded.dictionary.to_pylist()))
        if "" in ids:
            return None
        emails = pc.match_substring(encoded.dictionary, "@")
        if pc.any(emails).as_py():
            hashed = self.target.hashed
            ids = [hashed(buyer) if email else buyer for buyer, email in zip(ids, emails.to_pylist(), strict=True)]
        places = pc.add(encoded.indices, self.ids_so_far)
        self.ids.append(pa.array(ids, pa.string()))
        self.hashes.append(pa.array(list(map(hash, ids)), pa.int64()))
        self.ids_so_far += len(ids)
        return places

    def numbered(self) -> None:
        """Number the buyers in the order they first appear, as the row loop does, and give each row its
        buyer's number. Ids are matched by their Python hash first (a dictionary of 8-byte numbers, a fraction
        of one of the ids), in the order they first appear (each block's in the order of its rows); every id
        that a hash says was seen before is then compared with the one it was matched to, and should two ids
        ever share a hash, the ids themselves are matched instead."""
        if not self.ids:
            return
        ids, hashes = pa.chunked_array(self.ids, pa.string()), pa.chunked_array(self.hashes, pa.int64())
        self.ids, self.hashes = [], []
        release_unused()  # what the blocks left behind, before the biggest step
        number = numbers(hashes)
        firsts, again = first_and_again(number)
        if len(again) and not pc.all(pc.equal(ids.take(again), ids.take(firsts.take(number.take(again))))).as_py():
            number = numbers(ids)  # two ids with one hash: match the ids themselves
            firsts, again = first_and_again(number)
        self.table.buyers = ArrowTexts(ids.take(firsts).combine_chunks())
        self.table.buyer_of = from_arrow("i", pc.take(number, as_arrow(self.table.buyer_of)))

    def times(self, column: pa.Array, longest: int) -> pa.Array | None:
        """Each row's time in milliseconds: where its pieces are known, their sum, as in the row loop (the hour
        piece, and the rest: minutes-and-seconds less the offset), else what ``Cells.moment`` reads from the
        whole text; None for a time that cannot be read.

        The row loop learns a time's pieces from the first time it meets one it does not know, so here each
        unknown piece is learned from the first text it appears in, and the pieces looked up again; only texts
        of another shape are read whole (once per distinct text)."""
        cells, hour = self.cells, TIME_PIECES[0]
        if pc.all(pc.string_is_ascii(column)).as_py():  # characters are bytes: cut the bytes, which is quicker
            raw = column.cast(pa.binary())
            heads, rests = pc.binary_slice(raw, 0, hour), pc.binary_slice(raw, hour, max(hour, longest))
        else:
            heads, rests = pc.utf8_slice_codeunits(column, 0, hour), pc.utf8_slice_codeunits(column, hour)
        within, zones, cut = cells.within_hour, cells.zones, TIME_PIECES[1] - hour

        def rest_ms(rest: str) -> int | None:
            minutes, zone = within.get(rest[:cut]), zones.get(rest[cut:])
            return None if minutes is None or zone is None else minutes - zone

        pieces: tuple[tuple[pa.Array, Callable[[str], int | None]], ...] = ((heads, cells.hours.get), (rests, rest_ms))
        looked = [looked_up(piece, value_of) for piece, value_of in pieces]
        if any(values.null_count for values in looked):
            teachers: set[str] = set()
            for values, (piece, _value_of) in zip(looked, pieces, strict=True):
                if values.null_count:
                    unknown = pc.is_null(values)
                    firsts = first_rows(pc.filter(piece, unknown))
                    teachers.update(pc.take(pc.filter(column, unknown), firsts).to_pylist())
            for text in teachers:
                if cells.moment(text, 0) is None:
                    return None
            looked = [
                looked_up(piece, value_of) if values.null_count else values
                for values, (piece, value_of) in zip(looked, pieces, strict=True)
            ]
        summed = pc.add(looked[0], looked[1])
        if not summed.null_count:
            return summed
        unknown = pc.is_null(summed)
        encoded = pc.dictionary_encode(pc.filter(column, unknown))
        moments = [cells.moment(text, 0) for text in encoded.dictionary.to_pylist()]
        if None in moments:
            return None
        return pc.replace_with_mask(summed, unknown, pc.take(pa.array(moments, pa.int64()), encoded.indices))


def mapped(
    column: pa.Array, known: dict[str, int], read: Callable[[str, int], int | None], kind: pa.DataType
) -> pa.Array | None:
    """Each row's value: its text looked up in ``known``, else read by ``read`` (once per distinct text); None
    when a text cannot be read (``read`` says None, or -1 for an offer)."""
    encoded = pc.dictionary_encode(column)
    values: list[int] = []
    for text in encoded.dictionary.to_pylist():
        value = known.get(text)
        if value is None:
            value = read(text, 0)
            if value is None or value < 0:
                return None
        values.append(value)
    return pc.take(pa.array(values, kind), encoded.indices)


def looked_up(pieces: pa.Array, value_of: Callable[[str], int | None]) -> pa.Array:
    """Each row's piece looked up (once per distinct piece); a gap where it is not known."""
    encoded = pc.dictionary_encode(pieces)
    texts = encoded.dictionary.cast(pa.string()).to_pylist()
    return pc.take(pa.array(list(map(value_of, texts)), pa.int64()), encoded.indices)


def first_rows(values: pa.Array) -> pa.Array:
    """The row where each distinct value first appears."""
    codes = pc.dictionary_encode(values).indices
    order = pc.sort_indices(codes)  # a stable sort: each value's rows in order, its first row first
    ordered = pc.take(codes, order)
    changes = pc.add(pc.indices_nonzero(pc.not_equal(ordered[1:], ordered[:-1])), 1)
    return pc.take(order, pa.concat_arrays([pa.array([0], pa.uint64()), changes.cast(pa.uint64())]))


def numbers(values: pa.ChunkedArray) -> pa.Array:
    """Each value's number, values numbered in the order they first appear."""
    return pa.concat_arrays([chunk.indices for chunk in pc.dictionary_encode(values).chunks])


def first_and_again(number: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Where each number first appears, and where a number appears that appeared before: numbered in the order
    they first appear, a number is new where it is above every number before it."""
    before = pc.cumulative_max(number)[:-1]
    new = pc.greater(number[1:], before)
    firsts = pc.indices_nonzero(pa.concat_arrays([pa.array([True]), new]))
    return firsts, pc.add(pc.indices_nonzero(pc.invert(new)), 1)
