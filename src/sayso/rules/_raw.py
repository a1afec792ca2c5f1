"""An attribution inside one sentence, in token indices, and the helpers every frame shares."""

from __future__ import annotations

from dataclasses import dataclass

from ._text import QUOTES, Token

__all__ = ["DASHES", "ENDS", "QUOTE_MARKS", "Range", "Raw", "is_closing", "trim"]

Range = tuple[int, int]
ENDS = frozenset({".", "!", "?", ";"})
DASHES = frozenset({"—", "–", "-"})
QUOTE_MARKS = QUOTES
_TRAILING = frozenset({".", ",", ";", ":", "—", "–", "-"})


@dataclass
class Raw:
    """One attribution in token indices of its sentence; `content` is [start, end)."""

    cue: Range
    content: Range
    source: Range | None
    kind: str
    inherit: bool = False  # the source is the clause's subject: ", adding ...", "and said"
    extend: bool = False  # `"A," he said.` may go on with `"B."` in the next sentence
    colon_next: bool = False  # `He said:` at a paragraph's end: the content follows
    quote_prev: bool = False  # `Trump said.` after a quotation that ended the previous sentence


def is_closing(tokens: list[Token], k: int, partner: dict[int, int]) -> bool:
    return tokens[k].text in QUOTES and partner.get(k, k + 1) < k


def trim(tokens: list[Token], start: int, end: int) -> Range | None:
    while end > start and tokens[end - 1].text in _TRAILING:
        end -= 1
    while start < end and tokens[start].text in (",", ":", ";", "—", "–"):
        start += 1
    if not any(tokens[i].text[0].isalnum() for i in range(start, end)):
        return None
    return start, end
