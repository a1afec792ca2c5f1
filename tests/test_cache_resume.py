"""The cache and the journal know what they hold: another served model or another content is
not taken as done, and a damaged cache is a miss, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from sayso import Summarizer
from sayso._cache import ResultCache
from sayso.cli import app

from .scripted import SHORT_ARTICLE, base_url, echo_server

runner = CliRunner()


def _serve_model(server: HTTPServer, name: str) -> None:
    server.expect_request("/v1/models").respond_with_json(
        {"object": "list", "data": [{"id": name, "object": "model", "created": 0, "owned_by": "x"}]}
    )


def test_a_server_that_switches_models_misses_the_cache(httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve_model(httpserver, "model-a")
    echo_server(httpserver)
    with Summarizer(base_url=base_url(httpserver), cache=tmp_path) as s:  # no model: asked
        first = s.run(SHORT_ARTICLE)
    httpserver.clear()
    _serve_model(httpserver, "model-b")
    echo_server(httpserver)
    with Summarizer(base_url=base_url(httpserver), cache=tmp_path) as s:
        again = s.run(SHORT_ARTICLE)
    assert not again.cached
    chats = [r for r, _ in httpserver.log if r.path.endswith("/chat/completions")]
    assert len(chats) == 1 and json.loads(chats[0].get_data())["model"] == "model-b"
    assert first.model != "" and not first.cached


def test_a_corrupt_cache_entry_is_a_miss(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    options = {"base_url": base_url(httpserver), "model": "m", "cache": tmp_path}
    with Summarizer(**options) as s:  # type: ignore[arg-type]
        s.run(SHORT_ARTICLE)
        key = ResultCache.key(SHORT_ARTICLE, s.identity)
    import diskcache

    with diskcache.Cache(str(tmp_path)) as store:
        store.set(key, '{"output": {"summary": 5}')  # cut short: not JSON
    with Summarizer(**options) as s:  # type: ignore[arg-type]
        result = s.run(SHORT_ARTICLE)
    assert not result.cached and len(httpserver.log) == 2


def test_a_corrupt_cache_file_is_a_miss_not_a_crash(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    tmp_path.joinpath("cache.db").write_bytes(b"this is not a database" * 100)
    with Summarizer(base_url=base_url(httpserver), model="m", cache=tmp_path) as s:
        first = s.run(SHORT_ARTICLE)
        second = s.run(SHORT_ARTICLE)
    assert not first.cached and not second.cached
    assert first.output.attributions


def _summarize(server: HTTPServer, *args: str, input: str | None = None) -> object:
    return runner.invoke(app, ["summarize", "--base-url", base_url(server), "--model", "m", "--no-cache", *args], input=input)


def test_a_file_whose_text_changed_is_done_again(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    path, out = tmp_path / "a.txt", tmp_path / "out.jsonl"
    path.write_text("The mayor said the bridge would reopen in May.\n")
    assert _summarize(httpserver, str(path), "--out", str(out)).exit_code == 0  # type: ignore[attr-defined]
    again = _summarize(httpserver, str(path), "--out", str(out))
    assert "skipped 1 input(s) already in" in again.stderr  # type: ignore[attr-defined]
    assert len(httpserver.log) == 1
    path.write_text("The governor said the tunnel would close in June.\n")
    assert _summarize(httpserver, str(path), "--out", str(out)).exit_code == 0  # type: ignore[attr-defined]
    assert len(httpserver.log) == 2
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["output"]["summary"] for r in records] == ["About: The mayor said", "About: The governor said"]
    assert records[0]["sha256"] != records[1]["sha256"]


def test_another_article_on_standard_input_is_not_taken_as_done(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    out = str(tmp_path / "out.jsonl")
    _summarize(httpserver, "-", "--out", out, input="The mayor said the bridge would reopen.\n")
    result = _summarize(httpserver, "-", "--out", out, input="The governor said taxes would fall.\n")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert len(httpserver.log) == 2
    assert "skipped" not in result.stderr  # type: ignore[attr-defined]
