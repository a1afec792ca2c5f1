"""Attribution scores of the rule extractor against a gold folder in brat format.

    python bench/rules_quality.py GOLD_DIR [--limit N] [--json]

Prints precision, recall and F1 at exact, 30% and 80% overlap, and source accuracy.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from sayso.evaluation import PredictedAttribution, Score, load_gold, score_article
from sayso.rules import extract_attributions


def score_folder(folder: str, limit: int | None = None) -> tuple[Score, int, float]:
    articles = load_gold(folder)[:limit]
    total = Score()
    began = time.perf_counter()
    for article in articles:
        predicted = PredictedAttribution.of(extract_attributions(article.text))
        total.add(score_article(article.text, predicted, article.attributions))
    return total, len(articles), time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument("--json", action="store_true", help="print the full score as JSON")
    args = parser.parse_args(argv)
    score, count, seconds = score_folder(args.gold_dir, args.limit)
    result: dict[str, Any] = score.to_dict()
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{count} articles from {args.gold_dir} in {seconds:.1f} s")
    print(f"{'measure':<12}{'precision':>10}{'recall':>10}{'F1':>8}{'matched':>9}{'pred':>7}{'gold':>7}")
    for name, values in result["attribution"].items():
        counts = result["counts"][name]
        print(
            f"{name:<12}{values['precision']:>10.3f}{values['recall']:>10.3f}{values['f1']:>8.3f}"
            f"{counts['matched']:>9}{counts['predicted']:>7}{counts['gold']:>7}"
        )
    print(f"source accuracy {result['source_accuracy']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
