"""One article, however long: extraction in chunks sent at once, spans mapped back to the whole
article, items found twice where chunks overlap merged into one, and the fields that speak of the
whole article (the summary, the key points) written by one reduce request over the chunks'
partial answers. Also extra passes, which add only items that overlap nothing found before.

Which fields are merged and which are reduced follows the schema: a list whose items carry
grounded fields is merged from the chunks; every other field comes from the reduce request.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pydantic
from pydantic import BaseModel

from ..grounding import Dropped, Grounding, grounded_fields, models_in
from ..text import ArticleIndex, Span, overlap_share
from ._chunks import Chunk, cut
from ._conversation import ModelRun, Send, converse
from ._request import RequestSpec, build_reduce_request

__all__ = ["extract", "merged_fields"]

Check = Callable[[dict[str, Any]], None]


def extract(
    article: str,
    spec: RequestSpec,
    send: Send,
    *,
    chunk_chars: int,
    passes: int = 1,
    jobs: int = 4,
    before_first: Check | None = None,
) -> ModelRun:
    """Extract `article` in chunks of at most `chunk_chars` characters (whole when it fits),
    `jobs` chunks at once, each `passes` times. Raises what `converse` raises."""
    chunks = cut(article, chunk_chars)
    if len(chunks) == 1:
        return _passes(article, spec, send, passes, before_first, ArticleIndex(article))

    def one(chunk: Chunk) -> ModelRun:
        run = _passes(chunk.text, spec, send, passes, before_first, ArticleIndex(chunk.text))
        _shift_spans(run.output, chunk.start)
        return run

    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(chunks)))) as pool:
        runs = list(pool.map(one, chunks))
    lists = {name: _merge_chunks([getattr(r.output, name) for r in runs])
             for name in merged_fields(spec.schema)}
    reduced, reduce_run = _reduce(article, spec, send, runs, before_first)
    values = {**reduced, **lists}
    output = spec.schema.model_construct(_fields_set=set(values), **values)
    return _total(output, [*runs, *([reduce_run] if reduce_run else [])], len(chunks))


def merged_fields(schema: type[BaseModel]) -> list[str]:
    """The schema's list fields whose items hold grounded fields (attributions, claims)."""
    names = []
    for name, info in schema.model_fields.items():
        item = _list_item_type(info.annotation)
        if item is not None and grounded_fields(item):
            names.append(name)
    return names


def _list_item_type(annotation: Any) -> type[BaseModel] | None:
    import typing

    if typing.get_origin(annotation) is not list:
        return None
    (item,) = typing.get_args(annotation) or (None,)
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


# -- passes --------------------------------------------------------------------------------------


def _passes(text: str, spec: RequestSpec, send: Send, passes: int, before_first: Check | None,
            index: ArticleIndex) -> ModelRun:
    """`passes` extractions of `text`; from the second on, only items whose place overlaps no
    item already kept are added."""
    first = converse(text, spec, send, index=index, before_first=before_first)
    runs = [first]
    for _ in range(passes - 1):
        more = converse(text, spec, send, index=index)
        runs.append(more)
        for name in merged_fields(spec.schema):
            kept: list[Any] = getattr(first.output, name)
            taken = [e for e in map(_extent, kept) if e is not None]
            for item in getattr(more.output, name):
                place = _extent(item)
                if place is not None and not any(overlap_share(place, t) > 0 for t in taken):
                    kept.append(item)
                    taken.append(place)
            kept.sort(key=_place)
    if len(runs) == 1:
        return first
    total = _total(first.output, runs, 1)
    total.first_grounding = first.first_grounding
    return total


# -- spans and overlaps ----------------------------------------------------------------------------


def _shift_spans(output: BaseModel, offset: int) -> None:
    """Move every span in `output` by `offset`: from the chunk's text to the whole article's."""
    if offset == 0:
        return
    for model in models_in(output):
        for name, value in model.__dict__.items():
            if isinstance(value, Span):
                model.__dict__[name] = Span(start=value.start + offset, end=value.end + offset)


def _extent(item: Any) -> Span | None:
    """Where an item stands: the span of its last grounded field (an attribution's content, a
    claim's evidence: what was said comes after who said it and how), else its longest span.

    Not simply the longest: a chunk may ground a long source ("the Israeli Prime Minister's
    Office") at another mention than its neighbour did, and two copies of one attribution would
    then stand apart. One content is one attribution, wherever its source was found."""
    if not isinstance(item, BaseModel):
        return None
    for name in reversed(grounded_fields(type(item))):
        span = item.__dict__.get(f"{name}_span")
        if isinstance(span, Span):
            return span
    spans = [v for v in item.__dict__.values() if isinstance(v, Span)]
    if not spans:
        return None
    return max(spans, key=lambda s: (s.end - s.start, -s.start))


def _place(item: Any) -> tuple[int, int]:
    """A sort key: items in article order, those with no place first."""
    extent = _extent(item)
    return (extent.start, extent.end) if extent is not None else (-1, -1)


_SAME_ITEM = 0.5  # items from neighbouring chunks that share this much of their place are one


def _merge_chunks(lists: list[list[Any]]) -> list[Any]:
    """The chunks' items in article order, each found twice (in the overlap of two neighbouring
    chunks) kept once: the one with the longer place, which a chunk's edge did not cut short."""
    kept: list[list[Any]] = []
    for items in lists:
        previous = kept[-1] if kept else []
        current: list[Any] = []
        for item in items:
            twin = _twin(item, previous)
            if twin is not None:
                if _length(item) <= _length(previous[twin]):
                    continue
                del previous[twin]  # the longer copy stands for both, with this chunk's items
            current.append(item)
        kept.append(current)
    merged = [item for items in kept for item in items]
    merged.sort(key=_place)
    return merged


def _twin(item: Any, others: list[Any]) -> int | None:
    """The index of the item in `others` that is the same as `item`, if any."""
    place = _extent(item)
    for i, other in enumerate(others):
        if place is None:
            if other == item:  # an item with no place is the same only when it is equal
                return i
            continue
        there = _extent(other)
        if there is not None and overlap_share(place, there) >= _SAME_ITEM:
            return i
    return None


def _length(item: Any) -> int:
    place = _extent(item)
    return place.end - place.start if place else 0


# -- reduce ----------------------------------------------------------------------------------------


def _reduce(article: str, spec: RequestSpec, send: Send, runs: list[ModelRun],
            before_first: Check | None) -> tuple[dict[str, Any], ModelRun | None]:
    """The schema's other fields, written by one request over the chunks' partial answers."""
    reduced = _reduced_schema(spec.schema)
    if reduced is None:
        return {}, None
    names = list(reduced.model_fields)
    reduce_spec = dataclasses.replace(spec, schema=reduced)
    partials = json.dumps([_partial(i, r.output) for i, r in enumerate(runs, 1)],
                          ensure_ascii=False, indent=1)
    request = build_reduce_request(partials, reduce_spec)
    run = converse(article, reduce_spec, send, before_first=before_first, request=request)
    return {n: run.output.__dict__.get(n) for n in names}, run


@functools.lru_cache(maxsize=64)
def _reduced_schema(schema: type[BaseModel]) -> type[BaseModel] | None:
    """The schema without its merged lists (None when nothing else is left), made once."""
    merged = set(merged_fields(schema))
    names = [n for n in schema.model_fields if n not in merged]
    if not names:
        return None
    fields: dict[str, Any] = {n: (schema.model_fields[n].annotation, schema.model_fields[n])
                              for n in names}
    # Named like the schema: the same tool name, and the same description, as a whole article's.
    return pydantic.create_model(schema.__name__, __doc__=schema.__doc__, **fields)


def _partial(number: int, output: BaseModel) -> dict[str, Any]:
    """A chunk's answer as the reduce request shows it: its own summary fields whole, and of each
    merged item what the model wrote in its own words (an attribution's statement), not the
    copied words or their offsets, which the reduce request does not need and would make long."""
    shown: dict[str, Any] = {"part": number}
    merged = set(merged_fields(type(output)))
    for name in type(output).model_fields:
        value = output.__dict__.get(name)
        if name not in merged:
            shown[name] = _json(value)
            continue
        written = []
        for item in value or []:
            kept = {k: v for k, v in item.model_dump(mode="json").items()
                    if k not in grounded_fields(type(item)) and not k.endswith("_span") and v is not None}
            if kept:
                written.append(kept)
        shown[name] = written
    return shown


def _json(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else (
        pydantic.TypeAdapter(Any).dump_python(value, mode="json"))


def _total(output: BaseModel, runs: list[ModelRun], chunks: int) -> ModelRun:
    """One run's account of several: attempts, usage and dropped items add up."""
    usage = [u for r in runs for u in r.usage]
    dropped = [d if chunks == 1 else Dropped(f"chunks[{i}].{d.path}", d.missing, d.item)
               for i, r in enumerate(runs) for d in r.dropped]
    grounding = Grounding(found=sum(r.grounded[0] for r in runs))
    grounding.missing = [m for r in runs if r.first_grounding for m in r.first_grounding.missing]
    model = next((r.model for r in runs if r.model), "")
    return ModelRun(output, sum(r.attempts for r in runs), usage, model, dropped, grounding, chunks)
