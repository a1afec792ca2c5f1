"""Ground every `Grounded` field of a parsed answer in the article.

`ground()` walks the answer, replaces each grounded value by the exact article substring, fills the
matching `<field>_span`, and reports what it could not find. `drop()` then removes what is still
ungrounded after the last re-ask: the list element that holds it, or the value itself when it is
optional and stands outside a list.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..schema import Grounded, SpanMatch
from ..text import ArticleIndex, Match, Span

__all__ = ["MATCHES", "NOT_FOUND", "Dropped", "Grounding", "Missing", "drop", "ground", "grounded_fields", "models_in"]


# The field, on a model that has it, where grounding records how each value was found.
MATCHES = "matches"


@dataclass
class Missing:
    """A grounded value that is not in the article."""

    path: str  # e.g. "attributions[2].content"
    text: str
    item: BaseModel  # the model that holds the value
    item_path: str  # e.g. "attributions[2]"
    container: list[Any] | None  # the list the item stands in, if any
    field_name: str
    nullable: bool


@dataclass
class Grounding:
    """What one pass over an answer found."""

    found: int = 0
    missing: list[Missing] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.found + len(self.missing)


NOT_FOUND = "its words are not in the article"


@dataclass(frozen=True)
class Dropped:
    """An item removed from the output: its words are not in the article, or it is degenerate
    (see `drop_degenerate`); `reason` says which."""

    path: str  # where it stood, e.g. "attributions[2]"
    missing: dict[str, str]  # field name -> the text that was not found (empty when degenerate)
    item: dict[str, Any]  # the item as the model gave it
    reason: str = NOT_FOUND

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "missing": self.missing, "item": self.item, "reason": self.reason}


def grounded_fields(model: type[BaseModel]) -> list[str]:
    return list(_grounded_names(model))


@functools.lru_cache(maxsize=256)
def _grounded_names(model: type[BaseModel]) -> tuple[str, ...]:
    # Asked for every item of every answer; a class's fields do not change.
    return tuple(name for name, info in model.model_fields.items() if _is_grounded(info))


def _is_grounded(info: FieldInfo) -> bool:
    return any(isinstance(m, Grounded) or m is Grounded for m in info.metadata)


def _nullable(info: FieldInfo) -> bool:
    annotation = info.annotation
    origin = typing.get_origin(annotation)
    return (origin is typing.Union or origin is types.UnionType) and type(None) in typing.get_args(
        annotation
    )


def ground(answer: BaseModel, index: ArticleIndex) -> Grounding:
    """Ground `answer` in place; return what was found and what was not."""
    result = Grounding()
    last: dict[int, int] = {}  # per list, where its previous item was placed
    for item, path, container in _items(answer, "", None):
        key = id(container)
        placed = _ground_item(item, path, container, index, result, last.get(key))
        if placed is not None and container is not None:
            last[key] = placed
    return result


def models_in(value: Any) -> typing.Iterator[BaseModel]:
    """Every model in `value` (itself included, then what its fields and lists hold)."""
    return (item for item, _, _ in _items(value, "", None))


def _items(value: Any, path: str, container: list[Any] | None) -> typing.Iterator[
    tuple[BaseModel, str, list[Any] | None]
]:
    if isinstance(value, BaseModel):
        yield value, path, container
        for name in type(value).model_fields:
            child = value.__dict__.get(name)
            yield from _items(child, f"{path}.{name}" if path else name, None)
    elif isinstance(value, list):
        for i, element in enumerate(value):
            yield from _items(element, f"{path}[{i}]", value)
    elif isinstance(value, tuple):
        for i, element in enumerate(value):
            yield from _items(element, f"{path}[{i}]", None)
    elif isinstance(value, dict):
        for key, element in value.items():
            yield from _items(element, f"{path}[{key!r}]", None)


def _ground_item(
    item: BaseModel,
    path: str,
    container: list[Any] | None,
    index: ArticleIndex,
    result: Grounding,
    after: int | None,
) -> int | None:
    """Ground `item`'s fields; return where its anchor was placed. `after` is where the item
    before it in the same list was placed: among equal places, the first after it wins."""
    fields = type(item).model_fields
    names = list(_grounded_names(type(item)))
    if not names:
        return None
    # The longest value anchors the item; shorter ones ("said") take the place nearest to it.
    names.sort(key=lambda n: -len(item.__dict__.get(n) or ""))
    anchor: int | None = None
    placed: list[Match] = []
    for name in names:
        value = item.__dict__.get(name)
        span_name = f"{name}_span"
        nullable = _nullable(fields[name])
        if value is None or (nullable and isinstance(value, str) and not value.strip()):
            item.__dict__[name] = None
            _set_span(item, span_name, None)
            _set_match(item, name, None)
            continue
        if not isinstance(value, str):
            continue
        if anchor is None:
            others = [v for n in names if n != name and isinstance(v := item.__dict__.get(n), str) and v.strip()]
            match = _place(value, others, index, after)
        else:
            match = _nearest(value, placed, index)
        if match is None:
            result.missing.append(
                Missing(
                    path=f"{path}.{name}" if path else name,
                    text=value,
                    item=item,
                    item_path=path,
                    container=container,
                    field_name=name,
                    nullable=nullable,
                )
            )
            continue
        result.found += 1
        item.__dict__[name] = index.text[match.start : match.end]
        _set_span(item, span_name, Span(start=match.start, end=match.end))
        _set_match(item, name, match)
        placed.append(match)
        if anchor is None:
            anchor = match.start
    return anchor


# A sentence ends between two values: they belong to one attribution less likely than any gap.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s")
_ACROSS_SENTENCES = 1_000


def _gap(a: Match, b: Match, text: str) -> int:
    """How far apart two values stand, in characters, a sentence end counting as many."""
    start, end = min(a.end, b.end), max(a.start, b.start)
    if end <= start:
        return 0
    return end - start + _ACROSS_SENTENCES * len(_SENTENCE_END.findall(text, start - 1, end + 1))


def _nearest(value: str, placed: list[Match], index: ArticleIndex) -> Match | None:
    """Where `value` stands closest to the item's values already placed: of the places nearest
    either end of the anchor (the first placed), the one closest to any of them."""
    anchor = placed[0]
    hits = {hit for near in (anchor.start, anchor.end)
            if (hit := index.locate(value, near=near)) is not None}
    if len(hits) <= 1:
        return next(iter(hits), None)
    return min(hits, key=lambda hit: (min(_gap(hit, p, index.text) for p in placed), hit.start))


# Of a string the article repeats, at most this many places are weighed.
_MAX_PLACES = 64


def _place(value: str, others: list[str], index: ArticleIndex, after: int | None) -> Match | None:
    """Where an item's anchor (its longest value) stands when the article repeats it: the place
    with the item's other values (source, cue) closest around it; among equally close places,
    the first after the list's previous item, as a model lists items in the article's order."""
    found = index.locate_all(value)
    if len(found) <= 1:
        return found[0] if found else None
    if after is not None:
        found.sort(key=lambda m: (m.start <= after, abs(m.start - after)))
    found = found[:_MAX_PLACES]

    def spread(m: Match) -> int:
        total = 0
        for other in others:
            hit = index.locate(other, near=m.start)
            if hit is not None:
                total += _gap(hit, m, index.text)
        return total

    return min(found, key=spread) if others else found[0]


def _set_span(item: BaseModel, span_name: str, span: Span | None) -> None:
    if span_name in type(item).model_fields:
        item.__dict__[span_name] = span


def _set_match(item: BaseModel, name: str, match: Match | None) -> None:
    """Record how `name` was found, when the item keeps a record (a `matches` field)."""
    if MATCHES not in type(item).model_fields:
        return
    matches = dict(item.__dict__.get(MATCHES) or {})
    if match is None:
        matches.pop(name, None)
    else:
        # Made for every value of every answer: built as it is, the values being known good.
        matches[name] = SpanMatch.model_construct(how=match.how, score=round(match.score, 1))
    item.__dict__[MATCHES] = matches


def drop(missing: list[Missing]) -> tuple[list[Dropped], list[Missing]]:
    """Remove what could not be grounded. Returns what was dropped, and what could not be
    (a required value outside any list)."""
    by_item: dict[int, list[Missing]] = {}
    for m in missing:
        by_item.setdefault(id(m.item), []).append(m)
    dropped: list[Dropped] = []
    stuck: list[Missing] = []
    for group in by_item.values():
        first = group[0]
        snapshot = first.item.model_dump(mode="json")
        if first.container is not None:
            first.container[:] = [x for x in first.container if x is not first.item]
            dropped.append(Dropped(first.item_path, {m.field_name: m.text for m in group}, snapshot))
            continue
        for m in group:
            if m.nullable:
                m.item.__dict__[m.field_name] = None
                _set_span(m.item, f"{m.field_name}_span", None)
                dropped.append(Dropped(m.path, {m.field_name: m.text}, snapshot))
            else:
                stuck.append(m)
    return dropped, stuck
