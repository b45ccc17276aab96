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

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from funnels.domain.actuals.purchases import FunnelPlaces, Purchase, Status
from funnels.domain.plan import FunnelPlan

DEFAULT_WINDOW_MINUTES = 60
LISTED = 1000
"""How many off-path and unmatched rows are kept to list; every one of them is counted."""

OFF_PATH_NOT_SHOWN = "not on this visit's path"
OFF_PATH_AGAIN = "bought again in the same visit"
UNMATCHED_OTHER_OFFER = "not an offer of this funnel"
UNMATCHED_NO_VISIT = "no paid purchase of the core offer in the window before it"


@dataclass(frozen=True)
class ListedRow:
    """A row counted as off-path or unmatched, with the reason, for the coach to look up."""

    purchase: Purchase
    reason: str


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
    """Counts buyers one at a time (``add_buyer``), so a file of any size costs only one buyer's rows at once.

    ``prices`` gives, per place index, what a yes there adds in cents (the engine's price: an upgrade's
    difference); ``core_cents`` the core offer's price. Every visit sees every checkout and thank-you place, so
    those are counted once at the end (``counts``) rather than per visit; the path of a visit that bought nothing
    more is walked once, up front.
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
        self.declined_all = [index for index, _offer in self._walk(lambda offer: False)]
        total = len(places.all)
        self._counts = PathCounts(shown=[0] * total, accepted=[0] * total)

    @property
    def counts(self) -> PathCounts:
        counts = self._counts
        for place in (*self.places.checkout, *self.places.thank_you):
            counts.shown[place.index] = counts.visits
        return counts

    def _walk(self, bought: Callable[[str], bool]) -> Iterator[tuple[int, str]]:
        """The steps a visit is shown after payment, given what it bought; never more steps than the funnel has
        (a loop cannot be counted, and the engine refuses such a funnel first)."""
        key, walked = self.start, 0
        while key is not None and key in self.steps and walked <= len(self.steps):
            index, offer, accept, decline = self.steps[key]
            yield index, offer
            key = accept if bought(offer) else decline
            walked += 1

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
        """The path the visit's purchases decide; each purchase explains at most one yes, earliest first."""
        counts = self._counts
        counts.visits += 1
        counts.order_cents += self.core_cents
        counts.paid_cents += visit[0].cents
        shown = counts.shown
        if len(visit) == 1:  # nothing more bought: the path of every no
            for index in self.declined_all:
                shown[index] += 1
            return
        items = visit[1:]
        offers = [item.offer for item in items]
        accepted, prices = counts.accepted, self.prices
        seen: set[str] = set()

        def take(index: int, offer: str, in_order: bool) -> bool:
            seen.add(offer)
            if offer not in offers:
                return False
            at = offers.index(offer)
            item = items.pop(at)
            offers.pop(at)
            accepted[index] += 1
            counts.explained += 1
            if in_order:
                counts.order_cents += prices[index]
                counts.paid_cents += item.cents
            else:
                counts.later_cents += prices[index]
            return True

        for index, offer in self.checkout:
            take(index, offer, True)
        key, walked = self.start, 0
        while key is not None and key in self.steps and walked <= len(self.steps):
            index, offer, accept, decline = self.steps[key]
            shown[index] += 1
            key = accept if take(index, offer, True) else decline
            walked += 1
        for index, offer in self.thank_you:
            take(index, offer, False)
        for extra in items:
            counts.off_path += 1
            if len(counts.off_path_rows) < LISTED:
                reason = OFF_PATH_AGAIN if extra.offer in seen else OFF_PATH_NOT_SHOWN
                counts.off_path_rows.append(ListedRow(extra, reason))
