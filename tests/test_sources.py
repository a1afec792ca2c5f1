"""Who is quoted across articles: `sayso sources`, `sayso.sources` and the HTML index's table."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sayso import ArticleSummary, Summarizer
from sayso.cli import app
from sayso.render import view_jsonl
from sayso.sources import count_sources, read_sources, speakers_by_article

from .chromium import Browser, find_chromium

# Two articles written for this test: the mayor is `Elena Ruiz` in one and `Mayor Elena Ruiz` in
# the other, and the harbour's authority is written with and without capitals.
BIDS = """City to take bids for harbour bridge

Elena Ruiz said on Monday that the city would begin taking bids in March. "We have waited long enough," Ruiz said. The Harbor Authority said dredging would start in May.
"""
REOPENING = """Bridge to reopen in June

Mayor Elena Ruiz told reporters the bridge would reopen in June. "It is safe, and it will stay safe," said Mayor Elena Ruiz. The harbor authority said the work was on schedule.
"""


def _said(name: str | None, content: str, *, speaker: str | None = None, kind: str = "person",
          direct: bool = False) -> dict[str, Any]:
    return {"source": name, "speaker": speaker, "source_type": kind, "cue": "said",
            "content": content, "statement": "s", "direct": direct}


def _output(*attributions: dict[str, Any]) -> dict[str, Any]:
    return {"summary": "s", "key_points": [], "claims": [], "attributions": list(attributions)}


@pytest.fixture
def results(tmp_path: Path) -> Path:
    """Both articles summarized by the rules into one results file, with a failed line too."""
    summarizer = Summarizer(engine="rules")
    lines = [
        {"input": name, "output": summarizer.run(text).output.model_dump(mode="json")}
        for name, text in (("bids.txt", BIDS), ("reopening.txt", REOPENING))
    ]
    lines.append({"input": "gone.txt", "error": {"type": "InputError", "message": "no such file"}})
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_one_person_is_counted_once_across_two_articles(results: Path) -> None:
    rows = {row.speaker: row for row in read_sources(results)}
    mayor = rows["Mayor Elena Ruiz"]
    assert "Elena Ruiz" not in rows  # the same person, one row
    assert (mayor.attributions, mayor.articles, mayor.direct) == (3, 2, 1)
    assert mayor.sample == '"It is safe, and it will stay safe,"'  # a direct quotation first
    authority = [row for name, row in rows.items() if name and name.casefold() == "the harbor authority"]
    assert len(authority) == 1 and (authority[0].attributions, authority[0].articles) == (2, 2)
    # A surname alone is counted as written: across articles it could be someone else.
    assert rows["Ruiz"].attributions == 1


def test_the_resolved_speaker_comes_before_the_source_as_written() -> None:
    first = _output(_said("she", "bids open in March", speaker="Mayor Elena Ruiz"),
                    _said("he", "it is too late", speaker=None))
    second = _output(_said("Ruiz", "\"We must act now.\"", speaker="Elena Ruiz", direct=True))
    rows = count_sources([first, second])
    assert [(r.speaker, r.attributions, r.articles, r.direct) for r in rows] == [
        ("Mayor Elena Ruiz", 2, 2, 1),
        ("he", 1, 1, 0),  # no speaker resolved: the source as written, never a guessed name
    ]
    assert rows[0].sample == '"We must act now."'  # a direct quotation first
    assert speakers_by_article([first, second]) == [["Mayor Elena Ruiz", "he"], ["Mayor Elena Ruiz"]]


def test_a_name_that_ends_two_different_names_joins_neither() -> None:
    rows = count_sources([
        _output(_said("Mayor John Smith", "a"), _said("Coach John Smith", "b")),
        _output(_said("John Smith", "c"), _said("Former Mayor John Smith", "d")),
    ])
    # `John Smith` could be the coach or the mayor: a row of its own. `Mayor John Smith` ends
    # one name only, the former mayor's: the same person.
    assert sorted((r.speaker or "", r.attributions) for r in rows) == [
        ("Coach John Smith", 1), ("Former Mayor John Smith", 2), ("John Smith", 1)
    ]


def test_organizations_are_joined_only_by_the_same_name() -> None:
    rows = count_sources([
        _output(_said("the Police Department", "a", kind="government"),
                _said("Boston Police Department", "b", kind="government")),
        _output(_said("The Police Department", "c", kind="government"),
                _said("the Kremlin\u2019s office", "d", kind="government"),
                _said("The Kremlin's office", "e", kind="government")),
    ])
    counts = {r.speaker: r.attributions for r in rows}
    assert counts["Boston Police Department"] == 1
    assert sum(1 for name in counts if name and "kremlin" in name.casefold()) == 1
    assert sum(n for name, n in counts.items() if name and name.casefold() == "the police department") == 2


def test_attributions_with_no_source_are_one_row_last_and_summaries_count_too() -> None:
    summary = ArticleSummary.model_validate(_output(_said("the council", "x", kind="organization")))
    rows = count_sources([summary, _output(_said(None, "y", kind="anonymous"), _said(None, "z", kind="anonymous"))])
    assert [(r.speaker, r.attributions, r.articles) for r in rows] == [("the council", 1, 1), (None, 2, 1)]
    assert count_sources([]) == [] and count_sources([{"attributions": "junk"}]) == []


def test_the_command_prints_a_table_a_csv_and_json(results: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["sources", str(results)])
    assert table.exit_code == 0, table.output
    header, first = table.stdout.splitlines()[:2]
    assert header.split() == ["speaker", "source_type", "attributions", "articles", "direct", "sample"]
    assert re.match(r"Mayor Elena Ruiz\s+person\s+3\s+2\s+1\s", first)
    assert "1 line(s) of results.jsonl hold an error" in table.stderr

    out = tmp_path / "sources.csv"
    written = runner.invoke(app, ["sources", str(results), "--out", str(out)])
    assert written.exit_code == 0 and written.stdout.strip() == str(out)
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[0] == {"speaker": "Mayor Elena Ruiz", "source_type": "person", "attributions": "3",
                       "articles": "2", "direct": "1", "sample": '"It is safe, and it will stay safe,"'}

    as_json = runner.invoke(app, ["sources", str(results), "--format", "json"])
    assert json.loads(as_json.stdout) == [row.as_dict() for row in read_sources(results)]


def test_the_command_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["sources", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2 and "is not a file" in missing.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"input": "a", "output": {}}\n{"input": \n')
    refused = runner.invoke(app, ["sources", str(broken)])
    assert refused.exit_code == 1 and "line 2 of broken.jsonl is not JSON" in refused.stderr
    assert "Traceback" not in refused.output


def test_the_html_index_counts_sources_and_each_article_filters_by_speaker(results: Path) -> None:
    page = view_jsonl(results)
    index = page[page.index('<h2 id="sources-title">'):page.index("</nav>")]
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", index)
    assert ("Mayor Elena Ruiz", "person", "3", "2", "1") in cells
    speakers = re.findall(r'data-speaker="([^"]*)"', page)
    assert speakers.count("Mayor Elena Ruiz") == 3 and "Elena Ruiz" not in speakers
    for page_id in ("p0", "p1"):
        options = re.search(rf'<select data-filter="{page_id}-attributions">(.*?)</select>', page)
        assert options and "<option>Mayor Elena Ruiz</option>" in options.group(1)
        assert f'<table class="items attributions" id="{page_id}-attributions">' in page


def test_in_a_browser_the_speaker_filter_leaves_that_speakers_rows(results: Path, tmp_path: Path) -> None:
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser test: install the Debian package `chromium`")
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); CI installs it")
    page = tmp_path / "results.html"
    page.write_text(view_jsonl(results), encoding="utf-8")
    shown = "[...document.querySelectorAll('#p1-attributions tbody tr')].filter(r => !r.hidden).map(r => r.dataset.speaker)"
    choose = ("(() => { const s = document.querySelector('select[data-filter=\"p1-attributions\"]'); s.value = %s;"
              " s.dispatchEvent(new Event('change', {bubbles: true})); })()")
    with Browser(chromium) as browser:
        browser.open(page)
        everyone = browser.evaluate(shown)
        assert len(everyone) == 3 and set(everyone) > {"Mayor Elena Ruiz"}
        browser.evaluate(choose % json.dumps("Mayor Elena Ruiz"))
        assert browser.evaluate(shown) == ["Mayor Elena Ruiz", "Mayor Elena Ruiz"]
        browser.evaluate(choose % '""')
        assert browser.evaluate(shown) == everyone


def test_counting_stays_linear_in_a_very_long_source() -> None:
    long_source = " ".join(["Elena"] * 50_000) + " Ruiz"
    started = time.monotonic()
    rows = count_sources([_output(_said(long_source, "a"), _said("Elena Ruiz", "b"))] * 20)
    assert time.monotonic() - started < 5
    assert sorted(r.attributions for r in rows) == [20, 20]  # a phrase that long is no one's name
