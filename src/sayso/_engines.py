"""The engines a `Summarizer` runs: "model", "rules" (no request at all), and "hybrid" (the
model's answer with the rules' attributions merged in).

The rules engine builds the whole `ArticleSummary` without a model: attributions from the
extractor, a claim for each of them, and a summary and key points of whole sentences taken from
the article (marked `extractive`). The hybrid engine keeps every attribution and claim of the
model's, and adds those of the rules' that the model missed and that are likely right (see
`grounding._merge`); when the model's summary is not even a sentence (small models stop mid-phrase), it
takes the extractive summary instead, and says so (`extractive`).
"""

from __future__ import annotations

from pydantic import BaseModel

from ._errors import ConfigurationError
from .grounding import MATCHES, Dropped, drop_degenerate, merge_attributions
from .schema import ArticleSummary, Attribution, Claim, SpanMatch

__all__ = ["check_engine", "finish_output", "merge_rules", "rules_summary"]


def check_engine(engine: str, schema: type[BaseModel]) -> None:
    if engine == "rules" and schema is not ArticleSummary:
        raise ConfigurationError(
            f"the rules engine fills ArticleSummary, not {schema.__name__}; use engine='model'"
        )


def finish_output(
    engine: str, output: BaseModel, article: str, confirmed: list[tuple[int, int]] | None = None
) -> tuple[BaseModel, list[Dropped]]:
    """A model's grounded answer as `engine` returns it, and what was dropped from it: items
    that say nothing (see `drop_degenerate`) leave it; every attribution says who found it; on
    "hybrid", the rules' attributions and claims are merged in (those `confirmed`, when the
    model was asked to confirm them). `output` is changed in place:
    every caller hands over an answer of its own (fresh from the model, or read from the cache)."""
    dropped = drop_degenerate(output)
    for value in output.__dict__.values():  # the answer's own lists, as `drop_degenerate` reads them
        for item in value if isinstance(value, list) else ():
            if isinstance(item, Attribution) and item.found_by is None:
                item.__dict__["found_by"] = "model"
    if engine == "hybrid":
        output = merge_rules(output, article, confirmed)
    return output, dropped


def _from_rules(a: Attribution) -> Attribution:
    """The rules copy the article's own words: every value they give is an exact match."""
    exact = {name: SpanMatch(how="exact") for name in ("source", "cue", "content")
             if getattr(a, f"{name}_span") is not None}
    return a.model_copy(update={MATCHES: exact})


def rules_summary(article: str, schema: type[BaseModel]) -> BaseModel:
    """The whole summary, from the rules alone."""
    from .rules import extract_attributions, extractive_summary

    attributions = [_from_rules(a) for a in extract_attributions(article)]
    summary, key_points = extractive_summary(article)
    return ArticleSummary(
        summary=summary,
        key_points=key_points,
        claims=[_claim(a) for a in attributions],
        attributions=attributions,
        extractive=True,
    )


def _claim(a: Attribution) -> Claim:
    return Claim(
        statement=a.statement,
        evidence=a.content,
        attributed_to=a.source,
        evidence_span=a.content_span,
        matches={"evidence": a.matches["content"]} if "content" in a.matches else {},
    )


def merge_rules(output: BaseModel, article: str, confirmed: list[tuple[int, int]] | None = None) -> BaseModel:
    """The model's answer with the rules' attributions merged in (an `ArticleSummary` only;
    another schema is returned as it is)."""
    if not isinstance(output, ArticleSummary):
        return output
    from .rules import extract_attributions, extractive_summary, load_lexicon

    rules = [_from_rules(a) for a in extract_attributions(article)]
    merged = merge_attributions(output.attributions, rules, load_lexicon(), confirmed)
    added = [a for a in merged if a.found_by == "rules"]
    claims = list(output.claims) + [
        _claim(a) for a in added if not any(_overlaps(a, c) for c in output.claims)
    ]
    claims.sort(key=lambda c: c.evidence_span.start if c.evidence_span else -1)
    update: dict[str, object] = {"attributions": merged, "claims": claims}
    if not _is_sentence(output.summary):
        summary, key_points = extractive_summary(article)
        update |= {"summary": summary, "key_points": key_points, "extractive": True}
    return output.model_copy(update=update)


def _overlaps(a: Attribution, c: Claim) -> bool:
    x, y = a.content_span, c.evidence_span
    return x is not None and y is not None and x.start < y.end and y.start < x.end


_MIN_SENTENCE_WORDS = 6


def _is_sentence(text: str) -> bool:
    """Whether `text` reads as at least one whole sentence."""
    text = text.strip()
    return len(text.split()) >= _MIN_SENTENCE_WORDS and text[-1:] in ".!?\"”’')"
