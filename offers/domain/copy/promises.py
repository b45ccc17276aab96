"""Outcome promises: the primer's "never imply guaranteed outcomes", in five kinds (this module holds the first
two; ``lasting``, ``cures`` and ``timed`` the others, all under the code ``guaranteed-outcome``).

- guarantees of results ("guaranteed relief", "I promise you'll sleep better"), but not of money back, of
  delivery, of a place or a reply: those promise what the coach controls;
- certainty ("you will feel calmer", "works for everyone", "100% of my clients", "every time");
- permanence ("forever", "for good", "never again", "no more panic attacks");
- cures and medical claims ("cure", "heal your trauma", "treats insomnia", "stop taking your antidepressants",
  "clinically proven"): UCPD Annex I point 17 and the CAP code's rules on health claims;
- a promised result in a set time ("anxiety-free in 7 days", "instant relief", "confident by next week").

"May help", "many clients" and other hedges turn certainty, cures and timed results into possibilities.
"""

from __future__ import annotations

import re

from offers.domain.copy.claims import ClaimKind
from offers.domain.copy.grammar import Rule, rule
from offers.domain.copy.lexicon import (
    BODY,
    FIXING,
    FREED,
    GAP,
    OUTCOMES,
    PROBLEMS,
    SELLING,
    STATES,
    WILL,
)
from offers.domain.copy.text import Copy

GUARANTEE, CERTAINTY, PERMANENCE = ClaimKind.GUARANTEE, ClaimKind.CERTAINTY, ClaimKind.PERMANENCE
CURE, TIMED = ClaimKind.CURE, ClaimKind.TIMED_RESULT

STATE = rf"(?:{STATES}\b(?!\s+(?:prepared|informed|equipped|placed|able|connected|supported|value)\b)|{FREED})"
_DELIVERABLE = re.compile(
    r"^\s*(?:get|receive|have|be\s+able\s+to|hear|be\s+refunded|be\s+charged|be\s+billed|love|like|enjoy|"
    r"be\s+(?:happy|satisfied|delighted)\s+with|keep)\b",
    re.IGNORECASE,
)
_RESULT_WORDS = re.compile(
    rf"\b(?:{OUTCOMES}|{STATES}|{PROBLEMS}|{FIXING}|sleep(?:ing)?\s+(?:\w+\s+)?(?:soundly|better|well|deeply|through))\b",
    re.IGNORECASE,
)
_SERVICE_SUBJECT = re.compile(
    r"^(?:guarantee[sd]?|promise[sd]?)\s*:?\s+(?:that\s+)?the\s+(?:workshop|course|session|call|class|retreat|event|"
    r"program|programme|group|recording|webinar|live\s+call|q&a|meeting)\b",
    re.IGNORECASE,
)


def _promise_of_delivery(copy: Copy, match: re.Match[str]) -> bool:
    """ "We guarantee you'll get a reply", "you'll love it or your money back": a promise of what is delivered."""
    _, end = copy.clause(match.start(), match.end())
    after = copy.text[match.end() : end]
    if _SERVICE_SUBJECT.search(match.group()) and not _RESULT_WORDS.search(after):
        return True  # "we guarantee the workshop will run": a promise about the service
    if not _DELIVERABLE.search(after):
        return False
    return not _RESULT_WORDS.search(re.sub(r"^\s*\w+", "", after))


def _no_result_named(copy: Copy, match: re.Match[str]) -> bool:
    """ "We'll reply to every message within 24 hours, guaranteed": nothing in it is a result."""
    return not _RESULT_WORDS.search(match.group())


def _no_result_in_sentence(copy: Copy, match: re.Match[str]) -> bool:
    """ "A full refund, and we guarantee it": what is guaranteed is named in the sentence, and it is no result."""
    sentence = copy.sentences[copy.sentence_at(match.start())]
    return not _RESULT_WORDS.search(sentence.text)


_SERVICE_OR_SALE = re.compile(
    rf"\b(?:{SELLING}|access|course|program|programme|session|call|recording|recordings|membership|group|"
    r"workshop|retreat|link|login|account|trial)\b",
    re.IGNORECASE,
)


def _service_or_sale_subject(copy: Copy, match: re.Match[str]) -> bool:
    """ "Your access will be gone after 12 months" is a fact of the service; "the bonus will be gone" is pressure."""
    return _SERVICE_OR_SALE.search(match.group()) is not None


_BETTER = r"calmer|happier|healthier|stronger|more\s+confident|lighter|new|different|better|braver|freer"


RULES: tuple[Rule, ...] = (
    # guarantees of results
    rule(
        GUARANTEE, rf"\bguaranteed\s+(?:(?!access|delivery|refund|place|seat|spot|reply|response)\w+\s+)?{OUTCOMES}\b"
    ),
    rule(
        GUARANTEE,
        rf"\b{OUTCOMES}\s+(?:(?:is|are|'s)\s+)?(?:(?:100\s?%|completely|totally|absolutely|fully)\s+)?guaranteed\b",
    ),
    rule(
        GUARANTEE,
        r"\b(?:guarantee[sd]?|promise[sd]?)\s*:?\s+(?:(?:that|to\s+you)\s+)?"
        rf"(?:you|your\s+\w+|this(?:\s+\w+)?|it|the\s+\w+|everyone|anyone){WILL}",
        exempt=_promise_of_delivery,
    ),
    rule(
        GUARANTEE,
        r"\bguaranteed\s+to\s+(?!(?:arrive|reach|be\s+delivered|be\s+shipped|ship|include|receive|reply|respond|"
        r"answer|be\s+answered|get\s+(?:a\s+(?:reply|response)|access))\b)\w+",
    ),
    rule(
        GUARANTEE,
        rf"\b(?:guarantee[sd]?|promise[sd]?)\s+(?:you\s+|that\s+)?(?:your\s+|a\s+|an\s+)?(?:\w+\s+)?{OUTCOMES}\b",
    ),
    rule(GUARANTEE, r"(?:^|(?<=[.!?]\s))[^.!?\n]{1,90}?[,-]\s*guaranteed\b(?!\s+[\w$])", exempt=_no_result_named),
    rule(GUARANTEE, rf"\b{OUTCOMES}\s+or\s+your\s+money\s+back\b"),
    # certainty
    rule(
        CERTAINTY,
        rf"\b(?:you|your\s+\w+|it|this|everyone|everybody|anyone)\s*{WILL}\s+(?:(?:definitely|certainly|absolutely|"
        r"surely|100\s?%|completely|totally|finally|simply|just|instantly|immediately|quickly|soon|truly|really)\s+)?"
        rf"(?:feel|be|become|sleep|wake\s+up|live|stay|look|get|walk\s+away|leave|finish|end\s+up)\s+{GAP}{{0,2}}?{STATE}",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        rf"\b(?:{PROBLEMS}|{BODY})\s*{WILL}\s+(?:(?:simply|just|finally|completely|totally|quickly|soon|instantly|all|"
        r"naturally|be\s+completely)\s+)?(?:stop|end|disappear|vanish|go\s+away|melt(?:\s+away)?|fade(?:\s+away)?|"
        r"be\s+gone|be\s+over|be\s+a\s+thing\s+of\s+the\s+past|be\s+cured|be\s+healed|be\s+fixed|be\s+eliminated|"
        r"be\s+history|lift|dissolve|never\s+(?:return|come\s+back)|(?:be\s+)?(?:reset|rewired|restored|balanced|gone)|"
        r"be\s+a\s+(?:distant\s+)?memory|"
        r"(?:heal|repair|reset|fix|rebalance)\s+itself)\b",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        r"\bwill\s+(?:(?:definitely|certainly|absolutely|surely|completely|totally|finally|simply|truly|really|forever)\s+)?"
        r"(?:transform|change|fix|heal|save|revolutioni[sz]e|rewrite)\s+your\s+(?:whole\s+|entire\s+)?"
        r"(?:life|lives|sleep|health|relationships?|business|marriage|mind|brain|body)\b",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        r"\bwill\s+(?:definitely\s+|certainly\s+|absolutely\s+)?(?:work|succeed)\s+(?:for\s+(?:you|everyone|everybody|"
        r"anyone|all)|every\s+time|wonders|miracles)\b|\bwill\s+get\s+you\s+(?:unstuck|results|there|calm|free|better|"
        r"sleeping|out\s+of\s+(?:debt|burnout|overwhelm))\b",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        r"\b(?:works?|worked|helps?|helped)\s+(?:for|with)\s+(?:absolutely\s+|literally\s+|quite\s+|simply\s+)?(?:every(?:one|body)\b|every\s+(?:single\s+)?\w+|any(?:one|body)\b"
        r"|all\s+(?:of\s+)?(?:my|our|the)?\s*(?:clients|students|people|members)\b)",
    ),
    rule(
        CERTAINTY,
        r"\b(?:works?|worked|results?|succeeds?|success|delivers?|relief|calm)\b[^.!?\n]{0,40}?\bevery\s+(?:single\s+)?time\b",
    ),
    rule(CERTAINTY, r"\b(?:works?|worked|it)\b[.!]?\s+every[.!]?\s+(?:single[.!]?\s+)?time\b"),
    rule(
        CERTAINTY,
        r"\b(?:always\s+works|never\s+fails?|can'?t\s+fail|cannot\s+fail|can'?t\s+go\s+wrong|fool-?proof|fail-?proof|"
        r"fail-?safe|without\s+fail|won'?t\s+fail|will\s+not\s+fail|impossible\s+to\s+fail|(?:no\s+one|nobody)\s+fails)\b"
        r"(?!\s+at\b)",
    ),
    rule(
        CERTAINTY,
        r"\b100\s?%\s+(?:of\s+(?:my\s+|our\s+|the\s+)?(?:clients|students|people|members|participants|customers|buyers)|"
        rf"effective|success(?:ful)?|results?|guaranteed|proven|cure|calm|certain|of\s+the\s+time|{PROBLEMS}-free)\b"
        r"|\b100\s+percent\s+(?:success|results?|effective|guaranteed)\b",
    ),
    rule(
        CERTAINTY,
        r"\b(?:every(?:one|body)|every\s+(?:single\s+)?(?:client|student|member|participant|customer|person|buyer)|"
        r"all\s+(?:of\s+)?(?:my|our|the)?\s*(?:clients|students|members|participants|customers)|"
        r"(?:(?:my|our)\s+)?(?:clients|students|members|participants|customers)\s+(?:always|all))\s+"
        r"(?:(?:who(?:'s|'ve)?|that)\s+(?:[\w'-]+\s+){1,4}?)?(?:(?:has|have|had)\s+)?(?:(?:succeed(?:s|ed)?|transform(?:s|ed)?|"
        r"heal(?:s|ed)?|recover(?:s|ed)?|thrive[sd]?)\b|(?:see|sees|saw|seen|get|gets|got|gotten|feel|feels|felt|become|"
        r"becomes|became|achieve[sd]?|reach(?:es|ed)?|hit|hits|find|finds|found|sleep|sleeps|slept|leave|leaves|left|"
        r"walk(?:s|ed)?\s+away|end(?:s|ed)?\s+up|lose|loses|lost|double[sd]?)"
        rf"\s+{GAP}{{0,3}}?(?:{OUTCOMES}|{STATE}|goals?|a\s+difference|weight)\b)",
    ),
    rule(
        CERTAINTY,
        r"\b(?:success|results?|relief|change|recovery|healing|transformation)\s+(?:is|are)\s+(?:certain|assured|"
        r"inevitable|a\s+given)\b|\b(?:sure|bound|certain)\s+to\s+(?:work|succeed|help|change|transform|heal|fix)\b",
    ),
    rule(
        CERTAINTY,
        r"\byou(?:'ll|\s+will)\s+(?:(?:definitely|certainly|absolutely|surely|finally|instantly|immediately)\s+)?"
        r"(?:see|get|achieve|notice|experience|have)\s+(?:(?:real|amazing|incredible|huge|massive|dramatic|lasting|"
        r"permanent|instant|immediate|guaranteed|a\s+complete|a\s+dramatic|a\s+huge|a\s+real)\s+)?"
        r"(?:results?|a\s+(?:big\s+)?(?:change|difference)|success|relief|breakthroughs?|transformation)\b",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        rf"\b(?:be|become|get|live|stay|feel|totally|completely|entirely|fully|100\s?%)\s+(?:{PROBLEMS})-free\b"
        r"|\b\d+\s+years\s+younger\b",
        hedgeable=True,
    ),
    rule(
        GUARANTEE,
        r"\b(?:program|programme|course|method|system|coaching|this|we|i)\s+(?:personally\s+)?guarantees?\s+(?:it|that|this)\b"
        r"(?=\s*(?:[.!?,;:]|$))",
        exempt=_no_result_in_sentence,
    ),
    rule(
        CERTAINTY,
        r"\b\d+\s?%\s+(?:drop|reduction|decrease|fall|cut|improvement|increase|boost|rise|less|more|fewer)\s+(?:in\s+)?"
        rf"{GAP}{{0,2}}?(?:{PROBLEMS}|{OUTCOMES}|sleep)\b|\b(?:reduces?|cuts?|lowers?|drops?|increases?|boosts?|improves?)"
        rf"\s+(?:your\s+)?(?:{PROBLEMS}|{OUTCOMES}|sleep)\s+by\s+(?:up\s+to\s+|over\s+)?\d+\s?%",
        hedgeable=True,
    ),
    rule(
        TIMED,
        rf"\b{PROBLEMS}\s+(?:ends?|stops?|disappears?|vanishes?|is\s+over|are\s+over)\s+(?:tonight|today|now|here|"
        r"this\s+week|(?:in|within)\s+\w+\s+\w+)\b",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        rf"\b{PROBLEMS}\s+(?:had|have|has|were|was)?\s*(?:completely\s+|totally\s+|entirely\s+|just\s+|simply\s+)?"
        r"(?:stopped|ended|disappeared|vanished|gone\s+away|melted\s+away|lifted|dissolved|been\s+cured|been\s+healed|"
        r"never\s+returned|never\s+came\s+back)\b",
        hedgeable=True,
    ),
    rule(CERTAINTY, rf"\bsay\s+hello\s+to\s+{GAP}{{0,3}}?{STATE}", hedgeable=True),
    rule(
        CERTAINTY,
        r"\b(?:wake\s+up|become|be|feel\s+like|walk\s+away|leave)\s+(?:[\w'-]+\s+){0,2}?(?:a|an)\s+(?:"
        + _BETTER
        + r")(?:,?\s+(?:and\s+)?(?:"
        + _BETTER
        + r"))*\s+(?:person|you|woman|man|version\s+of\s+(?:yourself|you))\b",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        r"\byou(?:'ll|\s+will)\s+(?:walk|come|leave|go)\s+(?:out|away|home)?\s*(?:[\w'-]+\s+){0,5}?"
        r"(?:a\s+(?:different|new|changed)\s+(?:person|woman|man|you)|transformed|healed|cured)\b",
        hedgeable=True,
    ),
    rule(
        PERMANENCE,
        rf"\bleav(?:e|es|ing)\s+(?:your\s+|all\s+|the\s+)?{GAP}{{0,2}}?{PROBLEMS}\s+behind\b"
        r"(?:\s+(?:for\s+good|forever|once\s+and\s+for\s+all))?",
    ),
    rule(
        CURE,
        r"\bheal(?:s|ed|ing)?\s+(?:your\s+|the\s+)?(?:nervous\s+system|brain|mind|body|gut|skin|heart|hormones|thyroid|"
        r"adrenals|soul|inner\s+child)(?:\s+and\s+(?:mind|body|soul|spirit))?\b",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        r"\byou(?:'ll|\s+will)\s+(?:finally\s+|now\s+)?have\s+(?:the\s+|total\s+|complete\s+|unshakeable\s+|real\s+)?"
        r"(?:confidence|calm|clarity|courage|freedom|peace\s+of\s+mind|energy|self-belief|self-esteem|motivation|"
        r"discipline|the\s+(?:body|life|income|relationship|business)\s+you\s+(?:want|deserve|dream|always\s+wanted))\b",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        r"\b(?:drop|lose|shed|lost|dropped)\s+(?:\w+\s+)?(?:\d+|one|two|three|four|five|six|ten|a)\s+"
        r"(?:dress\s+sizes?|sizes?|pounds|lbs|kilos?|kg|stone|inches)\b",
        hedgeable=True,
    ),
    rule(
        CERTAINTY,
        r"\b(?:your|the)\s+(?:[\w'-]+\s+){0,4}?(?:will|'ll)\s+(?:soon\s+|finally\s+|just\s+)?(?:be\s+)?(?:gone|over|"
        r"a\s+(?:distant\s+)?memory|a\s+thing\s+of\s+the\s+past|history)\b",
        hedgeable=True,
        exempt=_service_or_sale_subject,
    ),
    rule(
        PERMANENCE,
        rf"\b{PROBLEMS}\s*\?\s+(?:not|never|no\s+more|gone)\s+(?:after|with|once|again|anymore|any\s+more|for\s+good|"
        r"forever|when)\b",
        negatable=False,
    ),
    rule(
        PERMANENCE,
        r"\b(?:clients|students|members|people|you|they)\s+(?:will\s+)?never\s+(?:relapse|fail|go\s+back|slip\s+back|"
        r"regain\s+(?:the\s+)?weight)\b",
    ),
    rule(
        CERTAINTY,
        r"\byou(?:'ll|\s+will)\s+(?:[\w-]+\s+){0,4}?feeling\s+(?:[\w-]+\s+)?" + STATE,
        hedgeable=True,
    ),
    rule(
        PERMANENCE,
        rf"\b{PROBLEMS}\s+(?:won't|will\s+not|will\s+never|can't|cannot|will\s+no\s+longer)\s+(?:[\w'-]+\s+){{1,4}}?"
        r"(?:again|anymore|any\s+more|ever\s+again)\b",
    ),
    rule(
        PERMANENCE,
        r"\b(?:haven't|have\s+not|hasn't|has\s+not|hadn't|never|not)\s+(?:had|felt|experienced|suffered)\s+"
        rf"(?:a\s+single\s+|one\s+|another\s+|any\s+)?{GAP}{{0,2}}?{PROBLEMS}\b[^.!?\n]{{0,30}}?\bsince\b",
    ),
    rule(
        PERMANENCE,
        r"\bnever\s+(?:lose|waste|spend)\s+(?:another|a\s+single|one\s+more)\s+(?:[\w'-]+\s+){0,2}?"
        r"(?:sleep|night|day|minute|moment|hour)",
    ),
    rule(
        CURE,
        rf"\b(?:turn|switch|shut)(?:s|ed|ing)?\s+(?:your\s+|the\s+|all\s+)?{GAP}{{0,2}}?{PROBLEMS}\s+(?:off|down)\b",
    ),
    rule(
        CERTAINTY,
        r"\bthe\s+(?:last|only)\s+(?:[\w-]+\s+){0,3}?(?:course|program|programme|book|coach|method|system|solution|"
        r"thing|one|tool|plan)\s+you(?:'ll|\s+will)\s+ever\s+need\b",
    ),
    rule(
        CERTAINTY,
        rf"\b(?:(?:lasting|total|complete|true|real)\s+)?(?:freedom|release)\s+from\s+{GAP}{{0,2}}?{PROBLEMS}\b",
        hedgeable=True,
    ),
    rule(PERMANENCE, rf"\bzero\s+{GAP}{{0,1}}?(?!stress\b|worr|pressure\b){PROBLEMS}\b"),
    rule(
        CERTAINTY,
        r"\bwonder\s+why\s+you\s+ever\s+(?:felt|were|had|worried|struggled|panicked)\b|\bforget\s+(?:you\s+ever|what\s+"
        rf"(?:it\s+(?:felt|feels)|{PROBLEMS}\s+(?:feels|felt))|that\s+you\s+(?:ever\s+)?(?:had|felt))",
    ),
)
