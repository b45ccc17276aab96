"""What the copy reader reports: a claim, the words that make it, and which kind of claim it is.

The primer's rule is "keep it honest, and never imply guaranteed outcomes", and a good offer "feels like care,
not pressure". Each kind below is one way copy breaks that rule, named so a coach can see why the words were
picked out. Kinds roll up into the five public finding codes (``COPY_CODES``): the codes are the contract of the
screens and the command line, the kinds are the explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

GUARANTEED_OUTCOME = "guaranteed-outcome"
FALSE_URGENCY = "false-urgency"
CONFIRMSHAMING = "confirmshaming"
UNVERIFIED_REFERENCE_PRICE = "unverified-reference-price"
HIDDEN_DECLINE = "hidden-decline"

COPY_CODES: tuple[str, ...] = (
    GUARANTEED_OUTCOME,
    FALSE_URGENCY,
    CONFIRMSHAMING,
    UNVERIFIED_REFERENCE_PRICE,
    HIDDEN_DECLINE,
)
"""The finding codes the copy reader can bring, in the order a funnel's findings list them."""

FIELD_LABELS: dict[str, str] = {
    "name": "name",
    "headline": "headline",
    "body": "description",
    "accept_label": "yes button",
    "decline_label": "no button",
}
"""How the buyer-facing copy fields (``OfferSpec.copy_fields``) are named in a message."""


class ClaimKind(Enum):
    """One way copy promises too much or pushes too hard: (its finding code, how a message names it)."""

    GUARANTEE = (GUARANTEED_OUTCOME, "a guarantee of results")
    CERTAINTY = (GUARANTEED_OUTCOME, "a claim of certainty")
    PERMANENCE = (GUARANTEED_OUTCOME, "a promise that the change lasts forever")
    CURE = (GUARANTEED_OUTCOME, "a cure or medical claim")
    TIMED_RESULT = (GUARANTEED_OUTCOME, "a promised result in a set time")
    DEADLINE = (FALSE_URGENCY, "a deadline or timer")
    SCARCITY = (FALSE_URGENCY, "a scarcity claim")
    PRICE_RISE = (FALSE_URGENCY, "a warning that the price will rise")
    NOW_OR_NEVER = (FALSE_URGENCY, "a now-or-never offer")
    MISSING_OUT = (FALSE_URGENCY, "an appeal to the fear of missing out")
    SHAMING = (CONFIRMSHAMING, "words that shame the buyer for saying no")
    REFERENCE_PRICE = (UNVERIFIED_REFERENCE_PRICE, "a former or regular price")
    SAVING = (UNVERIFIED_REFERENCE_PRICE, "a saving against a higher price")
    EMPTY_DECLINE = (HIDDEN_DECLINE, "an empty no button")
    LONG_DECLINE = (HIDDEN_DECLINE, "a no button far longer than the yes button")
    FINE_PRINT = (HIDDEN_DECLINE, "a no button worded like fine print")

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def label(self) -> str:
        return self.value[1]


@dataclass(frozen=True)
class Claim:
    """One claim found: the field it stands in, the coach's own words for it, and where they are in the field."""

    kind: ClaimKind
    field: str
    phrase: str
    start: int
    end: int

    @property
    def code(self) -> str:
        return self.kind.code
