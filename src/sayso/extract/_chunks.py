"""Cut a long article into chunks a model takes at once: at paragraph breaks where it can, else
at sentence ends, else at a space, with the last sentences of each chunk repeated at the start
of the next so that an attribution at an edge stands whole in one of them.

A chunk is a range of the article; its text is `article[start:end]`, so that whatever is found in
it maps back by adding `start`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["Chunk", "cut"]

_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# A sentence ends at . ! ? or an ellipsis, after any closing quote or bracket, before a space.
_SENTENCE = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019\u00bb)\]]*\s+|\n\s*")


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    text: str


def _boundaries(article: str) -> tuple[list[int], set[int]]:
    """Where a chunk may start (after a sentence end or a line break), and which of those are
    paragraph starts."""
    paragraphs = {m.end() for m in _PARAGRAPH.finditer(article)}
    sentences = {m.end() for m in _SENTENCE.finditer(article)}
    starts = sorted((paragraphs | sentences) - {0, len(article)})
    return starts, paragraphs


def cut(article: str, budget: int, *, overlap: int | None = None) -> list[Chunk]:
    """`article` in chunks of at most `budget` characters (the whole article when it fits); each
    after the first begins with up to `overlap` characters (a fifth of the budget when None) of
    whole sentences from the end of the one before."""
    if budget <= 0:
        raise ValueError("budget must be positive")
    if len(article) <= budget:
        return [Chunk(0, len(article), article)]
    overlap = budget // 5 if overlap is None else overlap
    starts, paragraphs = _boundaries(article)
    ranges: list[tuple[int, int]] = []
    start = 0
    while len(article) - start > budget:
        end = _cut_point(article, starts, paragraphs, start, start + budget)
        ranges.append((start, end))
        # The next chunk starts at the first sentence within `overlap` of the cut, if any.
        i = bisect.bisect_left(starts, max(end - overlap, start + 1))
        start = starts[i] if i < len(starts) and starts[i] < end else end
    ranges.append((start, len(article)))
    return [Chunk(a, b, article[a:b]) for a, b in ranges]


def _cut_point(article: str, starts: list[int], paragraphs: set[int], start: int, limit: int) -> int:
    """Where the chunk from `start` ends, at most at `limit`: the last paragraph break in its
    second half, else the last sentence end, else the last space, else `limit`."""
    lo = bisect.bisect_right(starts, start)
    hi = bisect.bisect_right(starts, limit)
    inside = starts[lo:hi]
    half = start + (limit - start) // 2
    for at in reversed(inside):
        if at < half:
            break
        if at in paragraphs:
            return at
    if inside and inside[-1] > start + (limit - start) // 4:
        return inside[-1]
    space = article.rfind(" ", half, limit)
    return space + 1 if space != -1 else limit
