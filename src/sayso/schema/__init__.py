"""The public models, and the schema the model is shown."""

from ._facing import model_facing_schema, public_schema
from ._models import (
    ArticleSummary,
    Attribution,
    Claim,
    FoundBy,
    Grounded,
    MatchHow,
    SourceType,
    SpanMatch,
    match_field,
    span_field,
)

__all__ = ["ArticleSummary", "Attribution", "Claim", "FoundBy", "Grounded", "MatchHow", "SourceType", "SpanMatch", "match_field", "model_facing_schema", "public_schema", "span_field"]
