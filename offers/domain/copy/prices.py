"""Reference prices: a former, regular or "value" price the copy compares the real price with.

The FTC's guides against deceptive pricing and the CAP code's rules on price comparisons ask that a "was" price
be a price the product really had. The catalog records one price per offer, so "was $497" on a $197 offer
names a price nobody can check, and "save 60%" or "half price" implies one. A comparison with the offer's own
recorded price ("Normally $197, and that's what you pay") is verified and stays honest; so is a saving against
buying the parts separately, which compares prices the buyer can see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from offers.domain.copy.claims import Claim, ClaimKind
from offers.domain.copy.grammar import Rule, asserted, quoted, rule
from offers.domain.copy.text import Copy

REFERENCE, SAVING = ClaimKind.REFERENCE_PRICE, ClaimKind.SAVING

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
_MONEY = (
    r"(?:(?:US|CA|AU|A|NZ|C)?\$|€|£|¥|(?:USD|EUR|GBP|CAD|AUD)\s?)\s?(?P<amount>{a})(?:\s?(?:USD|EUR|GBP))?"
    r"|(?P<after>{a})\s?(?:\$|€|£|dollars|euros|pounds|usd|eur|gbp)\b"
)
MONEY = _MONEY.replace("(?P<amount>", "(?:").replace("(?P<after>", "(?:").format(a=_AMOUNT)
"""An amount with its currency before or after it: ``$1,200``, ``€450``, ``300 dollars``."""
_FIRST_AMOUNT = re.compile(_MONEY.format(a=_AMOUNT), re.IGNORECASE)

_BUNDLE = re.compile(
    r"\b(?:compared\s+(?:with|to)\s+buying|than\s+buying|(?:bought|buying|paid\s+for)\s+(?:them\s+|it\s+)?"
    r"(?:separately|individually|on\s+(?:their|its)\s+own|one\s+by\s+one))",
    re.IGNORECASE,
)


def _against_the_parts(copy: Copy, match: re.Match[str]) -> bool:
    """ "Save $50 compared with buying the calls separately": a comparison the buyer can check in the catalog."""
    sentence = copy.sentences[copy.sentence_at(match.start())]
    return _BUNDLE.search(copy.text, match.end(), sentence.end) is not None


RULES: tuple[Rule, ...] = (
    rule(
        REFERENCE,
        r"\b(?:was|were|formerly|originally|previously|normally|usually|regularly|typically|ordinarily)\s+"
        r"(?:(?:priced\s+at|costs?|costing|sells?\s+for|sold\s+(?:at|for)|selling\s+for|pay|paid|charged|"
        r"retails?\s+(?:at|for)|just|only|"
        rf"at|set\s+at)\s+)?(?:{MONEY})",
    ),
    rule(
        REFERENCE,
        r"\b(?:regular|reg\.?|normal|usual|full|standard|original|list|retail|recommended(?:\s+retail)?|public|"
        r"high[- ]street|"
        r"typical|everyday|non-?member|full-price)\s+(?:retail\s+)?(?:price|fee|rate|cost|value|pricing)\s*"
        rf"(?:is\s+|of\s+|:\s*|=\s*|was\s+|at\s+|would\s+be\s+)?(?:{MONEY})|\b(?:the\s+)?(?:usual|normal|regular|standard|full)\s+(?:{MONEY})",
    ),
    rule(REFERENCE, rf"\b(?:reg\.?|rrp|msrp|srp)\s*:?\s*(?:{MONEY})"),
    rule(
        REFERENCE,
        r"\b(?:valued\s+at|value\s+of(?:\s+[\w-]+){0,3}\s*:?|worth(?:\s+(?:over|more\s+than|at\s+least|up\s+to))?|total\s+value\s*(?:of|:)?|"
        r"value\s*:|values?\s+at)\s*(?:(?:over|more\s+than|of\s+over|at\s+least|nearly|almost)\s+)?"
        rf"(?:{MONEY})|(?:{MONEY})\+?\s+(?:value|worth\s+of|(?:worth\s+)?of\s+value)\b",
    ),
    rule(
        REFERENCE,
        rf"\bcompared?\s+(?:at|to|with)\s+(?:{MONEY})|\belsewhere\b[^.!?\n]{{0,25}}?(?:{MONEY})|(?:{MONEY})\s+elsewhere\b"
        rf"|(?:{MONEY})\s+(?:on|at|in)\s+(?:our|my|the|other)\s+(?:website|site|shop|store|stores|shops)\b"
        rf"|(?:{MONEY})\s+(?:[\w']+\s+){{0,3}}?(?:elsewhere|with\s+(?:other|another)\s+\w+|at\s+(?:a|another|other)\s+\w+)",
    ),
    rule(REFERENCE, rf"\b(?:reduced|discounted|marked\s+down|slashed|cut|dropped|down|lowered)\s+from\s+(?:{MONEY})"),
    rule(
        SAVING,
        rf"\b(?:discounted|reduced|marked\s+down|slashed|knocked)\s+(?:by\s+)?(?:{MONEY}|\d+\s?%)|\bknock(?:ed|ing)?\s+"
        rf"(?:{MONEY}|\d+\s?%)\s+off\b",
    ),
    rule(REFERENCE, rf"\binstead\s+of\s+(?:{MONEY})|\bnot\s+(?:even\s+)?(?:{MONEY})", negatable=False),
    rule(
        SAVING,
        r"\b(?:save|saving|you\s+save|savings?\s+of)\s+(?:over\s+|up\s+to\s+|nearly\s+|almost\s+|more\s+than\s+)?"
        rf"(?:{MONEY}|\d+\s?%)",
        exempt=_against_the_parts,
    ),
    rule(
        SAVING,
        rf"(?:\b\d+\s?%|\bhalf|{MONEY})\s*(?:-\s*)?off\b|\bhalf[- ]price\b"
        rf"|\b(?:a|an)\s+(?:{MONEY}|\d+\s?%)\s+discount\b|\bdiscount\s+of\s+(?:{MONEY}|\d+\s?%)|\b\d+\s?%\s+discount\b|(?:{MONEY})\s+less\s+than\s+(?:the\s+)?"
        r"(?:usual|normal|regular|full)|\b\d+\s?%\s+(?:less|cheaper|lower)\b",
        exempt=_against_the_parts,
    ),
)


def _amount(match: re.Match[str]) -> Decimal | None:
    money = _FIRST_AMOUNT.search(match.group())
    found = (money.group("amount") or money.group("after")) if money is not None else None
    if not found:
        return None
    try:
        return Decimal(found.replace(",", ""))
    except InvalidOperation:
        return None


def reference_prices(text: str, field: str, price: Decimal | None) -> tuple[Claim, ...]:
    """The comparisons with a price that is not the offer's own recorded ``price`` (None: not known yet).

    The words are read once per text (``_compared``), whatever the price: a long funnel shows many offers with the
    same description at different prices, and only the cheap comparison with each price is done again.
    """
    return tuple(claim for claim, amount, kind in _compared(text, field) if not _same(amount, kind, price))


@lru_cache(maxsize=4096)
def _compared(text: str, field: str) -> tuple[tuple[Claim, Decimal | None, ClaimKind], ...]:
    """Every asserted comparison in ``text``, with the amount it names (None: none readable) and its kind."""
    return tuple(_found(Copy(text), field))


def _found(copy: Copy, field: str) -> Iterator[tuple[Claim, Decimal | None, ClaimKind]]:
    for grammar_rule in RULES:
        for match in grammar_rule.pattern.finditer(copy.text):
            if asserted(copy, match, grammar_rule):
                claim = quoted(copy, field, grammar_rule.kind, match.start(), match.end())
                yield claim, _amount(match), grammar_rule.kind


def _same(amount: Decimal | None, kind: ClaimKind, price: Decimal | None) -> bool:
    """A "was", "regular" or "value" price equal to the offer's own recorded price is a fact the buyer can check."""
    return kind is REFERENCE and price is not None and amount is not None and amount == price
