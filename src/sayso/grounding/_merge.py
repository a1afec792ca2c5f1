"""Merge the rules' attributions into the model's, keeping the model's words where it found them.

Pairs are made one to one on content overlap (at least half of the shorter content), best
overlap first, so that two of the model's items never merge into one and none is dropped. An
item found by both keeps every word the model gave it (its spans stand) and takes from the
rules only what the model left empty: a source. What the rules found alone is added only when
`worth_adding()` says it is likely right (see `_candidates`), or, when the model was asked to
confirm the candidates (`_confirm`), when it confirmed them.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from ..schema import Attribution
from ..text import overlap_share
from ._candidates import Contents, describe, worth_adding

if TYPE_CHECKING:
    from ..rules import Lexicon

__all__ = ["merge_attributions", "rules_only"]

_MIN_SHARE = 0.5


def _meeting(model: Sequence[Attribution], rules: Sequence[Attribution]) -> list[tuple[int, int]]:
    """Every (model, rules) pair of indices whose contents meet, in a sweep over the starts
    rather than over every pair: only the rules' contents still open are looked at."""
    spans = [(a.content_span.start, a.content_span.end, j) for j, a in enumerate(rules) if a.content_span]
    spans.sort()
    open_ends: list[tuple[int, int, int]] = []  # (end, start, rules index) of the contents begun so far
    at = 0
    meeting = []
    for i in sorted(range(len(model)), key=lambda i: _start(model[i])):
        span = model[i].content_span
        if span is None:
            continue
        while at < len(spans) and spans[at][0] < span.end:
            heapq.heappush(open_ends, (spans[at][1], spans[at][0], spans[at][2]))
            at += 1
        while open_ends and open_ends[0][0] <= span.start:
            heapq.heappop(open_ends)
        # A content begun for a longer model item may start after this one ends.
        meeting += [(i, j) for _, start, j in open_ends if start < span.end]
    return meeting


def _pairs(model: Sequence[Attribution], rules: Sequence[Attribution]) -> dict[int, int]:
    """model index -> rules index, one to one, best content overlap first."""
    candidates = []
    for i, j in _meeting(model, rules):
        share = overlap_share(model[i].content_span, rules[j].content_span)  # type: ignore[arg-type]
        if share >= _MIN_SHARE:
            candidates.append((share, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in candidates:
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    return pairs


def _start(a: Attribution) -> int:
    return a.content_span.start if a.content_span else -1


def merge_attributions(
    model: Sequence[Attribution],
    rules: Sequence[Attribution],
    lexicon: Lexicon,
    confirmed: Collection[tuple[int, int]] | None = None,
) -> list[Attribution]:
    """The model's attributions, each kept, with the rules' merged in and `found_by` set on all;
    `lexicon` is the rules' own, which tells the frame of each candidate's cue. With `confirmed`
    (content spans the model confirmed, see `_confirm`), the rules' candidates added are those,
    in place of `worth_adding`'s choice."""
    pairs = _pairs(model, rules)
    merged = [_both(m, rules[pairs[i]]) if i in pairs else m.model_copy(update={"found_by": "model"})
              for i, m in enumerate(model)]
    contents = Contents(model)
    for r in _unpaired(rules, pairs):
        candidate = describe(r, contents, lexicon)
        if confirmed is None:
            chosen = worth_adding(candidate)
        else:
            chosen = not candidate.covered and _span(r) in confirmed
        if chosen:
            merged.append(r.model_copy(update={"found_by": "rules"}))
    merged.sort(key=_start)
    return merged


def rules_only(model: Sequence[Attribution], rules: Sequence[Attribution]) -> list[Attribution]:
    """The rules' attributions that pair with none of the model's and meet none of its contents."""
    contents = Contents(model)
    return [r for r in _unpaired(rules, _pairs(model, rules)) if not contents.meet(r.content_span)]


def _unpaired(rules: Sequence[Attribution], pairs: dict[int, int]) -> list[Attribution]:
    paired = set(pairs.values())
    return [r for j, r in enumerate(rules) if j not in paired]


def _span(a: Attribution) -> tuple[int, int] | None:
    return (a.content_span.start, a.content_span.end) if a.content_span else None


def _both(model: Attribution, rules: Attribution) -> Attribution:
    update: dict[str, object] = {"found_by": "both"}
    if model.source is None and rules.source is not None:
        update |= {"source": rules.source, "source_span": rules.source_span,
                   "source_type": rules.source_type, "speaker": rules.speaker,
                   "speaker_span": rules.speaker_span}
    return model.model_copy(update=update)
