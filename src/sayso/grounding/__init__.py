"""Grounding answers in the article: locate every verbatim value, record its span, drop what is not there."""

from ._ground import Dropped, Grounding, Missing, drop, ground, grounded_fields, models_in
from ._merge import merge_attributions

__all__ = ["Dropped", "Grounding", "Missing", "drop", "ground", "grounded_fields", "merge_attributions", "models_in"]
