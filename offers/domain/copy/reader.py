"""The copy reader: every claim in an offer's words, by field, as the funnel checks and the live hints read them.

One reader for every screen, so the catalog form's hints, the import summary, the editor, the list and the
command line cannot disagree about the same words. Each field is read once per text (the results are cached:
the same offer is checked at every place a funnel shows it, and the list checks every funnel at once).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from offers.domain.copy import cures, lasting, now_or_never, pressure, promises, timed
from offers.domain.copy.claims import FALSE_URGENCY, GUARANTEED_OUTCOME, Claim
from offers.domain.copy.grammar import find
from offers.domain.copy.labels import confirmshaming, hidden_decline
from offers.domain.copy.prices import reference_prices
from offers.domain.copy.text import Copy

DECLINE_FIELD, ACCEPT_FIELD = "decline_label", "accept_label"
PROMISE_RULES = promises.RULES + lasting.RULES + cures.RULES + timed.RULES
PRESSURE_RULES = pressure.RULES + now_or_never.RULES


@dataclass(frozen=True)
class OfferCopy:
    """What the buyer reads of one offer: its copy fields (``OfferSpec.copy_fields``), its recorded price (None
    while a form's price is half typed) and whether it is shown with a no button (a one-click step)."""

    fields: Mapping[str, str]
    price: Decimal | None = None
    decline_shown: bool = True


@lru_cache(maxsize=4096)
def read_text(text: str, field: str = "body") -> tuple[Claim, ...]:
    """The outcome promises and pressure in one field's text, in the order the rules find them."""
    copy = Copy(text)
    return tuple(find(copy, field, PROMISE_RULES)) + tuple(find(copy, field, PRESSURE_RULES))


def read_offer(offer: OfferCopy) -> tuple[Claim, ...]:
    """Every claim in the offer's words: each field in order, then how its no button stands beside its yes."""
    claims: list[Claim] = []
    for field, text in offer.fields.items():
        claims += read_text(text, field)
        claims += confirmshaming(text, field)
        claims += reference_prices(text, field, offer.price)
    if offer.decline_shown:
        hidden = hidden_decline(offer.fields.get(ACCEPT_FIELD, ""), offer.fields.get(DECLINE_FIELD, ""))
        if hidden is not None:
            claims.append(hidden)
    return tuple(claims)


def first_claim(claims: Iterable[Claim], code: str, fields: Iterable[str]) -> Claim | None:
    """The claim of ``code`` to quote: in the first field that has one, the earliest (then the longest)."""
    mine = [c for c in claims if c.code == code]
    for field in fields:
        here = [c for c in mine if c.field == field]
        if here:
            return min(here, key=lambda c: (c.start, -c.end))
    return None


def _first_phrase(text: str, code: str) -> str | None:
    claim = first_claim(read_text(text), code, ["body"])
    return claim.phrase if claim is not None else None


def guaranteed_outcome(text: str) -> str | None:
    """The words in ``text`` that promise a result, or None."""
    return _first_phrase(text, GUARANTEED_OUTCOME)


def false_urgency(text: str) -> str | None:
    """The words in ``text`` that invent a deadline, scarcity or a now-or-never choice, or None."""
    return _first_phrase(text, FALSE_URGENCY)
