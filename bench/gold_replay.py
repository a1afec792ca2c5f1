"""How much of gold-standard attribution the pipeline keeps when the model is perfect: a scripted
server answers each request with the gold attributions that stand wholly inside the text it was
sent (content as the text of the gold content's covering range, cue and source as theirs), and
`evaluate()` scores what sayso makes of those answers: grounding, the choice among repeated
strings, chunking and merging.

    python bench/gold_replay.py [GOLD_DIR] [--chunk-chars 1500] [--limit N]

GOLD_DIR defaults to PolNeAR's dev split (never its test split). Reports exact precision, recall
and F1 on whole articles, then with chunks of `--chunk-chars` characters. Goals on dev: exact F1
at least 0.99 whole; in 1,500-character chunks precision at least 0.99 and recall at least 0.95.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sayso import Summarizer
from sayso.evaluation import evaluate, load_gold
from sayso.evaluation._brat import Fragments, GoldArticle, GoldAttribution

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _instant_server import serve_in_thread

# PolNeAR dev in the evaluation data beside the repository (never copied into it).
DEV = str(Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear" / "dev")


def _text(article: str, fragments: Fragments | None) -> str | None:
    if not fragments:
        return None
    return article[fragments[0].start : fragments[-1].end]


def _inside(fragments: Fragments | None, start: int, end: int) -> bool:
    return fragments is None or (start <= fragments[0].start and fragments[-1].end <= end)


def gold_items(article: GoldArticle, found: list[GoldAttribution]) -> list[dict[str, Any]]:
    """Every gold attribution, as a model that reads perfectly writes it."""
    return [
        {"source": _text(article.text, a.source), "source_type": "other",
         "cue": _text(article.text, a.cue) or "said", "content": _text(article.text, a.content),
         "statement": "x", "direct": False} for a in found]


Choose = Callable[[GoldArticle, list[GoldAttribution]], list[dict[str, Any]]]


def gold_answer(golds: list[GoldArticle], body: dict[str, Any], choose: Choose = gold_items) -> dict[str, Any]:
    """The answer of a model that reads perfectly, as the message's JSON; `choose` writes the
    attributions it gives of the gold ones inside the text it was sent (all, by default)."""
    user = body["messages"][1]["content"]  # the first user message, also in a re-ask
    if "<partials>\n" in user:
        return {"summary": "Merged.", "key_points": []}
    sent = user.split("<article>\n", 1)[1].rsplit("\n</article>", 1)[0]
    article = next(g for g in golds if sent in g.text)
    start = article.text.find(sent)
    end = start + len(sent)
    found = [a for a in article.attributions
             if all(_inside(f, start, end) for f in (a.content, a.cue, a.source))]
    found.sort(key=lambda a: a.content[0].start)
    return {"summary": "Gold.", "key_points": [], "claims": [], "attributions": choose(article, found)}


def serve(golds: list[GoldArticle], choose: Choose = gold_items) -> ThreadingHTTPServer:
    return serve_in_thread(lambda body: gold_answer(golds, body, choose))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("gold", nargs="?", default=DEV)
    parser.add_argument("--chunk-chars", type=int, default=1500)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    golds = load_gold(args.gold)[: args.limit]
    server = serve(golds)
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    print(f"{len(golds)} articles, {sum(len(g.attributions) for g in golds)} gold attributions")
    for label, chunk_chars in (("whole", None), (f"chunks of {args.chunk_chars}", args.chunk_chars)):
        started = time.monotonic()
        with Summarizer(base_url=url, model="gold", api_key="none", cache=False,
                        chunk_chars=chunk_chars) as summarizer:
            report = evaluate(golds, summarizer=summarizer, jobs=4)
        exact = report.to_dict()["attribution"]["exact"]
        print(f"{label:>16}: exact precision {exact['precision']:.4f} recall {exact['recall']:.4f} "
              f"F1 {exact['f1']:.4f}; failed {len(report.failed)}; "
              f"{time.monotonic() - started:.1f} s")
    server.shutdown()


if __name__ == "__main__":
    main()
