"""sayso: grounded, structured summaries of news articles.

    >>> from sayso import summarize
    >>> summary = summarize(article_text)            # doctest: +SKIP
    >>> summary.attributions[0].source, summary.attributions[0].source_span  # doctest: +SKIP
"""

from ._batch import BatchItem, JsonlLog, asummarize_many, summarize_many
from ._errors import (
    Attempt,
    ConfigurationError,
    InputError,
    OutputError,
    ProviderError,
    SaysoError,
    TruncatedOutputError,
)
from ._grounding import Dropped
from ._inputs import Article, articles_from_paths
from ._local import LocalModel
from ._models import ArticleSummary, Attribution, Claim, Grounded, SourceType, Span, span_field
from ._result import GroundingStats, Result, Usage
from ._schema import model_facing_schema, public_schema
from ._summarizer import Summarizer, summarize

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
