"""Attribution scores against gold spans.

A predicted attribution matches a gold one when the characters its content span shares with the
gold content cover at least a share (0.3, 0.8) of the gold content's characters (the Gender Gap
Tracker's measure), or, for *exact*, when both spans are equal once whitespace and punctuation at
their edges are set aside (Citron's strictest measure); the gold span is the covering range of
its fragments. Pairs are matched one to one, best overlap first. Source accuracy counts the
matched pairs (at 0.3) whose predicted source overlaps the gold source, or where both are absent.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..schema import Attribution
from ..text import Span
from ._brat import Fragments, GoldAttribution

__all__ = ["Counts", "PredictedAttribution", "Score", "score_article"]

THRESHOLDS = (0.3, 0.8)


@dataclass(frozen=True)
class PredictedAttribution:
    content: Span
    source: Span | None = None

    @classmethod
    def of(cls, attributions: Iterable[Attribution]) -> list[PredictedAttribution]:
        """The attributions that were located in the text, as the scores see them."""
        return [cls(a.content_span, a.source_span) for a in attributions if a.content_span is not None]


@dataclass
class Counts:
    """Matched, predicted and gold counts, which add up across articles."""

    matched: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.matched += other.matched
        self.predicted += other.predicted
        self.gold += other.gold

    def score(self) -> dict[str, float]:
        p = self.matched / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)
        r = self.matched / self.gold if self.gold else (1.0 if not self.predicted else 0.0)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


@dataclass
class Score:
    """The counts of one article, or of many added together."""

    by_measure: dict[str, Counts] = field(
        default_factory=lambda: {name: Counts() for name in ("exact", *_overlap_names())}
    )
    source_correct: int = 0
    source_judged: int = 0

    def add(self, other: Score) -> None:
        for name, counts in other.by_measure.items():
            self.by_measure.setdefault(name, Counts()).add(counts)
        self.source_correct += other.source_correct
        self.source_judged += other.source_judged

    @property
    def source_accuracy(self) -> float | None:
        return round(self.source_correct / self.source_judged, 4) if self.source_judged else None

    def to_dict(self) -> dict[str, object]:
        return {
            "attribution": {name: c.score() for name, c in self.by_measure.items()},
            "counts": {
                name: {"matched": c.matched, "predicted": c.predicted, "gold": c.gold}
                for name, c in self.by_measure.items()
            },
            "source_accuracy": self.source_accuracy,
        }


def _overlap_names() -> list[str]:
    return [f"overlap@{t}" for t in THRESHOLDS]


def _is_edge(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] == "P"


def trimmed(text: str, span: Span) -> tuple[int, int]:
    """`span`'s offsets without the whitespace and punctuation at its edges."""
    start, end = span.start, span.end
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return start, end


def overlap(span: Span, fragments: Fragments) -> int:
    return sum(max(0, min(span.end, f.end) - max(span.start, f.start)) for f in fragments)


def _length(fragments: Fragments) -> int:
    return sum(f.end - f.start for f in fragments)


def _one_to_one(candidates: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one assignment, best score first: (score, predicted, gold) -> pairs."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, p, g in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
            pairs.append((p, g))
    return pairs


def score_article(
    text: str, predicted: Sequence[PredictedAttribution], gold: Sequence[GoldAttribution]
) -> Score:
    score = Score()
    for name in score.by_measure:
        score.by_measure[name].predicted = len(predicted)
        score.by_measure[name].gold = len(gold)

    exact = [
        (1.0, i, j)
        for i, p in enumerate(predicted)
        for j, g in enumerate(gold)
        if trimmed(text, p.content) == trimmed(text, g.content_range)
    ]
    score.by_measure["exact"].matched = len(_one_to_one(exact))

    shares = [
        (overlap(p.content, g.content) / max(_length(g.content), 1), i, j)
        for i, p in enumerate(predicted)
        for j, g in enumerate(gold)
    ]
    for threshold, name in zip(THRESHOLDS, _overlap_names(), strict=True):
        pairs = _one_to_one([c for c in shares if c[0] >= threshold and c[0] > 0])
        score.by_measure[name].matched = len(pairs)
        if threshold == THRESHOLDS[0]:
            for i, j in pairs:
                p_source, g_source = predicted[i].source, gold[j].source
                score.source_judged += 1
                if (p_source is None and g_source is None) or (p_source is not None and g_source is not None and overlap(p_source, g_source) > 0):
                    score.source_correct += 1
    return score
