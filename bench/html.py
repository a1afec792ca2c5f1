"""How long the HTML view takes for a big article: in Python, and in headless Chromium.

    python bench/html.py [--chars 300000] [--attributions 1000] [--claims 200] [--keep out.html]

Makes an article of about `--chars` characters with `--attributions` attributions (source, cue
and content, some contents holding another attribution's source, so spans nest) and `--claims`
claims whose evidence straddles them. It times `to_html()` (best and median of five), then opens
the page from disk in headless Chromium (the Debian package `chromium`) and reads the page's own
timing, from the start of navigation: until the DOM is parsed, until load, until the first paint
and until the largest paint; then the time a click on a row in the middle takes to mark its spans
and draw.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sayso.render import Page, to_html  # noqa: E402
from tests.chromium import Browser, find_chromium  # noqa: E402

NAMES = ["The minister", "A spokeswoman", "Officials", "The mayor", "Analysts", "The report"]
CUES = ["said", "told reporters", "argued", "warned", "according to", "added"]
FILLER = (
    "The talks resumed on Monday after a week of delays, and the two delegations met again in "
    "the capital to discuss the terms of the agreement, the schedule and the observers. "
)


def article(chars: int, attributions: int, claims: int) -> tuple[str, dict[str, Any]]:
    rng = random.Random(7)
    per = chars // attributions
    parts: list[str] = []
    items: list[dict[str, Any]] = []
    at = 0
    for i in range(attributions):
        name, cue = rng.choice(NAMES), rng.choice(CUES)
        inner = rng.choice(NAMES)
        content = f"that {inner} had agreed to the plan number {i} and would sign it soon"
        sentence = f"{name} {cue} {content}. "
        padding = FILLER * (1 + per // len(FILLER))
        padding = padding[: max(0, per - len(sentence))]
        start = at + len(padding)
        parts += [padding, sentence]
        at = start + len(sentence)
        c0 = start + len(name) + 1 + len(cue) + 1
        items.append({
            "source": name, "source_type": "person", "cue": cue, "content": content,
            "statement": f"{name} {cue} {content}.", "direct": False, "found_by": "model",
            "source_span": {"start": start, "end": start + len(name)},
            "cue_span": {"start": start + len(name) + 1, "end": start + len(name) + 1 + len(cue)},
            "content_span": {"start": c0, "end": c0 + len(content)},
        })
    text = "".join(parts)
    claim_items = []
    for i in range(claims):
        a = items[(i * attributions) // max(claims, 1)]
        start, end = a["cue_span"]["start"], a["content_span"]["start"] + 20
        claim_items.append({
            "statement": f"Claim {i}.", "evidence": text[start:end], "attributed_to": a["source"],
            "evidence_span": {"start": start, "end": end},
        })
    output = {"summary": "A long article.", "key_points": ["Many people spoke."],
              "claims": claim_items, "attributions": items}
    return text, output


def time_python(pages: list[Page]) -> tuple[str, list[float]]:
    times = []
    html = ""
    for _ in range(5):
        started = time.perf_counter()
        html = to_html(pages)
        times.append(time.perf_counter() - started)
    return html, times


BROWSER_TIMES = """(async () => {
  const n = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const largest = await new Promise(r => new PerformanceObserver((list) => {
    const all = list.getEntries(); r(all[all.length - 1]);
  }).observe({type: 'largest-contentful-paint', buffered: true}));
  return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          fcp: paint ? paint.startTime : -1, lcp: largest ? largest.startTime : -1};
})()"""

CLICK_TIME = """(async () => {
  const row = document.querySelectorAll('tr[data-item]')[%d];
  const started = performance.now();
  row.click();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [performance.now() - started, document.querySelectorAll('.hl.is-marked').length];
})()"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=300_000)
    parser.add_argument("--attributions", type=int, default=1_000)
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="also write the page here")
    args = parser.parse_args()
    text, output = article(args.chars, args.attributions, args.claims)
    pages = [Page("bench.txt", text=text, output=output)]
    html, times = time_python(pages)
    print(f"article: {len(text):,} characters, {args.attributions} attributions, {args.claims} claims")
    print(f"page: {len(html.encode()):,} bytes")
    print(f"python to_html: best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms")
    if args.keep:
        args.keep.write_text(html, encoding="utf-8")
    chromium = find_chromium()
    if chromium is None:
        print("browser: skipped, Chromium is not installed (apt-get install chromium)")
        return
    with tempfile.TemporaryDirectory() as folder, Browser(chromium) as browser:
        path = Path(folder) / "bench.html"
        path.write_text(html, encoding="utf-8")
        for run in (1, 2, 3):
            started = time.perf_counter()
            browser.open(path)
            wall = time.perf_counter() - started
            seen = browser.evaluate(BROWSER_TIMES)
            print(
                f"browser run {run}: DOM parsed {seen['dom']:.0f} ms, loaded {seen['load']:.0f} ms, "
                f"first paint {seen['fcp']:.0f} ms, largest paint {seen['lcp']:.0f} ms "
                f"(navigate to complete, measured outside: {wall * 1000:.0f} ms)"
            )
        took, count = browser.evaluate(CLICK_TIME % (args.attributions // 2))
        print(f"click on row {args.attributions // 2 + 1}: {took:.0f} ms to mark {count} highlight(s) and draw")


if __name__ == "__main__":
    main()
