"""A poll as the source of its figures: `In a new Roe poll, 60 percent said ...`.

A clause whose subject is a share of respondents reports what a poll or survey found; when the
sentence names that poll (`in a ... poll`, `according to a ... survey`), the poll is the source.
"""

from __future__ import annotations

from ._lexicon import Lexicon
from ._raw import Range, Raw
from ._text import Sentence, Token

__all__ = ["poll_sources"]

_SHARES = frozenset(["percent", "%", "percentage", "majority", "plurality"])
_COMPARISONS = frozenset(["compared", "than", "from", "versus", "vs"])
_STOPS = frozenset([",", ".", ";", ":", "—", "–", "(", ")", '"', "“", "”"])


def poll_sources(raws: list[Raw], sent: Sentence, lexicon: Lexicon) -> list[Raw]:
    """The frames of a sentence, a share's source replaced by the poll the sentence names."""
    tokens = sent.tokens
    cues = sorted(raw.cue[0] for raw in raws)
    for raw in raws:
        if raw.source is None or not any(tokens[k].low in _SHARES for k in range(*raw.source)):
            continue
        poll = _poll_phrase(tokens, lexicon, raw.source, cues)
        if poll is not None:
            raw.source = poll
    return raws


def _poll_phrase(tokens: list[Token], lexicon: Lexicon, source: Range, cues: list[int]) -> Range | None:
    """`a new Roe poll released Monday` after `in a` or `according to`, outside the source.

    "in the polls" and "the mid-January poll" refer back or to the vote itself: only a poll
    introduced here (`in a`, `according to`) is taken."""
    for k, tok in enumerate(tokens):
        if source[0] <= k < source[1]:
            continue
        according = tok.low == "to" and k and tokens[k - 1].low == "according"
        if not (according or (tok.low == "in" and k + 1 < len(tokens) and tokens[k + 1].low in ("a", "an"))):
            continue
        if any(t.low in _COMPARISONS for t in tokens[max(0, k - 4) : k]):
            continue  # "..., compared with 50 percent in a similar survey": an earlier poll's figure
        end = next((c for c in cues if c > k), len(tokens))  # a phrase ends before a cue
        stop = k + 1
        while stop < end and tokens[stop].text not in _STOPS and stop - k <= 12:
            stop += 1
        if any(_is_poll(t, lexicon) for t in tokens[k + 1 : min(stop, k + 9)]) and not source[0] <= stop <= source[1]:
            return k + 1, stop
    return None


def _is_poll(tok: Token, lexicon: Lexicon) -> bool:
    word = tok.key[:-1] if tok.key.endswith("s") else tok.key
    return lexicon.type_of.get(word) == "document" and word in ("poll", "survey")
