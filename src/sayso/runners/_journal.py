"""The resumable JSONL journal of a batch: one line per finished input.

Each line is written with one `write()` on a file opened for appending, so lines from one
process never interleave. Read again, the file says which inputs are done, so an interrupted
batch resumes where it stopped; a line cut short by a crash (no final newline) is removed and its
input runs again.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from typing_extensions import Self

from ..text import Article
from ._threads import BatchItem

__all__ = ["JsonlLog"]


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

    def pending(self, articles: Iterable[Article]) -> list[Article]:
        """The articles not yet in the journal."""
        return [a for a in articles if a.id not in self.done]

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

