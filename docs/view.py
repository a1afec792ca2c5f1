"""Makes docs/view.png, the picture of the HTML view in the README.

    python docs/view.py

The page is the rules engine's real output on the seed example (no model: it is the same on
every machine). It is opened in headless Chromium (the Debian package `chromium`) and the Israeli
PMO's row is clicked, so the picture shows a marked span.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sayso import Summarizer  # noqa: E402
from sayso.render import page_from_result, to_html  # noqa: E402
from tests.chromium import Browser, find_chromium  # noqa: E402

ARTICLE = ROOT / "examples" / "kremlin-netanyahu-call.txt"


def main() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    with Summarizer(engine="rules") as summarizer:
        result = summarizer.run(text)
    row = next(i for i, a in enumerate(result.output.attributions) if a.source == "the Israeli PMO")
    page = page_from_result(result, text, "examples/kremlin-netanyahu-call.txt")
    target = ROOT / "docs" / "view.html"
    target.write_text(to_html([page]), encoding="utf-8")
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("Chromium is not installed (Debian: apt-get install chromium)")
    try:
        with Browser(chromium, width=1280, height=760) as browser:
            browser.open(target)
            browser.click(f'tr[data-item="a{row}"]')
            browser.evaluate("document.activeElement.blur()")
            (ROOT / "docs" / "view.png").write_bytes(browser.screenshot())
    finally:
        target.unlink()


if __name__ == "__main__":
    main()
