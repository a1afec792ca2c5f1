"""How the HTML view grows with nested spans: page size and time for 500, 1,000 and 2,000 spans
nested one inside the other, and the ratio of each to the one before (2.0 is linear).

    python bench/nested_spans.py [--counts 500 1000 2000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sayso.render import Page, to_html  # noqa: E402


def nested(count: int) -> tuple[str, dict[str, Any]]:
    """A text with `count` attribution contents nested one inside the other, as a crafted line
    of a results file might hold them."""
    text = "word " * 2 * count + "the core. " + "word " * 2 * count
    attributions = [{
        "source": None, "source_type": "other", "cue": "", "content": "the core", "statement": "s",
        "direct": False, "content_span": {"start": 5 * i, "end": len(text) - 5 * i},
    } for i in range(count)]
    return text, {"summary": "s", "key_points": [], "claims": [], "attributions": attributions}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", type=int, nargs="+", default=[500, 1_000, 2_000])
    args = parser.parse_args()
    before: tuple[int, float] | None = None
    print(f"{'spans':>6} {'text chars':>10} {'page bytes':>12} {'seconds':>8}  ratios (bytes, time)")
    for count in args.counts:
        text, output = nested(count)
        started = time.perf_counter()
        page = to_html([Page("nested", text=text, output=output)])
        elapsed = time.perf_counter() - started
        size = len(page.encode("utf-8"))
        ratios = f"{size / before[0]:.2f}, {elapsed / before[1]:.2f}" if before else "-"
        print(f"{count:>6} {len(text):>10} {size:>12,} {elapsed:>8.3f}  {ratios}")
        before = (size, elapsed)


if __name__ == "__main__":
    main()
