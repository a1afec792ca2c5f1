"""The `sayso` command: parse the arguments, call the library, render the result."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._errors import SaysoError
from ._models import ArticleSummary
from ._render import to_json, to_markdown
from ._schema import public_schema
from ._summarizer import Summarizer

app = typer.Typer(
    help="Grounded, structured summaries of news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def summarize(
    path: Annotated[str, typer.Argument(help="An article file, or - for standard input.")],
    model: Annotated[Optional[str], typer.Option(help="Model name (SAYSO_MODEL).")] = None,
    base_url: Annotated[
        Optional[str], typer.Option(help="OpenAI-compatible endpoint (SAYSO_BASE_URL).")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="json or markdown.")] = "markdown",
) -> None:
    """Summarize one article."""
    if format not in ("json", "markdown"):
        raise typer.BadParameter("must be json or markdown", param_hint="--format")
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"sayso: cannot read {path}: {exc}", err=True)
        raise typer.Exit(1) from None
    try:
        with Summarizer(model=model, base_url=base_url) as summarizer:
            result = summarizer.run(text)
    except SaysoError as exc:
        typer.echo(f"sayso: {path}: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None
    title = "stdin" if path == "-" else Path(path).name
    typer.echo(to_json(result) if format == "json" else to_markdown(result, title), nl=False)
    if format == "json":
        typer.echo()


@app.command()
def schema() -> None:
    """Print the JSON Schema of the summary."""
    typer.echo(json.dumps(public_schema(ArticleSummary), indent=2, ensure_ascii=False))


def main() -> None:
    # Instructor logs each failed attempt at ERROR; sayso reports failures itself.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    app()
