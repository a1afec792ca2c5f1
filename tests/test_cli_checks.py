"""The command line refuses, before any request is paid for, what would fail only at the end,
and passes its limits on to the summarizer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

import sayso._summarizer
from sayso.cli import app

from .scripted import base_url, echo_server

runner = CliRunner()


def _article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("The mayor said the bridge would reopen in May.\n")
    return path


@pytest.mark.parametrize("where", ["missing/out.jsonl", "missing/out.md", "folder", "folder/"])
def test_an_out_that_cannot_be_written_exits_2_before_any_request(
    httpserver: HTTPServer, tmp_path: Path, where: str
) -> None:
    echo_server(httpserver)
    (tmp_path / "folder").mkdir()
    result = runner.invoke(app, [
        "summarize", str(_article(tmp_path)), "--base-url", base_url(httpserver), "--model", "m",
        "--out", str(tmp_path / where), *(["--format", "markdown"] if where.endswith(".md") else []),
    ])
    assert result.exit_code == 2, result.output
    assert httpserver.log == []
    assert "--out" in result.stderr and str(tmp_path / where.rstrip("/")) in result.stderr


def test_a_base_url_that_is_not_http_exits_2_at_once(tmp_path: Path) -> None:
    result = runner.invoke(app, ["summarize", str(_article(tmp_path)), "--base-url", "localhost:8080/v1", "--model", "m"])
    assert result.exit_code == 2
    assert "not an http(s) URL" in result.stderr


@pytest.mark.parametrize("command", ["summarize", "eval"])
def test_timeout_and_deadline_reach_the_summarizer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    made: list[Any] = []

    class Recording(sayso._summarizer.Summarizer):
        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            made.append(self.options)
            raise sayso.ConfigurationError("stop here: the options are what this test reads")

    monkeypatch.setattr(sayso._summarizer, "Summarizer", Recording)
    article = _article(tmp_path)
    (tmp_path / "a_x.ann").write_text("")
    target = str(article) if command == "summarize" else str(tmp_path)
    result = runner.invoke(app, [
        command, target, "--base-url", "http://127.0.0.1:9/v1", "--model", "m",
        "--timeout", "7.5", "--deadline", "42",
    ])
    assert result.exit_code == 2, result.output
    assert (made[0].timeout_s, made[0].deadline_s) == (7.5, 42.0)
