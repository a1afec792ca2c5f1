"""What grounding one answer costs: 200 verbatim fields in a 10,000-word article, the article
indexed afresh each time (as for every new article).

    python bench/grounding.py [--rounds N]

Cases: mixed (most fields copied exactly, some with case or spacing changed, a few with typos, a
few absent; goal at most 10 ms), all absent and all with typos (goal at most 30 ms each); then the
mixed case at four article lengths side by side (linear: the cost per 1,000 words stays flat), and
the input check (`check_text`) at four lengths.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from sayso.grounding import ground
from sayso.schema import ArticleSummary
from sayso.text import ArticleIndex, check_text
from sayso.text._fold import fold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.longtext import Said, long_article

FIELDS = 200


def _typo(text: str) -> str:
    """Two neighbouring letters swapped in the middle of the string."""
    mid = len(text) // 2
    return text[: mid] + text[mid + 1] + text[mid] + text[mid + 2 :]


def _field(kind: str, said: Said, i: int) -> str:
    if kind == "exact":
        return said.content
    if kind == "normalized":
        return said.content.upper().replace(" ", "  ")
    if kind == "fuzzy":
        return _typo(said.content)
    return f"the lighthouse keeper reported {i} unexplained green lights over the bay"


def _answer(said: list[Said], kinds: list[str]) -> dict[str, Any]:
    """An answer of attributions whose source, cue and content make `FIELDS` fields; with one
    kind of field only, `FIELDS` claims whose evidence is of that kind."""
    if len(kinds) == 1:
        claims = [{"statement": "x", "attributed_to": None,
                   "evidence": _field(kinds[0], said[(i * 7) % len(said)], i)} for i in range(FIELDS)]
        return {"summary": "x", "claims": claims}
    attributions = []
    for i in range(FIELDS // 3):
        s = said[(i * 7) % len(said)]
        attributions.append({
            "source": s.source, "cue": s.cue, "content": _field(kinds[i % len(kinds)], s, i),
            "statement": "x", "direct": False,
        })
    return {"summary": "x", "attributions": attributions}


def _time(text: str, answer: dict[str, Any], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        parsed = ArticleSummary.model_validate(answer)
        fold.cache_clear()  # each round a new answer: nothing remembered from the last
        started = time.perf_counter()
        ground(parsed, ArticleIndex(text))
        times.append(time.perf_counter() - started)
    return min(times) * 1000  # the best of the rounds: other load on the machine only adds


MIXED = ["exact"] * 16 + ["normalized", "normalized", "fuzzy", "absent"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    text, said = long_article(10_000)
    print(f"article: {len(text.split()):,} words, {len(text):,} characters; {FIELDS} fields an answer")
    for name, kinds, goal in (("mixed", MIXED, 10), ("all absent", ["absent"], 30),
                              ("all typos (fuzzy)", ["fuzzy"], 30)):
        ms = _time(text, _answer(said, kinds), rounds)
        print(f"{name:>18}: {ms:7.2f} ms an answer (goal <= {goal} ms)")
    print("mixed case by article length:")
    for words in (2_500, 5_000, 10_000, 20_000):
        text, said = long_article(words)
        ms = _time(text, _answer(said, MIXED), rounds)
        print(f"  {words:>6,} words: {ms:7.2f} ms, {ms / words * 1000:6.3f} ms per 1,000 words")
    print("check_text by article length:")
    for chars in (100_000, 200_000, 400_000, 800_000):
        text = (long_article(chars // 5)[0] * 2)[:chars]
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            check_text(text, max_chars=10**9)
            times.append(time.perf_counter() - started)
        ms = min(times) * 1000
        print(f"  {chars:>8,} chars: {ms:7.3f} ms, {ms / chars * 1e6:6.3f} ms per million chars")


if __name__ == "__main__":
    main()
