"""`sayso summarize PATH...`: summarize articles and render the results."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .._errors import ConfigurationError, InputError
from ._app import (
    BaseUrlOption,
    ChunkCharsOption,
    ChunkJobsOption,
    DeadlineOption,
    EngineOption,
    MaxCharsOption,
    MaxItemsOption,
    ModelOption,
    NoCacheOption,
    PassesOption,
    SchemaOption,
    TimeoutOption,
    app,
    check_out_path,
    dumps,
    fail,
    load_schema,
    summarizer_options,
)
from ._batch import BatchOption, PollOption, WaitOption

if TYPE_CHECKING:
    from .._summarizer import Summarizer
    from ..runners import BatchItem
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
    schema: SchemaOption = None,
    max_items: MaxItemsOption = None,
    max_chars: MaxCharsOption = None,
    timeout: TimeoutOption = 300.0,
    deadline: DeadlineOption = 900.0,
    batch: BatchOption = False,
    wait: WaitOption = False,
    poll: PollOption = 30.0,
    chunk_chars: ChunkCharsOption = None,
    chunk_jobs: ChunkJobsOption = 4,
    passes: PassesOption = 1,
) -> None:
    """Summarize articles: who said what, with the article's own words and their offsets."""
    from ._online import open_journal, stop_interrupted, summarize_all

    fmt = format or (Format.jsonl if out is not None else Format.markdown)
    if out is not None:
        check_out_path(out, "--out")
    articles, summarizer = _open(
        paths, model=model, base_url=base_url, engine=engine, schema=load_schema(schema),
        no_cache=no_cache, max_items=max_items, max_chars=max_chars, timeout_s=timeout,
        deadline_s=deadline, chunk_chars=chunk_chars, chunk_jobs=chunk_jobs, passes=passes,
    )
    if batch:
        raise typer.Exit(_batch(summarizer, articles, out, fmt, wait=wait, poll_s=poll))
    log = open_journal(out) if fmt is Format.jsonl and out is not None else None
    todo = log.pending(articles) if log is not None else articles
    if log is not None and log.skipped:
        fail(f"skipped {log.skipped} input(s) already in {out}")
    items, failed, finished, interrupted = summarize_all(
        summarizer, todo, jobs=jobs, log=log, echo=fmt is Format.jsonl
    )
    if fmt is not Format.jsonl:
        _deliver(_render(fmt, _in_input_order(items, todo)), out)
    if interrupted:
        stop_interrupted(finished, out if log is not None else None)
    raise typer.Exit(1 if failed else 0)


def _open(paths: list[str], **options: Any) -> tuple[list[Article], Summarizer[Any]]:
    """The inputs and the summarizer, or exit 2 with the reason before any request."""
    from .._summarizer import Summarizer
    from ..text import articles_from_paths

    try:
        articles = articles_from_paths(paths, stdin=sys.stdin.buffer.read() if "-" in paths else None)
        return articles, Summarizer(**summarizer_options(**options))
    except (InputError, ConfigurationError) as exc:
        fail(str(exc))
        raise typer.Exit(2) from None


def _batch(summarizer: Summarizer[Any], articles: list[Article], out: Path | None, fmt: Format,
           *, wait: bool, poll_s: float) -> int:
    from ._batch import summarize_in_batches

    if out is None or fmt is not Format.jsonl:
        fail("--batch writes JSONL records: give --out results.jsonl")
        return 2
    return summarize_in_batches(summarizer, articles, out, wait=wait, poll_s=poll_s)


def _deliver(rendered: str, out: Path | None) -> None:
    if out is not None:
        out.write_text(rendered, encoding="utf-8")
    elif rendered:
        typer.echo(rendered, nl=False)


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


