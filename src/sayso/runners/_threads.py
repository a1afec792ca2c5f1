"""Many articles: bounded concurrency, each input ending as a result or an error, never lost.

`summarize_many()` runs articles on a thread pool and yields each one as it finishes;
`asummarize_many()` is the same for asyncio code. `JsonlLog` appends one line per finished input
and, read again, says which inputs are done, so an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typing_extensions import Self

from .._errors import SaysoError, redact
from .._result import Result
from .._summarizer import Summarizer
from ..text import Article

__all__ = ["BatchItem", "JsonlLog", "asummarize_many", "summarize_many"]


@dataclass(frozen=True)
class BatchItem:
    """How one input ended: a result, or the error that stopped it."""

    input: str
    result: Result[Any] | None = None
    error: BaseException | None = None
    text: str | None = None  # the text the offsets index, when it is not the file (HTML)

    @property
    def ok(self) -> bool:
        return self.result is not None

    def to_record(self) -> dict[str, Any]:
        """The JSONL line: `{"input", "output"}` or `{"input", "error": {"type", "message"}}`."""
        record: dict[str, Any] = {"input": self.input}
        if self.result is not None:
            record["output"] = self.result.output.model_dump(mode="json")
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
    try:
        text = article.load()
        result = summarizer.run(text)
    except Exception as exc:
        return BatchItem(article.id, error=exc)
    return BatchItem(article.id, result=result, text=text if article.is_html else None)


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
    ends exactly once.
    """
    if jobs < 1:
        raise SaysoError("jobs must be at least 1")
    with using(summarizer, options) as active:
        pending: set[Future[BatchItem]] = set()
        source = (_as_article(a, i) for i, a in enumerate(articles, 1))
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="sayso") as pool:
            # Keep at most `jobs` articles in flight, so a huge input list is not read up front.
            for article in source:
                pending.add(pool.submit(_summarize_one, active, article))
                if len(pending) >= jobs:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    yield from (f.result() for f in done)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)


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


class JsonlLog:
    """An append-only JSONL file of finished inputs.

    Each line is written with one `write()` on a file opened for appending, so lines from one
    process never interleave. A line cut short by a crash (no final newline) is removed when the
    file is opened again, and its input runs again.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = self.path.read_bytes() if self.path.exists() else b""
        whole = data[: data.rfind(b"\n") + 1]
        if len(whole) < len(data):  # a torn last line: cut it off, its input runs again
            with open(self.path, "r+b") as f:
                f.truncate(len(whole))
        self.done: set[str] = set(_inputs(whole))
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def append(self, item: BatchItem) -> None:
        data = (json.dumps(item.to_record(), ensure_ascii=False) + "\n").encode("utf-8")
        while data:  # one write() in practice; the loop only guards a short write
            data = data[os.write(self._fd, data) :]
        self.done.add(item.input)

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _inputs(lines: bytes) -> Iterator[str]:
    for line in lines.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and isinstance(record.get("input"), str):
            yield record["input"]

