"""The one-line summaries of edits, in the product's words: offers by their names, never by their keys.

A summary that changes one value reads "<what> <before> → <after>" (``change_words``), the form that folds
(``funnels.services.history.folded_summary``). Each function takes what its service had in hand before and after
the write, so a summary costs no query beyond naming the targets an edge used to lead to.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from funnels.domain.diff import where
from funnels.domain.plan import Slot, Stage
from funnels.models import Funnel, FunnelStatus, FunnelStep
from funnels.selectors import step_offer_names
from funnels.services.history import change_words, rate_words
from offers.models import Offer

THANK_YOU = "the thank-you page"
EDGE_WORDS = {"on_accept": "accept", "on_decline": "decline"}


def _where(step: FunnelStep) -> str:
    return where(Stage(step.stage), Slot(step.slot))


def created(core: Offer) -> str:
    return f"created the funnel with {core.name} as its core offer"


def updated(*, name: tuple[str, str], status: tuple[str, str], core: tuple[Offer, Offer]) -> str:
    """Each field that changed, "before → after"; several are joined with "; " (and then never fold)."""
    parts = []
    if name[0] != name[1]:
        parts.append(change_words("name", name[0], name[1]))
    if status[0] != status[1]:
        parts.append(change_words("status", FunnelStatus(status[0]).label, FunnelStatus(status[1]).label))
    if core[0].pk != core[1].pk:
        parts.append(change_words("core offer", core[0].name, core[1].name))
    return "; ".join(parts) or "saved the funnel's settings unchanged"


def update_fold_key(*, name: str | None, status: str | None, core_offer: Offer | None) -> str:
    fields = [field for field, value in (("name", name), ("status", status), ("core", core_offer)) if value is not None]
    return "settings:" + ",".join(fields)


def step_added(step: FunnelStep, offer: Offer, source: FunnelStep | None, edge: str) -> str:
    said = f"added {offer.name} {_where(step)}"
    if source is not None:
        said += f", where buyers who {EDGE_WORDS.get(edge, edge)} {source.offer.name} go"
    return said


def take_rate_changed(step: FunnelStep, before: Decimal | None, after: Decimal | None) -> str:
    return change_words(f"take rate of {step.offer.name}", rate_words(before), rate_words(after))


def edges_changed(
    funnel: Funnel, step: FunnelStep, before: dict[str, int | None], after: dict[str, FunnelStep | None]
) -> str:
    """``decline of Three calls: the thank-you page → One coaching call`` for each answer that changed."""
    changed = {edge for edge, old in before.items() if _id(after[edge]) != old}
    old_ids = [before[edge] for edge in changed if before[edge] is not None]
    names = step_offer_names(practice=funnel.practice, funnel=funnel, step_ids=old_ids) if old_ids else {}
    parts = []
    for edge, old in before.items():
        new = after[edge]
        if edge not in changed:
            continue
        was = names.get(old, "a removed step") if old is not None else THANK_YOU
        parts.append(
            change_words(f"{EDGE_WORDS[edge]} of {step.offer.name}:", was, new.offer.name if new else THANK_YOU)
        )
    return "; ".join(parts) or f"kept where {step.offer.name} leads"


def _id(step: FunnelStep | None) -> int | None:
    return step.pk if step is not None else None


def start_changed(funnel: Funnel, before: int | None, step: FunnelStep | None) -> str:
    names = step_offer_names(practice=funnel.practice, funnel=funnel, step_ids=[before]) if before else {}
    was = names.get(before, "a removed step") if before is not None else THANK_YOU
    return change_words("first offer after payment", was, step.offer.name if step is not None else THANK_YOU)


def moved(step: FunnelStep, direction: str) -> str:
    return f"moved {step.offer.name} {direction} {_where(step)}"


def removed(step: FunnelStep, reconnected: int) -> str:
    said = f"removed {step.offer.name} {_where(step)}"
    if reconnected:
        said += f"; {reconnected} answer{'s' if reconnected != 1 else ''} that led to it now go to {THANK_YOU}"
    return said


def reordered(stage: Stage | str, steps: Sequence[FunnelStep]) -> str:
    place = {Stage.CHECKOUT: "at the checkout", Stage.POST_PURCHASE: "after payment"}.get(
        Stage(stage), "on the thank-you page"
    )
    return f"put the offers {place} in a new order: {', '.join(s.offer.name for s in steps)}"
