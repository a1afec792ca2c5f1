"""sayso: grounded, structured summaries of news articles.

    >>> from sayso import summarize
    >>> summary = summarize(article_text)            # doctest: +SKIP
    >>> summary.attributions[0].source, summary.attributions[0].source_span  # doctest: +SKIP

Names are imported when first used, so that `import sayso` (and the command line's `--help`)
stays fast; openai and Instructor are imported only when a first request is made.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

# A library prints nothing of its own accord: sayso's warnings go where the application's logging
# sends them (the command line prints them on stderr).
logging.getLogger("sayso").addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from ._errors import (
        Attempt,
        ConfigurationError,
        FileFormatError,
        InputError,
        OutputError,
        ProviderError,
        SaysoError,
        TruncatedOutputError,
    )
    from ._result import GroundingStats, Result, Usage
    from ._summarizer import Summarizer, summarize
    from .backends import LocalModel
    from .batch import BatchRunner, summarize_on_dask
    from .grounding import Dropped
    from .rules import extract_attributions
    from .runners import BatchItem, JsonlLog, asummarize_many, summarize_many
    from .schema import (
        ArticleSummary,
        Attribution,
        Claim,
        FoundBy,
        Grounded,
        SourceType,
        SpanMatch,
        match_field,
        model_facing_schema,
        public_schema,
        span_field,
    )
    from .text import Article, Span, articles_from_paths

# Where each public name lives.
_WHERE = {
    "Attempt": "._errors", "ConfigurationError": "._errors", "FileFormatError": "._errors", "InputError": "._errors",
    "OutputError": "._errors", "ProviderError": "._errors", "SaysoError": "._errors",
    "TruncatedOutputError": "._errors",
    "GroundingStats": "._result", "Result": "._result", "Usage": "._result",
    "Summarizer": "._summarizer", "summarize": "._summarizer",
    "LocalModel": ".backends",
    "BatchRunner": ".batch", "summarize_on_dask": ".batch",
    "Dropped": ".grounding",
    "extract_attributions": ".rules",
    "BatchItem": ".runners", "JsonlLog": ".runners", "asummarize_many": ".runners",
    "summarize_many": ".runners",
    "ArticleSummary": ".schema", "Attribution": ".schema", "Claim": ".schema",
    "FoundBy": ".schema", "Grounded": ".schema", "SourceType": ".schema",
    "model_facing_schema": ".schema", "public_schema": ".schema", "span_field": ".schema",
    "SpanMatch": ".schema", "match_field": ".schema",
    "Article": ".text", "Span": ".text", "articles_from_paths": ".text",
}

__all__ = [
    "Article",
    "ArticleSummary",
    "Attempt",
    "Attribution",
    "BatchItem",
    "BatchRunner",
    "Claim",
    "ConfigurationError",
    "Dropped",
    "FileFormatError",
    "FoundBy",
    "Grounded",
    "GroundingStats",
    "InputError",
    "JsonlLog",
    "LocalModel",
    "OutputError",
    "ProviderError",
    "Result",
    "SaysoError",
    "SourceType",
    "Span",
    "SpanMatch",
    "Summarizer",
    "TruncatedOutputError",
    "Usage",
    "articles_from_paths",
    "asummarize_many",
    "extract_attributions",
    "match_field",
    "model_facing_schema",
    "public_schema",
    "span_field",
    "summarize",
    "summarize_many",
    "summarize_on_dask",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'sayso' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
