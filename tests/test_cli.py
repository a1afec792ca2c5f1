"""The `sayso` command, through typer's runner and as a real process, against a scripted server
and a recorded cassette."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from sayso.cli import app

from .conftest import CASSETTES, ROOT
from .scripted import base_url, echo_server

runner = CliRunner()
SEED = ROOT / "examples" / "kremlin-netanyahu-call.txt"


def write_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"article-{i}.txt"
        path.write_text(f"Officials in town {i} said the road would reopen on Monday number {i}.\n")
        paths.append(path)
    return paths


def sayso(server: HTTPServer, *args: str, input: str | bytes | None = None) -> Any:
    return runner.invoke(
        app, ["summarize", "--base-url", base_url(server), "--model", "m", *args], input=input
    )


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_three_files_give_three_lines_and_a_second_run_adds_nothing(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    echo_server(httpserver)
    paths = [str(p) for p in write_articles(tmp_path / "in", 3)]
    out = tmp_path / "out.jsonl"

    first = sayso(httpserver, *paths, "--out", str(out))
    assert first.exit_code == 0, first.output
    assert len(httpserver.log) == 3
    records = lines(out)
    assert sorted(r["input"] for r in records) == sorted(paths)
    for record in records:
        assert set(record) == {"input", "sha256", "output", "run", "offsets_index"}
        assert record["offsets_index"] == "file"
        assert record["run"]["dropped"] == [] and record["run"]["attempts"] == 1
        assert record["output"]["attributions"][0]["content_span"]["start"] == 0

    again = sayso(httpserver, *paths, "--out", str(out))
    assert again.exit_code == 0
    assert len(httpserver.log) == 3 and len(lines(out)) == 3


def test_the_cache_answers_a_new_out_file_and_no_cache_bypasses_it(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    echo_server(httpserver)
    paths = [str(p) for p in write_articles(tmp_path / "in", 3)]
    assert sayso(httpserver, *paths, "--out", str(tmp_path / "a.jsonl")).exit_code == 0
    assert len(httpserver.log) == 3

    assert sayso(httpserver, *paths, "--out", str(tmp_path / "b.jsonl")).exit_code == 0
    assert len(httpserver.log) == 3  # every answer came from the cache
    assert lines(tmp_path / "b.jsonl") and len(lines(tmp_path / "b.jsonl")) == 3

    result = sayso(httpserver, *paths, "--out", str(tmp_path / "c.jsonl"), "--no-cache")
    assert result.exit_code == 0
    assert len(httpserver.log) == 6


def test_a_folder_is_expanded_and_jobs_run_together(
    threaded_httpserver: HTTPServer, tmp_path: Path
) -> None:
    concurrency = echo_server(threaded_httpserver, delay_s=0.3)
    write_articles(tmp_path / "in", 4)
    (tmp_path / "in" / "notes.csv").write_text("not an article")
    result = sayso(threaded_httpserver, str(tmp_path / "in"), "--format", "jsonl", "--jobs", "4")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 4 and all("output" in r for r in records)
    assert concurrency.peak == 4  # the four requests were in flight together


def test_format_json_prints_the_summary_with_spans(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    (path,) = write_articles(tmp_path, 1)
    result = sayso(httpserver, str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["input"] == str(path) and record["offsets_index"] == "file"
    output = record["output"]
    attribution = output["attributions"][0]
    text = path.read_text()
    span = attribution["content_span"]
    assert text[span["start"] : span["end"]] == attribution["content"]


def test_standard_input_is_an_article(httpserver: HTTPServer) -> None:
    echo_server(httpserver)
    result = sayso(httpserver, "-", "--format", "jsonl", input="The minister said taxes would fall.\n")
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["input"] == "-"
    assert record["output"]["attributions"][0]["cue"] == "The"


def test_standard_input_that_is_not_utf8_is_an_error_line(httpserver: HTTPServer) -> None:
    echo_server(httpserver)
    result = sayso(httpserver, "-", "--format", "jsonl", input="Le maire a dit «\xa0oui\xa0».".encode("latin-1"))
    assert result.exit_code == 1
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["error"]["type"] == "InputError" and "not UTF-8" in record["error"]["message"]
    assert httpserver.log == []


def test_markdown_shows_summary_and_an_attribution_table(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    (path,) = write_articles(tmp_path, 1)
    result = sayso(httpserver, str(path))
    assert result.exit_code == 0, result.output
    assert "## article-0.txt" in result.stdout
    assert "| Source | Cue | What was said |" in result.stdout


def test_bad_inputs_become_error_lines_beside_the_good_one(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    (good,) = write_articles(tmp_path, 1)
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "out.jsonl"
    result = sayso(httpserver, str(good), str(binary), str(empty), "--out", str(out))
    assert result.exit_code == 1
    records = {r["input"]: r for r in lines(out)}
    assert "output" in records[str(good)]
    assert records[str(binary)]["error"]["type"] == "InputError"
    assert "binary" in records[str(binary)]["error"]["message"]
    assert records[str(empty)]["error"] == {"type": "InputError", "message": "the article is empty"}
    assert len(httpserver.log) == 1
    assert "image.txt" in result.stderr


def test_html_is_reduced_to_its_article_text_which_the_offsets_index(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    echo_server(httpserver)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>t</title><script>var x = 1;</script></head><body>"
        "<nav>Home | About | Contact</nav><article><h1>Bridge to reopen</h1>"
        "<p>The mayor said on Tuesday that the old bridge over the river would reopen in May, "
        "after two years of repairs that cost the city four million dollars.</p>"
        "<p>Critics said the repairs had taken far too long and cost far too much money.</p>"
        "</article><footer>Copyright</footer></body></html>"
    )
    result = sayso(httpserver, str(page), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    text = record["text"]
    assert "The mayor said on Tuesday" in text and "<p>" not in text and "var x" not in text
    a = record["output"]["attributions"][0]
    assert text[a["content_span"]["start"] : a["content_span"]["end"]] == a["content"]


def test_a_users_schema_is_loaded_from_module_and_class(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_models.py").write_text(
        "from pydantic import BaseModel\n"
        "class Gist(BaseModel):\n"
        "    summary: str\n"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    echo_server(httpserver)
    (path,) = write_articles(tmp_path / "in", 1)
    result = sayso(httpserver, str(path), "--schema", "my_models:Gist", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["output"]["summary"].startswith("About:")
    body = json.loads(httpserver.log[0][0].get_data(as_text=True))
    assert body["response_format"]["json_schema"]["name"] == "Gist"


@pytest.mark.parametrize(
    "args",
    [
        ["--schema", "no_such_module:Thing"],
        ["--schema", "json:dumps"],
        ["--schema", "nocolon"],
        ["--format", "xml"],
        ["--jobs", "0"],
    ],
)
def test_usage_errors_exit_2_before_any_request(httpserver: HTTPServer, tmp_path: Path, args: list[str]) -> None:
    (path,) = write_articles(tmp_path, 1)
    result = sayso(httpserver, str(path), *args)
    assert result.exit_code == 2
    assert httpserver.log == []


def test_no_endpoint_configured_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sayso.backends._endpoint.local_extra_installed", lambda: False)
    (path,) = write_articles(tmp_path, 1)
    result = runner.invoke(app, ["summarize", str(path)])
    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in result.stderr


def test_schema_command_prints_the_published_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads((ROOT / "schemas" / "article_summary.schema.json").read_text())


@pytest.mark.vcr(str(CASSETTES / "test_cassettes" / "test_recorded_article[seed].yaml"))
def test_the_seed_cassette_replays_through_the_command_line() -> None:
    settings = json.loads((CASSETTES / "test_cassettes" / "endpoint.json").read_text())
    result = runner.invoke(
        app,
        [
            "summarize", str(SEED), "--format", "json", "--no-cache",
            "--base-url", "http://127.0.0.1:9/v1", "--model", settings["model"],
            "--max-items", str(settings["max_items"]), "--max-chars", str(settings["max_chars"]),
        ],
    )
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)["output"]
    assert output["summary"]
    text = SEED.read_text()
    for a in output["attributions"]:
        span = a["content_span"]
        assert text[span["start"] : span["end"]] == a["content"]


def test_a_batch_killed_with_sigkill_resumes_and_ends_with_every_input_once(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    echo_server(httpserver, delay_s=0.25)
    paths = [str(p) for p in write_articles(tmp_path / "in", 8)]
    out = tmp_path / "out.jsonl"
    env = {
        **os.environ,
        "SAYSO_BASE_URL": base_url(httpserver),
        "SAYSO_MODEL": "m",
    }
    command = [sys.executable, "-m", "sayso", "summarize", *paths, "--out", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if out.exists() and len(out.read_text().splitlines()) >= 3:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = len(lines(out))
    assert 3 <= done_before < 8

    finished = subprocess.run(command, env=env, capture_output=True, timeout=60, check=False)
    assert finished.returncode == 0, finished.stderr
    inputs = [r["input"] for r in lines(out)]
    assert sorted(inputs) == sorted(paths)  # every input exactly once
    assert all("output" in r for r in lines(out))


def test_a_torn_last_line_is_dropped_and_its_input_done_again(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    paths = [str(p) for p in write_articles(tmp_path / "in", 2)]
    out = tmp_path / "out.jsonl"
    assert sayso(httpserver, paths[0], "--out", str(out), "--no-cache").exit_code == 0
    with open(out, "a") as f:
        f.write('{"input": "' + paths[1] + '", "outp')  # a crash in the middle of a line
    assert sayso(httpserver, *paths, "--out", str(out), "--no-cache").exit_code == 0
    assert sorted(r["input"] for r in lines(out)) == sorted(paths)
