"""An extractive summary: whole sentences of the article, chosen without a model.

News is written top-down, so the lead carries the story: the summary is the first sentences of
the body (a headline, a short line without a full stop, is passed over), and the key points are
the opening sentences of the paragraphs that follow. Every string is the article's own words.
"""

from __future__ import annotations

from ._text import Sentence, sentences

__all__ = ["extractive_summary"]

_SUMMARY_SENTENCES = 2
_KEY_POINTS = 5
_MIN_WORDS = 6  # shorter lines are headlines, datelines or captions


def _is_body(text: str, sent: Sentence) -> bool:
    words = sum(1 for t in sent.tokens if t.text[0].isalnum())
    return words >= _MIN_WORDS and text[sent.end - 1] in ".!?\"”'’)"


def extractive_summary(text: str) -> tuple[str, list[str]]:
    """A summary (the lead's first sentences) and key points (later paragraphs' first sentences)."""
    body = [s for s in sentences(text) if _is_body(text, s)]
    if not body:
        return text.strip()[:300], []
    lead = body[:_SUMMARY_SENTENCES]
    summary = " ".join(text[s.start : s.end] for s in lead)
    used = {lead[-1].paragraph}
    points: list[str] = []
    for sent in body[len(lead) :]:
        if sent.paragraph in used:
            continue
        used.add(sent.paragraph)
        points.append(text[sent.start : sent.end])
        if len(points) == _KEY_POINTS:
            break
    return summary, points
