"""The resumable JSONL journal of a batch: one line per finished input.

Each line is written with one `write()` on a file opened for appending, so lines from one
process never interleave, and the file is locked (`flock`) so that a second process cannot
write to it at the same time. Read again, the file says which inputs are done, by name and by
content (each line's `sha256`): an interrupted batch resumes where it stopped, and an input whose
content changed is done again. A line cut short by a crash (no final newline) is removed and its
input runs again.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from typing_extensions import Self

from .._errors import FileFormatError, SaysoError
from .._jsonread import json_lines
from ..text import Article
from ._threads import BatchItem

__all__ = ["JournalBusyError", "JsonlLog"]

_log = logging.getLogger("sayso")


class JournalBusyError(SaysoError):
    """Another process is writing to the same journal."""


class JsonlLog:
    """An append-only JSONL file of finished inputs, locked while it is open.

    Raises `JournalBusyError` at once when another process holds the file.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        self._lock()
        data = self.path.read_bytes()
        whole = data[: data.rfind(b"\n") + 1]
        if len(whole) < len(data):  # a torn last line: cut it off, its input runs again
            os.ftruncate(self._fd, len(whole))
        # Each input's name -> the content hashes it was done with (None: a line without one).
        self.done: dict[str, set[str | None]] = {}
        for name, sha256 in _inputs(whole, str(self.path)):
            self.done.setdefault(name, set()).add(sha256)
        self.skipped = 0  # inputs the last `pending()` found already done

    def _lock(self) -> None:
        if sys.platform == "win32":  # no flock there; one process per file is up to the user
            return
        import fcntl

        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise JournalBusyError(
                f"{self.path} is being written by another sayso process; wait for it to end, "
                "or write to another file"
            ) from None

    def is_done(self, article: Article) -> bool:
        hashes = self.done.get(article.id)
        if not hashes:
            return False
        return None in hashes or article.sha256() in hashes

    def pending(self, articles: Iterable[Article]) -> list[Article]:
        """The articles not yet in the journal with their current content; `skipped` counts
        the others."""
        articles = list(articles)
        todo = [a for a in articles if not self.is_done(a)]
        self.skipped = len(articles) - len(todo)
        return todo

    def append(self, item: BatchItem) -> None:
        data = (json.dumps(item.to_record(), ensure_ascii=False) + "\n").encode("utf-8")
        while data:  # one write() in practice; the loop only guards a short write
            data = data[os.write(self._fd, data) :]
        self.done.setdefault(item.input, set()).add(item.sha256)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # which releases the lock
            self._fd = -1

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _inputs(lines: bytes, name: str) -> Iterator[tuple[str, str | None]]:
    """Each record's input and content hash; a line that cannot be read marks nothing done
    (its input runs again), and is logged."""
    for _, record in json_lines(lines, name):
        if isinstance(record, FileFormatError):
            _log.warning("%s; its input, if any, runs again", record)
        elif isinstance(record, dict) and isinstance(record.get("input"), str):
            sha256 = record.get("sha256")
            yield record["input"], sha256 if isinstance(sha256, str) else None
