"""Scoring attributions against gold data in brat format."""

from ._brat import GoldArticle, GoldAttribution, load_gold, parse_ann, unannotated
from ._eval import EvalReport, evaluate
from ._metrics import PredictedAttribution, Score, score_article

__all__ = ["EvalReport", "GoldArticle", "GoldAttribution", "PredictedAttribution", "Score", "evaluate", "load_gold", "parse_ann", "score_article", "unannotated"]
