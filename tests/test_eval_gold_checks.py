"""`sayso eval` checks the gold before any summary is paid for, and says what it skipped."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from sayso.cli import app

from .scripted import base_url, echo_server

runner = CliRunner()
TEXT = "The mayor said the bridge would reopen in May.\n"
ANN = "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 46\tthe bridge would reopen in May\nE1\tAttribution:T2 Source:T1 Content:T3\n"


def _gold(tmp_path: Path, ann: str | bytes = ANN, text: str | bytes = TEXT) -> Path:
    gold = tmp_path / "gold"
    gold.mkdir()
    for name, data in (("good.txt", TEXT), ("good_a.ann", ANN), ("bad.txt", text), ("bad_a.ann", ann)):
        path = gold / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return gold


def _eval(server: HTTPServer, gold: Path, tmp_path: Path) -> object:
    return runner.invoke(app, [
        "eval", str(gold), "--base-url", base_url(server), "--model", "m",
        "--json", str(tmp_path / "figures.json"),
    ])


def test_offsets_past_the_end_name_the_file_and_line_before_any_request(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    echo_server(httpserver)
    ann = ANN.replace("Content 15 46", "Content 15 4600")
    result = _eval(httpserver, _gold(tmp_path, ann=ann), tmp_path)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "bad_a.ann:3" in result.stderr and "past the end" in result.stderr  # type: ignore[attr-defined]
    assert httpserver.log == []


def test_a_gold_file_that_is_not_utf8_is_named_before_any_request(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    result = _eval(httpserver, _gold(tmp_path, text="Le maire a dit « oui ».".encode("latin-1")), tmp_path)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "bad.txt is not UTF-8" in result.stderr  # type: ignore[attr-defined]
    assert httpserver.log == []


def test_an_article_without_gold_is_listed_as_skipped(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    gold = _gold(tmp_path)
    (gold / "bad_a.ann").unlink()
    result = _eval(httpserver, gold, tmp_path)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "skipped 1 article(s) with no .ann file: bad.txt" in result.stderr  # type: ignore[attr-defined]
    assert (tmp_path / "figures.json").exists()


def test_a_json_path_that_cannot_be_written_exits_2_before_any_request(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    echo_server(httpserver)
    result = runner.invoke(app, [
        "eval", str(_gold(tmp_path)), "--base-url", base_url(httpserver), "--model", "m",
        "--json", str(tmp_path / "missing" / "figures.json"),
    ])
    assert result.exit_code == 2
    assert "--json" in result.stderr and "does not exist" in result.stderr
    assert httpserver.log == []
