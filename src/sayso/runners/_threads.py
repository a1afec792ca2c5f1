"""Many articles: bounded concurrency, each input ending as a result or an error, never lost.

`summarize_many()` runs articles on a thread pool and yields each one as it finishes;
`asummarize_many()` is the same for asyncio code.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .._errors import SaysoError, redact
from .._result import Result
from .._summarizer import Summarizer
from ..text import Article

__all__ = ["INTERRUPT_GRACE_S", "BatchItem", "asummarize_many", "summarize_many", "using"]

# After Ctrl-C, how long requests in flight may still finish and be given before the batch stops.
INTERRUPT_GRACE_S = 1.0


@dataclass(frozen=True)
class BatchItem:
    """How one input ended: a result, or the error that stopped it."""

    input: str
    result: Result[Any] | None = None
    error: BaseException | None = None
    text: str | None = None  # the text the offsets index, when it is not the file (HTML)
    sha256: str | None = None  # of the input as given: a changed input is not taken as done

    @property
    def ok(self) -> bool:
        return self.result is not None

    def to_record(self) -> dict[str, Any]:
        """The JSONL line: `{"input", "sha256", "output", "run", "offsets_index"[, "text"]}`, or
        `{"input", "sha256", "error": {"type", "message"}}`. `offsets_index` says which text the
        spans index: "file", the file as `open(path, encoding="utf-8").read()` gives it, or
        "text", the record's own `text` (HTML, standard input, a string)."""
        record: dict[str, Any] = {"input": self.input}
        if self.sha256 is not None:
            record["sha256"] = self.sha256
        if self.result is not None:
            record["output"] = self.result.output.model_dump(mode="json")
            record["run"] = self.result.run_record()
            record["offsets_index"] = "file" if self.text is None else "text"
        else:
            error = self.error
            record["error"] = {
                "type": type(error).__name__,
                "message": redact(str(error)) if error is not None else "unknown error",
            }
        if self.text is not None:
            record["text"] = self.text
        return record


def _as_article(value: Article | str, number: int) -> Article:
    return value if isinstance(value, Article) else Article(f"#{number}", text=value)


def _summarize_one(summarizer: Summarizer[Any], article: Article) -> BatchItem:
    sha256 = article.sha256()
    try:
        text = article.load()
        result = summarizer.run(text)
    except Exception as exc:
        return BatchItem(article.id, error=exc, sha256=sha256)
    # The text goes with the result when the offsets index anything but the file as read.
    text_given = None if article.is_plain_file else text
    return BatchItem(article.id, result=result, text=text_given, sha256=sha256)


@contextmanager
def using(summarizer: Summarizer[Any] | None, options: dict[str, Any]) -> Iterator[Summarizer[Any]]:
    """The summarizer given, or one made from `options` and closed afterwards."""
    if summarizer is not None:
        yield summarizer
        return
    with Summarizer(**options) as made:
        yield made


def summarize_many(
    articles: Iterable[Article | str],
    *,
    jobs: int = 4,
    summarizer: Summarizer[Any] | None = None,
    **options: Any,
) -> Iterator[BatchItem]:
    """Summarize articles `jobs` at a time; yield each as it finishes (not in input order).

    Pass a `Summarizer` to share it (and its cache, or its embedded model) across calls, or the
    options to make one for this batch. Errors are yielded as items, never raised, so every input
    ends exactly once. On `KeyboardInterrupt`, nothing new starts; what finishes within
    `INTERRUPT_GRACE_S` is still yielded, then the interrupt is raised again. Requests still in
    flight then are left to their worker threads, which end at their timeout.
    """
    if jobs < 1:
        raise SaysoError("jobs must be at least 1")
    with using(summarizer, options) as active:
        pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="sayso")
        pending: set[Future[BatchItem]] = set()
        finished = False
        try:
            source = (_as_article(a, i) for i, a in enumerate(articles, 1))
            # Keep at most `jobs` articles in flight, so a huge input list is not read up front.
            for article in source:
                pending.add(pool.submit(_summarize_one, active, article))
                if len(pending) >= jobs:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
            finished = True
        except KeyboardInterrupt:
            # Stop at once: nothing new starts, and what ends within a short grace is still
            # given (a second Ctrl-C cuts the grace short). Requests in flight are abandoned.
            pool.shutdown(wait=False, cancel_futures=True)
            done, pending = wait(pending, timeout=INTERRUPT_GRACE_S)
            yield from (f.result() for f in done if not f.cancelled())
            raise
        finally:
            # Waiting for requests in flight only when every input is done: a consumer that
            # stops early (or an interrupt) must not wait for them, up to their timeout.
            pool.shutdown(wait=finished, cancel_futures=not finished)


async def asummarize_many(
    articles: Iterable[Article | str],
    *,
    jobs: int = 4,
    summarizer: Summarizer[Any] | None = None,
    **options: Any,
) -> AsyncIterator[BatchItem]:
    """`summarize_many()` for asyncio: at most `jobs` articles run at once, each in a worker
    thread, and each is yielded as it finishes."""
    if jobs < 1:
        raise SaysoError("jobs must be at least 1")
    limit = asyncio.Semaphore(jobs)
    with using(summarizer, options) as active:

        async def one(article: Article) -> BatchItem:
            async with limit:
                return await asyncio.to_thread(_summarize_one, active, article)

        tasks = [asyncio.ensure_future(one(_as_article(a, i))) for i, a in enumerate(articles, 1)]
        try:
            for finished in asyncio.as_completed(tasks):
                yield await finished
        finally:
            for task in tasks:
                task.cancel()
