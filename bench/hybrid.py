"""What the hybrid engine gains and costs against the model and the rules alone, in one run.

A scripted server stands in for the model. It answers each article with the gold attributions
of the text it was sent (see `gold_replay.py`), in three ways: all of them (a perfect model),
every second one (perfect precision, half the recall), and a noisy model (a quarter of the
contents with an edge moved by one word, and two invented items an article). Each is scored on
`engine="model"`, `engine="hybrid"`, and hybrid with `confirm_rules=True` (the model, knowing
the gold, confirms the candidates that cover 30% of a gold content), and the rules alone beside
them, exact and at 30% content overlap. The confirming requests' size is reported against the
first requests' (characters of their messages: a scripted server counts no tokens).

    python bench/hybrid.py [GOLD_DIR] [--limit N] [--jobs 2]

GOLD_DIR defaults to PolNeAR's dev split (never its test split). Goals on dev: with the perfect
model, hybrid exact F1 >= 0.94 and F1 @ 30% >= 0.95; with the half model, hybrid above both the
model and the rules alone, exact F1 >= 0.75 and F1 @ 30% >= 0.88.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

from sayso import Summarizer
from sayso._confirm import CONFIRM_SYSTEM
from sayso.evaluation import evaluate, load_gold
from sayso.evaluation._brat import GoldArticle, GoldAttribution

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _instant_server import serve_in_thread
from gold_replay import DEV, Choose, gold_answer, gold_items

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
ENGINES: dict[str, dict[str, Any]] = {
    "`model`": {"engine": "model"},
    "`hybrid`": {"engine": "hybrid"},
    "`hybrid`, confirming": {"engine": "hybrid", "confirm_rules": True},
}


def _covers_gold(golds: list[GoldArticle], content: str) -> bool:
    """Whether a candidate's content covers 30% of a gold content, in the article that holds it."""
    # The candidate came on one line, its spaces folded: any run of spaces stands for its own.
    pattern = re.compile(r"\s+".join(map(re.escape, content.removesuffix("...").split())))
    for article in golds:
        found = pattern.search(article.text)
        if found is None:
            continue
        start, end = found.span()
        for a in article.attributions:
            inside = sum(max(0, min(end, f.end) - max(start, f.start)) for f in a.content)
            if inside >= 0.3 * sum(f.end - f.start for f in a.content):
                return True
        return False
    return False


class Server:
    """Answers with `choose`'s gold items, and confirms the candidates that are gold; counts the
    characters of what each kind of request sends."""

    def __init__(self, golds: list[GoldArticle], choose: Choose) -> None:
        self.golds, self.choose = golds, choose
        self.sent = {"first": 0, "confirming": 0}
        self.http = serve_in_thread(self.answer)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/v1"

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        size = len(json.dumps(body["messages"]))
        if body["messages"][0]["content"] != CONFIRM_SYSTEM:
            self.sent["first"] += size
            return gold_answer(self.golds, body, self.choose)
        self.sent["confirming"] += size
        lines = body["messages"][1]["content"].splitlines()[1:-1]
        return {"numbers": [n for n, line in enumerate(lines, 1)
                            if _covers_gold(self.golds, line.split(" | ", 2)[2])]}


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
    sizes = []
    for name, choose in MODELS.items():
        server = Server(golds, choose)
        for label, options in ENGINES.items():
            started = time.monotonic()
            with Summarizer(base_url=server.url, model="gold", api_key="none", cache=False,
                            **options) as summarizer:
                report = evaluate(golds, summarizer=summarizer, jobs=args.jobs)
            print(_row(f"{name} model, {label}", report, time.monotonic() - started), flush=True)
        sizes.append(f"{name}: confirming requests {server.sent['confirming']:,} characters against "
                     f"{server.sent['first'] // len(ENGINES):,} for the first requests")
        server.http.shutdown()
    started = time.monotonic()
    report = evaluate(golds, engine="rules", jobs=args.jobs)
    print(_row("rules alone", report, time.monotonic() - started))
    print("\n" + "\n".join(sizes))


if __name__ == "__main__":
    main()
