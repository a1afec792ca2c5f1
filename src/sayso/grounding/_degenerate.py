"""Drop the items a model fills in without meaning: grounded, but saying nothing.

Small models copy one phrase into every field: an attribution whose source, cue and content are
all "the Israeli Prime Minister's", or a claim whose evidence is its own source. Such an item is
in the article word for word, so grounding keeps it; these checks remove it and say why. Words
are compared folded (Unicode compatibility form, case, apostrophes) and without punctuation or a
possessive ending, so "the Prime Minister’s" and "The prime minister" are the same words.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from pydantic import BaseModel

from ..schema import Attribution, Claim
from ._ground import Dropped

__all__ = ["degenerate_reason", "drop_degenerate"]

_WORD = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"'s\b")
_APOSTROPHES = str.maketrans("\u2019\u2018\u02bc", "'''")
_ARTICLES = frozenset(["the", "a", "an"])
# A title-case headline's words that a name never ends with ("The Mythology Of ...").
_LINKS = frozenset(["of", "for", "with", "to", "on", "in", "at", "by", "and", "or"])


@functools.lru_cache(maxsize=4096)  # an answer names the same few sources again and again
def _words(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    if not text.isascii():  # asked of every item of every answer: fold only what needs it
        text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    return tuple(_WORD.findall(_POSSESSIVE.sub("", text.casefold())))


def _is_name(cue: str) -> bool:
    """Whether a cue reads as a noun phrase naming someone ("the Israeli Prime Minister"): an
    article, then only capitalised words. A headline's title-case verbs ("Sides With") and
    "According to" are not."""
    words = [w for w in cue.split() if any(ch.isalpha() for ch in w)]
    return (len(words) >= 2 and words[0].lower() in _ARTICLES and words[-1].lower() not in _LINKS
            and all(w[0].isupper() for w in words[1:]))


def _within(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether every word of `part` is one of `whole`'s."""
    return bool(part) and set(part) <= set(whole)


def _alike(a: str | None, b: str | None) -> bool:
    """Whether two values are close enough in length to be the same words (punctuation,
    spacing and a possessive aside): most pairs are not, and need no folding."""
    return bool(a) and bool(b) and len(a) <= 2 * len(b) + 8 and len(b) <= 2 * len(a) + 8  # type: ignore[arg-type]


def _same(a: str | None, b: str | None) -> bool:
    return _alike(a, b) and _words(a) == _words(b) != ()


def degenerate_reason(item: BaseModel) -> str | None:
    """Why an attribution or a claim says nothing, or None when it is fine."""
    if isinstance(item, Attribution):
        cue_is_source = _same(item.cue, item.source)
        if cue_is_source and _same(item.content, item.source):
            return "its source, cue and content are the same words"
        if cue_is_source or _is_name(item.cue):
            return "its cue is a name, not reporting words"
        if _same(item.content, item.source):
            return "its content is only its source"
    if isinstance(item, Claim) and _alike(item.evidence, item.attributed_to) and _within(
        _words(item.evidence), _words(item.attributed_to)
    ):
        return "its evidence is only its own source (attributed_to)"
    return None


def drop_degenerate(output: BaseModel) -> list[Dropped]:
    """Remove every degenerate attribution and claim from the lists of `output`, in place."""
    dropped: list[Dropped] = []
    for name in type(output).model_fields:
        value: Any = output.__dict__.get(name)
        if not isinstance(value, list):
            continue
        kept = []
        for i, item in enumerate(value):
            reason = degenerate_reason(item) if isinstance(item, BaseModel) else None
            if reason is None:
                kept.append(item)
            else:
                dropped.append(Dropped(f"{name}[{i}]", {}, item.model_dump(mode="json"), reason))
        value[:] = kept
    return dropped
