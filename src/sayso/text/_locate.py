"""Find a string the model copied from the article: exact, then normalized, then in pieces,
then bounded fuzzy.

*In pieces* is for quotations the article interrupts ("We will win," he said, "and soon."): every
word of the copy stands in the article in order, in a few long pieces with short gaps between
them; the match is the range that covers them.

Offsets are Python string offsets into the original text, so `text[start:end]` is the match.
"""

from __future__ import annotations

import functools
import string
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar, Literal

from rapidfuzz import fuzz

from ._fold import Folded, fold

__all__ = ["ArticleIndex", "Match", "normalize"]

# What may stand around a copied string in the model's answer but not in the article.
_EDGE = " \t\r\n\"'.,;:!?()[]-"
# Strings shorter than this match whole words only ("said" is not in "unsaid"); longer ones
# prefer whole words.
WHOLE_WORDS_BELOW = 24
# Words are what stands between spaces once punctuation is a space too: a C-level split.
_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation + "\u00a1\u00bf\u00b7", " "))


def _words(folded: str) -> list[str]:
    return folded.translate(_PUNCTUATION).split()


def normalize(text: str) -> tuple[str, list[int]]:
    """Fold Unicode form (NFC), whitespace, quote marks, dashes and case; return the folded text
    and, for each of its characters, the index of the original character it came from."""
    folded = Folded(text)
    return folded.text, [folded.start(k) for k in range(len(folded.text))]


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
    # Fuzzy matching: a copy this long at least, scoring this much at least (0-100).
    FUZZY_THRESHOLD = 90.0
    FUZZY_MIN_CHARS = 16
    # Everything that decides what is found, read from the constants above so that a change to
    # any of them changes the result cache's key, of which this is part.
    SETTINGS: ClassVar[dict[str, object]] = {
        "pieces": [MAX_PIECES, MIN_PIECE_CHARS, MAX_GAP_CHARS],
        "fuzzy_threshold": FUZZY_THRESHOLD, "fuzzy_min_chars": FUZZY_MIN_CHARS,
        "whole_words_below": WHOLE_WORDS_BELOW, "unicode": "NFC", "places": "nearest-values",
    }

    def __init__(
        self, text: str, *, fuzzy_threshold: float = FUZZY_THRESHOLD,
        fuzzy_min_chars: int = FUZZY_MIN_CHARS,
    ) -> None:
        self.text = text
        self.fuzzy_threshold = fuzzy_threshold
        self.fuzzy_min_chars = fuzzy_min_chars
        self._places: dict[str, list[int]] = {}
        self._not_exact: set[str] = set()  # needles already searched for in vain
        self._lacking: dict[str, bool] = {}

    @functools.cached_property
    def _fold(self) -> Folded:
        # Built on the first look-up that an exact search cannot answer: most values are copied
        # exactly, and most answers then never need it.
        return Folded(self.text)

    @property
    def _folded(self) -> str:
        return self._fold.text

    @functools.cached_property
    def _word_counts(self) -> Counter[str]:
        """How often each word stands in the folded text."""
        return Counter(_words(self._folded))

    def _word_places(self, word: str) -> list[int]:
        """Where `word` starts as a whole word in the folded text, worked out once a word."""
        places = self._places.get(word)
        if places is None:
            places = _whole_word_starts(self._folded, word, _all_starts(self._folded, word))
            self._places[word] = places
        return places

    def _lacks_a_word(self, folded: str) -> bool:
        """Whether a word inside the folded needle (not at its ends, which may be parts of
        words) is nowhere in the article: then only a fuzzy match can find it. Remembered per
        needle: an answer asks for the same source or cue many times."""
        lacks = self._lacking.get(folded)
        if lacks is None:
            lacks = any(w not in self._word_counts for w in _words(folded)[1:-1])
            self._lacking[folded] = lacks
        return lacks

    def locate(self, needle: str, near: int | None = None) -> Match | None:
        """Where `needle` stands in the article; among several places, the one nearest `near`."""
        if not needle.strip():
            return None
        # Once the article is indexed, a word it lacks rules out all but the fuzzy search.
        indexed = "_word_counts" in self.__dict__
        folded = fold(needle) if indexed else ""
        if indexed and self._lacks_a_word(folded):
            return self._fuzzy(folded)
        for candidate in dict.fromkeys((needle, needle.strip())):
            hit = self._exact_near(candidate, near)
            if hit:
                return hit
        folded = folded or fold(needle)
        if self._lacks_a_word(folded):
            return self._fuzzy(folded)
        for candidate in dict.fromkeys((folded, folded.strip(_EDGE))):
            if candidate:
                hit = self._normalized_near(candidate, near)
                if hit:
                    return hit
        return self._pieces(folded) or self._pieces(folded.strip(_EDGE)) or self._fuzzy(folded)

    def _exact_near(self, needle: str, near: int | None) -> Match | None:
        """The exact occurrence nearest `near` (the first when None), searching outwards from it,
        so that a word the article uses hundreds of times costs what its nearest use does."""
        if needle in self._not_exact:
            return None
        at = _nearest_whole(self.text, needle, near)
        if at is None:
            # Only parts of words: long strings take those.
            hit = None if len(needle) < WHOLE_WORDS_BELOW else _nearest_match(self._exact(needle), near)
            if hit is None:
                self._not_exact.add(needle)
            return hit
        return Match(at, at + len(needle), "exact")

    def _normalized_near(self, folded: str, near: int | None) -> Match | None:
        """As `_exact_near`, in the folded text."""
        at = _nearest_whole(self._folded, folded, None if near is None else self._fold.folded_at(near))
        if at is None:
            if len(folded) < WHOLE_WORDS_BELOW:
                return None
            return _nearest_match(self._normalized(folded), near)
        return self._trimmed(self._fold.start(at), self._fold.end(at + len(folded) - 1),
                             "normalized", 100.0)

    def locate_all(self, needle: str) -> list[Match]:
        """Every place `needle` stands in the article, in order, by the first way that finds it:
        exact, normalized (every occurrence), then in pieces or fuzzy (the best place only)."""
        if not needle.strip():
            return []
        if "_word_counts" in self.__dict__ and self._lacks_a_word(fold(needle)):
            return self._inexact(needle)
        for candidate in dict.fromkeys((needle, needle.strip())):
            if candidate not in self._not_exact:
                found = self._exact(candidate)
                if found:
                    return found
                self._not_exact.add(candidate)
        return self._inexact(needle)

    def _inexact(self, needle: str) -> list[Match]:
        """`locate_all` for a needle with no exact occurrence."""
        folded = fold(needle)
        if self._lacks_a_word(folded):
            hit = self._fuzzy(folded)
            return [hit] if hit else []
        for candidate in dict.fromkeys((folded, folded.strip(_EDGE))):
            if candidate:
                found = self._normalized(candidate)
                if found:
                    return found
        hit = self._pieces(folded) or self._pieces(folded.strip(_EDGE)) or self._fuzzy(folded)
        return [hit] if hit else []

    def _exact(self, needle: str) -> list[Match]:
        starts = _whole_word_starts(self.text, needle, _all_starts(self.text, needle))
        return [Match(s, s + len(needle), "exact") for s in starts]

    def _normalized(self, folded: str) -> list[Match]:
        starts = _whole_word_starts(self._folded, folded, _all_starts(self._folded, folded))
        found = []
        for s in starts:
            hit = self._trimmed(self._fold.start(s), self._fold.end(s + len(folded) - 1),
                                "normalized", 100.0)
            if hit:
                found.append(hit)
        return found

    def _pieces(self, folded: str) -> Match | None:
        if len(folded) < 2 * self.MIN_PIECE_CHARS:
            return None
        first_start: int | None = None
        pos, search_from, last_end = 0, 0, 0
        for _ in range(self.MAX_PIECES):
            if first_start is None:
                length, at = self._longest_first_piece(folded)
            else:
                length, at = self._longest_prefix(folded, pos, search_from, last_end + self.MAX_GAP_CHARS)
            if length < self.MIN_PIECE_CHARS and pos + length < len(folded):
                return None
            if first_start is None:
                first_start = at
            last_end = at + length
            pos += length
            while pos < len(folded) and folded[pos] == " ":
                pos += 1
            if pos >= len(folded):
                start, end = self._fold.start(first_start), self._fold.end(last_end - 1)
                return self._trimmed(start, end, "pieces", 100.0)
            search_from = last_end
        return None

    _FIRST_PIECE_PLACES = 64  # beyond this many places to start from, a search per length

    def _longest_first_piece(self, folded: str) -> tuple[int, int]:
        """`_longest_prefix` over the whole article, from the places where the needle's first
        `MIN_PIECE_CHARS` characters stand: each is extended as far as it agrees, which costs
        what the needle's length does rather than a search of the article per length tried."""
        head = folded[: self.MIN_PIECE_CHARS]
        places = _all_starts(self._folded, head, limit=self._FIRST_PIECE_PLACES + 1)
        if len(places) > self._FIRST_PIECE_PLACES:
            return self._longest_prefix(folded, 0, 0, len(self._folded))
        best, best_at = 0, -1
        for at in places:
            low, high = len(head), len(folded)  # article[at:at+low] agrees; find the most
            while low < high:
                mid = (low + high + 1) // 2
                if self._folded[at + low : at + mid] == folded[low:mid]:
                    low = mid
                else:
                    high = mid - 1
            if low > best:
                best, best_at = low, at
        return best, best_at

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
        # Short strings match too much by chance; only long ones get a fuzzy look, and only
        # where the needle's rarer words stand, so the cost follows the needle, not the article.
        if len(folded) < self.fuzzy_min_chars or len(folded) > len(self._folded):
            return None
        best = None
        for lo, hi in self._fuzzy_windows(folded):
            found = fuzz.partial_ratio_alignment(
                folded, self._folded[lo:hi], score_cutoff=self.fuzzy_threshold
            )
            if found is not None and found.dest_end > found.dest_start and (
                best is None or found.score > best[0]
            ):
                best = (found.score, lo + found.dest_start, lo + found.dest_end)
        if best is None:
            return None
        start, end = self._whole_words(self._fold.start(best[1]), self._fold.end(best[2] - 1))
        return self._trimmed(start, end, "fuzzy", best[0])

    _FUZZY_ANCHORS = 3  # the needle's rarest words that place the windows
    _FUZZY_WINDOWS = 6  # at most this many windows are scored
    _FUZZY_ANCHOR_USES = 200  # of a word the article uses more often, the first uses only

    def _fuzzy_windows(self, folded: str) -> list[tuple[int, int]]:
        """Stretches of the folded article, a little longer than the needle, where a copy with a
        few typos could stand: around the occurrences of the needle's rarest words."""
        words = _words(folded)
        counts = self._word_counts
        # A copy with a few typos keeps most of its words.
        if sum(w not in counts for w in words) * 2 > len(words):
            return []
        offsets = {w: folded.find(w) for w in words if (len(w) >= 4 or w.isdigit()) and w in counts}
        present = sorted((counts[w], w) for w in offsets)
        votes: dict[int, int] = {}
        uses = 0
        for count, word in present[: self._FUZZY_ANCHORS]:
            if uses and (uses + count > self._FUZZY_ANCHOR_USES or count > 8 * present[0][0]):
                break  # a much commoner word would add more noise than votes
            uses += count
            for at in self._word_places(word)[: self._FUZZY_ANCHOR_USES]:
                start = max(0, at - offsets[word])
                votes[start // 32] = votes.get(start // 32, 0) + 1
        slack = len(folded) // 4 + 32
        if not votes:
            return []
        # Where most of the rare words agree; weaker places only when they come close.
        least = max(votes.values()) / 2
        ranked = sorted((b for b in votes if votes[b] >= least),
                        key=lambda b: (-votes[b], b))[: self._FUZZY_WINDOWS]
        return [(max(0, b * 32 - slack), b * 32 + len(folded) + slack) for b in sorted(ranked)]

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


def _all_starts(haystack: str, needle: str, limit: int | None = None) -> list[int]:
    starts: list[int] = []
    at = haystack.find(needle)
    while at != -1 and (limit is None or len(starts) < limit):
        starts.append(at)
        at = haystack.find(needle, at + 1)
    return starts


def _nearest_whole(haystack: str, needle: str, near: int | None) -> int | None:
    """Where `needle` stands as whole words nearest `near` (the first when None): searched
    outwards from `near`, so the cost is that of the distance, not of every occurrence."""
    size = len(needle)
    after = haystack.find(needle, near or 0)
    while after != -1 and not _whole_word_at(haystack, needle, after):
        after = haystack.find(needle, after + 1)
    before = -1
    if near:
        before = haystack.rfind(needle, 0, near + size - 1)
        while before != -1 and not _whole_word_at(haystack, needle, before):
            before = haystack.rfind(needle, 0, before + size - 1)
    if before == -1:
        return None if after == -1 else after
    if after == -1 or (near is not None and near - before <= after - near):
        return before
    return after


def _nearest_match(found: list[Match], near: int | None) -> Match | None:
    if not found:
        return None
    return min(found, key=lambda m: (abs(m.start - (near or 0)), m.start))


def _whole_word_at(haystack: str, needle: str, at: int) -> bool:
    """Whether `needle`, standing at `at`, is not part of a longer word."""
    end = at + len(needle)
    return not (needle[0].isalnum() and at > 0 and haystack[at - 1].isalnum()) and not (
        needle[-1].isalnum() and end < len(haystack) and haystack[end].isalnum()
    )


def _whole_word_starts(haystack: str, needle: str, starts: list[int]) -> list[int]:
    """The starts where `needle` is not part of a longer word; for a short needle only those,
    for a long one those when there are any."""
    whole = [s for s in starts if _whole_word_at(haystack, needle, s)]
    if whole or len(needle) < WHOLE_WORDS_BELOW:
        return whole
    return starts
