"""Pressure: words that rush the buyer instead of letting them decide (UCPD Annex I point 7, the FTC's report
on dark patterns: false urgency and false scarcity, activity messages).

- deadlines and timers ("doors close tonight", "in 2 hours", "for the next 15 minutes", "Timer: 05:00");
- scarcity ("only 3 spots left", "filling fast", "12 people are viewing this"), unless a capacity states its
  real reason ("8 seats, because I coach each person myself");
- price rises ("prices rise tomorrow", "before the price doubles", "lowest price you'll ever see");
- now-or-never and fear of missing out: see ``now_or_never`` (the same code, ``false-urgency``).

A deadline on the service itself ("the program ends in six weeks", "your access expires in 12 months", "each
session ends at 8 pm") is a fact about what is bought, not pressure; a cohort's start date is not a deadline.
"""

from __future__ import annotations

import re

from offers.domain.copy.claims import ClaimKind
from offers.domain.copy.grammar import Rule, rule
from offers.domain.copy.lexicon import CLOCK, DAYS, GAP, NUMBER, PLACES, PROBLEMS, SELLING, SHORT_UNITS, WHEN
from offers.domain.copy.text import Copy

DEADLINE, SCARCITY, PRICE_RISE = ClaimKind.DEADLINE, ClaimKind.SCARCITY, ClaimKind.PRICE_RISE
NOW_OR_NEVER = ClaimKind.NOW_OR_NEVER

_SERVICE = re.compile(
    r"\b(?:course|program|programme|session|sessions|call|calls|class|classes|workshop|retreat|access|group|"
    r"recordings?|membership|module|modules|lesson|lessons|journey|practice|challenge|training|term|trial|"
    r"subscription|coaching|meeting|webinar|q&a|event)\b",
    re.IGNORECASE,
)
_SALE = re.compile(rf"\b{SELLING}\b", re.IGNORECASE)
_PROBLEM = re.compile(rf"\b{PROBLEMS}\b", re.IGNORECASE)
_DELIVERY_BEFORE = re.compile(
    r"\b(?:reply|replies|respond|responds|answer|answers|deliver(?:ed|y)?|ships?|shipped|arrives?|hear\s+back|"
    r"get\s+back\s+to\s+you|back\s+to\s+you|refund|refunds?)\b",
    re.IGNORECASE,
)
_SERVICE_DAY = re.compile(
    r"^(?:last|final)\s+(?:day|days|hours?|week)\s+of\s+(?:the|your|our|my)\b|^(?:last|final)\s+(?:day|week)\s+(?:we|you)\b",
    re.IGNORECASE,
)


def _about_the_service(copy: Copy, match: re.Match[str]) -> bool:
    """The thing that ends is the course, the session or the buyer's access, and nothing in sale terms; or it is
    the buyer's problem ("your insomnia ends tonight": a promise, see ``promises``)."""
    begin, _ = copy.clause(match.start(), match.end())
    subject = " ".join(copy.text[begin : match.start()].split()[-4:]) + " " + match.group().split()[0]
    if _SALE.search(subject) is not None:
        return False
    return _SERVICE.search(subject) is not None or _PROBLEM.search(subject) is not None


def _a_delivery_time(copy: Copy, match: re.Match[str]) -> bool:
    """ "We reply within the next 24 hours": a promise of service, not a countdown."""
    begin, _ = copy.clause(match.start(), match.end())
    return _DELIVERY_BEFORE.search(copy.text[begin : match.start()]) is not None


def _a_day_of_the_course(copy: Copy, match: re.Match[str]) -> bool:
    """ "The last day of the course": a day of the service, not the last chance to buy."""
    return _SERVICE_DAY.search(copy.text[match.start() : match.end() + 20]) is not None


_ENDING = (
    r"(?:expir(?:es|ing|e)|ends?|ending|closes?|closing|shuts?|shutting|disappears?|vanish(?:es)?|goes\s+away|stops?|"
    r"runs?\s+out|finish(?:es)?|is\s+gone|are\s+gone|will\s+(?:end|close|expire|disappear|be\s+gone|shut|go\s+away|"
    r"vanish|stop|be\s+released|be\s+given\s+away|be\s+lost|be\s+cancelled|be\s+removed|reset|self-destruct|"
    r"go\s+dark|be\s+taken\s+down|come\s+down))"
)

RULES: tuple[Rule, ...] = (
    # deadlines and timers
    rule(
        DEADLINE,
        rf"(?:\b{SELLING}\s+{GAP}{{0,2}}?)?\b{_ENDING}\s+(?:(?:at|on|by)\s+)?{WHEN}",
        reasonable=True,
        exempt=_about_the_service,
    ),
    rule(
        DEADLINE,
        rf"\b{SELLING}\s+(?:(?:is|are)\s+)?(?:only\s+)?(?:valid|good|available|open|on|live|running)\s+(?:only\s+)?"
        rf"(?:for|until|till|through|thru|to)\s+(?:the\s+next\s+)?(?:{NUMBER}\s*-?\s*(?:{SHORT_UNITS}|days?\b)|{WHEN}|"
        rf"midnight|{CLOCK}|{DAYS})",
        reasonable=True,
    ),
    rule(
        DEADLINE, rf"\b(?:for|within|in)\s+the\s+next\s+(?:{NUMBER}\s*)?(?:{SHORT_UNITS}|hour)", exempt=_a_delivery_time
    ),
    rule(DEADLINE, rf"\b(?:only\s+|just\s+)?{NUMBER}\s+(?:{SHORT_UNITS}|days?\b)\s+(?:left|remaining|to\s+go)\b"),
    rule(
        DEADLINE,
        r"\b(?:timer|clock)\s*:?\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:left|remaining))?|\b\d{1,2}:\d{2}(?::\d{2})?\s+"
        r"(?:left|remaining|to\s+go)\b|\b\d{2}:\d{2}:\d{2}\b",
    ),
    rule(DEADLINE, r"\bcountdowns?\b"),
    rule(
        DEADLINE,
        r"\b(?:when|once|before)\s+the\s+(?:timer|countdown|clock)\s+(?:hits|reaches|runs\s+out|ends|stops|expires)\b",
    ),
    rule(
        DEADLINE,
        r"\b(?:reserved|held|saved|kept)\s+(?:for\s+you\s+)?(?:for\s+)?(?:only\s+|just\s+)?(?:the\s+next\s+)?"
        rf"(?:{NUMBER}\s*{SHORT_UNITS}|\d{{1,2}}:\d{{2}})",
    ),
    rule(
        DEADLINE,
        r"\b(?:last|final)\s+(?:chance|call|opportunity|day|days|hours?|minutes?|moments?|week|weekend)\b",
        exempt=_a_day_of_the_course,
    ),
    rule(
        DEADLINE,
        r"\b(?:limited[- ]time|for\s+a\s+limited\s+time|time[- ]limited|time[- ]sensitive|"
        r"for\s+a\s+short\s+time\s+only)\b",
    ),
    rule(
        DEADLINE,
        r"\b(?:time\s+is\s+running\s+out|running\s+out\s+of\s+time|the\s+clock(?:'s|\s+is)\s+ticking|tick[,\s-]*tock|"
        r"before\s+time\s+runs\s+out)\b",
    ),
    rule(DEADLINE, r"\bhurry\b"),
    rule(DEADLINE, r"\bact\s+(?:now|fast|quickly|today|immediately|right\s+away|before)\b"),
    rule(
        NOW_OR_NEVER,
        r"\bbefore\s+(?:it|this|they|the\s+(?:offer|deal|price|bonus|discount))\s+(?:disappears?|goes|vanish(?:es)?|ends|"
        r"expires|runs\s+out|closes)\b",
    ),
    rule(
        DEADLINE,
        rf"\b(?:today|tonight)\s+only\b|\bonly\s+(?:(?:open|on|running|live|available|valid|here)\s+)?(?:until|till|through)\s+"
        rf"(?:{WHEN}|{DAYS}|midnight)|\bonly\s+(?:today|tonight|this\s+(?:week|weekend))\b"
        r"|\b(?:this\s+)?weekend\s+only\b|\b\d+\s*[- ]?(?:hours?|hr|h|minutes?|min)\s+"
        r"(?:sale|offer|deal|flash|window|only|special|discount)\b|\bflash\s+sale\b"
        r"|\b(?:one|1)[- ]day\s+(?:only|sale|offer)\b",
    ),
    rule(DEADLINE, r"\b(?:won't|will\s+not|doesn't|does\s+not)\s+last(?:\s+long)?\b"),
    rule(
        DEADLINE,
        r"\b(?:must|need\s+to|have\s+to|has\s+to|got\s+to|gotta)\s+(?:decide|act|choose|buy|join|order|book|enrol|enroll|"
        r"sign\s+up|commit|say\s+yes)\s+(?:\w+\s+){0,2}?(?:now|today|tonight|immediately|right\s+away|within|"
        r"in\s+the\s+next|by\s+(?:tonight|midnight|tomorrow))\b|\bdecide\s+(?:now|right\s+now|immediately|quickly|fast)\b"
        rf"|\byou\s+have\s+(?:only\s+|just\s+)?{NUMBER}\s+{SHORT_UNITS}\s+(?:to|left|before)\b",
    ),
    rule(
        DEADLINE,
        r"\b(?:book|join|buy|order|claim|grab|sign\s+up|register|enrol\w*|reserve|secure)\s+(?:\w+\s+){0,2}?"
        r"(?:immediately|right\s+away|asap|straight\s+away|without\s+delay)\b",
    ),
    rule(
        DEADLINE,
        r"\b(?:offer|price|sale|deal|discount|bonus|coupon|promo)\b[^.!?\n]{0,30}?\b(?:tonight|(?:at|before|until|till|by)"
        r"\s+midnight)\b",
        reasonable=True,
    ),
    rule(
        DEADLINE,
        r"\b(?:grab|get|claim|buy|join|order|book)\s+(?:it|this|yours|them|now|your\s+\w+)\s+(?:before|by|until)\s+"
        rf"(?:midnight|tonight|tomorrow|{DAYS}|{CLOCK})"
        rf"|\b(?:by|before|until|till)\s+(?:{DAYS}|midnight|tonight|tomorrow|{CLOCK})\s+(?:to\s+(?:get|keep|claim|lock|"
        r"save|secure|grab|use|buy|join)|or\s+(?:lose|miss|pay))\b",
        reasonable=True,
    ),
    rule(
        DEADLINE,
        rf"\b(?:buy|join|order|book|act|decide|sign\s+up|enrol\w*|upgrade|add\s+(?:it|this|them)|say\s+yes|respond)\s+"
        rf"(?:\w+\s+)?(?:within|in\s+the\s+next|in)\s+{NUMBER}\s*{SHORT_UNITS}",
    ),
    rule(
        DEADLINE,
        r"\bbefore\s+(?:the\s+)?(?:doors|cart|enrolment|enrollment|registration|offer|sale|window|deal|discount)\s+"
        r"(?:shut|shuts|close|closes|ends|expires|disappears|goes)\b",
    ),
    # scarcity
    rule(
        SCARCITY,
        rf"\b(?:only|just)\s+(?:{NUMBER})\s+(?:\w+\s+){{0,2}}?(?:(?:{PLACES})(?:\s+(?:left|remaining|remain|available))?|"
        r"left|remaining|available)\b",
        reasonable=True,
    ),
    rule(
        SCARCITY,
        rf"\b{NUMBER}\s+(?:\w+\s+)?(?:{PLACES})\s+(?:left|remaining|remain|still\s+available|to\s+go)\b",
        reasonable=True,
    ),
    rule(
        SCARCITY,
        rf"\bonly\s+(?:have\s+|has\s+)?(?:room|space|capacity|availability)\s+for\s+(?:{NUMBER})\s+(?:more\s+)?"
        rf"|\b(?:only|just)\s+{NUMBER}\s+more\s+(?:\w+\s+)?(?:clients|people|spots|places|seats|members|buyers|students|"
        r"customers)\b",
        reasonable=True,
    ),
    rule(SCARCITY, r"\bbefore\s+(?:someone|somebody|anyone|others)\s+else\b|\bsnap\s+(?:this|it|one|yours)\s+up\b"),
    rule(
        SCARCITY,
        rf"\b(?:{NUMBER}|\d+)\s+(?:more\s+)?(?:{PLACES})\s+(?:were|have\s+been|has\s+been|got)\s+(?:just\s+)?"
        r"(?:taken|booked|claimed|grabbed|sold|snapped\s+up|reserved)\b",
    ),
    rule(
        SCARCITY,
        rf"\blimited\s+(?:number\s+of\s+)?(?:{PLACES}|availability|supply|stock|quantit(?:y|ies)|edition|capacity|numbers|"
        rf"intake)\b|\b(?:{PLACES}|availability|stock|numbers|capacity|supplies)\s+(?:are|is)\s+(?:\w+\s+)?limited\b"
        rf"|\blimited\s+to\s+(?:{NUMBER}|the\s+first)\b",
        reasonable=True,
    ),
    rule(
        SCARCITY,
        rf"\b(?:only\s+|just\s+)?(?:for\s+)?the\s+first\s+{NUMBER}\s+(?:\w+\s+)?(?:people|buyers|clients|customers|members|"
        r"students|sign-?ups|registrants|to\s+(?:join|buy|book|sign))\b",
        reasonable=True,
    ),
    rule(
        SCARCITY,
        rf"\b(?:(?:{PLACES}|they|it|this|these|the\s+\w+)\s*(?:are|is|'re|'s)\s+)?(?:filling|selling|going|booking|"
        r"being\s+snapped)\s+(?:up\s+|out\s+)?(?:fast|quickly|quick|rapidly)\b"
        r"|\b(?:they|these|spots|places|seats|tickets)\s+(?:always\s+|usually\s+)?go\s+(?:fast|quickly|quick)\b",
    ),
    rule(
        SCARCITY,
        r"\bsnapp(?:ing|ed)\s+(?:these|them|it|this|places|spots|seats)\s+up\b|\bbeing\s+snapped\s+up\b"
        r"|\bflying\s+off\s+the\s+shelves\b|\bgoing\s+like\s+hot\s*cakes\b",
    ),
    rule(
        SCARCITY,
        r"\b(?:almost|nearly|practically|virtually)\s+(?:gone|sold\s+out|full|booked(?:\s+up)?|out|at\s+capacity|full\s+up)\b"
        r"|\bsell(?:s|ing)?\s+out\b"
        r"|\bsold\s+out\b",
    ),
    rule(SCARCITY, r"\b(?:high|huge|massive|overwhelming|incredible)\s+demand\b|\bin\s+(?:high\s+|huge\s+)?demand\b"),
    rule(SCARCITY, rf"\blast\s+(?:few\s+|remaining\s+|{NUMBER}\s+)?(?:{PLACES}|ones?|kits?)\b"),
    rule(
        SCARCITY,
        r"\b(?:may|might|could|will)\s+(?:have\s+to\s+)?close\s+(?:early|soon|sooner)\b"
        r"|\bso\s+many\s+(?:sign-?ups|people|orders|requests|bookings|enquiries|inquiries)\b",
    ),
    rule(
        SCARCITY,
        r"\bwhile\s+(?:stocks?|supplies|spots|places|seats|they|it)\s+lasts?\b|\bwhile\s+(?:it's|it\s+is|they're|they\s+are|"
        r"stocks?\s+(?:is|are)|there\s+are\s+(?:still\s+)?(?:spots|places|seats))\s+still\s+(?:available|here|on|open|left)\b",
    ),
    rule(SCARCITY, r"\bbefore\s+(?:it|they|this|these|the\s+\w+)\s*(?:'s|'re|\s+is|\s+are)?\s+(?:all\s+)?gone\b"),
    rule(
        SCARCITY,
        rf"\b{NUMBER}\s+of\s+(?:the\s+|only\s+)?{NUMBER}\s+(?:{PLACES})\s+(?:are\s+|have\s+been\s+)?(?:already\s+)?"
        r"(?:taken|filled|booked|claimed|gone|sold|reserved)\b",
    ),
    rule(
        SCARCITY,
        rf"\b(?:\d[\d,]*|{NUMBER})\s+(?:other\s+)?(?:people|others|buyers|clients|coaches|visitors|shoppers|users)\s+"
        r"(?:are\s+)?(?:currently\s+|right\s+now\s+)?(?:viewing|looking\s+at|watching|browsing|checking\s+out|considering)\b"
        rf"|\b(?:\d[\d,]*\+?|{NUMBER})\s+(?:other\s+)?(?:people|others|buyers|clients|coaches|customers)\s+"
        r"(?:have\s+|has\s+)?(?:just\s+)?"
        r"(?:bought|joined|booked|purchased|signed\s+up|enrolled|claimed|upgraded|grabbed)\b[^.!?\n]{0,30}?"
        r"\b(?:in\s+the\s+(?:last|past)|today|this\s+(?:hour|morning|week)|minutes?\s+ago|hours?\s+ago|so\s+far)",
    ),
    # price rises
    rule(
        PRICE_RISE,
        rf"\b(?:prices?|pricing|fees?|rates?|the\s+cost)\s+(?:(?:is|are|will|'s)\s+)?{GAP}?(?:go(?:es|ing)?\s+up|ris(?:e|es|ing)|increas(?:e|es|ing)|"
        r"doubl(?:e|es|ing)|jump(?:s|ing)?|climb(?:s|ing)?|go(?:es)?\s+back\s+up|triples?|changes?\s+(?:tomorrow|tonight|"
        r"soon|at|on|next))\b",
    ),
    rule(
        PRICE_RISE,
        r"\bbefore\s+(?:the\s+|it\s+|our\s+|my\s+)?(?:price\s+)?(?:doubles|goes\s+up|rises|increases|jumps|changes|climbs|triples)\b",
    ),
    rule(
        PRICE_RISE, r"\block\s+in\s+(?:this|the|your|today's|our|my)\s+(?:\w+\s+)?(?:price|rate|discount|pricing|fee)\b"
    ),
    rule(
        PRICE_RISE,
        r"\b(?:launch|early[- ]?bird|introductory|founding|special|sale|discounted|promotional|intro|beta)\s+"
        r"(?:price|pricing|rate|offer|discount|fee)\s+(?:(?:only\s+)?(?:lasts?|runs?)\s+)?(?:ends?|expires?|closes?|"
        r"won't\s+last|is\s+(?:only\s+)?(?:for|until|available)|finishes|goes\s+away|disappears)\b",
        reasonable=True,
    ),
    rule(
        PRICE_RISE,
        r"\b(?:pay(?:ing)?|costs?)\s+(?:the\s+)?(?:full\s+price|more|double|twice\s+as\s+much|the\s+full\s+fee)\s+"
        r"(?:later|tomorrow|after|from|next|if\s+you\s+wait|once)\b|\bafter\s+(?:today|tonight|midnight|this\s+\w+)\b"
        r"[^.!?\n]{0,30}?(?:full\s+price|the\s+price|pay\s+more)",
    ),
    rule(
        PRICE_RISE,
        r"\b(?:will|'ll|is\s+going\s+to|it's\s+going\s+to)\s+cost\s+(?:you\s+)?(?:double|twice|more|three\s+times|triple)\b"
        r"|\bnext\s+time\b[^.!?\n]{0,40}?\b(?:cost\s+(?:more|double|twice)|price\s+(?:will|goes))",
    ),
    rule(
        PRICE_RISE,
        r"\b(?:lowest|best|cheapest)\s+price\s+(?:ever|you'll\s+ever\s+(?:see|get|find)|of\s+the\s+year|this\s+year)\b"
        r"|\b(?:never|won't|will\s+not)\s+be\s+(?:this|so|as)\s+(?:low|cheap|affordable|good)\s+again\b"
        r"|\b(?:prices?|pricing|it|this)\s+(?:will\s+)?never\s+be\s+(?:lower|cheaper|better)\b",
    ),
)
