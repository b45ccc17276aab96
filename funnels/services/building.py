"""Building a funnel from where the coach is: add the next step on an answer with a new offer made on the
spot, and take back a removal.

A coach building the primer's funnel should not have to leave the editor for the catalog, invent a key and
come back: ``funnel_step_add_offer`` makes the offer (saved to the catalog, its key made from its name),
places it, and wires the answer it was added on, all in one transaction, so a refused offer leaves neither
a stray catalog row nor a half-built step.

``funnel_step_reinstate`` is the "Undo" of a removal: it puts the step back with its key, offer, take rate,
place and answers, and points back at it whatever the removal had sent to the thank-you page, as far as the
funnel still allows (an answer re-pointed since is left as the coach made it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.audit import SYSTEM, Actor
from accounts.models import Practice
from core.slugs import KEY_PATTERN
from funnels.domain.plan import Slot, Stage
from funnels.models import FunnelStep
from funnels.models.funnel import Funnel
from funnels.services.editing import (
    EDGES,
    FunnelEditError,
    Reconnected,
    claim_version,
    funnel_step_add,
)
from funnels.services.history import record_version
from offers.domain.kinds import OfferKind
from offers.models import Offer
from offers.selectors import offer_keys_taken
from offers.services import offer_create, offer_key_from_name

KEY_MAX = 64


class OfferRefused(FunnelEditError):
    """The new offer could not be saved as typed; ``fields`` says which field and why, each one."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        self.fields = fields
        said = "; ".join(f"{name.replace('_', ' ')}: {' '.join(messages)}" for name, messages in fields.items())
        super().__init__(said)


@dataclass(frozen=True)
class NewOffer:
    """An offer typed into the editor: its name, kind, price and topics, and the key if the coach chose one."""

    name: str
    kind: OfferKind
    price: Decimal
    topics: tuple[str, ...] = ()
    key: str = ""


def offer_key_for(*, practice: Practice, name: str, wanted: str = "") -> str:
    """The key a new offer gets: the coach's own if given (it must be free), else one made from the name,
    unique in the practice (``three-calls``, then ``three-calls-2``)."""
    if wanted:
        if not KEY_PATTERN.match(wanted) or len(wanted) > KEY_MAX:
            raise OfferRefused({"key": ["Use 1–64 lower-case letters, digits and hyphens, such as three-calls."]})
        if wanted in offer_keys_taken(practice=practice, prefix=wanted):
            raise OfferRefused({"key": [f'The catalog already has an offer with the key "{wanted}".']})
        return wanted
    return offer_key_from_name(practice=practice, name=name)


def _created_offer(funnel: Funnel, new: NewOffer, actor: Actor) -> Offer:
    if not new.name.strip():
        raise OfferRefused({"name": ["Give the offer a name, as buyers will read it."]})
    key = offer_key_for(practice=funnel.practice, name=new.name, wanted=new.key)
    try:
        return offer_create(
            practice=funnel.practice,
            key=key,
            name=new.name,
            kind=new.kind,
            price=new.price,
            topics=new.topics,
            currency=funnel.currency,
            actor=actor,
        )
    except ValidationError as invalid:
        raise OfferRefused(
            {name: [str(m) for m in messages] for name, messages in invalid.message_dict.items()}
        ) from None


def funnel_step_add_offer(
    *,
    funnel: Funnel,
    expected_version: int,
    slot: Slot,
    stage: Stage,
    offer: Offer | None = None,
    new_offer: NewOffer | None = None,
    take_rate: Decimal | None = None,
    after: FunnelStep | None = None,
    edge: str = "on_decline",
    actor: Actor = SYSTEM,
) -> FunnelStep:
    """Place a catalog offer, or one made here and now, and wire ``after``'s ``edge`` to it; one version."""
    if (offer is None) == (new_offer is None):
        raise FunnelEditError("choose an offer from the catalog or describe a new one, not both")
    with transaction.atomic():
        if new_offer is not None:
            offer = _created_offer(funnel, new_offer, actor)
        assert offer is not None  # one of the two, checked above
        return funnel_step_add(
            funnel=funnel,
            expected_version=expected_version,
            offer=offer,
            slot=slot,
            stage=stage,
            take_rate=take_rate,
            connect_from=after,
            edge=edge,
            actor=actor,
        )


@dataclass(frozen=True)
class RemovedStep:
    """Everything a removal took away, so "Undo" can put it back: the step, its answers, and the answers and
    start that the removal sent to the thank-you page."""

    key: str
    stage: str
    slot: str
    offer_id: int
    take_rate: str  # "" for the default in force
    position: int
    on_accept: str  # target keys, "" for the thank-you page
    on_decline: str
    reconnected: tuple[tuple[str, str], ...]  # (step key or "start", edge) as the removal reported them

    @classmethod
    def of(cls, step: FunnelStep, changed: Sequence[Reconnected]) -> RemovedStep:
        return cls(
            key=step.key,
            stage=step.stage,
            slot=step.slot,
            offer_id=step.offer_id,
            take_rate="" if step.take_rate is None else str(step.take_rate),
            position=step.position,
            on_accept=step.on_accept.key if step.on_accept_id and step.on_accept else "",
            on_decline=step.on_decline.key if step.on_decline_id and step.on_decline else "",
            reconnected=tuple((c.step, c.edge) for c in changed),
        )

    def as_data(self) -> dict[str, object]:
        return {**self.__dict__, "reconnected": [list(pair) for pair in self.reconnected]}

    @classmethod
    def from_data(cls, data: dict[str, object]) -> RemovedStep:
        pairs = data.get("reconnected")
        reconnected = tuple((str(a), str(b)) for a, b in pairs) if isinstance(pairs, list) else ()
        return cls(
            key=str(data["key"]),
            stage=str(data["stage"]),
            slot=str(data["slot"]),
            offer_id=int(str(data["offer_id"])),
            take_rate=str(data.get("take_rate") or ""),
            position=int(str(data.get("position") or 0)),
            on_accept=str(data.get("on_accept") or ""),
            on_decline=str(data.get("on_decline") or ""),
            reconnected=reconnected,
        )


def _by_key(funnel: Funnel, keys: Iterable[str]) -> dict[str, FunnelStep]:
    wanted = {k for k in keys if k}
    found = FunnelStep.objects.filter(funnel=funnel, stage=Stage.POST_PURCHASE, key__in=wanted)
    return {s.key: s for s in found}


def funnel_step_reinstate(
    *, funnel: Funnel, expected_version: int, removed: RemovedStep, actor: Actor = SYSTEM
) -> FunnelStep:
    """Put a removed step back (the "Undo" beside the message that reported its removal), as a new version."""
    with transaction.atomic():
        claim_version(funnel=funnel, expected_version=expected_version)
        if FunnelStep.objects.filter(funnel=funnel, stage=removed.stage, key=removed.key).exists():
            raise FunnelEditError("that step is back already")
        offer = Offer.objects.filter(pk=removed.offer_id, practice=funnel.practice).first()
        if offer is None:
            raise FunnelEditError("its offer is no longer in the catalog, so the step cannot come back")
        one_click = removed.stage == Stage.POST_PURCHASE
        sources = [key for key, edge in removed.reconnected if edge != "start"]
        found = _by_key(funnel, [removed.on_accept, removed.on_decline, *sources]) if one_click else {}
        step = FunnelStep.objects.create(
            funnel=funnel,
            key=removed.key,
            stage=removed.stage,
            slot=removed.slot,
            offer=offer,
            take_rate=Decimal(removed.take_rate) if removed.take_rate else None,
            position=removed.position,
            on_accept=found.get(removed.on_accept),
            on_decline=found.get(removed.on_decline),
        )
        for key, edge in removed.reconnected:
            if edge == "start":
                if funnel.start_step_id is None:
                    funnel.start_step = step
                    funnel.save(update_fields=["start_step"])
            elif edge in EDGES and key in found and getattr(found[key], f"{edge}_id") is None:
                setattr(found[key], edge, step)
                found[key].save(update_fields=[edge])
        record_version(funnel=funnel, actor=actor, summary=f"put back {offer.name} (undo of its removal)")
    return step
