"""From a buyer's purchases to the path they took, and the counts every figure is made of.

Given the funnel's structure a buyer's purchases decide their path. A **visit** is a paid purchase of the core
offer; the same buyer's paid purchases of the funnel's other offers from that moment until ``window`` minutes
later (both ends included) belong to it, each to the latest visit begun at or before it. In a visit every
checkout bump and cross-sell and every thank-you cross-sell was shown; after payment the buyer starts at the
start step and at each step took the accept edge if they bought that step's offer, else the decline edge.

Every row lands in exactly one count, so nothing is used or dropped silently:
- ``visits``: paid rows of the core offer;
- explained: paid rows the path uses as a yes (each purchase explains one yes, earliest first);
- ``off_path``: paid rows of the funnel's offers, inside a visit, that its path cannot explain (a step the path
  never showed, or a second purchase of an offer already counted);
- ``unmatched``: paid rows of offers outside this funnel, and of its offers outside any visit;
- ``refunded`` and ``failed``: rows that are not a yes, whatever their offer; they never explain a path.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import add, lt

from funnels.domain.actuals.purchases import BuyerRows, BuyerShapes, FunnelPlaces, Purchase, Status
from funnels.domain.plan import FunnelPlan

DEFAULT_WINDOW_MINUTES = 60
LISTED = 1000
"""How many off-path and unmatched rows are kept to list; every one of them is counted."""

OFF_PATH_NOT_SHOWN = "not on this visit's path"
OFF_PATH_AGAIN = "bought again in the same visit"
UNMATCHED_OTHER_OFFER = "not an offer of this funnel"
UNMATCHED_NO_VISIT = "no paid purchase of the core offer in the window before it"
REMEMBERED_VISITS = 100_000
"""How many distinct visits (by the offers bought, in order) keep their decided outcome; a file has a few dozen."""
NOT_PAID = re.compile(rb"[^\x00]")
"""A row's status byte that is not 0 (``Status.PAID``), found in a whole file's statuses at C speed."""


@dataclass(frozen=True)
class ListedRow:
    """A row counted as off-path or unmatched, with the reason, for the coach to look up."""

    purchase: Purchase
    reason: str


@dataclass(frozen=True)
class VisitOutcome:
    """What one visit's purchases decide, given the offers it bought after the core offer, in time order: the
    one-click steps it was shown (``shown``, place indices; checkout and thank-you places are shown to every
    visit), the places it said yes to, what those add to the order value and to the later orders (cents), which
    purchases (by position among those offers) count as paid in the order, and which are off-path, and why.
    It is the same for every visit that bought the same offers in the same order, so it is decided once."""

    shown: tuple[int, ...]
    accepted: tuple[int, ...]
    order_cents: int
    later_cents: int
    paid: tuple[int, ...]
    off_path: tuple[tuple[int, str], ...]


@dataclass
class PathCounts:
    """What the buyers saw and bought, per place (indexed as ``FunnelPlaces`` numbers them), and every row's fate.

    ``order_cents`` is the sum over visits of each visit's order value in cents, at the engine's prices (core,
    bumps, checkout cross-sells, one-click offers; an upgrade adds the difference), ``later_cents`` the thank-you
    cross-sells' apart; ``paid_cents`` what the same explained rows say was paid (the amount column).
    """

    shown: list[int]
    accepted: list[int]
    visits: int = 0
    explained: int = 0
    off_path: int = 0
    unmatched: int = 0
    refunded: int = 0
    failed: int = 0
    order_cents: int = 0
    later_cents: int = 0
    paid_cents: int = 0
    off_path_rows: list[ListedRow] = field(default_factory=list)
    unmatched_rows: list[ListedRow] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.visits + self.explained + self.off_path + self.unmatched + self.refunded + self.failed


class PathCounter:
    """Counts buyers one at a time (``add_buyer``), or a whole file's at once (``add_rows``), with the same result.

    ``prices`` gives, per place index, what a yes there adds in cents (the engine's price: an upgrade's
    difference); ``core_cents`` the core offer's price. Every visit sees every checkout and thank-you place, so
    those are counted once at the end (``counts``) rather than per visit; what a visit's purchases decide is
    worked out once per distinct visit (``outcome``), since a file's thousands of visits buy a few dozen ways.
    """

    def __init__(
        self,
        plan: FunnelPlan,
        places: FunnelPlaces,
        *,
        core_cents: int,
        prices: Sequence[int],
        window_minutes: int = DEFAULT_WINDOW_MINUTES,
    ) -> None:
        if window_minutes < 0:
            raise ValueError("the window cannot be negative")
        self.core = plan.core
        self.places = places
        self.window_ms = window_minutes * 60_000
        self.core_cents = core_cents
        self.prices = list(prices)
        self.funnel_offers = places.offers | {plan.core}
        self.start = plan.start
        edges = {s.key: (s.on_accept, s.on_decline) for s in reversed(plan.steps)}  # the first key wins
        self.steps = {key: (place.index, place.offer, *edges[key]) for key, place in places.steps.items()}
        self.checkout = [(p.index, p.offer) for p in places.checkout]
        self.thank_you = [(p.index, p.offer) for p in places.thank_you]
        self._outcomes: dict[tuple[str, ...], VisitOutcome] = {}
        total = len(places.all)
        self._counts = PathCounts(shown=[0] * total, accepted=[0] * total)

    @property
    def counts(self) -> PathCounts:
        counts = self._counts
        for place in (*self.places.checkout, *self.places.thank_you):
            counts.shown[place.index] = counts.visits
        return counts

    def add_buyer(self, purchases: Sequence[Purchase]) -> None:
        """One buyer's rows, in any order."""
        counts, core, paid = self._counts, self.core, Status.PAID
        if len(purchases) > 1:
            # cores first at equal times: the items of one order share its time and belong to its visit
            purchases = sorted(purchases, key=lambda p: (p.at, p.offer != core, p.row))
        visit: list[Purchase] | None = None
        started = 0
        for purchase in purchases:
            if purchase.status is not paid:
                if purchase.status is Status.REFUNDED:
                    counts.refunded += 1
                else:
                    counts.failed += 1
            elif purchase.offer == core:
                if visit is not None:
                    self._count_visit(visit)
                visit, started = [purchase], purchase.at
            elif purchase.offer not in self.funnel_offers:
                self._unmatched(purchase, UNMATCHED_OTHER_OFFER)
            elif visit is not None and purchase.at - started <= self.window_ms:
                visit.append(purchase)
            else:
                self._unmatched(purchase, UNMATCHED_NO_VISIT)
        if visit is not None:
            self._count_visit(visit)

    def _unmatched(self, purchase: Purchase, reason: str) -> None:
        self._counts.unmatched += 1
        if len(self._counts.unmatched_rows) < LISTED:
            self._counts.unmatched_rows.append(ListedRow(purchase, reason))

    def _count_visit(self, visit: list[Purchase]) -> None:
        """A visit: its core purchase, then what it bought in the window, in time order."""
        outcome = self.outcome(tuple([item.offer for item in visit[1:]]))
        self._add_visits(outcome, 1)
        counts = self._counts
        counts.paid_cents += visit[0].cents + sum([visit[1 + position].cents for position in outcome.paid])
        for position, reason in outcome.off_path:
            if len(counts.off_path_rows) < LISTED:
                counts.off_path_rows.append(ListedRow(visit[1 + position], reason))

    def _add_visits(self, outcome: VisitOutcome, visits: int) -> None:
        counts = self._counts
        counts.visits += visits
        counts.order_cents += visits * (self.core_cents + outcome.order_cents)
        counts.later_cents += visits * outcome.later_cents
        counts.explained += visits * len(outcome.accepted)
        counts.off_path += visits * len(outcome.off_path)
        shown, accepted = counts.shown, counts.accepted
        for index in outcome.shown:
            shown[index] += visits
        for index in outcome.accepted:
            accepted[index] += visits

    def outcome(self, bought: tuple[str, ...]) -> VisitOutcome:
        """What a visit that bought ``bought`` (after its core purchase, in time order) decides: each purchase
        explains at most one yes, earliest first; the checkout's places are read, then the path after payment
        (the accept edge where the step's offer was bought, else the decline edge, never more steps than the
        funnel has: a loop cannot be counted, and the engine refuses such a funnel first), then the thank-you
        page's; what is left over is off-path."""
        known = self._outcomes.get(bought)
        if known is not None:
            return known
        left = list(enumerate(bought))
        seen: set[str] = set()
        shown: list[int] = []
        accepted: list[int] = []
        paid: list[int] = []
        order_cents = later_cents = 0

        def take(offer: str) -> int:
            """The position of the earliest purchase of ``offer`` not yet used (now used), else -1."""
            seen.add(offer)
            for k, (position, item) in enumerate(left):
                if item == offer:
                    del left[k]
                    return position
            return -1

        for index, offer in self.checkout:
            if (position := take(offer)) >= 0:
                accepted.append(index)
                paid.append(position)
                order_cents += self.prices[index]
        key, walked = self.start, 0
        while key is not None and key in self.steps and walked <= len(self.steps):
            index, offer, accept, decline = self.steps[key]
            shown.append(index)
            position = take(offer)
            if position >= 0:
                accepted.append(index)
                paid.append(position)
                order_cents += self.prices[index]
            key = accept if position >= 0 else decline
            walked += 1
        for index, offer in self.thank_you:
            if take(offer) >= 0:
                accepted.append(index)
                later_cents += self.prices[index]
        off_path = tuple((position, OFF_PATH_AGAIN if item in seen else OFF_PATH_NOT_SHOWN) for position, item in left)
        known = VisitOutcome(tuple(shown), tuple(accepted), order_cents, later_cents, tuple(sorted(paid)), off_path)
        if len(self._outcomes) < REMEMBERED_VISITS:
            self._outcomes[bought] = known
        return known

    def add_rows(self, rows: BuyerRows) -> None:
        """Every buyer of ``rows``, in their order, counted exactly as ``add_buyer`` counts each of them.

        Most buyers make one plain visit: every row paid, the first row the core offer and the only one, the
        others offers of the funnel, in time order, the last within the window. What such a buyer adds follows
        from its kind (the offers it bought, in order: ``outcome``) but for the amounts, so plain buyers are
        tallied per kind and the amounts summed whole, in passes over the columns that run at C speed instead
        of a Python step per row. Every other buyer is counted by ``add_buyer``, in its place, so that rows are
        listed in the same order as counting one buyer at a time lists them."""
        shapes, starts, cents, counts = rows.shaped(), rows.starts, rows.cents, self._counts
        plain = [self._plain(kind, rows.offers) for kind in shapes.kinds]
        # whatever they bought: a row not paid, rows out of time order, a last row after the window
        careful = set(shapes.out_of_order)
        careful.update(bisect_right(starts, row.start()) - 1 for row in NOT_PAID.finditer(rows.status.tobytes()))
        careful.update(compress(range(rows.buyer_count), map(lt, repeat(self.window_ms), shapes.spans)))
        for kind, outcome in enumerate(plain):
            if outcome is None:
                careful.update(shapes.of_kind(kind))
        tally = [len(shapes.of_kind(kind)) for kind in range(len(plain))]
        paid = sum(cents)  # every row's amount, less what add_buyer adds itself and what is not paid in the order
        for buyer in careful:
            tally[shapes.kind_of[buyer]] -= 1
            paid -= sum(cents[starts[buyer] : starts[buyer + 1]])
        for kind, outcome in enumerate(plain):
            if outcome is not None and tally[kind]:
                paid -= self._not_paid(shapes, kind, outcome, rows, careful)
        counts.paid_cents += paid
        in_turn = set(careful)
        if len(counts.off_path_rows) < LISTED:
            for kind, outcome in enumerate(plain):
                if outcome is not None and outcome.off_path:
                    in_turn.update(shapes.of_kind(kind))
        for buyer in sorted(in_turn):
            if buyer in careful:
                self.add_buyer(rows.purchases(buyer))
                continue
            outcome, start = plain[shapes.kind_of[buyer]], starts[buyer]
            for position, reason in outcome.off_path if outcome is not None else ():
                if len(counts.off_path_rows) < LISTED:
                    counts.off_path_rows.append(ListedRow(rows.purchase(start + 1 + position, buyer), reason))
        for outcome, visits in zip(plain, tally, strict=True):
            if outcome is not None and visits:
                self._add_visits(outcome, visits)

    def _plain(self, kind: tuple[int, ...], offers: Sequence[str]) -> VisitOutcome | None:
        """The outcome of a buyer whose rows' offers are ``kind`` (codes into ``offers``), if they can make one
        plain visit: the core offer first and only there, every other offer the funnel's."""
        bought = tuple([offers[code] for code in kind[1:]])
        if offers[kind[0]] != self.core or self.core in bought or not self.funnel_offers.issuperset(bought):
            return None
        return self.outcome(bought)

    @staticmethod
    def _not_paid(shapes: BuyerShapes, kind: int, outcome: VisitOutcome, rows: BuyerRows, careful: set[int]) -> int:
        """The amounts of the rows that plain visits of ``kind`` do not count as paid in the order (thank-you
        purchases, off-path rows), other than the careful buyers'."""
        unpaid = [1 + position for position in range(len(shapes.kinds[kind]) - 1) if position not in outcome.paid]
        if not unpaid:
            return 0
        buyers, starts, cents = shapes.of_kind(kind), rows.starts, rows.cents
        total = sum(sum(map(cents.__getitem__, map(add, map(starts.__getitem__, buyers), repeat(j)))) for j in unpaid)
        for buyer in careful.intersection(buyers):
            total -= sum(cents[starts[buyer] + j] for j in unpaid)
        return total
