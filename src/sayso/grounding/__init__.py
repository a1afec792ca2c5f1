"""Grounding answers in the article: locate every verbatim value, record its span, drop what is not there."""

from ._degenerate import degenerate_reason, drop_degenerate
from ._ground import (
    MATCHES,
    NOT_FOUND,
    Dropped,
    Grounding,
    Missing,
    drop,
    ground,
    grounded_fields,
    models_in,
)
from ._merge import merge_attributions, rules_only

__all__ = ["MATCHES", "NOT_FOUND", "Dropped", "Grounding", "Missing", "degenerate_reason", "drop", "drop_degenerate", "ground", "grounded_fields", "merge_attributions", "models_in", "rules_only"]
