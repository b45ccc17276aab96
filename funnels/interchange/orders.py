"""Reading an orders file (``offer-architect/orders@1``, or an export through a ``ColumnMapping``) as a stream.

The file is read as a stream, never whole: each accepted row becomes a few numbers in typed arrays
(``funnels.interchange.orders_table``), its buyer's number among them, so a million rows fit in tens of
megabytes and are then handed on grouped by buyer. A file is first read the quick way
(``funnels.interchange.orders_columns``: pyarrow cuts it into columns, and each column's distinct texts are read
by the same ``Cells``); where that way cannot vouch for the file, or finds anything wrong, the row loop here, the
reference, reads it again. Every problem (a bad time, an unknown offer, a negative amount, another currency, a
status word the format does not know, a row of the wrong width, bytes that are not UTF-8) is collected with its
row (the header is row 1) and column (``funnels.interchange.orders_problems``), and reading goes on to the end, so
a coach sees them all at once; a file with any problem yields no purchases at all. What a cell means is read once
per distinct text and remembered (``funnels.interchange.orders_cells``). Email addresses are replaced on reading
by an HMAC of the address (``funnels.interchange.orders_buyers``): the same buyer matches across rows, and no
address is kept.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import IO

from funnels.interchange.orders_buyers import EmailHasher, buyer_hash_key, hashed_email
from funnels.interchange.orders_cells import TIME_PIECES, Cells
from funnels.interchange.orders_columns import read_quickly
from funnels.interchange.orders_mapping import FIELDS, FORMAT, ORDERS_FORMAT, REQUIRED_FIELDS, ColumnMapping
from funnels.interchange.orders_problems import MAX_LISTED_PROBLEMS, OrderProblem, OrdersFileError, Problems
from funnels.interchange.orders_table import OrdersTable

__all__ = [
    "MAX_LISTED_PROBLEMS",
    "OrderProblem",
    "OrdersFileError",
    "OrdersTable",
    "Progress",
    "buyer_hash_key",
    "hashed_email",
    "read_orders",
]

PROGRESS_EVERY = 1 << 16
BAD_BYTES = "offer-architect-orders-not-utf8"
NOT_UTF8 = "\ufffd"
_bad_bytes_seen = [0]


def _mark_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as U+FFFD, and the reader is told to look for it in the rows that follow."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _bad_bytes_seen[0] += 1
    return NOT_UTF8, error.end


codecs.register_error(BAD_BYTES, _mark_bad_bytes)

Progress = Callable[[int, int], None]
"""Told (rows read, bytes read) every 65,536 rows and at the end."""


def read_orders(
    stream: IO[bytes],
    *,
    offers: Collection[str],
    currency: str,
    buyer_key: bytes,
    mapping: ColumnMapping = ORDERS_FORMAT,
    progress: Progress | None = None,
    quick: bool = True,
) -> OrdersTable:
    """Read every row; raise ``OrdersFileError`` with every problem, else return the accepted rows.

    ``offers`` is the catalog (on the command line: the funnel file's offers): an offer outside it is a problem;
    an offer of it that the funnel does not show is counted later as unmatched. ``quick``: try the quick reading
    first (False: the row loop alone, the reference the quick reading is held to).
    """
    start = _start(stream) if quick else None
    if start is not None:
        columns = _Reader(stream, offers=offers, currency=currency, buyer_key=buyer_key, mapping=mapping)
        if read_quickly(stream, columns, progress, PROGRESS_EVERY):
            return columns.table
        stream.seek(start)  # the row loop reads it all again, and says what is wrong where
    reader = _Reader(stream, offers=offers, currency=currency, buyer_key=buyer_key, mapping=mapping)
    reader.read(progress)
    if reader.problems.total:
        raise reader.problems.error()
    return reader.table


def _start(stream: IO[bytes]) -> int | None:
    """Where the file begins in the stream, if it can be read twice (the quick reading may give up)."""
    try:
        return stream.tell() if stream.seekable() else None
    except (OSError, ValueError):
        return None


class _Reader:
    def __init__(
        self, stream: IO[bytes], *, offers: Collection[str], currency: str, buyer_key: bytes, mapping: ColumnMapping
    ) -> None:
        self.stream = stream
        self.hashed = EmailHasher(buyer_key)
        self.mapping = mapping
        self.problems = Problems()
        self.problem = self.problems.add
        self.table = OrdersTable()
        self.buyer_index: dict[str, int] = {}  # the buyers' ids, numbered in the order they first appear
        self.column_names: dict[str, str] = {}
        self.cells = Cells(
            mapping=mapping,
            catalog=offers,
            currency=currency,
            offers=self.table.offers,
            column_names=self.column_names,
            problems=self.problems,
        )

    def position(self) -> int:
        try:
            return self.stream.tell()
        except (OSError, ValueError):
            return 0

    def columns(self, header: list[str]) -> dict[str, int]:
        """Where each field is in the header; header problems are reported as row 1."""
        names = [name.strip() for name in header]
        lowered: dict[str, int] = {}
        for place, name in enumerate(names):
            if name.lower() in lowered:
                self.problem(1, name, "appears twice in the header; each column may appear once")
            lowered.setdefault(name.lower(), place)
        found: dict[str, int] = {}
        for name in FIELDS:
            source = self.mapping.columns.get(name, "")
            if not source:
                continue
            position = lowered.get(source.strip().lower())
            if position is not None:
                found[name] = position
                self.column_names[name] = names[position]
            elif name in REQUIRED_FIELDS:
                self.problem(1, None, f'the header has no column "{source}" (for {name}); it has: {", ".join(names)}')
            elif not self.mapping.is_strict:
                default = "every row counts as paid" if name == "status" else "it is not read"
                self.table.notes.append(f'The file has no column "{source}" for {name}: {default}.')
        if self.mapping.is_strict:
            for name in names:
                if name.lower() not in FIELDS:
                    self.problem(
                        1, name or "(empty)", f"is not a column of {FORMAT} (its columns are {', '.join(FIELDS)})"
                    )
        return found

    def read(self, progress: Progress | None) -> None:
        text = io.TextIOWrapper(self.stream, encoding="utf-8-sig", errors=BAD_BYTES, newline="")
        reader = csv.reader(text)
        bad_before = _bad_bytes_seen[0]
        try:
            header = next(reader)
        except StopIteration:
            self.problem(1, None, f"the file is empty; it needs a header row ({', '.join(REQUIRED_FIELDS)}, …)")
            return
        except csv.Error as error:
            self.problem(1, None, f"the header cannot be read as CSV: {error}")
            return
        if NOT_UTF8 in "".join(header) and _bad_bytes_seen[0] != bad_before:
            self.problem(1, None, "is not UTF-8 text; save the file as CSV UTF-8")
        found = self.columns(header)
        self.rows(reader, found, len(header), progress, bad_before)
        text.detach()

    def rows(
        self, reader: Iterator[list[str]], found: dict[str, int], width: int, progress: Progress | None, bad: int
    ) -> None:
        """The hot loop: one pass, row by row. Every value that repeats (buyers, offers, the pieces of times,
        amounts, currencies, statuses) is looked up in a cache and read properly (``Cells``) only the first time.
        Once any problem is found nothing more is kept: only the problems matter then."""
        state = _State(keeping=not self.problems.total)
        previous_error = -1
        while True:
            try:
                self.rows_until_error(reader, found, width, bad, state, progress)
                break
            except csv.Error as error:
                state.line += 1
                state.keeping = False
                self.problem(state.line, None, f"cannot be read as CSV: {error}")
                if state.line == previous_error + 1 and self.problems.total > MAX_LISTED_PROBLEMS:
                    break
                previous_error = state.line
        self.table.rows = state.line - 1
        self.table.buyers = list(self.buyer_index)
        if self.problems.total:
            self.table = OrdersTable(rows=state.line - 1)
        if progress is not None:
            progress(state.line - 1, self.position())

    def rows_until_error(
        self,
        reader: Iterator[list[str]],
        found: dict[str, int],
        width: int,
        bad: int,
        state: _State,
        progress: Progress | None,
    ) -> None:
        """Every row to the end, or to a row the CSV reader cannot read (``state`` says where it got to)."""
        table, cells, names, problem = self.table, self.cells, self.column_names, self.problem
        i_buyer, i_offer, i_at, i_amount = (found.get(f, -1) for f in ("buyer", "offer", "placed_at", "amount"))
        i_currency, i_status = found.get("currency", -1), found.get("status", -1)
        offer_codes, amounts, statuses, currencies = cells.offer_codes, cells.amounts, cells.statuses, cells.currencies
        hours, within_hour, zones = cells.hours, cells.within_hour, cells.zones
        h, sec = TIME_PIECES
        buyers, buyer_of = self.buyer_index, table.buyer_of
        offer_of, at, status_of, cents_of = table.offer_of, table.at, table.status, table.cents
        hashed, seen_bad = self.hashed, _bad_bytes_seen
        last_when: str | None = None  # no sentinel text: any text may be a cell ("\0" too)
        last_ms = 0
        last_cell, last_buyer, last_index = state.last_cell, state.last_buyer, state.last_index
        line, keeping = state.line, state.keeping
        every = PROGRESS_EVERY - 1
        try:
            for row in reader:
                line += 1
                if not line & every and progress is not None:
                    progress(line - 1, self.position())
                if len(row) != width:
                    if row:
                        problem(line, None, f"has {len(row)} fields where the header has {width}")
                        keeping = False
                    else:
                        line -= 1  # a blank line is no row
                    continue
                if seen_bad[0] != bad and NOT_UTF8 in "".join(row):
                    problem(line, None, "is not UTF-8 text; save the file as CSV UTF-8")
                    keeping = False
                    continue
                ok = True
                index = -1
                if i_buyer < 0:
                    buyer = "?"
                elif (cell := row[i_buyer]) == last_cell:  # the rows of one order come together
                    buyer, index = last_buyer, last_index
                else:
                    buyer = cell.strip()
                    if not buyer:
                        problem(line, names.get("buyer"), "is empty; every row needs the buyer's id or email")
                        ok = False
                    else:
                        if "@" in buyer:
                            buyer = hashed(buyer)
                        index = buyers.get(buyer, -1)
                        last_cell, last_buyer, last_index = cell, buyer, index
                offer = -1
                if i_offer >= 0:
                    try:
                        offer = offer_codes[row[i_offer]]
                    except KeyError:
                        offer = cells.offer(row[i_offer], line)
                        if offer < 0:
                            ok = False
                ms = 0
                if i_at >= 0 and (when := row[i_at]) != last_when:
                    try:
                        ms = hours[when[:h]] + within_hour[when[h:sec]] - zones[when[sec:]]
                    except KeyError:
                        parsed = cells.moment(when, line)
                        if parsed is None:
                            ok = False
                        else:
                            ms = parsed
                    if ok:
                        last_when, last_ms = when, ms
                elif i_at >= 0:
                    ms = last_ms
                cents = 0
                if i_amount >= 0:
                    try:
                        cents = amounts[row[i_amount]]
                    except KeyError:
                        got = cells.amount(row[i_amount], line)
                        if got is None:
                            ok = False
                        else:
                            cents = got
                if i_currency >= 0 and row[i_currency] not in currencies:
                    ok = cells.currency_ok(row[i_currency], line) and ok
                code = 0
                if i_status >= 0:
                    try:
                        code = statuses[row[i_status]]
                    except KeyError:
                        known = cells.status(row[i_status], line)
                        if known is None:
                            ok = False
                        else:
                            code = known
                if not (ok and keeping):
                    keeping = False
                    continue
                if index < 0:
                    buyers[buyer] = last_index = index = len(buyers)
                buyer_of.append(index)
                offer_of.append(offer)
                at.append(ms)
                status_of.append(code)
                cents_of.append(cents)
        finally:
            state.line, state.keeping = line, keeping
            state.last_cell, state.last_buyer, state.last_index = last_cell, last_buyer, last_index


@dataclass
class _State:
    """Where the reading got to, kept across a row the CSV reader cannot read: the last row's number, whether
    rows are still kept (no problem yet), and the last buyer cell read (the rows of one order come together, so
    its buyer is looked up once)."""

    keeping: bool
    line: int = 1
    last_cell: str | None = None
    last_buyer: str = ""
    last_index: int = -1
