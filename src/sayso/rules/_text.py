"""Words, quotations and sentences of an article, all as offsets into the original text.

Everything here is a single left-to-right pass with simple regexes (no nested quantifiers), so the
time grows with the article's length and nothing can backtrack badly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["OPEN_QUOTES", "QUOTES", "Sentence", "Token", "sentences"]

# A full stop joins "U.S" but not "said.Trump", where scraped text lost a space.
# A plural's apostrophe stays with it ("the nurses' union"), unless it opens a '' quotation mark.
_TOKEN = re.compile(r"\w+(?:[’'&-]\w+|\.(?![A-Z][a-z])\w+)*(?:(?<=s)['’](?![\w']))?|''|``|\S")
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s)|(?<=[a-z]{2})\.(?=[A-Z][a-z])")
# Words a full stop follows without ending the sentence.
_ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "st", "jr", "sr", "prof", "rev", "hon", "capt", "maj", "adm", "cmdr", "supt", "insp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "d.c", "inc", "corp", "co", "ltd", "vs", "etc", "no", "nos", "fig", "ft", "mt", "pres", "atty", "messrs", "a.m", "p.m", "e.g", "i.e"]
)
QUOTES = frozenset({'"', "“", "”", "''", "``"})
OPEN_QUOTES = frozenset({"“", "``"})
_CLOSE_QUOTES = frozenset({"”"})


class Token(NamedTuple):
    """A word or a mark; a named tuple, since an article makes tens of thousands of them."""

    start: int
    end: int
    text: str
    low: str
    key: str  # the lexicon's spelling: lower case, curly apostrophes straightened


@dataclass
class Sentence:
    start: int
    end: int
    tokens: list[Token]
    paragraph: int
    # For each quote token index, the index of its partner in this sentence.
    partner: dict[int, int]
    # Whether each token stands inside a quotation (the marks themselves are outside).
    quoted: list[bool]


def _tokens(text: str, start: int, end: int) -> list[Token]:
    tokens = []
    for m in _TOKEN.finditer(text, start, end):
        low = m.group().lower()
        tokens.append(Token(m.start(), m.end(), m.group(), low, low.replace("’", "'")))
    return tokens


def _is_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at `stop` closes an abbreviation or an initial."""
    begin = stop
    while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] == "."):
        begin -= 1
    word = text[begin:stop].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _quote_depths(tokens: list[Token]) -> list[int]:
    """Whether each token is inside a double quotation (1) or not (0), straight quotes toggling."""
    depth = 0
    depths = []
    for tok in tokens:
        if tok.text in OPEN_QUOTES:
            depth = 1 - depth  # scraped text closes with an opening mark too: “It's unusual,“
        elif tok.text in _CLOSE_QUOTES:
            depth = 0
        elif tok.text in ('"', "''"):
            depth = 1 - depth
        depths.append(depth)
    return depths


def _paragraph_sentences(text: str, start: int, end: int, number: int) -> list[Sentence]:
    tokens = _tokens(text, start, end)
    if not tokens:
        return []
    depths = _quote_depths(tokens)
    # A quotation left open at the paragraph's end is not trusted to hold sentences together.
    trust_quotes = depths[-1] == 0
    cuts = []
    index = 0
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        nxt = stop
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end or not (text[nxt].isupper() or text[nxt].isdigit() or text[nxt] in "\"“‘'(["):
            continue
        if match.group().startswith(".") and len(match.group()) == 1 and _is_abbreviation(text, match.start()):
            continue
        while index < len(tokens) and tokens[index].end <= stop:
            index += 1
        if trust_quotes and index > 0 and depths[index - 1] == 1:
            continue
        cuts.append(index)
    inside = [bool(d) and tok.text not in QUOTES for d, tok in zip(depths, tokens, strict=True)]
    if not trust_quotes:
        inside = [False] * len(tokens)
    sentences = []
    begin = 0
    for cut in [*cuts, len(tokens)]:
        if cut > begin:
            part = tokens[begin:cut]
            sentences.append(
                Sentence(part[0].start, part[-1].end, part, number, _partners(part), inside[begin:cut])
            )
        begin = cut
    return sentences


def _partners(tokens: list[Token]) -> dict[int, int]:
    partner: dict[int, int] = {}
    opened = -1
    for i, tok in enumerate(tokens):
        if tok.text not in QUOTES:
            continue
        opening = opened < 0 and tok.text not in _CLOSE_QUOTES
        if opening:
            opened = i
        elif opened >= 0:
            partner[opened] = i
            partner[i] = opened
            opened = -1
    return partner


def sentences(text: str) -> list[Sentence]:
    """The sentences of `text`, paragraph by paragraph (a line break always ends one)."""
    found: list[Sentence] = []
    for number, match in enumerate(re.finditer(r"[^\n]+", text)):
        found.extend(_paragraph_sentences(text, match.start(), match.end(), number))
    return found
