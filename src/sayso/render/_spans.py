"""Highlights in an article: the spans of an output, and the text cut into flat segments.

Spans may nest and overlap, so they are never drawn as nested tags. The text is split at every
span boundary into flat segments, each carrying only what is bounded whatever the spans: its
offset, the kinds of highlight over it (four at most), the innermost span's title, and the labels
of the spans that begin there. Which spans cover a segment is not written on it (2,000 nested
spans would write each of them on some 4,000 segments); each item's row lists its spans' offsets
once, and the page's script finds a span's segments by their offsets. The page is so linear in
the number of spans, and so is the time to make it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

__all__ = ["KINDS", "Mark", "Segment", "article_html", "collect_marks", "item_spans", "segments"]

# Each kind of highlight, in drawing order (wider kinds first) and the short label it carries.
KINDS: dict[str, str] = {"evidence": "ev", "content": "con", "source": "src", "cue": "cue"}
_ATTRIBUTION_KINDS = ("source", "cue", "content")
_MAX_NOTES = 20


@dataclass(frozen=True)
class Mark:
    """One highlighted span: `kind` of item `item` ("a3": attributions[3], "c0": claims[0])."""

    item: str
    kind: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return f"{self.item}-{self.kind}"

    @property
    def label(self) -> str:
        return f"{KINDS[self.kind]}{int(self.item[1:]) + 1}"

    @property
    def title(self) -> str:
        what = "attribution" if self.item.startswith("a") else "claim"
        return f"{self.kind} of {what} {int(self.item[1:]) + 1}"


@dataclass(frozen=True)
class Segment:
    """Text `[start, end)`: the kinds of highlight covering it, the innermost (shortest) mark over
    it and how many cover it in all, and the marks that begin at `start`."""

    start: int
    end: int
    kinds: tuple[str, ...] = ()
    innermost: Mark | None = None
    covering: int = 0
    opening: tuple[Mark, ...] = ()


def _bounds(value: Any, length: int) -> tuple[int, int] | str | None:
    """The span's offsets, None when there is no span, or why it cannot be drawn."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return "is not an object with start and end"
    start, end = value.get("start"), value.get("end")
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
        return "has no whole-number start and end"
    assert isinstance(start, int) and isinstance(end, int)
    if end < start:
        return f"is reversed ({start}–{end})"
    if start < 0 or end > length:
        return f"is outside the text ({start}–{end}, text length {length})"
    if start == end:
        return f"is empty ({start}–{end})"
    return start, end


def _items(output: dict[str, Any]) -> Iterable[tuple[str, str, str, Any]]:
    """(item, kind, path, item dict) for every field that may carry a span."""
    for i, item in enumerate(output.get("attributions") or []):
        for kind in _ATTRIBUTION_KINDS:
            yield f"a{i}", kind, f"attributions[{i}].{kind}", item
    for i, item in enumerate(output.get("claims") or []):
        yield f"c{i}", "evidence", f"claims[{i}].evidence", item


def collect_marks(output: dict[str, Any], text: str) -> tuple[list[Mark], list[str]]:
    """The marks an ArticleSummary-shaped output draws on `text`, and notes on spans left out."""
    marks: list[Mark] = []
    notes: list[str] = []
    mismatched = 0
    for item, kind, path, fields in _items(output):
        if not isinstance(fields, dict):
            continue
        bounds = _bounds(fields.get(f"{kind}_span"), len(text))
        if isinstance(bounds, str):
            notes.append(f"{path}: the span {bounds}; not highlighted.")
        elif bounds is not None:
            start, end = bounds
            marks.append(Mark(item, kind, start, end))
            value = fields.get(kind)
            if isinstance(value, str) and text[start:end] != value:
                mismatched += 1
    if len(notes) > _MAX_NOTES:
        notes[_MAX_NOTES:] = [f"…and {len(notes) - _MAX_NOTES} more spans not highlighted."]
    if mismatched:
        notes.append(
            f"{mismatched} span(s) do not hold the words the output gives for them: "
            "the text may differ from the one the run read."
        )
    return marks, notes


def segments(length: int, marks: Iterable[Mark]) -> list[Segment]:
    """`[0, length)` cut at every span boundary, each piece with what covers it; in
    O((pieces + marks) log marks), whatever their nesting."""
    starts: dict[int, list[Mark]] = {}
    ends: dict[int, list[Mark]] = {}
    for mark in marks:
        starts.setdefault(mark.start, []).append(mark)
        ends.setdefault(mark.end, []).append(mark)
    cuts = sorted({0, length, *starts, *ends})
    per_kind = dict.fromkeys(KINDS, 0)
    innermost: list[tuple[int, int, str, str, Mark]] = []  # a heap; ended marks leave it lazily
    active = 0
    pieces: list[Segment] = []
    for here, after in pairwise(cuts):
        for mark in ends.get(here, ()):
            per_kind[mark.kind] -= 1
            active -= 1
        opening = sorted(starts.get(here, ()), key=_innermost_first)
        for mark in opening:
            per_kind[mark.kind] += 1
            active += 1
            heapq.heappush(innermost, (*_innermost_first(mark), mark))
        while innermost and innermost[0][-1].end <= here:
            heapq.heappop(innermost)
        kinds = tuple(k for k in KINDS if per_kind[k])
        inner = innermost[0][-1] if innermost else None
        pieces.append(Segment(here, after, kinds, inner, active, tuple(opening)))
    return pieces


def _innermost_first(mark: Mark) -> tuple[int, int, str, str]:
    return (mark.end - mark.start, mark.start, mark.item, mark.kind)


def item_spans(marks: Iterable[Mark]) -> dict[str, str]:
    """For each item, its drawn spans as `key:start:end` words: what its row carries, so that
    the page's script finds the segments of a span by their offsets."""
    found: dict[str, list[str]] = {}
    for mark in marks:
        found.setdefault(mark.item, []).append(f"{mark.key}:{mark.start}:{mark.end}")
    return {item: " ".join(words) for item, words in found.items()}


def _escaped(text: str) -> str:
    # A browser reads a bare CR (or CR LF) as one LF, which would shift every offset after it;
    # a character reference keeps it.
    return str(escape(text)).replace("\r", "&#13;")


def _segment_html(text: str, piece: Segment) -> str:
    body = _escaped(text[piece.start : piece.end])
    if piece.innermost is None:
        return body
    title = piece.innermost.title
    if piece.covering > 1:
        title += f" (and {piece.covering - 1} more)"
    attrs = [
        f'class="hl {" ".join("k-" + k for k in piece.kinds)}"',
        f'data-o="{piece.start}"',
        f'title="{escape(title)}"',
    ]
    if piece.opening:
        # One stop for the keyboard, and one visible label, where each span begins.
        attrs.append(f'data-label="{" ".join(m.label for m in piece.opening)}" tabindex="0"')
    return f"<span {' '.join(attrs)}>{body}</span>"


def article_html(text: str, marks: Iterable[Mark]) -> Markup:
    """The whole text, escaped, with every highlighted segment in a `span.hl` of its own."""
    return Markup("".join(_segment_html(text, piece) for piece in segments(len(text), marks)))
