"""Highlights in an article: the spans of an output, and the text cut into flat segments.

Spans may nest and overlap, so they are never drawn as nested tags. The text is split at every
span boundary; each segment is one element that lists every span covering it. A span's text is
therefore the concatenation of the segments that name it, and tags can never be mis-nested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

__all__ = ["KINDS", "Mark", "Segment", "article_html", "collect_marks", "segments"]

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
    """Text `[start, end)` and the marks covering it, innermost (shortest) first."""

    start: int
    end: int
    marks: tuple[Mark, ...]


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
    """`[0, length)` cut at every span boundary, each piece with the marks that cover it."""
    starts: dict[int, list[Mark]] = {}
    ends: dict[int, list[Mark]] = {}
    for mark in marks:
        starts.setdefault(mark.start, []).append(mark)
        ends.setdefault(mark.end, []).append(mark)
    cuts = sorted({0, length, *starts, *ends})
    active: dict[Mark, None] = {}
    pieces: list[Segment] = []
    for here, after in pairwise(cuts):
        for mark in ends.get(here, ()):
            active.pop(mark, None)
        for mark in starts.get(here, ()):
            active[mark] = None
        covering = sorted(active, key=lambda m: (m.end - m.start, m.start, m.item, m.kind))
        pieces.append(Segment(here, after, tuple(covering)))
    return pieces


def _escaped(text: str) -> str:
    # A browser reads a bare CR (or CR LF) as one LF, which would shift every offset after it;
    # a character reference keeps it.
    return str(escape(text)).replace("\r", "&#13;")


def _segment_html(text: str, piece: Segment) -> str:
    body = _escaped(text[piece.start : piece.end])
    if not piece.marks:
        return body
    kinds = [k for k in KINDS if any(m.kind == k for m in piece.marks)]
    items = list(dict.fromkeys(m.item for m in piece.marks))
    opening = [m for m in piece.marks if m.start == piece.start]
    attrs = [
        f'class="hl {" ".join("k-" + k for k in kinds)}"',
        f'data-o="{piece.start}"',
        f'data-spans="{" ".join(m.key for m in piece.marks)}"',
        f'data-items="{" ".join(items)}"',
        f'title="{escape("; ".join(m.title for m in piece.marks))}"',
    ]
    if opening:
        # One stop for the keyboard, and one visible label, where each span begins.
        attrs.append(f'data-label="{" ".join(m.label for m in opening)}" tabindex="0"')
    return f"<span {' '.join(attrs)}>{body}</span>"


def article_html(text: str, marks: Iterable[Mark]) -> Markup:
    """The whole text, escaped, with every highlighted segment in a `span.hl` of its own."""
    return Markup("".join(_segment_html(text, piece) for piece in segments(len(text), marks)))
