"""What the hybrid engine gains and costs against the model and the rules alone, in one run.

A scripted server stands in for the model. It answers each article with the gold attributions
of the text it was sent (see `gold_replay.py`), in three ways: all of them (a perfect model),
every second one (perfect precision, half the recall), and a noisy model (a quarter of the
contents with an edge moved by one word, and two invented items an article). Each is scored on
`engine="model"` and `engine="hybrid"`, and the rules alone beside them, exact and at 30%
content overlap.

    python bench/hybrid.py [GOLD_DIR] [--limit N] [--jobs 2]

GOLD_DIR defaults to PolNeAR's dev split (never its test split). Goals on dev: with the perfect
model, hybrid exact F1 >= 0.94 and F1 @ 30% >= 0.95; with the half model, hybrid above both the
model and the rules alone, exact F1 >= 0.75 and F1 @ 30% >= 0.88.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

from sayso import Summarizer
from sayso.evaluation import evaluate, load_gold
from sayso.evaluation._brat import GoldArticle, GoldAttribution

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gold_replay import DEV, Choose, gold_items, serve

_SENTENCE = re.compile(r"[^.!?\n]{40,200}[.!?]")


def every_second(article: GoldArticle, found: list[GoldAttribution]) -> list[dict[str, Any]]:
    return gold_items(article, found)[::2]


def _shifted(text: str, start: int, end: int, rng: random.Random) -> tuple[int, int]:
    """The content with one edge moved by a word: in or out, at the start or the end."""
    if rng.random() < 0.5:
        inside = text.find(" ", start, end)
        return (inside + 1, end) if inside != -1 else (start, end)
    outside = text.find(" ", end + 1)
    return (start, outside) if outside != -1 and outside - end < 30 else (start, end)


def noisy(article: GoldArticle, found: list[GoldAttribution]) -> list[dict[str, Any]]:
    """Every gold attribution, a quarter of them with a content edge moved, and two invented
    ones: a sentence that holds no gold content, said by nobody."""
    rng = random.Random(article.name)
    items = gold_items(article, found)
    text = article.text
    for item, gold in zip(items, found, strict=True):
        if rng.random() < 0.25:
            start, end = _shifted(text, gold.content[0].start, gold.content[-1].end, rng)
            item["content"] = text[start:end]
    taken = [(g.content[0].start, g.content[-1].end) for g in article.attributions]
    free = [m for m in _SENTENCE.finditer(text)
            if not any(s < m.end() and m.start() < e for s, e in taken)]
    for m in rng.sample(free, min(2, len(free))):
        words = m.group().split()
        items.append({"source": None, "source_type": "other", "cue": words[len(words) // 2],
                      "content": m.group().strip(), "statement": "x", "direct": False})
    return items


MODELS: dict[str, Choose] = {"perfect": gold_items, "half": every_second, "noisy": noisy}


def _row(label: str, report: Any, seconds: float) -> str:
    scores = report.to_dict()["attribution"]
    e, o = scores["exact"], scores["overlap@0.3"]
    return (f"| {label} | {e['precision']:.3f} / {e['recall']:.3f} / **{e['f1']:.3f}** | "
            f"**{o['f1']:.3f}** ({o['precision']:.3f} / {o['recall']:.3f}) | {seconds:.1f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="?", default=DEV)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    golds = load_gold(args.gold)[: args.limit]
    print(f"{len(golds)} articles, {sum(len(g.attributions) for g in golds)} gold attributions\n")
    print("| model, engine | exact P / R / F1 | F1 @ 30% (P / R) | time |")
    print("|---|---|---|---|")
    for name, choose in MODELS.items():
        server = serve(golds, choose)
        url = f"http://127.0.0.1:{server.server_address[1]}/v1"
        for engine in ("model", "hybrid"):
            started = time.monotonic()
            with Summarizer(base_url=url, model="gold", api_key="none", cache=False,
                            engine=engine) as summarizer:
                report = evaluate(golds, summarizer=summarizer, jobs=args.jobs)
            print(_row(f"{name} model, `{engine}`", report, time.monotonic() - started), flush=True)
        server.shutdown()
    started = time.monotonic()
    report = evaluate(golds, engine="rules", jobs=args.jobs)
    print(_row("rules alone", report, time.monotonic() - started))


if __name__ == "__main__":
    main()
