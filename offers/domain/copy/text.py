"""A piece of copy as the reader sees it: normalised characters, sentences, clauses and quotations.

The rules match the normalised text, and a finding quotes the coach's own characters at the same places:
normalising maps one character to one character (curly quotes to straight ones, dashes to hyphens), so an
offset in one is the same offset in the other. Sentences decide what a question or an answer is; clauses
bound how far a "not" or a "because" reaches ("No pressure, but the offer ends tonight": the "no" stops at
the comma before "but").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property

_SAME_LENGTH = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2026": ".",
        "\n": "\n",
    }
)

_ABBREVIATIONS = frozenset({"reg", "e.g", "i.e", "approx", "vs", "dr", "st", "mr", "mrs", "ms", "etc", "incl"})
_SENTENCE_END = re.compile(r"\?+[\"')\]]*(?=\s|$)|[.!]+[\"')\]]*(?=\s+[^a-z\s]|\s*$)|\n+")
_QUOTED = re.compile(r"\"[^\"\n]{1,200}\"|(?<![\w])'(?=\w)[^'\n]{1,120}(?<=[\w.!?%])'(?![\w])")

CLAUSE_STARTERS = (
    r"(?:the|this|that|these|those|it|it's|its|we|we're|we'll|i|i'm|i'll|i'd|you|you're|you'll|your|our|my|they|"
    r"there|here|doors|prices?|spots?|seats?|places?|offers?|but|so|yet|just|only|act|hurry|join|buy|grab|get|"
    r"claim|book|enrol|enroll|sign|decide|order|add|lock|save|start|try|then|plus|now|today|tonight|don't|after|"
    r"before|once|if|when|while|because|since|as|or\s+(?:the|this|it|we|i|you|your)|and\s+(?:the|this|it|we|i|you|"
    r"your|our|doors|prices?|spots?|only|just|then|now))\b"
)
_CLAUSE_BREAK = re.compile(
    r"[;:()\[\]]|\s-+\s|\s-+$|^-+\s"
    rf"|,(?=\s*{CLAUSE_STARTERS})"
    r"|\b(?:but|however|although|though|yet|except|whereas|unless)\b"
    r"|\b(?:and|or|so)\s+(?=(?:the|this|it|we|i|you|your|our|doors|prices?|spots?|then|now)\b)",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """The same text with one spelling per character: the rules need not know curly quotes or dashes."""
    return text.translate(_SAME_LENGTH)


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``start`` and ``end`` are offsets into the copy, the end including its ``.``, ``!`` or ``?``."""

    start: int
    end: int
    text: str

    @property
    def is_question(self) -> bool:
        return self.text.rstrip(" \"')]").endswith("?")


@dataclass(frozen=True)
class Copy:
    """A copy field read once: the coach's text, its normalised twin, its sentences and quoted spans."""

    original: str

    @cached_property
    def text(self) -> str:
        return normalise(self.original)

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        found: list[Sentence] = []
        start = 0
        for end in _SENTENCE_END.finditer(self.text):
            stop = end.end()
            word = re.search(r"([\w.]+)\.$", self.text[start : end.start() + 1])
            if end.group().startswith(".") and word and word.group(1).lower() in _ABBREVIATIONS:
                continue
            found.append(_sentence(self.text, start, stop))
            start = stop
        if start < len(self.text):
            found.append(_sentence(self.text, start, len(self.text)))
        return tuple(s for s in found if s.text.strip())

    @cached_property
    def quotes(self) -> tuple[tuple[int, int], ...]:
        return tuple((m.start(), m.end()) for m in _QUOTED.finditer(self.text))

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [sentence.end for sentence in self.sentences]

    @cached_property
    def _breaks(self) -> tuple[list[int], list[int]]:
        """Every clause break outside a quotation, as (starts, ends) in order: found once per text."""
        found = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(self.text) if self.quote_at(m.start()) is None]
        return [start for start, _ in found], [end for _, end in found]

    def sentence_at(self, position: int) -> int:
        """The index of the sentence holding ``position`` (the last one when it lies past the end)."""
        return min(bisect_right(self._sentence_ends, position), len(self.sentences) - 1)

    def quote_at(self, position: int) -> tuple[int, int] | None:
        for start, end in self.quotes:
            if start <= position < end:
                return start, end
        return None

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Where the clause holding ``start``..``end`` begins and ends; a break inside a quotation does not count
        (the quotation is one thing said, whatever punctuation it holds)."""
        sentence = self.sentences[self.sentence_at(start)]
        starts, ends = self._breaks
        before = bisect_right(ends, start) - 1  # the last break that ends at or before the clause
        after = bisect_left(starts, end)  # the first break that starts at or after it
        begin = max(sentence.start, ends[before]) if before >= 0 else sentence.start
        finish = min(sentence.end, starts[after]) if after < len(starts) else sentence.end
        return begin, finish


def _sentence(text: str, start: int, end: int) -> Sentence:
    return Sentence(start, end, text[start:end])
