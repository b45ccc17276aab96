"""The reader's grammar: a rule finds words that could make a claim, and the scopes decide whether they do.

Words alone do not make a claim. "Guaranteed results" is a promise; "no guaranteed results" denies one;
"Is it a cure? No." asks and answers; 'Some coaches promise "results in 7 days". I don't.' reports someone
else's words; "only 8 seats, because I coach each person myself" states a real limit. So every rule is one
pattern (what the words look like) plus the scopes that apply to it:

- **negation**: a denying word earlier in the same clause ("no", "never", "can't", "without", "unlike",
  "beware of", "other programs promise"), or a denial straight after it ("Guaranteed outcomes - not here");
- **question**: a yes/no question about the product is not an assertion unless it is answered yes; answered
  no, it is honest; asked of the buyer ("Can you afford to miss this?") it is still a pitch;
- **hedge**: "may", "can help", "many clients" turn a promised result into a possibility;
- **reason**: a capacity or a deadline with its real, stated reason ("because the room holds 12");
- **exemption**: what the rule's own words allow (a guarantee of delivery, of a refund).

A pattern whose own words deny ("never feel anxious again", "don't miss out") is not undone by them: only words
before it count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from offers.domain.copy.claims import Claim, ClaimKind
from offers.domain.copy.lexicon import HEDGES, NEGATION, NOT_NEGATION, OTHERS, PRESSURE_WORDS
from offers.domain.copy.text import Copy

Exemption = Callable[[Copy, "re.Match[str]"], bool]


@dataclass(frozen=True)
class Rule:
    """One shape of a claim. ``negatable``: negation, questions and quotation can undo it; ``hedgeable``: a
    hedge makes it a possibility; ``reasonable``: a stated real reason makes it honest; ``exempt``: the words
    around it that make it something else (a refund guarantee, a deadline on a session, not on a sale)."""

    kind: ClaimKind
    pattern: re.Pattern[str]
    negatable: bool = True
    hedgeable: bool = False
    reasonable: bool = False
    exempt: Exemption | None = None


def rule(
    kind: ClaimKind,
    pattern: str,
    *,
    negatable: bool = True,
    hedgeable: bool = False,
    reasonable: bool = False,
    exempt: Exemption | None = None,
) -> Rule:
    return Rule(kind, re.compile(pattern, re.IGNORECASE), negatable, hedgeable, reasonable, exempt)


_DENIED = re.compile(NEGATION + "|" + OTHERS, re.IGNORECASE)
_PSEUDO = re.compile(NOT_NEGATION, re.IGNORECASE)
_HEDGED = re.compile(HEDGES, re.IGNORECASE)
_DENIED_AFTER = re.compile(
    r"^[\s\"'!.]*(?:[:-]+\s*|(?:is|are|was|were|isn't|aren't)\s+|'s\s+)?"
    r"(?:not(?!\s+(?:only|just)\b)|never|none|nope|nothing|not\s+here|no(?!\s+(?:effort|work|risk)\b))\b",
    re.IGNORECASE,
)
_NO_ANSWER = re.compile(
    r"^\W*(?:(?:honestly|well|sadly|truthfully|frankly|simply\s+put|in\s+short|short\s+answer|the\s+(?:short\s+)?"
    r"answer(?:\s+is)?|to\s+be\s+honest)[,:]?\s*)*"
    r"(?:no\b|nope\b|not\b|never\b|none\b|nothing\b|nobody\b|no\s+one\b|(?:i|we)\s+(?:can't|cannot|won't|don't|"
    r"do\s+not|will\s+not)\b|(?:it|this|that)\s+(?:isn't|is\s+not|doesn't|does\s+not|won't|will\s+not)\b|"
    r"(?:it's|that's|this\s+is)\s+not\b|(?:sadly|absolutely|of\s+course|definitely|certainly|really)\s+not\b)",
    re.IGNORECASE,
)
_YES_ANSWER = re.compile(
    r"^\W*(?:yes|yep|yeah|absolutely|definitely|of\s+course|sure|certainly|always|guaranteed|100\s?%|"
    r"every\s+time|you\s+bet)\b",
    re.IGNORECASE,
)
_ASKED_OF_IT = re.compile(
    r"^\W*(?:is|are|was|were|will|would|can|could|does|do|did|should|shall|has|have|may|might|must|isn't|"
    r"aren't|won't|doesn't|don't|can't)\s+(?!you\b|you're\b|ya\b)\w+",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(?:because|since|as\s+(?=(?:i|we|the|each|every|it|there|our|my|this|that)\b)"
    r"|so(?:\s+that)?\s+(?=(?:the|our|my|each|every|everyone|everybody|i|we|there|you|it|all|nobody|no\s+one)\b)"
    r"|to\s+(?:keep|make\s+sure|ensure|give|allow)\b|which\s+is\s+why|that's\s+why|the\s+reason\s+(?:is|being)"
    r"|when\s+(?:the\s+|our\s+|my\s+)?(?:\w+\s+)?(?:cohort|group|class|course|program|programme|workshop|retreat|"
    r"training|sessions?|term|season)\s+(?:starts?|begins?|kicks?\s+off|opens?|runs?))"
    r"|\bby\s+the\s+(?:size|number|capacity|space)\s+of\b|\bbefore\s+(?:it|we|the\s+(?:[\w-]+\s+)?(?:cohort|group|class|course|program|programme|workshop|retreat|training))"
    r"\s+(?:starts?|begins?|kicks?\s+off|opens?)\b"
    r"|:\s*(?=(?:the\s+(?:room|venue|studio|space|group|retreat|house|course|cohort)|i\s|we\s|each\b|every\b|"
    r"it's\b|that's\b|there\b))",
    re.IGNORECASE,
)
_PRESSURE = re.compile(PRESSURE_WORDS, re.IGNORECASE)


NEGATION_REACH = 150
"""How far back, in characters, a denying word in the same clause still reaches the claim (about 25 words)."""


def denied_before(window: str) -> bool:
    """A denying word in ``window`` (the clause before a claim), not counting look-alikes such as "not only"."""
    window = window[-NEGATION_REACH:]
    return _DENIED.search(_PSEUDO.sub(lambda m: " " * len(m.group()), window)) is not None


def hedged(window: str) -> bool:
    return _HEDGED.search(window) is not None


def stated_reason(copy: Copy, match: re.Match[str]) -> bool:
    """The sentence gives a real reason for the claim, outside the claim itself, that is not more pressure."""
    sentence = copy.sentences[copy.sentence_at(match.start())]
    for found in _REASON.finditer(copy.text, sentence.start, sentence.end):
        _, reason_end = copy.clause(found.end(), found.end())
        reason = copy.text[found.start() : max(reason_end, found.end())]
        inside = found.start() <= match.start() < max(reason_end, found.end())
        if not inside and reason.strip(" :") and not _PRESSURE.search(reason):
            return True
    return False


def questioned(copy: Copy, position: int) -> bool:
    """The claim stands in a question that does not assert it: answered no, or asked about the product."""
    index = copy.sentence_at(position)
    sentence = copy.sentences[index]
    if not sentence.is_question:
        return False
    answer = copy.sentences[index + 1].text if index + 1 < len(copy.sentences) else ""
    if _NO_ANSWER.search(answer) or (len(answer.split()) <= 4 and re.search(r"\b(?:no|not)\b", answer, re.I)):
        return True
    if _YES_ANSWER.search(answer):
        return False
    return _ASKED_OF_IT.search(sentence.text) is not None


def asserted(copy: Copy, match: re.Match[str], grammar_rule: Rule) -> bool:
    """Do these words, where they stand, make the rule's claim?"""
    start, end = match.span()
    if grammar_rule.exempt is not None and grammar_rule.exempt(copy, match):
        return False
    begin, _ = copy.clause(start, end)
    before = copy.text[begin:start]
    sentence = copy.sentences[copy.sentence_at(start)]
    if grammar_rule.negatable:
        if denied_before(before) or _DENIED_AFTER.search(copy.text[end : sentence.end]):
            return False
        if questioned(copy, start):
            return False
    if grammar_rule.hedgeable and hedged(before[-NEGATION_REACH:]):
        return False
    return not (grammar_rule.reasonable and stated_reason(copy, match))


def find(copy: Copy, field: str, rules: tuple[Rule, ...]) -> Iterator[Claim]:
    """Every claim the rules find in one field, each quoting the coach's own words."""
    for grammar_rule in rules:
        for match in grammar_rule.pattern.finditer(copy.text):
            if match.end() > match.start() and asserted(copy, match, grammar_rule):
                yield quoted(copy, field, grammar_rule.kind, match.start(), match.end())


def quoted(copy: Copy, field: str, kind: ClaimKind, start: int, end: int) -> Claim:
    """The claim with the coach's characters between ``start`` and ``end``, without surrounding spaces."""
    raw = copy.original[start:end]
    lead = len(raw) - len(raw.lstrip())
    phrase = raw.strip()
    return Claim(kind, field, phrase, start + lead, start + lead + len(phrase))
