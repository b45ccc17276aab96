"""Now-or-never offers and the fear of missing out: pressure that says the choice is gone if it is not made now.

- now-or-never ("only available right now", "once this page closes it's gone", "one-time offer", "you won't
  see this again");
- fear of missing out ("don't miss out", "before it's too late", "you'll regret it", "others are already in").

"You won't miss anything if you join later" denies it and stays honest; "I'd rather miss out" on a no button is
the buyer's refusal (see ``labels``, confirmshaming), not a call to hurry.
"""

from __future__ import annotations

import re

from offers.domain.copy.claims import ClaimKind
from offers.domain.copy.grammar import Rule, rule
from offers.domain.copy.lexicon import GAP, NUMBER, SELLING
from offers.domain.copy.text import Copy

NOW_OR_NEVER, MISSING_OUT = ClaimKind.NOW_OR_NEVER, ClaimKind.MISSING_OUT
_BUYER_SPEAKS = re.compile(r"\bi(?:'d|\s+would)\s+rather\b|\bi(?:'m|\s+am)\s+(?:happy|fine|okay|ok)\s+to\b", re.I)


def _the_buyer_declining(copy: Copy, match: re.Match[str]) -> bool:
    """ "I'd rather miss out" is the buyer's no (see ``labels``, confirmshaming), not a call to hurry."""
    begin, _ = copy.clause(match.start(), match.end())
    return _BUYER_SPEAKS.search(copy.text[begin : match.start()]) is not None


RULES: tuple[Rule, ...] = (
    # now or never
    rule(
        NOW_OR_NEVER,
        r"\bonly\s+(?:available\s+)?(?:right\s+now|now|on\s+this\s+(?:page|screen)|from\s+this\s+page|at\s+this\s+moment)\b"
        r"|\bavailable\s+only\s+(?:now|here|on\s+this\s+page)\b|\bonly\s+(?:get|buy|have|claim|grab)\s+(?:this|it|the\s+\w+)"
        r"(?:\s+\w+)?\s+(?:right\s+now|now|here|today|on\s+this\s+(?:page|screen))\b|\bonly\s+on\s+this\s+screen\b",
    ),
    rule(
        NOW_OR_NEVER,
        r"\bonce\s+(?:this\s+(?:page|window|offer)|you\s+(?:leave|close|click\s+away|navigate\s+away)|the\s+page|it's\s+gone)"
        r"\b[^.!?\n]{0,50}?\b(?:gone|lost|over|disappears?|vanish(?:es)?|expires?|closes?|no\s+longer|never)\b",
    ),
    rule(
        NOW_OR_NEVER,
        r"\bif\s+you\s+(?:leave|close|refresh|navigate\s+away\s+from|click\s+away\s+from|skip|say\s+no\s+to|decline)\s+"
        r"(?:this|the)\s+(?:page|window|tab|offer|screen)\b[^.!?\n]{0,40}?\b(?:gone|lost|over|disappears?|vanish(?:es)?|"
        r"expires?|forfeit|miss|never\s+(?:see|get)|no\s+longer)",
    ),
    rule(
        NOW_OR_NEVER,
        r"\bone[- ]time\s+(?:only\s+)?(?:offer|deal|opportunity|chance|price|discount|special|invitation)\b"
        r"|\bone[- ]time\s+only\b|\bone[- ]off\s+(?:offer|deal|chance|opportunity)\b|\bOTO\b",
    ),
    rule(
        NOW_OR_NEVER,
        r"\b(?:won't|will\s+not|never|not)\s+(?:ever\s+)?(?:again\s+)?(?:see|get|find|be\s+offered|be\s+shown|"
        r"be\s+able\s+to\s+get)\s+(?:(?:this|it|that|an?\s+offer\s+like\s+this|this\s+\w+|the\s+\w+|a\s+\w+\s+like\s+this)"
        r"\s+)?again\b",
    ),
    rule(
        NOW_OR_NEVER,
        r"\b(?:this|the|that)\s+(?:offer|deal|price|discount|bonus|invitation)\s+(?:will\s+never\s+be|won't\s+be|"
        r"will\s+not\s+be|is\s+never|isn't|is\s+not)\s+(?:repeated|available\s+again|offered\s+again|back|coming\s+back)\b"
        r"|\b(?:won't|will\s+not|isn't|is\s+not|never)\s+(?:be\s+)?(?:available|offered|on\s+sale)\s+(?:later|again|"
        r"anywhere\s+else|after\s+(?:today|tonight|this))\b",
    ),
    rule(
        NOW_OR_NEVER,
        r"\b(?:your|the|my)\s+only\s+(?:chance|opportunity|shot)\b|\bonly\s+chance\b|\bthe\s+only\s+time\s+(?:you'll|"
        r"you\s+will|this)\b|\bnow\s+or\s+never\b|\b(?:today|tonight)\s+or\s+never\b",
    ),
    rule(
        NOW_OR_NEVER,
        r"\bwhile\s+(?:you're|you\s+are)\s+(?:still\s+)?(?:on|viewing)\s+this\s+(?:page|screen)\b"
        r"|\bonly\s+(?:valid|available|good)\s+(?:while|on\s+this|here)\b",
    ),
    rule(
        NOW_OR_NEVER,
        r"\b(?:won't|will\s+not|never)\s+(?:ever\s+)?(?:get|have|see|find)\s+(?:another|a\s+second|a\s+better)\s+"
        r"(?:chance|opportunity|offer|deal|price)\b",
    ),
    rule(
        NOW_OR_NEVER,
        r"\bif\s+you\s+(?:leave|close|click\s+away|navigate\s+away|refresh|go\s+back|decline|say\s+no|skip\s+this)\b"
        r"[^.!?\n]{0,40}?\b(?:lose|miss|forfeit|gone|lost|never\s+(?:see|get))\b"
        rf"|\byou(?:'ll|\s+will)\s+lose\s+(?:this|the|your)\s+(?:[\w-]+\s+)?(?:{SELLING}|chance|place|discount)\b",
    ),
    rule(
        NOW_OR_NEVER,
        r"\b(?:tomorrow|tonight|after\s+today|at\s+midnight|next\s+week|soon)\s*,?\s+(?:this|the|your)\s+(?:[\w-]+\s+)?"
        rf"{SELLING}\s+(?:is|will\s+be|'s)\s+(?:gone|over|removed|off|closed|lost|higher)\b",
    ),
    rule(NOW_OR_NEVER, r"\b(?:or|else)\s+lose\s+(?:it|this|them|the\s+\w+|your\s+\w+)(?:\s+(?:forever|for\s+good))?\b"),
    rule(NOW_OR_NEVER, rf"\b{SELLING}\s+{GAP}{{0,2}}?(?:disappears?|vanish(?:es)?|goes\s+away)(?:\s+forever)?\b"),
    rule(NOW_OR_NEVER, rf"\b(?:{SELLING}|it|this)\s+(?:is|will\s+be|'s)\s+gone\s+(?:forever|for\s+good)\b"),
    # fear of missing out
    rule(MISSING_OUT, r"\b(?:don't|do\s+not|never)\s+miss\b"),
    rule(MISSING_OUT, r"\bmiss(?:ing)?\s+out\b", exempt=_the_buyer_declining),
    rule(MISSING_OUT, r"\btoo\s+late\b"),
    rule(MISSING_OUT, r"\b(?:don't|do\s+not)\s+(?:leave\s+it|wait\s+until\s+it's|wait\s+till\s+it's)\s+too\s+late\b"),
    rule(
        MISSING_OUT,
        r"\b(?:don't|do\s+not|never)\s+let\s+(?:this|it|the\s+\w+|your\s+\w+)\s+(?:\w+\s+)?(?:slip|pass|go|get\s+away)\b",
    ),
    rule(
        MISSING_OUT,
        r"\b(?:you'll|you\s+will|you'd|you\s+would|you're\s+going\s+to)\s+(?:\w+\s+)?(?:regret|kick\s+yourself|be\s+sorry|"
        r"wish\s+you\s+had)\b|\bregret\s+(?:it|this|saying\s+no|missing|not|passing|waiting)\b|\bkick\s+yourself\b",
    ),
    rule(MISSING_OUT, r"\bif\s+you\s+miss\s+(?:out|this|it)\b(?!\s+(?:call|session|class|week|one|live|lesson)\b)"),
    rule(MISSING_OUT, r"\bafford\s+(?:not\s+)?to\s+(?:miss|wait|pass|say\s+no|lose)\b"),
    rule(
        MISSING_OUT,
        r"\b(?:don't|do\s+not)\s+(?:wait|delay|put\s+(?:it|this)\s+off|think\s+twice|overthink\s+it)\b|\bwhy\s+wait\b"
        r"|\bno\s+reason\s+to\s+wait\b|\bwhat\s+are\s+you\s+waiting\s+for\b|\bwait\s+any\s+longer\b|\bthe\s+longer\s+you\s+wait\b",
    ),
    rule(MISSING_OUT, r"\bleft\s+(?:behind|out)\b|\bfall(?:ing)?\s+behind\b"),
    rule(MISSING_OUT, r"\b(?:don't|do\s+not|never)\s+(?:be|get|stay|fall)\s+(?:left\s+(?:out|behind)|behind)\b"),
    rule(
        MISSING_OUT,
        rf"\b(?:everyone|everybody|others|other\s+(?:members|clients|people|students|coaches|buyers)|{NUMBER}\s+"
        r"(?:others|people|clients|members|coaches|students))\s+(?:else\s+)?(?:\w+\s+){0,4}?(?:(?:has|have|are|is)\s+)?"
        r"already\s+(?:\w+\s+)?(?:joined|upgraded|signing\s+up|signed\s+up|bought|enrolled|claimed|grabbed|booked|in|"
        r"taken|started|said\s+yes)\b|\b(?:everyone|everybody)\s+(?:else\s+)?is\s+(?:joining|signing\s+up|upgrading|buying)\b",
    ),
    rule(
        MISSING_OUT,
        r"\bmiss\s+(?:the\s+boat|this\s+(?:chance|opportunity|offer)|your\s+(?:chance|opportunity|shot))\b"
        r"|\bnot\s+to\s+be\s+missed\b|\byou\s+(?:won't|will\s+not)\s+want\s+to\s+miss\b",
    ),
)
