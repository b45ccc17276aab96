"""The buyer's walk through a funnel, one screen at a time: what the preview shows and what the order holds.

What the buyer has done so far is a ``PreviewState``: the checkout boxes they ticked, whether they paid, and
their answers to the one-click offers, in order. The view layer carries it in the URL query
(``funnels.views.preview_links``), so the server keeps nothing between requests.

An answer counts only where the funnel's edges lead; anything else is refused with a plain sentence, never
guessed at. A walk meets each step at most once (a loop or an edge to nowhere stops it, and says why), so it
takes at most one answer per step and can never run on. Prices follow the metrics engine: an upgrade adds
only the difference when what it replaces is surely owned by the time it is offered (``owned_before``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from funnels.domain.flow.graph import analyse_flow
from funnels.domain.flow.purchases import effective_price, owned_at, owned_before
from funnels.domain.plan import FunnelPlan, OfferSpec, Placement, Slot, Stage, Step

MAX_ANSWERS = 100
"""No funnel has more steps than this (DESIGN §4), so no link may carry more answers."""


class PreviewRefused(ValueError):
    """The preview link asks for something this funnel cannot show; the message says what, in plain words."""


class At(StrEnum):
    """How far the buyer has come, as the link says: ``post_purchase`` walks the one-click offers."""

    CHECKOUT = "checkout"
    POST_PURCHASE = "post_purchase"
    THANK_YOU = "thank_you"


class Answer(StrEnum):
    ACCEPT = "yes"
    DECLINE = "no"

    @property
    def edge(self) -> str:
        return "accept" if self is Answer.ACCEPT else "decline"


class Screen(StrEnum):
    """What the buyer sees now. ``stopped``: the funnel leads nowhere from here (a loop, a missing step)."""

    CHECKOUT = "checkout"
    OFFER = "offer"
    THANK_YOU = "thank_you"
    STOPPED = "stopped"


@dataclass(frozen=True)
class PreviewState:
    """What the buyer has done: the whole of the preview's memory (the view layer keeps it in the URL).

    ``jump`` starts the walk after payment at that step instead of the funnel's start, as if the buyer had
    reached it; ``at=thank_you`` jumps to the thank-you page the same way. ``path`` holds the answers given
    since, in order.
    """

    bumps: frozenset[str] = frozenset()
    alongside: frozenset[str] = frozenset()
    at: At = At.CHECKOUT
    jump: str | None = None
    path: tuple[tuple[str, Answer], ...] = ()

    @property
    def jumped(self) -> bool:
        return self.jump is not None or self.at is At.THANK_YOU

    def paid(self) -> PreviewState:
        """The buyer completes the purchase: on to the first one-click offer (or the thank-you page)."""
        return replace(self, at=At.POST_PURCHASE, jump=None, path=())

    def answered(self, key: str, answer: Answer) -> PreviewState:
        return replace(self, path=(*self.path, (key, answer)))

    def before_answer(self, index: int) -> PreviewState:
        """Back to the moment the ``index``-th answer (from 0) was about to be given."""
        return replace(self, path=self.path[:index])

    def jumped_to(self, step: str | None) -> PreviewState:
        """Straight to a step after payment (None: the thank-you page), keeping what was ticked at the checkout."""
        if step is None:
            return replace(self, at=At.THANK_YOU, jump=None, path=())
        return replace(self, at=At.POST_PURCHASE, jump=step, path=())

    def at_checkout(self) -> PreviewState:
        return replace(self, at=At.CHECKOUT, jump=None, path=())


# -- the walk ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckoutChoice:
    """A box at the checkout: an order bump or a cross-sell alongside, and what ticking it adds."""

    key: str
    offer: OfferSpec
    slot: Slot
    price: Decimal
    ticked: bool
    upgrade_from: OfferSpec | None = None


@dataclass(frozen=True)
class OrderLine:
    """One thing in the buyer's order. ``amount`` is what it adds: for an upgrade of something surely owned
    (``upgrade_from``), only the difference."""

    key: str
    offer: OfferSpec
    stage: Stage
    slot: Slot | None  # None: the core offer
    amount: Decimal
    upgrade_from: OfferSpec | None = None


@dataclass(frozen=True)
class Offered:
    """A one-click offer as the buyer meets it: its price to them and the order total a yes would make."""

    step: Step
    offer: OfferSpec
    price: Decimal
    upgrade_from: OfferSpec | None
    total_if_accepted: Decimal


@dataclass(frozen=True)
class TrailEntry:
    """One answer given: to which offer, which way, and what it added (nothing on a no)."""

    index: int
    step: Step
    offer: OfferSpec
    answer: Answer
    added: Decimal


@dataclass(frozen=True)
class LaterOffer:
    """A thank-you cross-sell: an optional, separate later purchase, never part of this order's total."""

    key: str
    offer: OfferSpec
    price: Decimal
    upgrade_from: OfferSpec | None


@dataclass(frozen=True)
class PreviewWalk:
    """Where the buyer stands and everything the screen needs to say about it."""

    screen: Screen
    state: PreviewState
    currency: str
    core: OfferSpec | None
    choices: tuple[CheckoutChoice, ...]
    lines: tuple[OrderLine, ...]
    total: Decimal
    trail: tuple[TrailEntry, ...] = ()
    offered: Offered | None = None
    later: tuple[LaterOffer, ...] = ()
    stopped: str | None = None
    jumped_to: Step | None = None

    @property
    def jumped(self) -> bool:
        return self.state.jumped


def walk_preview(plan: FunnelPlan, state: PreviewState) -> PreviewWalk:
    """Follow the buyer from the checkout through their answers, refusing any answer the edges do not allow."""
    core = plan.core_offer
    if core is None:
        return PreviewWalk(
            screen=Screen.STOPPED,
            state=state,
            currency=plan.currency,
            core=None,
            choices=(),
            lines=(),
            total=Decimal(0),
            stopped=f'The funnel\'s core offer "{plan.core}" is missing, so there is no checkout to show.',
        )
    choices = _checkout_choices(plan, state)
    lines = [OrderLine(core.key, core, Stage.CHECKOUT, None, core.price)]
    lines += [OrderLine(c.key, c.offer, Stage.CHECKOUT, c.slot, c.price, c.upgrade_from) for c in choices if c.ticked]
    graph = analyse_flow(plan)
    owned = owned_before(plan, graph) if graph.cycle is None else {}
    later = tuple(_later(plan, placed, owned_at(owned, placed, plan)) for placed in plan.thank_you_cross_sells)
    base = PreviewWalk(
        screen=Screen.CHECKOUT,
        state=state,
        currency=plan.currency,
        core=core,
        choices=choices,
        lines=tuple(lines),
        total=_sum(lines),
        later=tuple(item for item in later if item is not None),
    )
    if state.at is At.CHECKOUT:
        return base
    if state.at is At.THANK_YOU:
        return replace(base, screen=Screen.THANK_YOU)

    if len(state.path) > len(plan.steps):
        raise PreviewRefused(
            f"This link answers {len(state.path)} offers, but the funnel has only {len(plan.steps)} "
            "after payment; a buyer meets each at most once."
        )
    jumped_to: Step | None = None
    if state.jump is not None:
        jumped_to = plan.step(state.jump)
        if jumped_to is None:
            raise PreviewRefused(f'This funnel has no step "{state.jump}" after payment to jump to.')

    trail: list[TrailEntry] = []
    seen: list[str] = []
    current = state.jump if state.jump is not None else plan.start
    stopped = _arrival_problem(plan, current, seen, came_from=None, jumped=jumped_to is not None)
    for index, (key, answer) in enumerate(state.path):
        if stopped is not None:
            raise PreviewRefused(
                f'The answer "{key}:{answer.value}" comes after the point where this funnel stops: {stopped}'
            )
        if current is None:
            raise PreviewRefused(
                f'The answer "{key}:{answer.value}" comes after the buyer has reached the thank-you page.'
            )
        if key != current:
            raise PreviewRefused(
                f'The answer "{key}:{answer.value}" does not follow this funnel\'s edges: '
                f'at that point the buyer is offered "{current}", not "{key}".'
            )
        step, offer = _step_and_offer(plan, current)
        price = effective_price(plan, step.offer, owned_at(owned, step, plan))
        added = price if answer is Answer.ACCEPT else Decimal(0)
        trail.append(TrailEntry(index, step, offer, answer, added))
        if answer is Answer.ACCEPT:
            lines.append(
                OrderLine(step.key, offer, Stage.POST_PURCHASE, Slot.ONE_CLICK, price, _upgraded(plan, offer, price))
            )
        seen.append(current)
        current = step.on_accept if answer is Answer.ACCEPT else step.on_decline
        stopped = _arrival_problem(plan, current, seen, came_from=(step, offer, answer), jumped=False)

    walked = replace(base, lines=tuple(lines), total=_sum(lines), trail=tuple(trail), jumped_to=jumped_to)
    if stopped is not None:
        return replace(walked, screen=Screen.STOPPED, stopped=stopped)
    if current is None:
        return replace(walked, screen=Screen.THANK_YOU)
    step, offer = _step_and_offer(plan, current)
    price = effective_price(plan, step.offer, owned_at(owned, step, plan))
    offered = Offered(step, offer, price, _upgraded(plan, offer, price), walked.total + price)
    return replace(walked, screen=Screen.OFFER, offered=offered)


def _checkout_choices(plan: FunnelPlan, state: PreviewState) -> tuple[CheckoutChoice, ...]:
    at_checkout = frozenset({plan.core})
    choices: list[CheckoutChoice] = []
    for placements, ticked, slot in (
        (plan.bumps, state.bumps, Slot.BUMP),
        (plan.checkout_cross_sells, state.alongside, Slot.CROSS_SELL),
    ):
        known = {p.key for p in placements}
        unknown = sorted(ticked - known)
        if unknown:
            what = "order bump" if slot is Slot.BUMP else "cross-sell at the checkout"
            raise PreviewRefused(f'This funnel has no {what} "{unknown[0]}" to tick.')
        for placed in placements:
            offer = plan.offer(placed.offer)
            if offer is None:
                continue  # an offer the plan does not hold: the funnel's checks report it, the buyer never sees it
            price = effective_price(plan, placed.offer, at_checkout)
            upgrade = _upgraded(plan, offer, price)
            choices.append(CheckoutChoice(placed.key, offer, slot, price, placed.key in ticked, upgrade))
    return tuple(choices)


def _later(plan: FunnelPlan, placed: Placement, owned: frozenset[str]) -> LaterOffer | None:
    offer = plan.offer(placed.offer)
    if offer is None:
        return None
    price = effective_price(plan, placed.offer, owned)
    return LaterOffer(placed.key, offer, price, _upgraded(plan, offer, price))


def _upgraded(plan: FunnelPlan, offer: OfferSpec, price: Decimal) -> OfferSpec | None:
    """What ``offer`` upgrades, when the price charged is only the difference."""
    if offer.replaces is None or price == offer.price:
        return None
    return plan.offer(offer.replaces)


def _step_and_offer(plan: FunnelPlan, key: str) -> tuple[Step, OfferSpec]:
    step = plan.step(key)
    offer = plan.offer(step.offer) if step is not None else None
    assert step is not None and offer is not None  # _arrival_problem has seen both
    return step, offer


def _arrival_problem(
    plan: FunnelPlan,
    key: str | None,
    seen: list[str],
    *,
    came_from: tuple[Step, OfferSpec, Answer] | None,
    jumped: bool,
) -> str | None:
    """Why the buyer cannot be shown step ``key`` (None: they reach the thank-you page, always fine)."""
    if key is None:
        return None
    if came_from is None:
        how = "The preview jumped to" if jumped else "The flow after payment starts at"
    else:
        step, offer, answer = came_from
        verb = "Accepting" if answer is Answer.ACCEPT else "Declining"
        how = f'{verb} "{offer.name}" ({step.key}) leads to'
    step_found = plan.step(key)
    if step_found is None:
        return f'{how} "{key}", which is not a step of this funnel; the preview stops here.'
    if key in seen:
        loop = " → ".join((*seen[seen.index(key) :], key))
        return (
            f'{how} "{key}" again, which this buyer has already been offered: the flow loops ({loop}). '
            "The preview stops here; every path must end at the thank-you page."
        )
    if plan.offer(step_found.offer) is None:
        return f'The step "{key}" shows the offer "{step_found.offer}", which is not among this funnel\'s offers.'
    return None


def _sum(lines: Sequence[OrderLine]) -> Decimal:
    return sum((line.amount for line in lines), Decimal(0))
