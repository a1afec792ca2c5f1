"""Offsets index a text the user has: the file as Python's open() reads it, or the text the
record carries, and every record says which."""

from __future__ import annotations

import json
from pathlib import Path

from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from sayso.cli import app
from sayso.evaluation import load_gold

from .scripted import base_url, echo_server

runner = CliRunner()
BODY = "Officials said.\r\nThe road would reopen on Monday,\r\nthe mayor said.\r\n"


def _spans_index(text: str, output: dict[str, object]) -> None:
    attributions = output["attributions"]
    assert isinstance(attributions, list) and attributions
    for a in attributions:
        span = a["content_span"]
        assert text[span["start"] : span["end"]] == a["content"]


def _as_open_reads(path: Path) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def _bom_crlf_file(tmp_path: Path) -> Path:
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbf" + BODY.encode("utf-8"))
    return path


def test_a_file_with_a_bom_and_crlf_gets_offsets_into_the_text_open_reads(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    echo_server(httpserver)
    path = _bom_crlf_file(tmp_path)
    result = runner.invoke(app, ["summarize", str(path), "--base-url", base_url(httpserver), "--model", "m", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["offsets_index"] == "file" and "text" not in record
    _spans_index(_as_open_reads(path), record["output"])


def test_format_json_for_one_input_says_which_text_the_offsets_index(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    echo_server(httpserver)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article><p>The mayor said on Tuesday that the old bridge over the river "
        "would reopen in May, after two years of repairs that cost the city four million dollars."
        "</p><p>Critics said the repairs had taken far too long and cost far too much.</p>"
        "</article></body></html>"
    )
    result = runner.invoke(app, ["summarize", str(page), "--base-url", base_url(httpserver), "--model", "m", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["offsets_index"] == "text" and "<p>" not in record["text"]
    _spans_index(record["text"], record["output"])
    assert record["run"]["dropped"] == []


def test_eval_reads_gold_text_as_summarize_reads_a_file(tmp_path: Path) -> None:
    path = _bom_crlf_file(tmp_path)
    (tmp_path / "windows_a.ann").write_text("")
    (gold,) = load_gold(tmp_path)
    assert gold.text == _as_open_reads(path)
    from sayso.text import Article

    assert Article(str(path), path=path).load() == gold.text
