"""Summarizing a list of inputs online for the command line: the progress bar, the journal, and
Ctrl-C (the first stops the batch and keeps what finished; a second exits at once)."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import typer

from .._errors import SaysoError
from ._app import fail, progress

if TYPE_CHECKING:
    from .._summarizer import Summarizer
    from ..runners import BatchItem, JsonlLog
    from ..text import Article

__all__ = ["open_journal", "stop_interrupted", "summarize_all"]


def open_journal(out: Path) -> JsonlLog:
    from ..runners import JsonlLog

    try:
        return JsonlLog(out)
    except SaysoError as exc:  # another process writes to it
        fail(str(exc))
        raise typer.Exit(2) from None


def stop_interrupted(finished: int, journal: Path | None) -> None:
    """Say what was kept and how to go on, then leave at once: requests still in flight would
    otherwise hold the process until their timeout."""
    if journal is not None:
        fail(f"interrupted: {finished} input(s) finished and are in {journal}; "
             "run the same command again to do the rest")
    else:
        fail(f"interrupted: {finished} input(s) finished and were written; the others were not done")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def summarize_all(
    summarizer: Summarizer[Any], todo: list[Article], *, jobs: int, log: JsonlLog | None, echo: bool
) -> tuple[list[BatchItem], int, int, bool]:
    """Summarize `todo`: each item appended to the journal, or printed as a JSONL line, or
    kept to render at the end. Returns what was kept, how many failed, how many finished, and
    whether Ctrl-C stopped the batch (what finished before it is kept all the same)."""
    from ..runners import summarize_many

    items: list[BatchItem] = []
    failed = finished = 0
    interrupted = False
    try:
        with summarizer, progress(len(todo)) as bar, _second_interrupt_exits():
            task = bar.add_task("summarizing", total=len(todo), failed=0)
            try:
                for item in summarize_many(todo, jobs=jobs, summarizer=summarizer):
                    if not item.ok:
                        failed += 1
                        fail(f"{item.input}: {type(item.error).__name__}: {item.error}")
                    if log is not None:
                        log.append(item)
                    elif echo:
                        typer.echo(json.dumps(item.to_record(), ensure_ascii=False))
                    else:
                        items.append(item)
                    finished += 1
                    bar.update(task, advance=1, failed=failed)
            except KeyboardInterrupt:
                interrupted = True
    finally:
        if log is not None:
            log.close()
    return items, failed, finished, interrupted


@contextmanager
def _second_interrupt_exits() -> Iterator[None]:
    """The first Ctrl-C stops the batch (KeyboardInterrupt, as usual); a second one ends the
    process at once, whatever it is waiting for. Lines already in the journal are on disk."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    seen = False

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal seen
        if seen:
            os._exit(130)
        seen = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
