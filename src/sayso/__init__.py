"""sayso: grounded, structured summaries of news articles.

    >>> from sayso import summarize
    >>> summary = summarize(article_text)            # doctest: +SKIP
    >>> summary.attributions[0].source, summary.attributions[0].source_span  # doctest: +SKIP
"""

from ._errors import (
    Attempt,
    ConfigurationError,
    InputError,
    OutputError,
    ProviderError,
    SaysoError,
    TruncatedOutputError,
)
from ._result import GroundingStats, Result, Usage
from ._summarizer import Summarizer, summarize
from .backends._local import LocalModel
from .grounding import Dropped
from .runners import BatchItem, JsonlLog, asummarize_many, summarize_many
from .schema import (
    ArticleSummary,
    Attribution,
    Claim,
    Grounded,
    SourceType,
    model_facing_schema,
    public_schema,
    span_field,
)
from .text import Article, Span, articles_from_paths

__all__ = [
    "Article",
    "ArticleSummary",
    "Attempt",
    "Attribution",
    "BatchItem",
    "Claim",
    "ConfigurationError",
    "Dropped",
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
    "Summarizer",
    "TruncatedOutputError",
    "Usage",
    "articles_from_paths",
    "asummarize_many",
    "model_facing_schema",
    "public_schema",
    "span_field",
    "summarize",
    "summarize_many",
]
