"""What the cells of an orders file mean: offers, times, amounts, currencies and statuses, each text checked
once and remembered, so the row loop (``funnels.interchange.orders``) mostly just looks values up.

Every cache holds only texts that were read without a problem, and each has a bound, so memory stays small
whatever the file: a bad cell is checked (and reported) on every row it appears in. Times are the one value
that rarely repeats whole, so a time of the usual shape, ``YYYY-MM-DDTHH:MM:SS`` and an offset, is remembered
in three pieces (its date and hour, its minutes and seconds, its offset, each read once by ``datetime``) and
any later time made of known pieces is their sum, exactly what ``datetime`` would say (a test holds the two to
each other). Money stays exact:
amounts are read as ``Decimal`` (once per distinct text) and kept as whole cents.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from decimal import Decimal, InvalidOperation

from core.money import decimal_text, money_problem
from funnels.domain.actuals import Status
from funnels.interchange.orders_mapping import ColumnMapping
from funnels.interchange.orders_problems import Problems

MONTH_FIRST = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*\Z")
LOOSE_AMOUNT = re.compile(r"[^0-9.\-]")
STATUSES = {"paid": Status.PAID, "refunded": Status.REFUNDED, "failed": Status.FAILED}
MAX_AMOUNTS = 100_000
MAX_HOURS = 100_000
MAX_ZONES = 10_000
MAX_CURRENCY_TEXTS = 1_000
DAY_MS = 86_400_000
EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()
TIME_PIECES = (13, 19)
"""Where a time of the usual shape is cut: ``2026-01-05T09`` | ``:30:15`` | ``+01:00`` (or nothing, where times
without an offset are read in the mapping's zone). The pieces are soon all known: a year of times has 8,760
hours, 3,600 minutes-and-seconds and a few offsets."""


class Cells:
    """The caches the row loop reads directly (``offer_codes``, ``amounts``, ``statuses``, ``currencies``,
    ``hours``, ``within_hour``, ``zones``), and the careful reading of a text none of them knows yet."""

    def __init__(
        self,
        *,
        mapping: ColumnMapping,
        catalog: Collection[str],
        currency: str,
        offers: list[str],
        column_names: dict[str, str],
        problems: Problems,
    ) -> None:
        self.mapping = mapping
        self.catalog = frozenset(catalog)
        self.currency = currency
        self.offers = offers
        self.column_names = column_names
        self.problems = problems
        self.offer_codes: dict[str, int] = {}
        self.amounts: dict[str, int] = {}
        self.statuses: dict[str, int] = {"": int(Status.PAID)}
        self.currencies: set[str] = {"", currency}
        self.hours: dict[str, int] = {}
        self.within_hour: dict[str, int] = {}
        self.zones: dict[str, int] = {}

    def offer(self, cell: str, line: int) -> int:
        """The offer's index in ``offers``; -1 (with a problem) for a product the catalog or mapping lacks."""
        name = cell.strip()
        products = self.mapping.products
        if products:
            if name not in products:
                self.problems.add(
                    line,
                    self.column_names.get("offer"),
                    f'the product "{name}" is not mapped to an offer; '
                    "map it (or mark it as not an offer) and upload again",
                )
                return -1
            key = products[name]  # "": a product that is no offer of the catalog, counted as unmatched
        else:
            key = name
            if key not in self.catalog:
                self.problems.add(
                    line,
                    self.column_names.get("offer"),
                    f'unknown offer "{name}": no offer of the catalog has this key',
                )
                return -1
        offers = self.offers
        if key not in offers:
            offers.append(key)
        self.offer_codes[cell] = code = offers.index(key)
        return code

    def moment(self, text: str, line: int) -> int | None:
        """Milliseconds since 1970 in UTC, exactly; None (with a problem) for a time that cannot be read."""
        if not self.mapping.month_first:
            try:
                quick: datetime | None = datetime.fromisoformat(text)
            except ValueError:
                quick = None
            if quick is not None and quick.tzinfo is not None:
                self._learn(text, quick)
                return round(quick.timestamp() * 1000)
        column = self.column_names.get("placed_at")
        cleaned = text.strip()
        try:
            if self.mapping.month_first:
                match = MONTH_FIRST.match(cleaned)
                if match is None:
                    raise ValueError
                month, day, year, hour, minute, second = (int(g) if g else 0 for g in match.groups())
                moment = datetime(year, month, day, hour, minute, second)
            else:
                moment = datetime.fromisoformat(cleaned)
        except ValueError:
            shape = "MM/DD/YYYY HH:MM:SS" if self.mapping.month_first else "ISO 8601, like 2026-03-01T09:30:00+01:00"
            self.problems.add(line, column, f'"{cleaned}" is not a date and time ({shape})')
            return None
        if moment.tzinfo is None:
            if self.mapping.naive_zone is None:
                self.problems.add(
                    line, column, f'"{cleaned}" has no offset from UTC; write it like 2026-03-01T09:30:00+01:00'
                )
                return None
            moment = moment.replace(tzinfo=self.mapping.naive_zone)
            if not self.mapping.month_first:
                self._learn(text, moment)
        return round(moment.timestamp() * 1000)

    def _learn(self, text: str, moment: datetime) -> None:
        """Remember the pieces of ``text``, which ``datetime.fromisoformat`` read as ``moment`` (with the mapping's
        zone where it has no offset), if it has the usual shape: its date, hour, minute and second are exactly
        ``moment``'s digits, at their places, and its offset (or its absence) begins where the seconds end. Each
        piece then means the same in any time it appears in, so a sum of known pieces is the time ``datetime``
        would read."""
        hour, second = TIME_PIECES
        zone = text[second:]
        offset = moment.utcoffset()
        if (
            len(text) < second
            or zone[:1] not in ("", "+", "-", "Z")
            or text != text.strip()
            or offset is None
            or offset.microseconds
            or moment.microsecond
        ):
            return
        digits = moment.isoformat()  # YYYY-MM-DDTHH:MM:SS and the offset: no fraction of a second here
        if text[:10] != digits[:10] or text[11:second] != digits[11:second]:
            return
        if text[:hour] not in self.hours and len(self.hours) < MAX_HOURS:
            self.hours[text[:hour]] = (moment.date().toordinal() - EPOCH_ORDINAL) * DAY_MS + moment.hour * 3_600_000
        self.within_hour[text[hour:second]] = (moment.minute * 60 + moment.second) * 1000
        if zone not in self.zones and len(self.zones) < MAX_ZONES:
            self.zones[zone] = (offset.days * 86_400 + offset.seconds) * 1000

    def amount(self, text: str, line: int) -> int | None:
        """Whole cents, read exactly (``Decimal``); None (with a problem) for anything that is not a price."""
        cents = self._cents(text)
        if isinstance(cents, str):
            self.problems.add(line, self.column_names.get("amount"), cents)
            return None
        if len(self.amounts) < MAX_AMOUNTS:
            self.amounts[text] = cents
        return cents

    def _cents(self, text: str) -> int | str:
        """Whole cents, or what is wrong with the text as a price."""
        cleaned = LOOSE_AMOUNT.sub("", text) if self.mapping.loose_amounts else text.strip()
        try:
            value: Decimal = decimal_text(cleaned)
        except (InvalidOperation, ValueError):
            return f'"{text.strip()}" is not an amount; write it like 97.00'
        if value < 0:
            return f"{text.strip()} is negative; a refund is a row with the status refunded, not a minus"
        problem = money_problem(value)
        if problem:
            return f"{text.strip()} {problem}"
        return int(value * 100)

    def currency_ok(self, text: str, line: int) -> bool:
        code = text.strip().upper() if self.mapping.loose_currency else text.strip()
        if code in ("", self.currency):
            if len(self.currencies) < MAX_CURRENCY_TEXTS:
                self.currencies.add(text)
            return True
        self.problems.add(
            line,
            self.column_names.get("currency"),
            f'is "{text.strip()}", but this funnel is priced in {self.currency}',
        )
        return False

    def status(self, text: str, line: int) -> int | None:
        word = self.mapping.statuses.get(text.strip().lower())
        if word is None or word not in STATUSES:
            known = ", ".join(sorted(set(self.mapping.statuses)))
            self.problems.add(
                line, self.column_names.get("status"), f'"{text.strip()}" is not a status here; use {known}'
            )
            return None
        self.statuses[text] = code = int(STATUSES[word])
        return code
