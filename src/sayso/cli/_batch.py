"""Batches on the command line: `summarize --batch` through a provider's Batch API, and
`sayso batch write` / `sayso batch read` for runners that read the same request lines
(`vllm run-batch`, or a provider's upload page)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .._errors import ConfigurationError, InputError, SaysoError
from ._app import (
    BaseUrlOption,
    EngineOption,
    MaxCharsOption,
    MaxItemsOption,
    ModelOption,
    SchemaOption,
    app,
    fail,
    load_schema,
    progress,
    summarizer_options,
)

if TYPE_CHECKING:
    from .._summarizer import Summarizer
    from ..batch import BatchProgress, BatchRunner
    from ..text import Article

__all__ = ["BatchOption", "PollOption", "WaitOption", "batch_app", "summarize_in_batches"]

BatchOption = Annotated[bool, typer.Option(
    "--batch", help="Through the provider's Batch API (half the price): submit and return; run "
    "again to collect. Needs --out.")]
WaitOption = Annotated[bool, typer.Option("--wait", help="With --batch: poll until every input has finished.")]
PollOption = Annotated[float, typer.Option("--poll", min=0.001, help="With --batch --wait: seconds between polls.")]

batch_app = typer.Typer(
    help="Batch files for any runner that reads OpenAI batch request lines (vllm run-batch, ...).",
    no_args_is_help=True,
)
app.add_typer(batch_app, name="batch")


def summarize_in_batches(
    summarizer: Summarizer[Any], articles: list[Article], out: Path, *, wait: bool, poll_s: float
) -> int:
    """`summarize --batch`: submit what is new, collect what has ended; with `wait`, until every
    input has finished. The exit code: 0 all done, 1 some failed, 3 some still pending."""
    from ..batch import BatchRunner

    try:
        with summarizer:
            runner = BatchRunner(summarizer, out, poll_s=poll_s)
            runner.collect()
            state = runner.submit(articles)
            if wait:
                state = _wait(runner, state)
    except SaysoError as exc:
        fail(str(exc))
        return 2 if isinstance(exc, ConfigurationError) else 1
    typer.echo(_describe(state, runner.state_path), err=True)
    if not state.done:
        return 3
    return 1 if state.failed else 0


def _wait(runner: BatchRunner, state: BatchProgress) -> BatchProgress:
    total = state.pending
    with progress(total, "waiting for batches") as bar:
        task = bar.add_task("waiting for batches", total=total, failed=0)

        def show(now: BatchProgress) -> None:
            bar.update(task, completed=total - now.pending, failed=now.failed)

        return runner.wait(show)


def _describe(state: BatchProgress, state_path: Path) -> str:
    text = f"{state.finished} finished ({state.failed} failed)"
    if state.done:
        return text
    return (f"{text}; {state.pending} pending in {state.batches} batch(es), kept in {state_path}: "
            "run the same command again to collect them, or add --wait")


@batch_app.command("write")
def write(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Article files, folders of them, or - for standard input.")],
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    engine: EngineOption = None,
    schema: SchemaOption = None,
    max_items: MaxItemsOption = None,
    max_chars: MaxCharsOption = None,
) -> None:
    """Write one batch request line per article to standard output."""
    from ..batch import write_batch_file
    from ..text import articles_from_paths

    summarizer = _summarizer(model=model, base_url=base_url, engine=engine, schema=schema,
                             max_items=max_items, max_chars=max_chars)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    try:
        with summarizer:
            failed = write_batch_file(articles_from_paths(paths, stdin=stdin), summarizer, sys.stdout.buffer)
    except SaysoError as exc:
        fail(str(exc))
        raise typer.Exit(2) from None
    sys.stdout.buffer.flush()
    for item in failed:
        fail(f"{item.input}: {type(item.error).__name__}: {item.error}")
    raise typer.Exit(1 if failed else 0)


@batch_app.command("read")
def read(
    requests: Annotated[Path, typer.Argument(help="The request lines `sayso batch write` wrote.")],
    answers: Annotated[Path, typer.Argument(help="The runner's output lines (and error lines, concatenated).")],
    out: Annotated[Path, typer.Option(help="Append the results here (JSONL, as summarize --out).")],
    followup: Annotated[Path | None, typer.Option(help="Write the requests that come next here (re-asks, unanswered lines); REQUESTS.next.jsonl when unset.")] = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    engine: EngineOption = None,
    schema: SchemaOption = None,
    max_items: MaxItemsOption = None,
    max_chars: MaxCharsOption = None,
) -> None:
    """Validate and ground a runner's answers; write the results, and the follow-up requests."""
    from ..batch import read_batch_files

    summarizer = _summarizer(model=model, base_url=base_url, engine=engine, schema=schema,
                             max_items=max_items, max_chars=max_chars)
    next_path = followup or requests.with_name(requests.stem + ".next.jsonl")
    try:
        with summarizer:
            tally = read_batch_files(requests, answers, summarizer, out, next_path)
    except (SaysoError, OSError, ValueError, KeyError) as exc:
        fail(f"cannot read the batch: {exc}")
        raise typer.Exit(2) from None
    for problem in tally.malformed:
        fail(f"{problem}; not read")
    message = f"{tally.finished} finished ({tally.failed} failed), {tally.skipped} already in {out}"
    if tally.followup:
        message += (f"; {tally.reasks} need a re-ask and {tally.unanswered} were not answered: "
                    f"their requests are in {next_path}; run them, then read again with "
                    f"`sayso batch read {next_path} ANSWERS --out {out}`")
    typer.echo(message, err=True)
    # A line that could not be read is a usage error, said only once every other line is read.
    raise typer.Exit(2 if tally.malformed else 3 if tally.followup else 1 if tally.failed else 0)


def _summarizer(*, schema: str | None, **given: Any) -> Summarizer[Any]:
    from .._summarizer import Summarizer

    try:
        return Summarizer(**summarizer_options(schema=load_schema(schema), no_cache=True, **given))
    except (InputError, ConfigurationError) as exc:
        fail(str(exc))
        raise typer.Exit(2) from None
