"""The `sayso` command: parse the arguments, call the library, render what comes back.

Exit codes: 0 every input done, 1 some inputs failed, 2 a usage or configuration error.
"""

from __future__ import annotations

import enum
import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .._errors import ConfigurationError, InputError, SaysoError
from .._summarizer import Summarizer
from ..render import to_markdown
from ..runners import BatchItem, JsonlLog, summarize_many
from ..schema import ArticleSummary, public_schema
from ..text import Article, articles_from_paths

app = typer.Typer(
    help="Grounded, structured summaries of news articles: who said what, in the article's own words.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


# Options that `summarize` and `eval` share, defined once.
ModelOption = Annotated[str | None, typer.Option("--model", help="Model name (else SAYSO_MODEL).")]
BaseUrlOption = Annotated[
    str | None, typer.Option("--base-url", help="An OpenAI-compatible endpoint (else SAYSO_BASE_URL).")
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")
]
MaxItemsOption = Annotated[
    int | None, typer.Option("--max-items", min=1, help="Cap each list the model writes (small models loop).")
]
MaxCharsOption = Annotated[
    int | None, typer.Option("--max-chars", min=1, help="Cap each string the model writes.")
]


def _summarizer(**options: Any) -> Summarizer[Any]:
    """A summarizer for the command line: the result cache is on unless --no-cache."""
    no_cache = options.pop("no_cache")
    return Summarizer(cache=not no_cache, **options)


class Format(str, enum.Enum):
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


def _load_schema(spec: str | None) -> type[BaseModel]:
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


def _fail(message: str) -> None:
    typer.echo(f"sayso: {message}", err=True)


def _progress(total: int) -> Progress:
    console = Console(stderr=True)
    return Progress(
        TextColumn("summarizing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[failed]} failed"),
        console=console,
        disable=total <= 1 or not console.is_terminal,
        transient=False,
    )


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
    format: Annotated[
        Format | None,
        typer.Option("--format", help="jsonl (the default with --out), json, or markdown (the default otherwise)."),
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
) -> None:
    """Summarize articles: who said what, with the article's own words and their offsets."""
    schema_class = _load_schema(schema)
    fmt = format or (Format.jsonl if out is not None else Format.markdown)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    try:
        articles = articles_from_paths(paths, stdin=stdin)
        summarizer = _summarizer(
            model=model,
            base_url=base_url,
            schema=schema_class,
            no_cache=no_cache,
            max_items=max_items,
            max_chars=max_chars,
        )
    except (InputError, ConfigurationError) as exc:
        _fail(str(exc))
        raise typer.Exit(2) from None

    log = JsonlLog(out) if fmt is Format.jsonl and out is not None else None
    todo = [a for a in articles if log is None or a.id not in log.done]
    items: list[BatchItem] = []
    failed = 0
    try:
        with summarizer, _progress(len(todo)) as progress:
            task = progress.add_task("summarizing", total=len(todo), failed=0)
            for item in summarize_many(todo, jobs=jobs, summarizer=summarizer):
                if not item.ok:
                    failed += 1
                    _fail(f"{item.input}: {type(item.error).__name__}: {item.error}")
                if log is not None:
                    log.append(item)
                elif fmt is Format.jsonl:
                    typer.echo(json.dumps(item.to_record(), ensure_ascii=False))
                else:
                    items.append(item)
                progress.update(task, advance=1, failed=failed)
    finally:
        if log is not None:
            log.close()

    if fmt is not Format.jsonl:
        rendered = _render(fmt, _in_input_order(items, todo))
        if out is not None:
            out.write_text(rendered, encoding="utf-8")
        elif rendered:
            typer.echo(rendered, nl=False)
    raise typer.Exit(1 if failed else 0)


def _in_input_order(items: list[BatchItem], articles: list[Article]) -> list[BatchItem]:
    order = {a.id: i for i, a in enumerate(articles)}
    return sorted(items, key=lambda item: order.get(item.input, len(order)))


def _render(fmt: Format, items: list[BatchItem]) -> str:
    done = [item for item in items if item.result is not None]
    if fmt is Format.json:
        if len(items) == 1:
            return _dumps(done[0].result.output.model_dump(mode="json")) if done else ""  # type: ignore[union-attr]
        return _dumps([item.to_record() for item in items])
    parts = []
    for item in done:
        title = "stdin" if item.input == "-" else Path(item.input).name
        parts.append(to_markdown(item.result, title))  # type: ignore[arg-type]
    return "\n".join(parts)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


@app.command("eval")
def eval_command(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            metavar="GOLD_DIR",
            help="Gold articles: text/NAME.txt and attributions/NAME_ANNOTATOR.ann (brat), or both in one folder.",
        ),
    ],
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N articles, in name order.")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write every figure, per article too, here.")] = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    jobs: Annotated[int, typer.Option(min=1, help="Articles summarized at once.")] = 1,
    no_cache: NoCacheOption = False,
    max_items: MaxItemsOption = None,
    max_chars: MaxCharsOption = None,
) -> None:
    """Score attributions against gold data: precision, recall and F1, exact and by overlap."""
    from rich.table import Table

    from ..evaluation import load_gold
    from ..evaluation._eval import evaluate

    try:
        golds = load_gold(gold_dir)[:limit] if limit else load_gold(gold_dir)
        summarizer = _summarizer(
            model=model, base_url=base_url, no_cache=no_cache, max_items=max_items, max_chars=max_chars
        )
    except (InputError, ConfigurationError) as exc:
        _fail(str(exc))
        raise typer.Exit(2) from None
    with summarizer, _progress(len(golds)) as progress:
        task = progress.add_task("summarizing", total=len(golds), failed=0)
        failed = 0

        def advance(item: BatchItem) -> None:
            nonlocal failed
            failed += 0 if item.ok else 1
            progress.update(task, advance=1, failed=failed)

        report = evaluate(golds, jobs=jobs, summarizer=summarizer, on_article=advance)
    figures = report.to_dict()
    table = Table(title=f"{report.articles} articles, {figures['model'] or 'no answers'}")
    for column in ("measure", "precision", "recall", "F1", "matched / predicted / gold"):
        table.add_column(column, justify="right" if column != "measure" else "left")
    for name, values in figures["attribution"].items():
        c = figures["counts"][name]
        table.add_row(
            name, f"{values['precision']:.3f}", f"{values['recall']:.3f}", f"{values['f1']:.3f}",
            f"{c['matched']} / {c['predicted']} / {c['gold']}",
        )
    console = Console()
    console.print(table)
    usage = figures["usage"]
    console.print(
        f"source accuracy {_fmt(figures['source_accuracy'])}, grounding rate "
        f"{_fmt(figures['grounding_rate'])}, {usage['total_tokens']:,} tokens, "
        f"{figures['elapsed_s']:.1f} s, {len(report.failed)} failed",
        highlight=False,
    )
    if json_out is not None:
        json_out.write_text(_dumps(figures), encoding="utf-8")
    raise typer.Exit(1 if report.failed else 0)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


@app.command("schema")
def schema_command(
    schema: Annotated[str | None, typer.Option(help="A Pydantic model as module:Class.")] = None,
) -> None:
    """Print the JSON Schema of the output (ArticleSummary unless --schema says)."""
    typer.echo(_dumps(public_schema(_load_schema(schema))), nl=False)


def main() -> None:
    # Instructor logs each failed attempt at ERROR; sayso reports failures itself.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        app()
    except SaysoError as exc:  # anything not already turned into an exit code
        _fail(str(exc))
        sys.exit(1)
