"""Hostile inputs through the real entry points: every one ends in a clear `SaysoError`, or a
command's exit 2 with one line naming the file and line, never a traceback; the rest of a file is
still read, and nothing is dropped without a word."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from sayso import Article, InputError, Summarizer, summarize, summarize_many
from sayso.batch import BatchRunner

from .batch_server import BatchServer
from .scripted import KEY, base_url, echo_server, grounded_answer

DEEP = "[" * 100_000 + "]" * 100_000  # parses to nothing Python's parser can hold
NOWHERE = ["--base-url", "http://127.0.0.1:9/v1", "--model", "m"]  # never asked: nothing is sent


def run(*args: str, server: HTTPServer | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    if server is not None:
        env |= {"SAYSO_BASE_URL": base_url(server), "SAYSO_MODEL": "m"}
    return subprocess.run([sys.executable, "-m", "sayso", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def no_traceback(process: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in process.stderr, process.stderr


def article(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- JSON nested 100,000 deep, wherever sayso reads JSON back ---------------------------------------


def test_view_shows_a_deep_line_as_an_error_and_draws_the_others(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    path = article(tmp_path, "a.txt", "The mayor said the bridge would reopen in May.")
    out = tmp_path / "out.jsonl"
    assert run("summarize", str(path), "--out", str(out), server=httpserver).returncode == 0
    lone = '{"input": "a\\ud800.txt", "error": {"type": "X", "message": "\\udfff"}}'  # JSON escapes
    out.write_text(DEEP + "\n" + lone + "\n" + out.read_text(encoding="utf-8"), encoding="utf-8")

    viewed = run("view", str(out), "--out", str(tmp_path / "page.html"))
    no_traceback(viewed)
    assert viewed.returncode == 0, viewed.stderr
    page = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert "out.jsonl, line 1: JSON nested deeper than 100 levels" in page
    assert "out.jsonl, line 2: JSON holding a surrogate code point" in page
    assert "The mayor" in page and 'data-item="a0"' in page  # the record on line 3 is drawn


def test_resuming_a_results_file_with_a_deep_line_runs_every_input(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    paths = [article(tmp_path / "in", f"{n}.txt", f"Officials in town {n} said the road reopens.") for n in range(2)]
    out = tmp_path / "out.jsonl"
    assert run("summarize", str(paths[0]), "--out", str(out), "--no-cache", server=httpserver).returncode == 0
    out.write_text(out.read_text(encoding="utf-8") + DEEP + "\n", encoding="utf-8")

    again = run("summarize", *map(str, paths), "--out", str(out), "--no-cache", server=httpserver)
    no_traceback(again)
    assert again.returncode == 0, again.stderr
    said = [line for line in again.stderr.splitlines() if "line 2" in line]
    assert len(said) == 1 and "out.jsonl, line 2: JSON nested deeper" in said[0]
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("[")]
    assert sorted(r["input"] for r in records) == sorted(map(str, paths))  # the first not done twice
    assert len(httpserver.log) == 2


class DeepFirstLine(BatchServer):
    """A provider whose output files start with a line nested 100,000 deep."""

    def _finish(self, batch: Any) -> None:
        super()._finish(batch)
        self.files[batch.output_file_id] = DEEP.encode() + b"\n" + self.files[batch.output_file_id]


def test_a_provider_output_file_starting_with_a_deep_line_is_collected(
    httpserver: HTTPServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    DeepFirstLine(httpserver, lambda line_id, body: (200, grounded_answer(body)))
    out = tmp_path / "results.jsonl"
    texts = {"a": "The council said the library would open on Monday.",
             "b": "The union said the strike would end on Friday."}
    runner = BatchRunner(Summarizer(base_url=base_url(httpserver), model="m", api_key=KEY), out, poll_s=0.001)
    runner.submit([Article(name, text=text) for name, text in texts.items()])
    with caplog.at_level(logging.WARNING, logger="sayso"):
        progress = runner.wait()
    assert progress.done and progress.failed == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["input"] for r in records) == ["a", "b"] and all("output" in r for r in records)
    assert any("line 1: JSON nested deeper" in m for m in caplog.messages)


# -- `sayso batch read`: request and answer lines of any shape --------------------------------------


def test_batch_read_names_each_bad_line_and_reads_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    article(folder, "good.txt", "The council said the library would open on Monday.")
    written = run("batch", "write", str(folder), *NOWHERE)
    assert written.returncode == 0, written.stderr
    good = json.loads(written.stdout)
    bad_lines = [
        DEEP,                                                # line 2
        json.dumps([good]),                                  # line 3: a list
        json.dumps({**good, "custom_id": 7}),                # line 4: a numeric custom_id
        json.dumps({**good, "custom_id": "x#1", "body": [1]}),  # line 5: a list body
        json.dumps({**good, "custom_id": "y#1", "body": {"messages": {"role": "user"}}}),  # line 6
        "{not json",                                         # line 7
    ]
    requests = tmp_path / "requests.jsonl"
    requests.write_text("\n".join([written.stdout.strip(), *bad_lines]) + "\n", encoding="utf-8")
    answer = {"id": "1", "custom_id": good["custom_id"],
              "response": {"status_code": 200, "body": grounded_answer(good["body"])}, "error": None}
    answers = tmp_path / "answers.jsonl"
    answers.write_text(DEEP + "\n" + json.dumps(answer) + "\n" + json.dumps({"custom_id": 3}) + "\n",
                       encoding="utf-8")
    out = tmp_path / "results.jsonl"

    read = run("batch", "read", str(requests), str(answers), "--out", str(out), *NOWHERE)
    no_traceback(read)
    assert read.returncode == 2, read.stderr
    for number in range(2, 8):
        named = [line for line in read.stderr.splitlines() if f"requests.jsonl, line {number}:" in line]
        assert len(named) == 1, (number, read.stderr)
    assert "answers.jsonl, line 1: JSON nested deeper" in read.stderr
    assert "answers.jsonl, line 3: not an answer line" in read.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["input"] for r in records] == [str(folder / "good.txt")] and "output" in records[0]


# -- the batch state file: valid JSON of the wrong shape --------------------------------------------


def _state(pending_text: object = "The mayor said so.") -> dict[str, Any]:
    return {"version": 1, "identity": "x", "batches": {}, "submitting": None,
            "inputs": {"a": {"input": "a", "text": pending_text}}}


@pytest.mark.parametrize(("change", "named"), [
    ({"inputs": ["a"]}, "inputs"),
    ({"inputs": "a"}, "inputs"),
    ({"batches": None}, "batches"),
    ({"submitting": "yes"}, "submitting"),
    ({"inputs": {"a": {"input": "a", "text": 42}}}, "inputs.a.text"),
    ({"identity": ["x"]}, "identity"),
    (None, "nested deeper"),
])
def test_a_state_file_of_the_wrong_shape_is_named_with_exit_2(
    tmp_path: Path, change: dict[str, Any] | None, named: str
) -> None:
    path = article(tmp_path, "a.txt", "The mayor said the bridge would reopen in May.")
    out = tmp_path / "out.jsonl"
    state = Path(f"{out}.batch.json")
    state.write_text(DEEP if change is None else json.dumps(_state() | change), encoding="utf-8")

    result = run("summarize", str(path), "--batch", "--out", str(out), *NOWHERE)
    no_traceback(result)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(state) in lines[0] and named in lines[0], result.stderr


# -- text that is not Unicode ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["The mayor said \ud800 it was fine.", "\udcff" + "The mayor said so. " * 10])
def test_a_surrogate_is_refused_before_any_request(httpserver: HTTPServer, text: str) -> None:
    echo_server(httpserver)
    with pytest.raises(InputError, match="surrogate"):
        summarize(text, base_url=base_url(httpserver), model="m", api_key=KEY)
    with pytest.raises(InputError, match="surrogate"):
        Summarizer(base_url=base_url(httpserver), model="m", api_key=KEY).run(text)
    (item,) = summarize_many([text], base_url=base_url(httpserver), model="m", api_key=KEY)
    assert isinstance(item.error, InputError)
    json.dumps(item.to_record(), ensure_ascii=False).encode("utf-8")  # the journal can write it
    assert httpserver.log == []


# -- brat files with a byte-order mark ---------------------------------------------------------------

TEXT = "The mayor said the bridge would reopen in May.\n"
ANN = ("T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 46\tthe bridge would reopen in May\n"
       "E1\tAttribution:T2 Source:T1 Content:T3\n")


def _gold(tmp_path: Path, ann: bytes) -> Path:
    gold = tmp_path / "gold"
    article(gold, "a.txt", TEXT)
    (gold / "a_x.ann").write_bytes(ann)
    return gold


def test_an_ann_file_with_a_byte_order_mark_loses_no_attribution(tmp_path: Path) -> None:
    for first in range(4):  # whichever line comes first, the mark must not cost it
        lines = ANN.splitlines(keepends=True)
        ann = "".join([lines[first], *lines[:first], *lines[first + 1:]])
        gold = _gold(tmp_path / str(first), b"\xef\xbb\xbf" + ann.encode())
        figures_path = tmp_path / f"figures-{first}.json"
        result = run("eval", str(gold), "--engine", "rules", "--json", str(figures_path))
        no_traceback(result)
        assert result.returncode == 0, result.stderr
        figures = json.loads(figures_path.read_text())
        assert figures["counts"]["exact"] == {"matched": 1, "predicted": 1, "gold": 1}, first
        assert figures["source_accuracy"] == 1.0, first


@pytest.mark.parametrize(("ann", "said"), [
    (ANN + "\u00a0T4\tSource 0 9\tThe mayor\n", "a_x.ann:5: not a brat annotation line"),
    (ANN.replace("T1\tSource 0 9\tThe mayor\n", ""), "a_x.ann:3: the attribution names T1, which no T line"),
])
def test_an_annotation_that_cannot_be_read_is_named_not_skipped(tmp_path: Path, ann: str, said: str) -> None:
    result = run("eval", str(_gold(tmp_path, ann.encode())), "--engine", "rules")
    no_traceback(result)
    assert result.returncode == 2
    assert said in result.stderr


# -- a page is linear in its spans --------------------------------------------------------------------


def _nested_record(count: int) -> dict[str, Any]:
    text = "word " * 2 * count + "the core. " + "word " * 2 * count
    attributions = [{
        "source": None, "source_type": "other", "cue": "", "content": "the core",  # the line stays short
        "statement": "s", "direct": False,
        "content_span": {"start": 5 * i, "end": len(text) - 5 * i},
    } for i in range(count)]
    return {"input": "nested", "text": text, "output": {"summary": "s", "key_points": [], "claims": [],
                                                         "attributions": attributions}}


def test_a_page_grows_linearly_with_nested_spans(tmp_path: Path) -> None:
    sizes = {}
    for count in (1_000, 2_000):
        results = tmp_path / f"{count}.jsonl"
        results.write_text(json.dumps(_nested_record(count)) + "\n", encoding="utf-8")
        page = tmp_path / f"{count}.html"
        viewed = run("view", str(results), "--out", str(page))
        no_traceback(viewed)
        assert viewed.returncode == 0, viewed.stderr
        sizes[count] = page.stat().st_size
        assert sizes[count] < 1_000 * count, sizes  # a span costs some hundred bytes, not thousands
    assert sizes[2_000] < 2.2 * sizes[1_000], sizes  # twice the spans, twice the page (not four times)


# -- one content span is one attribution, wherever each chunk found its source -----------------------

OFFICE = "the Israeli Prime Minister's Office"
FILLER = "The weather in the region was mild for the season. "


def test_an_attribution_found_in_two_chunks_is_kept_once_whatever_mention_grounds_its_source(
    httpserver: HTTPServer,
) -> None:
    from werkzeug import Request, Response

    from sayso.extract import cut

    from .scripted import PATH, completion

    said = "Talks went well."  # shorter than its source: the longest span is not the content
    text = (f"A statement came from {OFFICE} on Monday. " + FILLER * 26 + f"It said: {said} "
            + FILLER * 6 + f"Later {OFFICE} added nothing. " + FILLER * 4)
    chunks = cut(text, 1_500)
    first, second = chunks[0], chunks[1]
    at = text.index(said)
    mentions = [i for i in range(len(text)) if text.startswith(OFFICE, i)]
    # The quotation stands in the overlap; each chunk holds one mention of the source only.
    assert second.start <= at and at + len(said) <= first.end
    assert [first.start <= m < first.end for m in mentions] == [True, False]
    assert [second.start <= m < second.end for m in mentions] == [False, True]

    def answer(request: Request) -> Response:
        user = json.loads(request.get_data(as_text=True))["messages"][1]["content"]
        found = [{"source": OFFICE, "source_type": "government", "cue": "said", "content": said,
                  "statement": "The office said talks went well.", "direct": False}] if said in user else []
        content = {"summary": "A part.", "key_points": [], "claims": [], "attributions": found}
        return Response(json.dumps(completion(content)), content_type="application/json")

    httpserver.expect_request(PATH, method="POST").respond_with_handler(answer)
    with Summarizer(base_url=base_url(httpserver), model="m", api_key=KEY, chunk_chars=1_500) as summarizer:
        result = summarizer.run(text)
    assert result.chunks == len(chunks) >= 2
    (attribution,) = result.output.attributions
    assert attribution.content_span is not None and attribution.source_span is not None
    assert text[attribution.content_span.start : attribution.content_span.end] == said
    assert text[attribution.source_span.start : attribution.source_span.end] == OFFICE


# -- an endpoint that answers with JSON nested 100,000 deep ----------------------------------------


def test_an_answer_nested_too_deep_is_a_provider_or_output_error(httpserver: HTTPServer) -> None:
    import sayso

    from .scripted import PATH, completion

    text = "The mayor said the bridge would reopen in May."
    options: dict[str, Any] = {"base_url": base_url(httpserver), "model": "m", "api_key": KEY, "max_retries": 0}
    httpserver.expect_ordered_request(PATH).respond_with_data(DEEP, content_type="application/json")
    with pytest.raises(sayso.ProviderError, match="nested deeper"):
        Summarizer(**options).run(text)
    # The body is fine, the model's message in it is not: asked again, then given up.
    for _ in range(2):
        httpserver.expect_ordered_request(PATH).respond_with_json(completion(DEEP))
    with pytest.raises(sayso.OutputError):
        Summarizer(**options).run(text)
