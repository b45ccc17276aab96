"""A promised result in a set time: "anxiety-free in 7 days", "instant relief", "confident by next week".

"After a few weeks" says how long change takes, which is honest; "in 10 minutes a day" is a dose, not a promise.
"""

from __future__ import annotations

from offers.domain.copy.claims import ClaimKind
from offers.domain.copy.grammar import Rule, rule
from offers.domain.copy.lexicon import (
    DAYS,
    FIXING,
    GAP,
    NUMBER,
    PROBLEMS,
    UNITS,
)
from offers.domain.copy.promises import STATE

TIMED = ClaimKind.TIMED_RESULT

_SOON = (
    r"(?:(?:in|within|under)\s+(?:just\s+|only\s+|under\s+|less\s+than\s+|as\s+little\s+as\s+|as\s+few\s+as\s+"
    r"|the\s+next\s+)?|after\s+(?:just|only|a\s+single|as\s+little\s+as)\s+)"
)
_HOW_LONG = (
    rf"(?:{NUMBER}\s*-?\s*{UNITS}|one\s+(?:session|call|weekend|week|day|night|month|breath)\b"
    r"|(?:your|the)\s+(?:very\s+)?first\s+(?:week|day|session|call|month|class|breath)\b|no\s+time\b|record\s+time\b)"
)
TIME = (
    rf"(?:{_SOON}{_HOW_LONG}|\b(?:by|within|after)\s+(?:week|day|session)\s+(?:\d+|one|two|three|four|five|six)\b"
    r"|\bfrom\s+(?:day\s+(?:one|1)|the\s+(?:very\s+)?first\s+(?:day|session|call|class|breath|minute|moment))\b)"
    r"(?!\s+(?:a|per|each|every)\s+(?:day|week|night)\b)(?!\s+daily\b)"
)
TIMED_OUTCOMES = (
    r"(?:results?|relief|calm(?:er)?|confiden(?:t|ce)|income|weight\s+loss|breakthroughs?|peace\s+of\s+mind|"
    r"freedom|healing|recovery|success|clarity|better\s+sleep|deep\s+sleep|(?:your|their)\s+confidence\s+back)"
)
"""How soon a timed promise says: "in 7 days", "within 48 hours", "after just one session" (not "10 minutes a day";
and "after a few weeks" says how long change takes, which is honest)."""


RULES: tuple[Rule, ...] = (
    # promised results in a set time
    rule(TIMED, rf"\b(?:{PROBLEMS})-free\s+(?:{TIME}|by\b|overnight\b|in\b)"),
    rule(
        TIMED,
        rf"\b(?:(?:feel(?:ing)?|be(?:ing)?|become|get(?:ting)?|look(?:ing)?|wake\s+up|stay)\s+{GAP}{{0,2}}?{STATE}"
        rf"|{TIMED_OUTCOMES}|sleep(?:ing)?\s+(?:[\w-]+\s+){{0,3}}?(?:through\s+the\s+night|better|soundly|deeply|well|"
        r"like\s+a\s+baby|a\s+night|every\s+night)"
        r"|fall(?:ing)?\s+asleep|(?:a\s+)?(?:complete|total|dramatic|real|huge)\s+change|change\s+your\s+life|double|triple"
        rf"|{FIXING}\s+(?:your\s+|the\s+|their\s+)?{GAP}{{0,2}}?{PROBLEMS}|transform\w*|healed|recover(?:ed|y)?"
        r"|your\s+dream\s+life)\b[^.!?\n]{0,40}?\b" + TIME,
        hedgeable=True,
    ),
    rule(
        TIMED,
        r"\b(?:instant(?:ly)?|immediate(?:ly)?|overnight)\s+(?:relief|calm|results?|confidence|change|transformation|cure|"
        r"healing|peace|success|sleep|weight\s+loss)\b|\b(?:results?|success|transformation|change|relief|calm|healing)"
        r"\s+overnight\b|\b(?:transform|change)s?\s+your\s+life\s+overnight\b",
        hedgeable=True,
    ),
    rule(
        TIMED,
        rf"\b(?:feel|be|become|get|sleep)\s+{GAP}{{0,2}}?{STATE}\s+(?:instantly|immediately|overnight|right\s+away|"
        r"straight\s+away)\b",
        hedgeable=True,
    ),
    rule(
        TIMED,
        rf"\b(?:be|feel|become|sleep|wake\s+up)\s+{GAP}{{0,2}}?{STATE}\s+(?:by|before)\s+(?:next\s+\w+|tomorrow|"
        rf"the\s+end\s+of\s+(?:the\s+|this\s+)?(?:week|month|day)|{DAYS})\b",
        hedgeable=True,
    ),
)
