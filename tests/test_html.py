"""The HTML view: highlights equal the article's slices, everything is escaped, bad input is shown
as such, and in a real browser a click on a row marks its spans."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from sayso.render import Page, page_from_record, to_html, view_jsonl

from .chromium import Browser, find_chromium, png_pixels
from .pageparse import Parsed


def span(text: str, words: str, after: int = 0) -> dict[str, int]:
    start = text.index(words, after)
    return {"start": start, "end": start + len(words)}


def attribution(text: str, source: str | None, cue: str, content: str, **extra: Any) -> dict[str, Any]:
    return {
        "source": source,
        "source_type": "person",
        "cue": cue,
        "content": content,
        "statement": f"{source} {cue} {content}",
        "direct": False,
        "source_span": span(text, source) if source else None,
        "cue_span": span(text, cue),
        "content_span": span(text, content),
        "found_by": "model",
        **extra,
    }


def expected_slices(text: str, output: dict[str, Any]) -> dict[str, str]:
    slices = {}
    for i, a in enumerate(output.get("attributions", [])):
        for kind in ("source", "cue", "content"):
            if a.get(f"{kind}_span"):
                s = a[f"{kind}_span"]
                slices[f"a{i}-{kind}"] = text[s["start"] : s["end"]]
    for i, c in enumerate(output.get("claims", [])):
        if c.get("evidence_span"):
            s = c["evidence_span"]
            slices[f"c{i}-evidence"] = text[s["start"] : s["end"]]
    return slices


NESTED = "Alice said that Bob claimed the sky is green, and Carol agreed."


def nested_output() -> dict[str, Any]:
    text = NESTED
    return {
        "summary": "Alice reports Bob's claim.",
        "key_points": ["Bob thinks the sky is green."],
        "claims": [
            # Straddles Alice's cue and the start of her content.
            {"statement": "Alice said so.", "evidence": "said that Bob", "attributed_to": "Alice", "evidence_span": span(text, "said that Bob")},
            {"statement": "Carol agreed.", "evidence": "green, and Carol", "attributed_to": None, "evidence_span": span(text, "green, and Carol")},
        ],
        "attributions": [
            attribution(text, "Alice", "said", "that Bob claimed the sky is green"),
            # Wholly inside Alice's content.
            attribution(text, "Bob", "claimed", "the sky is green"),
            attribution(text, "Carol", "agreed", "Carol agreed", direct=True),  # content overlaps the source
        ],
    }


def render(output: dict[str, Any], text: str, **record: Any) -> str:
    return to_html([page_from_record({"input": "a.txt", "output": output, **record}, text=text)])


def test_every_highlight_is_the_articles_slice_with_nested_and_overlapping_spans() -> None:
    output = nested_output()
    parsed = Parsed(render(output, NESTED))
    assert not parsed.misnested and not parsed.stack
    assert parsed.texts["p0"] == NESTED
    assert parsed.spans() == expected_slices(NESTED, output)
    bob = next(offset for offset, data in parsed.segments["p0"] if data == "Bob")
    assert parsed.covering(bob) == {"a1-source", "a0-content", "c0-evidence"}
    assert len(parsed.rows) == 5  # three attributions, two claims


def test_the_tables_summary_and_run_are_shown() -> None:
    run = {
        "model": "gpt-test", "engine": "hybrid", "attempts": 2, "elapsed_s": 1.25, "cached": False,
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        "dropped": [{"path": "attributions[3]", "missing": {"content": "text not found"}, "item": {"cue": "told"}}],
    }
    html = render(nested_output(), NESTED, run=run)
    for shown in ("gpt-test", "hybrid", "120 (100 prompt, 20 completion)", "1.25 s", "attributions[3]",
                  "content: text not found", "Bob thinks the sky is green.", "Alice reports Bob"):
        assert shown in html
    assert '<td>yes</td>' in html and "<td>model</td>" in html


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</textarea>",
    "</script>",
    "{{ x }}",
    '" onmouseover="alert(1)',
    "\u2028</div><b>",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_article_and_output_are_escaped(hostile: str) -> None:
    text = f"The mayor said {hostile} today, and {hostile} again."
    output = {
        "summary": hostile,
        "key_points": [hostile],
        "claims": [{"statement": hostile, "evidence": hostile, "attributed_to": hostile, "evidence_span": span(text, hostile)}],
        "attributions": [attribution(text, "The mayor", "said", hostile, statement=hostile, found_by=hostile)],
    }
    run = {"model": hostile, "dropped": [{"path": hostile, "missing": {hostile: hostile}, "item": {"x": hostile}}]}
    html = render(output, text, run=run, input=hostile)
    parsed = Parsed(html)
    assert parsed.tags["script"] == 1 and parsed.tags["img"] == 0 and parsed.tags["textarea"] == 0
    assert parsed.tags["b"] == 0
    assert not [a for a in parsed.attributes if a[1].startswith("on")]
    assert not parsed.misnested and not parsed.stack
    assert parsed.texts["p0"] == text
    assert parsed.spans() == expected_slices(text, output)
    assert "alert(1)" not in parsed.scripts[0]


def test_only_the_pages_own_script_may_run() -> None:
    html = render(nested_output(), NESTED)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy and "default-src 'none'" in policy.group(1)
    script = Parsed(html).scripts[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy.group(1)


def test_spans_out_of_range_reversed_or_malformed_are_left_out_with_a_note() -> None:
    output = nested_output()
    output["attributions"][0]["source_span"] = {"start": 50, "end": 10_000}
    output["attributions"][0]["cue_span"] = {"start": 9, "end": 3}
    output["attributions"][1]["cue_span"] = "here"
    output["claims"][0]["evidence_span"] = {"start": -2, "end": 4}
    output["claims"][1]["evidence_span"] = {"start": True, "end": 4}
    html = render(output, NESTED)
    parsed = Parsed(html)
    drawn = parsed.spans()
    assert set(drawn) == {"a0-content", "a1-source", "a1-content", "a2-source", "a2-cue", "a2-content"}
    expected = expected_slices(NESTED, nested_output())
    assert all(drawn[k] == expected[k] for k in drawn)
    assert "attributions[0].source: the span is outside the text" in html
    assert "attributions[0].cue: the span is reversed (9–3)" in html
    assert "attributions[1].cue: the span is not an object" in html
    assert "claims[1].evidence: the span has no whole-number" in html


def test_spans_that_do_not_hold_their_words_are_noted() -> None:
    output = nested_output()
    html = render(output, NESTED.replace("Alice", "Alise"))
    assert "1 span(s) do not hold the words" in html


def test_an_error_record_is_shown_as_an_error() -> None:
    page = page_from_record({"input": "b.txt", "error": {"type": "ProviderError", "message": "the server said <no>"}})
    assert page.error == {"type": "ProviderError", "message": "the server said <no>"}
    html = to_html([page])
    assert 'role="alert"><strong>ProviderError</strong>: the server said &lt;no&gt;' in html
    assert Parsed(html).tags["table"] == 0


def test_a_custom_schema_is_shown_as_pretty_json() -> None:
    output = {"sentiment": "<b>grim</b>", "topics": ["a", "</pre><script>alert(1)</script>"], "score": 0.5}
    html = render(output, "Some text.")
    parsed = Parsed(html)
    assert json.loads(parsed.pre[0]) == output
    assert parsed.tags["script"] == 1 and parsed.tags["b"] == 0
    assert "Some text." in html and not parsed.segments


def test_the_text_is_read_from_the_input_file(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(NESTED, encoding="utf-8")
    page = page_from_record({"input": str(article), "output": nested_output()})
    assert page.text == NESTED and not page.notes
    missing = page_from_record({"input": str(tmp_path / "gone.txt"), "output": nested_output()})
    assert missing.text is None and "could not be read" in missing.notes[0]
    html = to_html([missing])
    assert "could not be read" in html and "No article text" in html
    assert "that Bob claimed the sky is green" in html  # the tables still show
    nameless = page_from_record({"output": nested_output()})
    assert nameless.title == "untitled" and "names no file" in nameless.notes[0]


def test_a_batch_with_errors_and_malformed_lines(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(NESTED, encoding="utf-8")
    lines = [
        json.dumps({"input": "a.txt", "output": nested_output(), "run": {"model": "m"}}),
        "",
        "{not json",
        json.dumps({"input": "b.txt", "error": {"type": "ProviderError", "message": "timed out"}}),
        "[1, 2]",
        json.dumps({"input": "c.html", "output": nested_output(), "text": NESTED}),
    ]
    batch = tmp_path / "out.jsonl"
    batch.write_bytes(("\n".join(lines) + "\n").encode() + b'{"input": "\xff"}\n')
    html = view_jsonl(batch)
    parsed = Parsed(html)
    assert "out.jsonl, line 3: not valid JSON" in html
    assert "out.jsonl, line 5: not a JSON object" in html
    assert "out.jsonl, line 7: not valid JSON" in html  # not UTF-8
    assert "ProviderError" in html and 'href="#p4"' in html
    assert parsed.texts == {"p0": NESTED, "p4": NESTED}  # a.txt read beside the batch; c.html from its text
    assert parsed.spans("p0") == parsed.spans("p4") == expected_slices(NESTED, nested_output())
    assert len(parsed.ids) == len(set(parsed.ids))
    assert {r["id"] for r in parsed.rows} >= {"p0-a0", "p4-a0"}


def test_carriage_returns_keep_their_offsets_in_a_browser() -> None:
    text = "Alice said:\r\n\"Yes.\"\rBob said no."
    output = {"summary": "s", "attributions": [attribution(text, "Bob", "said", "no")]}
    html = render(output, text)
    assert "\r" not in html.split("<body>")[1] and "&#13;" in html
    assert Parsed(html).spans() == expected_slices(text, output)


def test_a_page_can_be_made_by_hand() -> None:
    html = to_html([Page("typed", text=NESTED, output=nested_output())])
    assert Parsed(html).spans() == expected_slices(NESTED, nested_output())


def test_a_large_page_draws_every_span() -> None:
    paragraph = "The minister said that the plan would work. "
    text = paragraph * 2_000
    step = len(paragraph)
    attributions = [
        {
            "source": "The minister", "cue": "said", "content": "that the plan would work",
            "statement": "s", "direct": False,
            "source_span": {"start": i * step, "end": i * step + 12},
            "cue_span": {"start": i * step + 13, "end": i * step + 17},
            "content_span": {"start": i * step + 18, "end": i * step + 42},
        }
        for i in range(1_000)
    ]
    parsed = Parsed(render({"summary": "s", "attributions": attributions}, text))
    assert len(parsed.spans()) == 3_000 and parsed.texts["p0"] == text


# --- In a real browser -------------------------------------------------------------------------

CHROMIUM = find_chromium()


@pytest.fixture(scope="module")
def browser() -> Any:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: install the Debian package `chromium`")
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); CI installs it")
    with Browser(CHROMIUM) as opened:
        yield opened


def marked(browser: Browser) -> list[str]:
    return list(browser.evaluate(
        "[...document.querySelectorAll('.is-marked')].map(e => e.getAttribute('data-item') ? 'row ' + e.getAttribute('data-item') : e.textContent)"
    ))


def test_in_a_browser_rows_and_highlights_mark_each_other(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "view.html"
    page.write_text(render(nested_output(), NESTED), encoding="utf-8")
    browser.open(page)
    assert browser.evaluate("performance.getEntriesByType('resource').length") == 0  # nothing fetched

    browser.click('tr[data-item="a1"]')
    assert marked(browser) == ["Bob", "claimed", "the sky is ", "green", "row a1"]
    assert browser.evaluate("document.querySelector('.hl[data-o=\"16\"]').classList.contains('is-marked')")

    browser.click('.hl[data-o="0"]')  # a click in the text marks the row
    assert marked(browser)[-1] == "row a0" and "row a1" not in marked(browser)

    browser.evaluate("document.querySelector('tr[data-item=\"c1\"]').focus()")
    browser.press("Enter")
    assert marked(browser) == ["green", ", and ", "Carol", "row c1"]
    browser.evaluate("document.querySelector('.hl[data-o=\"56\"]').focus()")
    browser.press(" ")
    assert marked(browser)[-1] == "row a2"

    width, height, rows = png_pixels(browser.screenshot(scale=0.25))
    assert (width, height) == (320, 225)
    pixels = Counter(row[i : i + 3] for row in rows for i in range(0, len(row), len(row) // width))
    assert len(pixels) > 50, "the screenshot is blank"
    assert pixels.most_common(1)[0][1] < 0.9 * width * height


OFFSETS_HOLD = """(() => {
  let at = 0, wrong = 0;
  for (const node of document.querySelector('.article').childNodes) {
    if (node.nodeType === 1 && Number(node.getAttribute('data-o')) !== at) { wrong += 1; }
    at += [...node.textContent].length;  // code points, as Python counts
  }
  return [at, wrong];
})()"""


def test_in_a_browser_the_drawn_text_keeps_every_offset(browser: Browser, tmp_path: Path) -> None:
    text = NESTED.replace(", and ", ",\r\nand\r") + "\r\n\u2028Then \U0001f600 Dora said\tno."
    output = nested_output()
    output["attributions"].append(attribution(text, "Dora", "said", "no"))
    page = tmp_path / "crlf.html"
    page.write_text(render(output, text), encoding="utf-8")
    browser.open(page)
    assert browser.evaluate(OFFSETS_HOLD) == [len(text), 0]


def test_in_a_browser_articles_on_one_page_do_not_collide(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "two.html"
    pages = [page_from_record({"input": name, "output": nested_output()}, text=NESTED) for name in ("a", "b")]
    page.write_text(to_html(pages), encoding="utf-8")
    browser.open(page)
    browser.click("#p1-a0")
    browser.click("#p0-a1")
    where = "[...document.querySelectorAll('.is-marked')].map(e => e.closest('[data-page]').id + ' ' + (e.getAttribute('data-item') || e.textContent))"
    assert browser.evaluate(where) == ["p0 Bob", "p0 claimed", "p0 the sky is ", "p0 green", "p0 a1",
                                       "p1 Alice", "p1 said", "p1 that ", "p1 Bob", "p1  ", "p1 claimed",
                                       "p1  ", "p1 the sky is ", "p1 green", "p1 a0"]


def test_the_command_line_writes_a_page_for_a_batch_and_for_one_article(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sayso.cli import app

    article = tmp_path / "a.txt"
    article.write_text("The mayor said the bridge would open in May.\n", encoding="utf-8")
    batch = tmp_path / "out.jsonl"
    record = {"input": str(article), "output": {
        "summary": "A bridge opens.", "key_points": [], "claims": [],
        "attributions": [{"source": "The mayor", "source_type": "person", "cue": "said",
                          "content": "the bridge would open in May", "statement": "The mayor said so.",
                          "direct": False, "source_span": {"start": 0, "end": 9},
                          "cue_span": {"start": 10, "end": 14}, "content_span": {"start": 15, "end": 43}}]}}
    batch.write_text(json.dumps(record) + "\n{not json\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["view", str(batch)])
    assert done.exit_code == 0, done.output
    page = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "the bridge would open in May" in page and "line 2" in page
    rules = CliRunner().invoke(app, ["summarize", str(article), "--engine", "rules", "--format", "html", "--no-cache"])
    assert rules.exit_code == 0, rules.output
    assert rules.output.lstrip().lower().startswith("<!doctype html")
