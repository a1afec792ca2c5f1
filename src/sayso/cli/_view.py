"""`sayso view RESULTS.jsonl`: one HTML page for a finished batch, errors included."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._app import app, fail

__all__ = ["view_command"]


@app.command("view")
def view_command(
    results: Annotated[Path, typer.Argument(metavar="RESULTS.jsonl", help="A batch written by `sayso summarize --out`.")],
    out: Annotated[Path | None, typer.Option(help="Write the page here (else RESULTS.html beside the batch).")] = None,
) -> None:
    """Write one self-contained HTML page showing every article of a batch, highlights included."""
    from ..render import view_jsonl

    if not results.is_file():
        fail(f"{results} is not a file")
        raise typer.Exit(2)
    target = out or results.with_suffix(".html")
    try:
        target.write_text(view_jsonl(results), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {target}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    typer.echo(str(target))
