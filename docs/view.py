"""Makes docs/view.png, the picture of the HTML view in the README.

    python docs/view.py

The output drawn is written by hand for the picture, not produced by a model: three
attributions and one claim on the seed example, their spans found with `str.find`. The page is
opened in headless Chromium (the Debian package `chromium`) and the first attribution's row is
clicked, so the picture shows a marked span.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sayso.render import Page, to_html  # noqa: E402
from tests.chromium import Browser, find_chromium  # noqa: E402

ARTICLE = ROOT / "examples" / "kremlin-netanyahu-call.txt"


def located(text: str, words: str, after: str = "") -> dict[str, int]:
    start = text.find(words, text.find(after) if after else 0)
    if start < 0:
        raise ValueError(f"not in the article: {words!r}")
    return {"start": start, "end": start + len(words)}


def attribution(text: str, source: str, cue: str, content: str, **more: Any) -> dict[str, Any]:
    return {
        "source": source, "cue": cue, "content": content,
        "source_span": located(text, source, more.get("after", "")),
        "cue_span": located(text, cue, source),
        "content_span": located(text, content, source),
        **{k: v for k, v in more.items() if k != "after"},
    }


def output(text: str) -> dict[str, Any]:
    evidence = "Russian President Vladimir Putin and Israel’s Prime Minister Benjamin Netanyahu discussed developments in Asia in a rare phone call on Saturday"
    return {
        "summary": "Putin and Netanyahu spoke by phone about Gaza, Iran and Syria; Israel said the call was Russia's idea, and Russia pushed its own UN draft on Gaza.",
        "key_points": [
            "The two leaders discussed the Gaza ceasefire and the exchange of hostages and prisoners.",
            "Israel's PMO said the call was held at Russia's request.",
        ],
        "claims": [{
            "statement": "Putin and Netanyahu discussed developments in Asia in a phone call on Saturday.",
            "evidence": evidence, "attributed_to": None, "evidence_span": located(text, evidence),
        }],
        "attributions": [
            attribution(text, "the Israeli PMO", "maintained", "that the phone call was held at the Russian leader’s request",
                        source_type="government", direct=False, found_by="both",
                        statement="Israel's PMO said the call was held at Putin's request."),
            attribution(text, "the Kremlin", "called", "the conversation “a thorough exchange of views.”", after="Meanwhile",
                        source_type="government", direct=True, found_by="model",
                        statement="The Kremlin called the conversation a thorough exchange of views."),
            attribution(text, "Russia’s UN mission", "said", "that its “counter-proposal is inspired by the US draft,”",
                        source_type="organization", direct=True, found_by="rules",
                        statement="Russia's UN mission said its counter-proposal is inspired by the US draft."),
        ],
    }


def main() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    page = Page("examples/kremlin-netanyahu-call.txt", text=text, output=output(text),
                run={"model": "hand-made example (not a model run)"})
    target = ROOT / "docs" / "view.html"
    target.write_text(to_html([page]), encoding="utf-8")
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("Chromium is not installed (Debian: apt-get install chromium)")
    try:
        with Browser(chromium, width=1280, height=760) as browser:
            browser.open(target)
            browser.click('tr[data-item="a0"]')
            browser.evaluate("document.activeElement.blur()")
            (ROOT / "docs" / "view.png").write_bytes(browser.screenshot())
    finally:
        target.unlink()


if __name__ == "__main__":
    main()
