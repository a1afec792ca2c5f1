"""The `sayso` application, the options its commands share, and the entry point.

Exit codes: 0 every input done, 1 some inputs failed, 2 a usage or configuration error, 3 some
inputs still waiting (in a provider batch, or in a follow-up batch file).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import BaseModel

from .._errors import SaysoError

if TYPE_CHECKING:
    from rich.progress import Progress
from .._options import ENGINES, option_info

app = typer.Typer(
    help="Grounded, structured summaries of news articles: who said what, in the article's own words.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _help(name: str) -> str:
    return option_info(name).help[0].upper() + option_info(name).help[1:] + "."


# Options that `summarize` and `eval` share, defined once from the option declarations.
ModelOption = Annotated[str | None, typer.Option("--model", help=_help("model") + " (else SAYSO_MODEL)")]
BaseUrlOption = Annotated[
    str | None, typer.Option("--base-url", help=_help("base_url") + " (else SAYSO_BASE_URL)")
]
EngineOption = Annotated[
    str | None,
    typer.Option("--engine", help=f"{' | '.join(ENGINES)}. " + _help("engine")),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")
]
SchemaOption = Annotated[
    str | None, typer.Option(help="Your own Pydantic model to fill in, as module:Class.")
]
MaxItemsOption = Annotated[int | None, typer.Option("--max-items", min=1, help=_help("max_items"))]
MaxCharsOption = Annotated[int | None, typer.Option("--max-chars", min=1, help=_help("max_chars"))]
ChunkCharsOption = Annotated[
    int | None, typer.Option("--chunk-chars", min=200, help=_help("chunk_chars"))
]
ChunkJobsOption = Annotated[int, typer.Option("--chunk-jobs", min=1, help=_help("chunk_jobs"))]
PassesOption = Annotated[int, typer.Option("--passes", min=1, help=_help("passes"))]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0.001, help=_help("timeout_s"))
]
DeadlineOption = Annotated[
    float, typer.Option("--deadline", min=0.001, help=_help("deadline_s"))
]


def summarizer_options(**given: Any) -> dict[str, Any]:
    """The command line's options as `Summarizer` keywords: the cache is on unless --no-cache."""
    no_cache = given.pop("no_cache")
    return {"cache": not no_cache, **{k: v for k, v in given.items() if v is not None}}


def load_schema(spec: str | None) -> type[BaseModel]:
    from ..schema import ArticleSummary

    if spec is None:
        return ArticleSummary
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise typer.BadParameter("give it as module:Class, e.g. myproject.models:Quotes", param_hint="--schema")
    if "" not in sys.path:
        sys.path.insert(0, "")  # modules in the current folder, as `python -m` would find them
    try:
        found = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise typer.BadParameter(f"cannot load {spec}: {exc}", param_hint="--schema") from None
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        raise typer.BadParameter(f"{spec} is not a Pydantic model class", param_hint="--schema")
    return found


def fail(message: str) -> None:
    typer.echo(f"sayso: {message}", err=True)


def check_out_path(out: Path, flag: str) -> None:
    """Refuse, before any request is paid for, an output file that could not be written at the
    end: exit 2."""
    problem = None
    if out.is_dir():
        problem = "is a folder; give a file name"
    elif not out.parent.is_dir():
        problem = f"is in a folder that does not exist ({out.parent})"
    if problem is not None:
        fail(f"{flag} {out} {problem}")
        raise typer.Exit(2)


def progress(total: int, what: str = "summarizing") -> Progress:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[failed]} failed"),
        console=console,
        disable=total <= 1 or not console.is_terminal,
        transient=False,
    )


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    import logging

    # Instructor logs each failed attempt at ERROR; sayso reports failures itself.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    # sayso's own warnings (a line of a file it could not read) are one line each on stderr.
    said = logging.StreamHandler()
    said.setLevel(logging.WARNING)
    said.setFormatter(logging.Formatter("sayso: %(message)s"))
    logging.getLogger("sayso").addHandler(said)
    try:
        app()
    except SaysoError as exc:  # anything not already turned into an exit code
        fail(str(exc))
        sys.exit(1)
