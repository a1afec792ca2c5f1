"""A distributed engine: summarize a dataset on a Dask cluster, records in and records out.

Each worker process makes its own `Summarizer` from the options when its first task arrives and
keeps it for the next ones; no client or connection is ever pickled. The endpoint, not the
cluster, sets the pace: at most `max_concurrency` requests are in flight over the whole cluster
(tasks in flight times the threads of each task), however many workers there are.
"""

from __future__ import annotations

import atexit
import hashlib
import itertools
import pickle
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .._errors import ConfigurationError
from ..text import Article

if TYPE_CHECKING:
    from distributed import Client

    from .._summarizer import Summarizer

__all__ = ["summarize_on_dask"]

# One Summarizer per worker process and set of options, made on first use.
_MADE: dict[str, Summarizer[Any]] = {}
_MADE_LOCK = threading.Lock()


def summarize_on_dask(
    records: Iterable[dict[str, Any] | Article],
    *,
    cluster: Client,
    max_concurrency: int,
    chunk_size: int = 8,
    threads_per_task: int = 4,
    **options: Any,
) -> Iterator[dict[str, Any]]:
    """Summarize `records` (dicts with "id" and "text", or `Article`s, whose files the workers
    must be able to read) on the Dask cluster that `cluster` (a `distributed.Client`) connects to; yield one record per input as it
    finishes, the same records as `summarize --out` writes.

    `options` are `Summarizer`'s keywords, except `client`: an openai client cannot travel to
    the workers (give `base_url`, `model` and `api_key` instead).
    """
    if max_concurrency < 1 or chunk_size < 1 or threads_per_task < 1:
        raise ConfigurationError("max_concurrency, chunk_size and threads_per_task must be at least 1")
    if options.get("client") is not None:
        raise ConfigurationError("give base_url, model and api_key: an openai client cannot be sent to workers")
    from distributed import as_completed

    threads = min(threads_per_task, max_concurrency)
    tasks_at_once = max(1, max_concurrency // threads)
    key = hashlib.sha256(pickle.dumps(sorted(options.items(), key=lambda kv: kv[0]))).hexdigest()
    chunks = _chunks((_as_article(r, n) for n, r in enumerate(records, 1)), chunk_size)
    # Only `tasks_at_once` chunks are submitted at a time: the next when one finishes.
    first = [cluster.submit(_run_chunk, key, options, chunk, threads, pure=False)
             for chunk in itertools.islice(chunks, tasks_at_once)]
    running = as_completed(first)  # type: ignore[no-untyped-call]
    for finished in running:
        yield from finished.result()
        finished.release()
        for chunk in itertools.islice(chunks, 1):
            running.add(cluster.submit(_run_chunk, key, options, chunk, threads, pure=False))  # type: ignore[no-untyped-call]


def _as_article(record: dict[str, Any] | Article, number: int) -> Article:
    if isinstance(record, Article):
        return record
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ConfigurationError(f"record {number} is neither an Article nor a dict with a text")
    return Article(str(record.get("id", f"#{number}")), text=record["text"])


def _chunks(articles: Iterator[Article], size: int) -> Iterator[list[Article]]:
    while chunk := list(itertools.islice(articles, size)):
        yield chunk


def _run_chunk(key: str, options: dict[str, Any], chunk: list[Article], threads: int) -> list[dict[str, Any]]:
    """On a worker: summarize one chunk, `threads` articles at a time."""
    from ..runners import summarize_many

    summarizer = _summarizer(key, options)
    return [item.to_record() for item in summarize_many(chunk, jobs=threads, summarizer=summarizer)]


def _summarizer(key: str, options: dict[str, Any]) -> Summarizer[Any]:
    from .._summarizer import Summarizer

    with _MADE_LOCK:
        if key not in _MADE:
            _MADE[key] = Summarizer(**options)
            atexit.register(_MADE[key].close)
        return _MADE[key]
