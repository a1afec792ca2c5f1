"""Find a string the model copied from the article: exact, then normalized, then in pieces,
then bounded fuzzy.

*In pieces* is for quotations the article interrupts ("We will win," he said, "and soon."): every
word of the copy stands in the article in order, in a few long pieces with short gaps between
them; the match is the range that covers them.

Offsets are Python string offsets into the original text, so `text[start:end]` is the match.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import ClassVar, Literal

from rapidfuzz import fuzz

__all__ = ["ArticleIndex", "Match", "normalize"]

# Characters folded together before the normalized search. Each maps to one output string.
_QUOTES = dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'") | dict.fromkeys(
    "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'
)
_DASHES = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")
_DROPPED = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")  # zero-width characters, soft hyphen
_FOLD = _QUOTES | _DASHES | {"\u2026": "..."}
# What may stand around a copied string in the model's answer but not in the article.
_EDGE = " \t\r\n\"'.,;:!?()[]-"


def normalize(text: str) -> tuple[str, list[int]]:
    """Fold whitespace, quote marks, dashes and case; return the folded text and, for each of
    its characters, the index of the original character it came from."""
    out: list[str] = []
    origin: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch in _DROPPED:
            continue
        if ch.isspace() or unicodedata.category(ch) == "Zs":
            if not in_space and out:
                out.append(" ")
                origin.append(i)
            in_space = True
            continue
        in_space = False
        folded = _FOLD.get(ch, ch).lower()
        out.extend(folded)
        origin.extend([i] * len(folded))
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    how: Literal["exact", "normalized", "pieces", "fuzzy"]
    score: float = 100.0


class ArticleIndex:
    """The article, prepared once for many look-ups."""

    # In-pieces matching: at most this many pieces, each this long, with gaps this short.
    MAX_PIECES = 4
    MIN_PIECE_CHARS = 12
    MAX_GAP_CHARS = 80
    # Everything that decides what is found; part of the result cache's key.
    SETTINGS: ClassVar[dict[str, object]] = {"pieces": [4, 12, 80], "fuzzy_threshold": 90.0, "fuzzy_min_chars": 16}

    def __init__(
        self, text: str, *, fuzzy_threshold: float = 90.0, fuzzy_min_chars: int = 16
    ) -> None:
        self.text = text
        self.fuzzy_threshold = fuzzy_threshold
        self.fuzzy_min_chars = fuzzy_min_chars

    @functools.cached_property
    def _normalized_text(self) -> tuple[str, list[int]]:
        # Built on the first look-up that an exact search cannot answer: most values are copied
        # exactly, and most answers then never need it.
        return normalize(self.text)

    @property
    def _folded(self) -> str:
        return self._normalized_text[0]

    @property
    def _origin(self) -> list[int]:
        return self._normalized_text[1]

    def locate(self, needle: str, near: int | None = None) -> Match | None:
        """Where `needle` stands in the article; among several places, the one nearest `near`."""
        if not needle.strip():
            return None
        hit = self._exact(needle, near) or self._exact(needle.strip(), near)
        if hit:
            return hit
        folded, _ = normalize(needle)
        for candidate in dict.fromkeys((folded, folded.strip(_EDGE))):
            if candidate:
                hit = self._normalized(candidate, near)
                if hit:
                    return hit
        return self._pieces(folded) or self._pieces(folded.strip(_EDGE)) or self._fuzzy(folded)

    def _exact(self, needle: str, near: int | None) -> Match | None:
        starts = _all_starts(self.text, needle)
        if not starts:
            return None
        start = _nearest(starts, near)
        return Match(start, start + len(needle), "exact")

    def _normalized(self, folded: str, near: int | None) -> Match | None:
        starts = _all_starts(self._folded, folded)
        if not starts:
            return None
        at = _nearest([self._origin[s] for s in starts], near)
        pos = starts[[self._origin[s] for s in starts].index(at)]
        return self._trimmed(self._origin[pos], self._origin[pos + len(folded) - 1] + 1,
                             "normalized", 100.0)

    def _pieces(self, folded: str) -> Match | None:
        if len(folded) < 2 * self.MIN_PIECE_CHARS:
            return None
        first_start: int | None = None
        pos, search_from, last_end = 0, 0, 0
        for _ in range(self.MAX_PIECES):
            window_end = len(self._folded) if first_start is None else last_end + self.MAX_GAP_CHARS
            length, at = self._longest_prefix(folded, pos, search_from, window_end)
            if length < self.MIN_PIECE_CHARS and pos + length < len(folded):
                return None
            if first_start is None:
                first_start = at
            last_end = at + length
            pos += length
            while pos < len(folded) and folded[pos] == " ":
                pos += 1
            if pos >= len(folded):
                start, end = self._origin[first_start], self._origin[last_end - 1] + 1
                return self._trimmed(start, end, "pieces", 100.0)
            search_from = last_end
        return None

    def _longest_prefix(self, folded: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
        """The longest `folded[pos:pos+n]` found in the folded article between `lo` and `hi`
        (the end of a piece may pass `hi`), and where: a binary search, since every prefix of a
        found string is found too."""
        best, best_at = 0, -1
        low, high = 1, len(folded) - pos
        while low <= high:
            mid = (low + high) // 2
            at = self._folded.find(folded[pos : pos + mid], lo, hi + mid)
            if at != -1:
                best, best_at = mid, at
                low = mid + 1
            else:
                high = mid - 1
        return best, best_at

    def _fuzzy(self, folded: str) -> Match | None:
        # Short strings match too much by chance; only long ones get a fuzzy look.
        if len(folded) < self.fuzzy_min_chars or len(folded) > len(self._folded):
            return None
        found = fuzz.partial_ratio_alignment(
            folded, self._folded, score_cutoff=self.fuzzy_threshold
        )
        if found is None or found.dest_end <= found.dest_start:
            return None
        start = self._origin[found.dest_start]
        end = self._origin[found.dest_end - 1] + 1
        start, end = self._whole_words(start, end)
        return self._trimmed(start, end, "fuzzy", found.score)

    def _whole_words(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
        return start, end

    def _trimmed(
        self, start: int, end: int, how: Literal["normalized", "pieces", "fuzzy"], score: float
    ) -> Match | None:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Match(start, end, how, score) if end > start else None


def _all_starts(haystack: str, needle: str) -> list[int]:
    starts: list[int] = []
    at = haystack.find(needle)
    while at != -1:
        starts.append(at)
        at = haystack.find(needle, at + 1)
    return starts


def _nearest(starts: list[int], near: int | None) -> int:
    if near is None:
        return starts[0]
    return min(starts, key=lambda s: (abs(s - near), s))
