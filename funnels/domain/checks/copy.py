"""Offer copy checked where a buyer meets it: at most one finding of each copy code per placement.

The words themselves are read by ``offers.domain.copy`` (the catalog's live hints use the same reader). A no
button is judged only where a buyer sees one, on a one-click step after payment; everywhere else its words are
still read for promises, pressure and shaming. Each finding quotes the words and names the kind of claim, and
carries the offer and a fingerprint of its copy, so a coach can acknowledge it until the copy changes.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from core.money import format_money
from funnels.domain.checks.findings import Finding, finding
from funnels.domain.plan import OfferSpec, Stage
from offers.domain.copy import (
    COPY_CODES,
    FIELD_LABELS,
    Claim,
    ClaimKind,
    OfferCopy,
    copy_fingerprint,
    first_claim,
    read_offer,
)

_WORDINGS = {
    ClaimKind.EMPTY_DECLINE: "hidden-decline/empty",
    ClaimKind.LONG_DECLINE: "hidden-decline/long",
    ClaimKind.FINE_PRINT: "hidden-decline/fine-print",
}


def copy_findings(offer: OfferSpec, stage: Stage, step: str) -> list[Finding]:
    """One finding per copy code the offer's words bring where it is shown, in ``COPY_CODES`` order."""
    found: list[Finding] = []
    for code, claim, fingerprint in _quoted(offer, decline_shown=stage is Stage.POST_PURCHASE):
        facts = {
            "field": _label(claim.field),
            "name": offer.name,
            "phrase": claim.phrase,
            "kind": claim.kind.label,
            "accept": offer.accept_label.strip(),
            "price": format_money(offer.price, offer.currency),
            "shows": f'shows only "{claim.phrase}"' if claim.phrase else "is empty",
        }
        made = finding(_WORDINGS.get(claim.kind, code), stage, step, **facts)
        found.append(replace(made, offer=offer.key, fingerprint=fingerprint))
    return found


@lru_cache(maxsize=8192)
def _quoted(offer: OfferSpec, *, decline_shown: bool) -> tuple[tuple[str, Claim, str], ...]:
    """The claim to quote for each copy code, with the copy's fingerprint: read once per offer's words and price.

    Cached by the offer's value (its words, price and the rest), not by the place it stands: the rules meet the
    same offer at every step, in every funnel and on every request that shows it, and a long funnel's thousand
    offers must not push each other out of the reader's smaller per-text caches.
    """
    fields = offer.copy_fields
    claims = read_offer(OfferCopy(fields, offer.price, decline_shown=decline_shown))
    quoted = []
    for code in COPY_CODES:
        claim = first_claim(claims, code, fields)
        if claim is not None:
            quoted.append((code, claim, copy_fingerprint(fields, price=offer.price, code=code)))
    return tuple(quoted)


def _label(field: str) -> str:
    return FIELD_LABELS.get(field, field.replace("_", " "))
