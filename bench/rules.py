"""Speed of the rule extractor: articles per second on one core, and time against length.

    python bench/rules.py [--folder DIR] [--repeat N] [--long-chars 200000]

Reads PolNeAR dev when it is there (`../shared/eval/polnear/dev` beside the repository), else the repository's own
test articles. One process, one thread: the figure is what one core does. The long article is
made by joining the articles until it reaches `--long-chars`; its time per character against
the short articles' shows whether the work grows linearly with length (a ratio near 1). Last,
the same length as a single sentence without a full stop, the worst case for the rules.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sayso.rules import extract_attributions

HERE = Path(__file__).resolve().parent
DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear" / "dev"


def articles_of(folder: Path | None) -> tuple[str, list[str]]:
    candidates = [folder] if folder else [DEV / "text", DEV, HERE.parent / "tests" / "gold", HERE.parent / "tests" / "articles"]
    for path in candidates:
        if path is not None and path.is_dir():
            texts = [p.read_text(encoding="utf-8") for p in sorted(path.glob("*.txt"))]
            if texts:
                return str(path), texts
    raise SystemExit("no articles found: pass --folder")


def timed(texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        for text in texts:
            extract_attributions(text)
        best = min(best, time.perf_counter() - began)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=None, help="a folder of .txt articles")
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the best of")
    parser.add_argument("--long-chars", type=int, default=200_000)
    args = parser.parse_args(argv)
    where, texts = articles_of(args.folder)
    extract_attributions(texts[0])  # loads the lexicon once, outside the timings
    seconds = timed(texts, args.repeat)
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} articles ({chars} characters) from {where}")
    print(f"articles per second: {len(texts) / seconds:.0f} ({seconds:.2f} s for all)")

    long_text = ""
    while len(long_text) < args.long_chars:
        long_text += "\n\n".join(texts) + "\n\n"
    long_text = long_text[: args.long_chars]
    long_seconds = timed([long_text], args.repeat)
    ratio = (long_seconds / len(long_text)) / (seconds / chars)
    print(f"long article: {len(long_text)} characters in {long_seconds:.3f} s")
    print(f"time per character, long / short: {ratio:.2f}")

    # Worst cases: one endless sentence, so that nothing is bounded by sentence length.
    for name, unit in (
        ("no full stop", "he said that she believes that officials warned that "),
        ("appositives", "Smith, a lawyer, said, "),
        ("quotations", '"a, b," he said, "c" '),
    ):
        endless = (unit * (args.long_chars // len(unit) + 1))[: args.long_chars]
        print(f"one sentence of {len(endless)} characters ({name}): {timed([endless], 1):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
