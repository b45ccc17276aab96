"""Promises of permanence: "forever", "for good", "never again", "no more panic attacks", "gone for life".

What lasts forever in honest copy is access or a price ("lifetime access", "yours forever"), and what is gone
forever in pushy copy is the offer (that is now-or-never pressure, see ``now_or_never``): neither is a promise
that the buyer's problem ends.
"""

from __future__ import annotations

import re

from offers.domain.copy.claims import ClaimKind
from offers.domain.copy.grammar import Rule, rule
from offers.domain.copy.lexicon import (
    FIXING,
    GAP,
    MEDICINE,
    OUTCOMES,
    PROBLEMS,
    SELLING,
    STATES,
)
from offers.domain.copy.text import Copy

PERMANENCE = ClaimKind.PERMANENCE

_SALE_OBJECT = re.compile(rf"^\s*(?:it|this|that|them|out|access|{SELLING}|your\s+(?:{SELLING}|chance|access))\b", re.I)
_SOLD_BEFORE = re.compile(rf"\b(?:{SELLING}|it|it's|this|they|they're)\b", re.IGNORECASE)


def _sale_object(copy: Copy, match: re.Match[str]) -> bool:
    """ "Say yes now or lose it forever", "keep access forever": what lasts or goes is the offer, not a problem."""
    rest = re.sub(rf"^{FIXING}\s*", "", match.group(), flags=re.IGNORECASE)
    return _SALE_OBJECT.search(rest) is not None or re.search(r"\baccess\b", rest, re.IGNORECASE) is not None


def _offer_gone(copy: Copy, match: re.Match[str]) -> bool:
    """ "This offer is gone forever" is pressure (see ``pressure``), not a promise."""
    begin, _ = copy.clause(match.start(), match.end())
    return _SOLD_BEFORE.search(copy.text[begin : match.start()]) is not None


RULES: tuple[Rule, ...] = (
    # permanence
    rule(PERMANENCE, rf"\bnever\b[^.!?\n]{{0,40}}?\b{PROBLEMS}\w*\b[^.!?\n]{{0,20}}?\bagain\b"),
    rule(PERMANENCE, r"\bnever\s+feel\s+\w+(?:\s+\w+)?\s+again\b"),
    rule(
        PERMANENCE,
        r"\bnever\s+(?:have\s+to\s+)?(?:worry|panic|stress|struggle|suffer|feel|fear|doubt|lose\s+sleep|"
        rf"need\s+(?:{MEDICINE}|help))\b[^.!?\n]{{0,50}}?\bagain\b",
    ),
    rule(
        PERMANENCE,
        r"\bnever\s+(?:hav(?:e|ing)|experienc(?:e|ing)|suffer(?:ing)?|get(?:ting)?|go(?:ing)?\s+through|fac(?:e|ing))\s+"
        rf"(?:another|a\s+single|one\s+more|an?)\s+{GAP}{{0,2}}?{PROBLEMS}",
    ),
    rule(
        PERMANENCE,
        r"\b(?:won't|will\s+not|wouldn't|don't|do\s+not|never)\s+(?:ever\s+)?(?:have\s+to\s+)?(?:feel|be|get|have|"
        rf"suffer(?:\s+from)?|struggle(?:\s+with)?|worry|panic|stress|experience)\s+{GAP}{{0,3}}?{PROBLEMS}\b"
        r"[^.!?\n]{0,25}?\b(?:anymore|any\s+more|again|ever\s+again)\b",
    ),
    rule(
        PERMANENCE,
        r"\bno\s+longer\s+(?:feel|be|suffer|struggle|worry|panic|have|live\s+with|be\s+controlled\s+by)\b"
        rf"[^.!?\n]{{0,30}}?{PROBLEMS}|\b{PROBLEMS}\s+(?:will\s+)?no\s+longer\s+(?:control|rule|run|define|hold|stop)",
    ),
    rule(
        PERMANENCE,
        rf"\b{FIXING}\s+(?:(?![\w'-]*n't\b)(?!(?:not|never)\b)[\w'-]+\s+){{0,6}}?(?:forever|for\s+good|permanently|"
        r"once\s+and\s+for\s+all|for\s+life|for\s+the\s+rest\s+of\s+your\s+life|for\s+ever)\b",
        exempt=_sale_object,
    ),
    rule(
        PERMANENCE,
        rf"\b(?:say|wave|kiss|bid)\s+(?:goodbye|farewell|so\s+long|adios)\s+to\s+{GAP}{{0,3}}?{PROBLEMS}\b"
        r"(?:\s+(?:forever|for\s+good|once\s+and\s+for\s+all))?",
    ),
    rule(
        PERMANENCE,
        rf"\b(?:{STATES}|{OUTCOMES}|{FIXING}\s+{GAP}{{0,3}}?{PROBLEMS})\b[^.!?\n]{{0,40}}?[,-]\s*(?:forever|for\s+good|"
        r"permanently|for\s+life|once\s+and\s+for\s+all)\b",
    ),
    rule(
        PERMANENCE, rf"\b(?:kiss|wave)\s+{GAP}{{0,3}}?{PROBLEMS}\s+goodbye\b|\bbye[- ]bye\s+{GAP}{{0,2}}?{PROBLEMS}\b"
    ),
    rule(
        PERMANENCE,
        rf"\b{PROBLEMS}\s*(?:,\s*|\s+(?:is|are|will\s+be)\s+)?(?:gone|over|finished|history)\s+(?:forever|for\s+good|for\s+life|"
        r"for\s+ever|permanently|once\s+and\s+for\s+all)\b"
        r"|\bgone\s+(?:forever|for\s+good)\b",
        exempt=_offer_gone,
    ),
    rule(
        PERMANENCE,
        rf"\b(?:{STATES}|calm|confidence|peace|freedom|relief|happiness|healing|results?|change)\s+(?:for\s+life|"
        r"that\s+lasts?\s+(?:a\s+lifetime|forever|for\s+ever|for\s+life)|forever|for\s+good|for\s+a\s+lifetime)\b",
    ),
    rule(
        PERMANENCE,
        rf"\bpermanent(?:ly)?\s+(?:{FIXING}|relief|results?|cure|fix|change|calm|solution|freedom|healing|recovery|"
        r"weight\s+loss|transformation)\b",
    ),
    rule(PERMANENCE, rf"\bno\s+more\s+(?!than\b){GAP}{{0,2}}?{PROBLEMS}\b"),
    rule(
        PERMANENCE,
        rf"\b{PROBLEMS}\b[^.!?\n]{{0,30}}?\b(?:a\s+thing\s+of\s+the\s+past|never\s+(?:return|come\s+back))\b",
    ),
    rule(
        PERMANENCE,
        r"\b(?:a\s+)?(?:life|lives|days|nights|mornings|future|world|years|live|living|wake|waking\s+up|sleep|sleeping|"
        rf"go\s+through\s+life)\s+(?:without|free\s+(?:of|from))\s+{GAP}{{0,2}}?{PROBLEMS}\b",
    ),
)
