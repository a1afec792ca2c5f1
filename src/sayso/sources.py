"""Who gets quoted across articles: one row per speaker, over every article of a batch.

An attribution is counted under its `speaker` (the name sayso resolved, in full), and, when no
speaker was resolved, under its `source` as written (which may be a pronoun or a surname alone);
an attribution with neither is counted in one row whose speaker is None. Names are compared
without case, quote-mark style, spacing or a leading "the". A person's name of two words or more
that ends another person's name is the same person (`Elena Ruiz` and `Mayor Elena Ruiz`), unless
it ends two names that differ otherwise (`Mayor John Smith`, `Coach John Smith`): then each stays
a row of its own. A surname alone is never joined to a full name: across articles it may be
someone else.

    >>> from sayso.sources import read_sources
    >>> for row in read_sources("results.jsonl"):          # doctest: +SKIP
    ...     print(row.speaker, row.attributions, row.articles, row.direct)
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ._errors import InputError

__all__ = ["COLUMNS", "SourceRow", "count_sources", "read_outputs", "read_sources", "speakers_by_article"]

COLUMNS = ("speaker", "source_type", "attributions", "articles", "direct", "sample")
# Words in the longest name joined to a shorter one: a longer "source" is a phrase, not a name,
# and its endings would cost the square of its length.
_LONGEST_NAME = 8
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class SourceRow:
    """One speaker over all the articles counted."""

    speaker: str | None  # the form of the name seen most often (the longest of those tied)
    source_type: str | None  # the type given most often
    attributions: int
    articles: int  # how many articles quote them
    direct: int  # how many of their attributions hold a direct quotation
    sample: str  # one thing they said: their first direct quotation, else their first content

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Said:
    article: int
    name: str | None
    source_type: str | None
    content: str
    direct: bool


def _key(name: str) -> tuple[str, ...]:
    words = name.translate(_QUOTES).casefold().split()
    return tuple(words[1:] if len(words) > 1 and words[0] == "the" else words)


def _attributions(output: BaseModel | dict[str, Any]) -> list[Any]:
    data = output.model_dump(mode="json") if isinstance(output, BaseModel) else output
    found = data.get("attributions") if isinstance(data, dict) else None
    return found if isinstance(found, list) else []


def _said(article: int, a: dict[str, Any]) -> _Said:
    name = a.get("speaker") or a.get("source")
    return _Said(
        article=article,
        name=name.strip() or None if isinstance(name, str) else None,
        source_type=a.get("source_type") if isinstance(a.get("source_type"), str) else None,
        content=str(a.get("content") or ""),
        direct=a.get("direct") is True,
    )


def _people_joined(keys: dict[tuple[str, ...], bool]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each person's key mapped to the longer key it is the end of, when there is exactly one
    such name (after joining nested ones: `Elena Ruiz` < `Mayor Elena Ruiz` < `Former Mayor Elena Ruiz`)."""
    longer: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for key, person in keys.items():
        if person and len(key) <= _LONGEST_NAME:
            for start in range(1, len(key) - 1):  # every ending of two words or more
                longer.setdefault(key[start:], set()).add(key)
    joined: dict[tuple[str, ...], tuple[str, ...]] = {}
    for short, names in longer.items():
        if short not in keys or not keys[short]:
            continue
        # The names it ends must themselves be one chain: the longest ends with every other.
        longest = max(names, key=len)
        if all(longest[len(longest) - len(n):] == n for n in names):
            joined[short] = longest
    return joined


def _grouped(saids: list[_Said]) -> tuple[dict[tuple[str, ...], list[_Said]], dict[tuple[str, ...] | None, tuple[str, ...] | None]]:
    keys: dict[tuple[str, ...], bool] = {}
    for s in saids:
        if s.name is not None:
            key = _key(s.name)
            keys[key] = keys.get(key, False) or s.source_type == "person"
    joined = _people_joined(keys)
    row_of: dict[tuple[str, ...] | None, tuple[str, ...] | None] = {None: None}
    for key in keys:
        row_of[key] = joined.get(key, key)
    groups: dict[tuple[str, ...], list[_Said]] = {}
    for s in saids:
        row = row_of[_key(s.name)] if s.name is not None else ()
        groups.setdefault(row or (), []).append(s)
    return groups, row_of


def _row(saids: list[_Said]) -> SourceRow:
    names = Counter(s.name for s in saids if s.name is not None)
    speaker = max(names, key=lambda n: (names[n], len(n))) if names else None
    types = Counter(s.source_type for s in saids if s.source_type is not None)
    direct = [s for s in saids if s.direct]
    return SourceRow(
        speaker=speaker,
        source_type=types.most_common(1)[0][0] if types else None,
        attributions=len(saids),
        articles=len({s.article for s in saids}),
        direct=len(direct),
        sample=(direct or saids)[0].content,
    )


def _collect(outputs: Iterable[BaseModel | dict[str, Any]]) -> list[list[_Said | None]]:
    """Each output's attributions, in order; None for an entry that is not an object."""
    return [
        [_said(n, a) if isinstance(a, dict) else None for a in _attributions(o)]
        for n, o in enumerate(outputs)
    ]


def count_sources(outputs: Iterable[BaseModel | dict[str, Any]]) -> list[SourceRow]:
    """One row per speaker over `outputs` (`ArticleSummary` objects or their JSON), most
    attributions first; the row of attributions with no source at all comes last."""
    saids = [s for article in _collect(outputs) for s in article if s is not None]
    groups, _ = _grouped(saids)
    rows = [_row(group) for group in groups.values()]
    return sorted(rows, key=lambda r: (r.speaker is None, -r.attributions, -r.articles, r.speaker or ""))


def speakers_by_article(outputs: Iterable[BaseModel | dict[str, Any]]) -> list[list[str | None]]:
    """For each output, the row speaker (as `count_sources` names it) of each attribution."""
    articles = _collect(outputs)
    groups, row_of = _grouped([s for article in articles for s in article if s is not None])
    named = {key: _row(group).speaker for key, group in groups.items()}
    return [
        [named[row_of[_key(s.name)] or ()] if s is not None and s.name is not None else None for s in article]
        for article in articles
    ]


def read_outputs(path: str | Path) -> tuple[list[dict[str, Any]], int]:
    """The outputs of a results file (`sayso summarize --out x.jsonl`), and how many lines held
    an error or no output instead."""
    outputs: list[dict[str, Any]] = []
    skipped = 0
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    raise InputError(f"line {number} of {Path(path).name} is not JSON: {exc}") from None
                output = record.get("output") if isinstance(record, dict) else None
                if isinstance(output, dict):
                    outputs.append(output)
                else:
                    skipped += 1
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    return outputs, skipped


def read_sources(path: str | Path) -> list[SourceRow]:
    """`count_sources` over the outputs of a results file; lines that hold an error are skipped."""
    return count_sources(read_outputs(path)[0])
