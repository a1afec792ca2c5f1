"""Merge attributions found by two engines, one to one by content overlap.

A pair matches when their contents share at least half of the shorter content's characters;
pairs are taken best overlap first, so each item is used once. An item found by both keeps the
model's statement (written for a reader) and the rules' spans, which follow the annotation
conventions exactly (the content from the reporting verb's complement, "that" included); the
model's source is kept when the rules found none. What only one engine found is kept as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..schema import Attribution
from ..text import overlap_share

__all__ = ["merge_attributions"]

_MIN_SHARE = 0.5


def _share(a: Attribution, b: Attribution) -> float:
    if a.content_span is None or b.content_span is None:
        return 0.0
    return overlap_share(a.content_span, b.content_span)


def merge_attributions(
    model: Sequence[Attribution], rules: Sequence[Attribution]
) -> list[Attribution]:
    """The model's attributions with the rules' merged in, each marked with `found_by`."""
    candidates = sorted(
        ((_share(m, r), i, j) for i, m in enumerate(model) for j, r in enumerate(rules)),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for share, i, j in candidates:
        if share < _MIN_SHARE:
            break
        if i not in pairs and j not in used:
            pairs[i] = j
            used.add(j)
    merged: list[Attribution] = []
    for i, m in enumerate(model):
        if i in pairs:
            merged.append(_both(m, rules[pairs[i]]))
        else:
            merged.append(m.model_copy(update={"found_by": "model"}))
    merged += [r.model_copy(update={"found_by": "rules"}) for j, r in enumerate(rules) if j not in used]
    merged.sort(key=lambda a: (a.content_span.start if a.content_span else -1))
    return merged


def _both(model: Attribution, rules: Attribution) -> Attribution:
    source, source_span, source_type = rules.source, rules.source_span, rules.source_type
    if source is None and model.source is not None:
        source, source_span, source_type = model.source, model.source_span, model.source_type
    return model.model_copy(update={
        "source": source,
        "source_span": source_span,
        "source_type": source_type,
        "cue": rules.cue,
        "cue_span": rules.cue_span,
        "content": rules.content,
        "content_span": rules.content_span,
        "direct": rules.direct or model.direct,
        "found_by": "both",
    })
