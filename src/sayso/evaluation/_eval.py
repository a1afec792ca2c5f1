"""Run a summarizer over gold articles and score its attributions."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._errors import ConfigurationError
from .._result import Usage
from .._summarizer import Summarizer
from ..runners import BatchItem, summarize_many, using
from ..schema import ArticleSummary
from ..text import Article
from ._brat import GoldArticle, load_gold
from ._metrics import PredictedAttribution, Score, score_article

__all__ = ["EvalReport", "evaluate"]


@dataclass
class EvalReport:
    articles: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    score: Score = field(default_factory=Score)
    grounding_found: int = 0
    grounding_total: int = 0
    usage: Usage = field(default_factory=Usage)
    elapsed_s: float = 0.0
    model: str = ""
    per_article: list[dict[str, Any]] = field(default_factory=list)

    @property
    def grounding_rate(self) -> float | None:
        return round(self.grounding_found / self.grounding_total, 4) if self.grounding_total else None

    def to_dict(self) -> dict[str, Any]:
        scores = self.score.to_dict()
        return {
            "articles": self.articles,
            "model": self.model,
            "attribution": scores["attribution"],
            "counts": scores["counts"],
            "source_accuracy": scores["source_accuracy"],
            "grounding_rate": self.grounding_rate,
            "usage": self.usage.to_dict(),
            "elapsed_s": round(self.elapsed_s, 2),
            "failed": self.failed,
            "per_article": self.per_article,
        }


def _predicted(output: ArticleSummary) -> list[PredictedAttribution]:
    return PredictedAttribution.of(output.attributions)


def _account(report: EvalReport, gold: GoldArticle, item: BatchItem) -> None:
    predicted: list[PredictedAttribution] = []
    row: dict[str, Any] = {"name": gold.name, "gold": len(gold.attributions)}
    if item.result is not None and isinstance(item.result.output, ArticleSummary):
        result = item.result
        predicted = _predicted(result.output)
        report.grounding_found += result.grounding.found
        report.grounding_total += result.grounding.total
        report.usage.add(result.usage)
        report.model = report.model or result.model
        row |= {"dropped": len(result.dropped), "tokens": result.usage.total_tokens,
                "elapsed_s": round(result.elapsed_s, 2), "cached": result.cached}
    else:
        message = f"{type(item.error).__name__}: {item.error}"
        report.failed.append({"name": gold.name, "error": message})
        row["error"] = message
    score = score_article(gold.text, predicted, gold.attributions)
    report.score.add(score)
    row |= {"predicted": len(predicted), **score.to_dict()}
    report.per_article.append(row)


def evaluate(
    gold: str | Path | Sequence[GoldArticle],
    *,
    limit: int | None = None,
    jobs: int = 1,
    summarizer: Summarizer[Any] | None = None,
    on_article: Callable[[BatchItem], None] | None = None,
    **options: Any,
) -> EvalReport:
    """Summarize every gold article (a folder, or articles already loaded; the first `limit`) and
    score the attributions. An article that fails counts all its gold attributions as missed."""
    golds = list(load_gold(gold) if isinstance(gold, (str, Path)) else gold)[:limit]
    by_name = {g.name: g for g in golds}
    report = EvalReport(articles=len(golds))
    started = time.monotonic()
    with using(summarizer, options) as active:
        if not issubclass(active.schema, ArticleSummary):
            raise ConfigurationError("evaluation scores ArticleSummary attributions; use the default schema")
        articles = [Article(g.name, text=g.text) for g in golds]
        for item in summarize_many(articles, jobs=jobs, summarizer=active):
            _account(report, by_name[item.input], item)
            if on_article is not None:
                on_article(item)
    report.elapsed_s = time.monotonic() - started
    report.per_article.sort(key=lambda row: row["name"])
    return report
