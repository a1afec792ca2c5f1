"""`sayso eval GOLD_DIR`: score attributions against gold data in brat format."""

from __future__ import annotations

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
    TimeoutOption,
    app,
    check_out_path,
    dumps,
    fail,
    progress,
    summarizer_options,
)

if TYPE_CHECKING:
    from ..evaluation import EvalReport

__all__ = ["eval_command"]


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
    engine: EngineOption = None,
    jobs: Annotated[int, typer.Option(min=1, help="Articles summarized at once.")] = 1,
    no_cache: NoCacheOption = False,
    max_items: MaxItemsOption = None,
    max_chars: MaxCharsOption = None,
    timeout: TimeoutOption = 300.0,
    deadline: DeadlineOption = 900.0,
    chunk_chars: ChunkCharsOption = None,
    chunk_jobs: ChunkJobsOption = 4,
    passes: PassesOption = 1,
) -> None:
    """Score attributions against gold data: precision, recall and F1, exact and by overlap."""
    from .._summarizer import Summarizer
    from ..evaluation import evaluate, load_gold, unannotated

    if json_out is not None:
        check_out_path(json_out, "--json")
    try:
        # Every gold file is read and checked here, before any summary is paid for.
        golds = load_gold(gold_dir)[:limit] if limit else load_gold(gold_dir)
        skipped = unannotated(gold_dir)
        if skipped:
            fail(f"skipped {len(skipped)} article(s) with no .ann file: {', '.join(p.name for p in skipped)}")
        summarizer = Summarizer(**summarizer_options(
            model=model, base_url=base_url, engine=engine, no_cache=no_cache, max_items=max_items,
            max_chars=max_chars, timeout_s=timeout, deadline_s=deadline,
            chunk_chars=chunk_chars, chunk_jobs=chunk_jobs, passes=passes,
        ))
    except (InputError, ConfigurationError) as exc:
        fail(str(exc))
        raise typer.Exit(2) from None
    with summarizer, progress(len(golds)) as bar:
        task = bar.add_task("summarizing", total=len(golds), failed=0)
        failed = 0

        def advance(item: Any) -> None:
            nonlocal failed
            failed += 0 if item.ok else 1
            bar.update(task, advance=1, failed=failed)

        report = evaluate(golds, jobs=jobs, summarizer=summarizer, on_article=advance)
    _print(report)
    if json_out is not None:
        json_out.write_text(dumps(report.to_dict()), encoding="utf-8")
    raise typer.Exit(1 if report.failed else 0)


def _print(report: EvalReport) -> None:
    from rich.console import Console
    from rich.table import Table

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


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"
