"""`sayso summarize PATH...`: summarize articles and render the results."""

from __future__ import annotations

import enum
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .._errors import ConfigurationError, InputError, SaysoError
from ._app import (
    BaseUrlOption,
    DeadlineOption,
    EngineOption,
    MaxCharsOption,
    MaxItemsOption,
    ModelOption,
    NoCacheOption,
    TimeoutOption,
    app,
    check_out_path,
    dumps,
    fail,
    load_schema,
    progress,
    summarizer_options,
)

if TYPE_CHECKING:
    from .._summarizer import Summarizer
    from ..runners import BatchItem, JsonlLog
    from ..text import Article

__all__ = ["summarize"]


class Format(str, enum.Enum):
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
    html = "html"


@app.command()
def summarize(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Article files (.txt, .md, .html), folders of them, or - for standard input.",
        ),
    ],
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    engine: EngineOption = None,
    format: Annotated[
        Format | None,
        typer.Option("--format", help="jsonl (the default with --out), json, markdown (the default otherwise), or html (one self-contained page)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write here. With jsonl, each input is appended as it finishes, and inputs already in the file are skipped."),
    ] = None,
    jobs: Annotated[int, typer.Option(min=1, help="Articles summarized at once.")] = 4,
    no_cache: NoCacheOption = False,
    schema: Annotated[
        str | None, typer.Option(help="Your own Pydantic model to fill in, as module:Class.")
    ] = None,
    max_items: MaxItemsOption = None,
    max_chars: MaxCharsOption = None,
    timeout: TimeoutOption = 300.0,
    deadline: DeadlineOption = 900.0,
) -> None:
    """Summarize articles: who said what, with the article's own words and their offsets."""
    from .._summarizer import Summarizer
    from ..text import articles_from_paths

    schema_class = load_schema(schema)
    fmt = format or (Format.jsonl if out is not None else Format.markdown)
    if out is not None:
        check_out_path(out, "--out")
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    try:
        articles = articles_from_paths(paths, stdin=stdin)
        summarizer = Summarizer(**summarizer_options(
            model=model, base_url=base_url, engine=engine, schema=schema_class, no_cache=no_cache,
            max_items=max_items, max_chars=max_chars, timeout_s=timeout, deadline_s=deadline,
        ))
    except (InputError, ConfigurationError) as exc:
        fail(str(exc))
        raise typer.Exit(2) from None

    log = _open_journal(out) if fmt is Format.jsonl and out is not None else None
    todo = log.pending(articles) if log is not None else articles
    if log is not None and log.skipped:
        fail(f"skipped {log.skipped} input(s) already in {out}")
    items, failed, finished, interrupted = _summarize_all(
        summarizer, todo, jobs=jobs, log=log, echo=fmt is Format.jsonl
    )
    if fmt is not Format.jsonl:
        _deliver(_render(fmt, _in_input_order(items, todo)), out)
    if interrupted:
        _stop_interrupted(finished, out if log is not None else None)
    raise typer.Exit(1 if failed else 0)


def _deliver(rendered: str, out: Path | None) -> None:
    if out is not None:
        out.write_text(rendered, encoding="utf-8")
    elif rendered:
        typer.echo(rendered, nl=False)


def _open_journal(out: Path) -> JsonlLog:
    from ..runners import JsonlLog

    try:
        return JsonlLog(out)
    except SaysoError as exc:  # another process writes to it
        fail(str(exc))
        raise typer.Exit(2) from None


def _stop_interrupted(finished: int, journal: Path | None) -> None:
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


def _summarize_all(
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


def _in_input_order(items: list[BatchItem], articles: list[Article]) -> list[BatchItem]:
    order = {a.id: i for i, a in enumerate(articles)}
    return sorted(items, key=lambda item: order.get(item.input, len(order)))


def _render(fmt: Format, items: list[BatchItem]) -> str:
    from ..render import page_from_record, to_html, to_markdown

    if fmt is Format.html:
        return to_html([page_from_record(item.to_record()) for item in items])
    done = [item for item in items if item.result is not None]
    if fmt is Format.json:
        # One input is one record, as in the JSONL file: it says which text the offsets index.
        if len(items) == 1:
            return dumps(items[0].to_record())
        return dumps([item.to_record() for item in items])
    parts = []
    for item in done:
        title = "stdin" if item.input == "-" else Path(item.input).name
        parts.append(to_markdown(item.result, title))  # type: ignore[arg-type]
    return "\n".join(parts)


