"""The honesty checks on an offer's words: no promised outcomes, no invented deadlines.

The primer: "keep it honest, and never imply guaranteed outcomes"; a good offer "feels like care, not
pressure". A money-back, satisfaction or refund guarantee promises the buyer's money, not a result, so
it is fine. The patterns are case-insensitive, anchored on word boundaries, and deliberately narrow: a
warning a coach learns to ignore is worse than one phrase missed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

FIELD_LABELS: dict[str, str] = {
    "name": "name",
    "headline": "headline",
    "body": "description",
    "accept_label": "yes button",
    "decline_label": "no button",
}
"""How the buyer-facing copy fields (``OfferSpec.copy_fields``) are named in a message."""

_APOSTROPHE = "['\u2019]"
_OUTCOMES = (
    r"(?:results?|outcomes?|success|relief|healing|recovery|transformation|breakthroughs?"
    r"|weight\s+loss|income|profits?)"
)
_FIXES = r"(?:fix|heal|cure|solve|eliminate|erase|banish|overcome|beat)"
_PROBLEMS = (
    r"(?:anxious|anxiety|stress|stressed|panic|overwhelm|overwhelmed|worry|worried|depressed|depression"
    r"|pain|burn(?:ed|t)?[-\s]?out|insomnia|stuck|alone|lonely|afraid|fear|sad|struggle)"
)
_UNITS = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)"
_SELLING = r"(?:offer|price|sale|deal|discount)"

GUARANTEED_OUTCOME_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\bguaranteed\s+(?:\w+\s+)?{_OUTCOMES}\b",  # "guaranteed results", "guaranteed fast relief"
        rf"\b{_OUTCOMES}\s+(?:(?:are|is)\s+)?(?:100\s?%\s+)?guaranteed\b",  # "results guaranteed"
        # "we guarantee you will feel calmer", but not "... you'll get your money back" / "you'll love it"
        rf"\bguarantee[sd]?\s+(?:that\s+)?you(?:{_APOSTROPHE}ll|\s+will)\b"
        r"(?!\s+(?:get|receive)\s+(?:your\s+|a\s+(?:full\s+)?)?(?:money|refund))(?!\s+(?:love|be\s+refunded))",
        rf"\bguarantee[sd]?\s+(?:that\s+)?(?:it|this)(?:{_APOSTROPHE}ll|\s+will)\s+work\b",
        r"\bguaranteed\s+to\s+(?:work|heal|cure|fix|change|transform|end|eliminate)\b",
        # "cure" as a word (not "secure", "accurate", "curated"), unless denied: "not a cure", "no cure"
        rf"(?<!not\s)(?<!not\sa\s)(?<!n{_APOSTROPHE}t\sa\s)(?<!\bno\s)\bcur(?:e|es|ed|ing)\b",
        r"\b100\s?%\s+(?:success|results?|effective|guaranteed|cure|proven)\b",
        r"\b100\s+percent\s+(?:success|results?|effective|guaranteed)\b",
        # "never feel anxious again", "never worry about money again"
        rf"\bnever\b[^.!?\n]{{0,40}}?\b{_PROBLEMS}\w*\b[^.!?\n]{{0,20}}?\bagain\b",
        r"\bnever\s+feel\s+\w+(?:\s+\w+)?\s+again\b",
        rf"\bpermanent(?:ly)?\s+{_FIXES}\w*",  # "permanently heal"
        rf"\b{_FIXES}(?:es|s|ed|d)?(?:\s+\w+){{0,3}}\s+(?:permanently|for\s+good|forever)\b",
        r"\bwill\s+(?:\w+\s+)?(?:transform|change|fix|heal|save)\s+your\s+(?:whole\s+|entire\s+)?life\b",
        r"\b(?:transform|change)s?\s+your\s+life\s+(?:forever|overnight)\b",
    )
)

FALSE_URGENCY_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # "expires in 10 minutes" (not "your access expires in 12 months"), "expires tonight"
        rf"\bexpir(?:es|ing)\s+in\s+(?:\d+\s+|a\s+few\s+|an?\s+)?(?:{_UNITS}|moments?)\b",
        r"\bexpir(?:es|ing)\s+(?:soon|tonight|today|at\s+midnight)\b",
        rf"\b{_SELLING}\s+(?:expires|ends)(?:\s+(?:tonight|today|soon|at\s+midnight|in\s+\d+\s+\w+))?\b",
        r"\bends\s+(?:tonight|today|at\s+midnight|soon)\b",
        rf"\b{_SELLING}\b[^.!?\n]{{0,30}}?\b(?:tonight|(?:at|before|until|till)\s+midnight)\b",
        rf"\b(?:only\s+)?\d+\s+{_UNITS}\s+(?:left|remaining)\b",
        r"\bcountdown\b",
        r"\blast\s+chance\b",
        rf"(?<!\bno\s)(?<!no\sneed\sto\s)(?<!n{_APOSTROPHE}t\s)(?<!never\s)\bhurry\b",
        r"\bact\s+(?:now|fast|quickly|today|immediately)\b",
        r"\bonly\s+\d+\s+(?:\w+\s+)?(?:spots?|seats?|places?|slots?|copies|left|remaining)\b",
        r"\b\d+\s+(?:spots?|seats?|places?|slots?)\s+(?:left|remaining)\b",
        rf"\bbefore\s+(?:it|they)(?:{_APOSTROPHE}s|{_APOSTROPHE}re|\s+is|\s+are)\s+gone\b",
        r"\bwhile\s+(?:stocks?|supplies|spots|seats)\s+lasts?\b",
        rf"\b{_SELLING}\s+(?:\w+\s+){{0,2}}?(?:disappears?|vanish(?:es)?|goes\s+away)(?:\s+forever)?\b",
        r"\bnever\s+(?:see|be\s+(?:offered|available))\b[^.!?\n]{0,30}?\bagain\b",
        r"\b(?:today|tonight)\s+only\b",
        r"\bnow\s+or\s+never\b",
    )
)


@dataclass(frozen=True)
class CopyMatch:
    """The first worrying phrase found: in which copy field, and the words as the coach wrote them."""

    field: str
    phrase: str


def first_phrase(text: str, patterns: tuple[re.Pattern[str], ...]) -> str | None:
    """The earliest (then longest) phrase in ``text`` that one of ``patterns`` matches, or None."""
    best: re.Match[str] | None = None
    for pattern in patterns:
        match = pattern.search(text)
        if match is not None and (best is None or (match.start(), -match.end()) < (best.start(), -best.end())):
            best = match
    return best.group(0).strip() if best is not None else None


def find_in_copy(fields: Mapping[str, str], patterns: tuple[re.Pattern[str], ...]) -> CopyMatch | None:
    """The first matching phrase, looking through the fields in order."""
    for field, text in fields.items():
        phrase = first_phrase(text, patterns)
        if phrase is not None:
            return CopyMatch(field, phrase)
    return None


def guaranteed_outcome(text: str) -> str | None:
    """The phrase in ``text`` that promises a result, or None."""
    return first_phrase(text, GUARANTEED_OUTCOME_PATTERNS)


def false_urgency(text: str) -> str | None:
    """The phrase in ``text`` that invents a deadline or scarcity, or None."""
    return first_phrase(text, FALSE_URGENCY_PATTERNS)
