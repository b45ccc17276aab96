"""The no button: it should say no as plainly as the yes button says yes.

Two ways a no button fails the buyer (the FTC's report on dark patterns: confirmshaming, and the interface that
hides or obscures the way out):

- **confirmshaming**: words put in the buyer's mouth that make saying no feel like failing themselves
  ("No thanks, I'd rather stay anxious", "No, I don't want to feel better", "I'm not ready to invest in myself");
- **a hidden decline**: a no button that is empty or only a symbol, far longer than the yes button, or worded
  like fine print ("By clicking here I forfeit…", "*continue", "See terms").

"No thanks, I'll go at my own pace" and "Not right now" are plain refusals and stay honest. Outside the no
button, confirmshaming is only read in a sentence shaped like a refusal ("No thanks, I'd rather…").
"""

from __future__ import annotations

import re
from functools import lru_cache

from offers.domain.copy.claims import Claim, ClaimKind
from offers.domain.copy.grammar import find, rule
from offers.domain.copy.lexicon import PROBLEMS, one_of
from offers.domain.copy.text import Copy

SHAMING = ClaimKind.SHAMING
LONG_DECLINE_WORDS = 12
"""A no button of this many words or more, and ``LONG_DECLINE_RATIO`` times the yes button's length, is a paragraph."""
LONG_DECLINE_RATIO = 2.5

_BAD = one_of(
    "anxious",
    "stressed",
    "stressed out",
    "overwhelmed",
    "stuck",
    "burnt out",
    "burned out",
    "burnout",
    "exhausted",
    "lonely",
    "lost",
    "broke",
    "miserable",
    "unhappy",
    "sad",
    "tired",
    "scared",
    "afraid",
    "worried",
    "sleepless",
    "sleepless nights",
    "struggling",
    "struggle",
    "suffering",
    "suffer",
    "failing",
    "fail",
    "panicking",
    "worrying",
    "anxiety",
    "stress",
    "panic",
    "in pain",
    "in debt",
    "overweight",
    "unhealthy",
    "insecure",
    "mediocre",
    "behind",
    "the same",
    "where i am",
    "the way i am",
    "as i am",
    "the same place",
    "the same mistakes",
    "the hard way",
    "losing sleep",
    "losing money",
    "wasting time",
    "wasting money",
    "waste",
    "full price",
    "more",
    "miss out",
    "give up",
    "a mess",
    "in silence",
    "this way",
    "my old habits",
    "old habits",
    "bad habits",
    "in circles",
    "going in circles",
    "small",
    "awful",
    "terrible",
    "bad",
    "rubbish",
    "horrible",
    "worse",
    "low",
    "down",
    "hopeless",
    "helpless",
    "powerless",
    "ashamed",
    "guilty",
    "drained",
    "empty",
    "numb",
    "wasting",
    "settling",
    "settle for less",
    "playing small",
    "sick",
    "unfit",
    "alone forever",
    "everything alone",
    "it all alone",
    "all alone",
    "a people-pleaser",
    "a pushover",
    "a failure",
    "a wreck",
    "a doormat",
    "a procrastinator",
    "a burden",
    "crying",
    "crying myself to sleep",
    "hurting",
    "in tears",
)
"""What a shaming no button says the buyer chooses: to stay anxious, to keep failing, to pay more."""
_GOOD = one_of(
    "better",
    "happier",
    "happy",
    "calm",
    "calmer",
    "confident",
    "heal",
    "grow",
    "improve",
    "succeed",
    "well",
    "good",
    "sleep better",
    "support",
    "help",
    "saving money",
    "save money",
    "saving",
    "my health",
    "my mental health",
    "my sleep",
    "my wellbeing",
    "my well-being",
    "my future",
    "my family",
    "my business",
    "my growth",
    "my happiness",
    "myself",
    "the easy way",
    "an easier way",
    "peace",
    "relief",
    "results",
    "success",
    "feel good",
    "get better",
    "getting better",
    "change my life",
    "invest in myself",
    "be happy",
    "thrive",
    "successful",
    "rich",
    "wealthy",
    "free",
    "fulfilled",
    "loved",
    "healthy",
    "fit",
    "strong",
    "at peace",
    "relaxed",
    "rested",
    "whole",
    "in control",
    "better off",
    "my potential",
    "my dreams",
    "my goals",
    "my life",
    "my life back",
    "my confidence back",
    "my health back",
    "back on track",
)
"""What a shaming no button says the buyer refuses: to feel better, to heal, their own health."""
_W = r"(?:[\w'-]+\s+)"

CONFIRMSHAMING_RULES = tuple(
    rule(SHAMING, pattern, negatable=False)
    for pattern in (
        rf"\bi(?:'d|\s+would)\s+(?:much\s+)?rather\s+(?:not\s+(?:invest|spend|take\s+care|look\s+after|work\s+on|get\s+help)"
        rf"|not\s+(?:[\w'-]+\s+){{0,2}}?{_GOOD}\b"
        rf"|{_W}{{0,3}}?{_BAD}\b)",
        rf"\bi(?:'m|\s+am)?\s+(?:really\s+|quite\s+|perfectly\s+|just\s+)?(?:enjoy|like|love|prefer|choose|want|happy|fine|"
        rf"okay|ok|good|content|comfortable|used)\s+(?:to\s+|with\s+|being\s+|staying\s+|feeling\s+|keeping\s+|remaining\s+)*"
        rf"{_W}{{0,2}}?{_BAD}\b",
        rf"\bi\s+(?:don't|do\s+not|really\s+don't)\s+(?:want|wish|care|deserve|like|value)\s+(?:to\s+|about\s+|for\s+)?"
        rf"{_W}{{0,3}}?{_GOOD}\b|\bi\s+(?:hate|dislike)\s+{_GOOD}\b",
        rf"\bi(?:'ll|\s+will)\s+(?:just\s+|probably\s+|simply\s+)?(?:keep|stay|remain|carry\s+on|go\s+on|continue|"
        rf"keep\s+on|be)\s+{_W}{{0,3}}?{_BAD}\b",
        r"\b(?:keep|keeps|keeping|carry\s+on|go\s+on)\s+(?:[\w'-]+\s+){0,2}?(?:making\s+the\s+same\s+mistakes|struggling|"
        r"suffering|failing|panicking|worrying|losing\s+sleep|feeling\s+(?:lost|stuck|anxious|stressed|overwhelmed)|"
        r"going\s+(?:round\s+)?in\s+circles|doing\s+it\s+the\s+hard\s+way)",
        r"\bi(?:'m|\s+am)\s+not\s+(?:ready|serious|committed|willing|brave\s+enough|strong\s+enough|good\s+enough)\s*"
        r"(?:to|about|enough)?\s*(?:[\w'-]+\s+){0,3}?(?:change|changing|invest|investing|heal|healing|get(?:ting)?\s+better|"
        r"grow|growing|improv\w+|my\s+(?:health|life|future|wellbeing|well-being|mental\s+health|growth|happiness)|myself|"
        r"feel(?:ing)?\s+better)\b|\bi(?:'m|\s+am)\s+not\s+worth\b",
        rf"\b(?:leave|let)\s+me\s+{_W}{{0,3}}?{_BAD}\b|\blet\s+(?:my\s+)?{PROBLEMS}\s+win\b",
        r"\bi\s+give\s+up\b|\bgive\s+up\s+on\s+(?:myself|me|my\s+\w+|feeling\s+\w+|getting\s+better|ever)",
        r"\bmy\s+(?:wellbeing|well-being|health|mental\s+health|sleep|future|happiness|family|growth)\s+(?:isn't|is\s+not|"
        r"doesn't|does\s+not)\s+(?:a\s+priority|matter|important|worth\s+it|count)|\bmy\s+(?:wellbeing|well-being|health|"
        r"mental\s+health|sleep|future|happiness|family|growth)\s+can\s+wait\b",
        r"\b(?:and|to)\s+(?:probably\s+|just\s+)?(?:fail|suffer|struggle|stay\s+stuck|give\s+up)\b",
        r"\b(?:wonder(?:ing)?\s+)?what\s+(?:could|might|would)\s+have\s+been\b",
        r"\bwithout\s+(?:a|the)\s+(?:calmer|happier|healthier|better|stronger|more\s+\w+)\s+(?:me|version\s+of\s+me)\b",
        r"\bi(?:'m|\s+am)\s+(?:too\s+(?:scared|afraid|lazy|stubborn|weak|comfortable|frightened|cheap|proud|set\s+in\s+my\s+ways)"
        r"|a\s+lost\s+cause|hopeless|beyond\s+help)\b",
        rf"\bpass\s+on\s+(?:feeling\s+|getting\s+|being\s+|becoming\s+)?{_GOOD}\b",
        rf"\bi(?:'m|\s+am)\s+not\s+interested\s+in\s+(?:feeling\s+|getting\s+|being\s+|becoming\s+)?{_GOOD}\b",
        rf"\b(?:{_GOOD}|sleep|health|happiness|self-care|wellbeing|calm|peace|support)\s+(?:is|are)\s+overrated\b",
        r"\bi(?:'ll|\s+will)\s+(?:just\s+)?pay\s+(?:full\s+price|more|double|the\s+full\s+price)\b",
    )
)

_REFUSAL = re.compile(r"^\W*(?:no|nope|nah)\b", re.IGNORECASE)
_FINE_PRINT = re.compile(
    r"^\s*[*\u2020\u2021(\[]|^\s*\(.*\)\s*$|\bby\s+(?:clicking|tapping|continuing|proceeding|selecting|choosing)\b"
    r"|\bclick(?:ing)?\s+(?:here|this)\b|\btap(?:ping)?\s+(?:here|this)\b|\bthis\s+link\b"
    r"|\bi\s+(?:understand|acknowledge|agree|accept|confirm|waive|forfeit|have\s+read|hereby|decline\s+and)\b"
    r"|\((?:not\s+recommended|i\s+understand|risky|you'll\s+regret\s+it)\)|\bforfeit\b|\bwaive\b|\b(?:terms|conditions|t\s*&\s*cs?|fine\s+print|small\s+print)\b|[>\u00bb\u2192\u203a]\s*$"
    r"|^\s*-\s+\w.*\s-\s*$",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def confirmshaming(text: str, field: str) -> tuple[Claim, ...]:
    """Shaming words in ``text``: anywhere in the no button, elsewhere only in a sentence that begins with "No"."""
    copy = Copy(text)
    claims = tuple(find(copy, field, CONFIRMSHAMING_RULES))
    if field == "decline_label":
        return claims
    return tuple(c for c in claims if _REFUSAL.search(copy.sentences[copy.sentence_at(c.start)].text))


def hidden_decline(accept: str, decline: str) -> Claim | None:
    """How the no button hides the way to say no, beside its yes button, or None when it says no plainly."""
    said = decline.strip()
    start = len(decline) - len(decline.lstrip())
    if not re.search(r"[^\W_]", said) or re.fullmatch(r"\W*[xX]\W*", said):
        return Claim(ClaimKind.EMPTY_DECLINE, "decline_label", said, start, start + len(said))
    if _FINE_PRINT.search(said):
        return Claim(ClaimKind.FINE_PRINT, "decline_label", said, start, start + len(said))
    if len(said.split()) >= LONG_DECLINE_WORDS and len(said) >= LONG_DECLINE_RATIO * max(len(accept.strip()), 1):
        return Claim(ClaimKind.LONG_DECLINE, "decline_label", said, start, start + len(said))
    return None
