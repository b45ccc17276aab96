"""What each preview screen shows: the buyer's walk turned into names, prices and links, in the funnel's currency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from core.money import format_money
from funnels.domain.buyer_walk import Answer, CheckoutChoice, PreviewState, PreviewWalk, Screen
from funnels.domain.checks.findings import Tally
from funnels.domain.checks.rules import check_funnel
from funnels.domain.plan import FunnelPlan, OfferSpec, Slot, Stage

LINE_NOTES: dict[Slot | None, str] = {
    None: "",
    Slot.BUMP: "order bump",
    Slot.CROSS_SELL: "added at the checkout",
    Slot.ONE_CLICK: "added after payment",
}
Money = Callable[[Decimal], str]


class LinkMaker(Protocol):
    """Makes the preview's URL of a state (the view layer's ``PreviewUrls``), in the width being shown."""

    width: str

    def __call__(self, state: PreviewState, width: str | None = None) -> str: ...


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: bool = False
    note: str = ""


def error_count(plan: FunnelPlan) -> int:
    """How many errors the checks find in the funnel (pure: no query). The preview walks a funnel with errors
    as it stands, so its top says so: a coach must not take a broken flow's screens for the finished ones."""
    return Tally.of(check_funnel(plan)).errors


def screen_context(plan: FunnelPlan, walk: PreviewWalk, urls: LinkMaker) -> dict[str, Any]:
    state = walk.state

    def money(value: Decimal) -> str:
        return format_money(value, plan.currency)

    context: dict[str, Any] = {
        "screen": walk.screen.value,
        "total": money(walk.total),
        "restart_url": urls(PreviewState()),
        "widths": [
            Link("Desktop", urls(state, "desktop"), urls.width == "desktop"),
            Link("Phone", urls(state, "phone"), urls.width == "phone"),
        ],
        "jumps": _jumps(plan, walk, urls),
        "trail": _trail(walk, urls, money),
        "core": _copy(walk.core, money(walk.core.price)) if walk.core is not None else None,
        "bumps": [_choice(c, money) for c in walk.choices if c.slot is Slot.BUMP],
        "alongside": [_choice(c, money) for c in walk.choices if c.slot is Slot.CROSS_SELL],
        "lines": [
            {
                "name": line.offer.name,
                "note": _line_note(line.slot, line.upgrade_from),
                "amount": money(line.amount),
                "key": line.key,
            }
            for line in walk.lines
        ],
        "later": [
            {**_copy(item.offer, money(item.price)), "upgrade_from": _name(item.upgrade_from)} for item in walk.later
        ],
        "stopped": walk.stopped,
    }
    offered = walk.offered
    if offered is not None:
        context["offer"] = {
            **_copy(offered.offer, money(offered.price)),
            "key": offered.step.key,
            "full_price": money(offered.offer.price),
            "upgrade_from": _name(offered.upgrade_from),
            "would_become": money(offered.total_if_accepted),
            "accept_label": offered.offer.accept_label,
            "decline_label": offered.offer.decline_label,
            "accept_url": urls(state.answered(offered.step.key, Answer.ACCEPT)),
            "decline_url": urls(state.answered(offered.step.key, Answer.DECLINE)),
        }
    if walk.jumped_to is not None:
        context["jumped"] = f"step {walk.jumped_to.key}"
    elif walk.jumped and walk.screen is Screen.THANK_YOU:
        context["jumped"] = "the thank-you page"
    return context


def _copy(offer: OfferSpec, price: str) -> dict[str, Any]:
    return {
        "name": offer.name,
        "headline": offer.headline or offer.name,
        "body": offer.body,
        "price": price,
        "key": offer.key,
    }


def _choice(choice: CheckoutChoice, money: Money) -> dict[str, Any]:
    return {
        **_copy(choice.offer, money(choice.price)),
        "key": choice.key,
        "ticked": choice.ticked,
        "upgrade_from": _name(choice.upgrade_from),
    }


def _name(offer: OfferSpec | None) -> str:
    return offer.name if offer is not None else ""


def _line_note(slot: Slot | None, upgrade_from: OfferSpec | None) -> str:
    if upgrade_from is not None:
        return f"upgrade from {upgrade_from.name}: adds only the difference"
    return LINE_NOTES[slot]


def _jumps(plan: FunnelPlan, walk: PreviewWalk, urls: LinkMaker) -> list[Link]:
    state = walk.state
    here = walk.offered.step.key if walk.offered is not None else None
    links = []
    for step in plan.steps:
        offer = plan.offer(step.offer)
        label = f"{offer.name if offer is not None else step.offer} ({step.key})"
        links.append(Link(label, urls(state.jumped_to(step.key)), step.key == here))
    links.append(Link("Thank-you page", urls(state.jumped_to(None)), walk.screen is Screen.THANK_YOU))
    return links


def _trail(walk: PreviewWalk, urls: LinkMaker, money: Money) -> list[Link]:
    state = walk.state
    on_checkout = walk.screen is Screen.CHECKOUT
    paid = "now" if on_checkout else f"paid {money(_paid(walk))}"
    trail = [Link("Checkout", urls(state.at_checkout()), on_checkout, paid)]
    if walk.jumped_to is not None:
        trail.append(Link(f"Jumped to {walk.jumped_to.key}", urls(state.before_answer(0)), False, "as if reached"))
    for entry in walk.trail:
        answer = "accepted" if entry.answer is Answer.ACCEPT else "declined"
        added = f", +{money(entry.added)}" if entry.answer is Answer.ACCEPT else ""
        trail.append(Link(entry.offer.name, urls(state.before_answer(entry.index)), False, f"{answer}{added}"))
    if walk.screen is Screen.OFFER and walk.offered is not None:
        trail.append(Link(walk.offered.offer.name, "", True, "now"))
    elif walk.screen is Screen.THANK_YOU:
        trail.append(Link("Thank-you page", "", True, "now"))
    elif walk.screen is Screen.STOPPED and not on_checkout:
        trail.append(Link("Stopped", "", True, "the flow leads nowhere from here"))
    return trail


def _paid(walk: PreviewWalk) -> Decimal:
    return sum((line.amount for line in walk.lines if line.stage is Stage.CHECKOUT), Decimal(0))
