"""`sayso sources RESULTS.jsonl`: who is quoted over every article of a batch, one row a speaker."""

from __future__ import annotations

import csv
import enum
import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .._errors import SaysoError
from ..sources import COLUMNS
from ._app import app, check_out_path, dumps, fail

if TYPE_CHECKING:
    from ..sources import SourceRow

__all__ = ["sources_command"]

_SAMPLE_SHOWN = 60  # characters of the sample in the table; CSV and JSON hold it whole


class SourcesFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command("sources")
def sources_command(
    results: Annotated[Path, typer.Argument(metavar="RESULTS.jsonl", help="A batch written by `sayso summarize --out`.")],
    format: Annotated[
        SourcesFormat | None,
        typer.Option("--format", help="table (the default), csv, or json; --out ending in .csv or .json sets it too."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write here instead of to the standard output.")] = None,
) -> None:
    """One row per speaker over every article: speaker, source_type, attributions, articles,
    direct (how many are direct quotations) and a sample of what they said. An attribution whose
    speaker was not resolved is counted under its source as written."""
    from ..sources import count_sources, read_outputs

    if not results.is_file():
        fail(f"{results} is not a file")
        raise typer.Exit(2)
    if out is not None:
        check_out_path(out, "--out")
    fmt = format or _format_of(out)
    try:
        outputs, skipped = read_outputs(results)
    except SaysoError as exc:
        fail(str(exc))
        raise typer.Exit(1) from None
    if skipped:
        fail(f"{skipped} line(s) of {results.name} hold an error, not an output, and are not counted")
    text = _render(fmt, count_sources(outputs))
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    typer.echo(str(out))


def _format_of(out: Path | None) -> SourcesFormat:
    suffix = out.suffix.lower().lstrip(".") if out is not None else ""
    return SourcesFormat(suffix) if suffix in ("csv", "json") else SourcesFormat.table


def _render(fmt: SourcesFormat, rows: list[SourceRow]) -> str:
    if fmt is SourcesFormat.json:
        return dumps([row.as_dict() for row in rows])
    if fmt is SourcesFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row.as_dict() for row in rows)
        return buffer.getvalue()
    return _table(rows)


def _table(rows: list[SourceRow]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*COLUMNS, box=None, pad_edge=False)
    for row in rows:
        sample = row.sample if len(row.sample) <= _SAMPLE_SHOWN else row.sample[: _SAMPLE_SHOWN - 1] + "…"
        table.add_row(row.speaker or "(no source)", row.source_type or "", str(row.attributions),
                      str(row.articles), str(row.direct), sample)
    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None, highlight=False).print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"

