"""Provider batches: the Batch API that re-asks, sends failed lines again, and survives a crash
between submit and collect; and batch files for runners without a Batch API."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from sayso import Article, Summarizer
from sayso.batch import BatchRunner, custom_id
from sayso.cli import app

from .batch_server import BatchServer
from .scripted import KEY, article_of, attribution, base_url, completion, grounded_answer, summary

TEXTS = {
    "ok-1": "The council said the library would open on Monday.",
    "ok-2": "The union said the strike would end on Friday.",
    "invent": "The minister said the budget was balanced this year.",
    "flaky": "The mayor said the bridge would reopen in May.",
    "broken": "The coach said the team would win the cup.",
}
INVENTED = "the budget had a large surplus"


class Replies:
    """Answers each request line by its article: "invent" makes up a quote at first, "flaky"
    fails once, "broken" always fails; the rest are grounded."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def __call__(self, line_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        article = article_of(body)
        name = next(k for k, v in TEXTS.items() if v == article)
        self.seen[name] += 1
        if name == "broken" or (name == "flaky" and self.seen[name] == 1):
            return 500, {"error": {"message": "the server had an error", "type": "server_error"}}
        if name == "invent" and len(body["messages"]) == 2:
            return 200, completion(summary(attribution("The minister", "said", INVENTED)))
        return 200, grounded_answer(body)


def articles() -> list[Article]:
    return [Article(name, text=text) for name, text in TEXTS.items()] + [Article("empty", text="")]


def summarizer(server: HTTPServer, **options: Any) -> Summarizer[Any]:
    return Summarizer(base_url=base_url(server), model="m", api_key=KEY, max_retries=1, **options)


def records(out: Path) -> dict[str, dict[str, Any]]:
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    names = [line["input"] for line in lines]
    assert len(names) == len(set(names)), f"an input was written twice: {names}"
    return {line["input"]: line for line in lines}


def test_every_input_ends_once_with_reasks_and_retries_in_follow_up_batches(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    api = BatchServer(httpserver, Replies())
    out = tmp_path / "results.jsonl"
    runner = BatchRunner(summarizer(httpserver), out, poll_s=0.001)
    submitted = runner.submit(articles())
    assert submitted.pending == 5 and submitted.batches == 1
    assert KEY not in (tmp_path / "results.jsonl.batch.json").read_text()
    assert runner.wait().done

    found = records(out)
    assert set(found) == {*TEXTS, "empty"}
    assert found["empty"]["error"]["type"] == "InputError"
    assert found["broken"]["error"]["type"] == "ProviderError"
    assert "the server had an error" in found["broken"]["error"]["message"]
    for name in ("ok-1", "ok-2", "invent", "flaky"):
        assert "output" in found[name], found[name]
    # The re-asked input: both answers counted, the invented quote gone.
    invent = found["invent"]
    assert invent["run"]["attempts"] == 2
    assert invent["run"]["usage"]["total_tokens"] == 240
    assert invent["run"]["grounding"] == {"found": 2, "total": 3}  # the first answer's quote was not
    assert INVENTED not in json.dumps(invent["output"])
    assert found["flaky"]["run"]["attempts"] == 1

    assert api.purposes == ["batch", "batch"]
    for created in api.created:
        assert created["endpoint"] == "/v1/chat/completions" and created["completion_window"] == "24h"
        assert set(created) == {"input_file_id", "endpoint", "completion_window", "metadata"}
    first = {line["custom_id"]: line for line in api.uploaded(0)}
    assert set(first) == {custom_id(name, 1) for name in TEXTS}
    assert all(line["url"] == "/v1/chat/completions" and line["method"] == "POST" for line in first.values())
    # The follow-up carries the conversation for the re-ask, and the failed lines again.
    follow_up = {line["custom_id"]: line["body"] for line in api.uploaded(1)}
    assert set(follow_up) == {custom_id(n, 2) for n in ("invent", "flaky", "broken")}
    reask = follow_up[custom_id("invent", 2)]["messages"]
    assert [m["role"] for m in reask] == ["system", "user", "assistant", "user"]
    assert INVENTED in reask[2]["content"] and INVENTED in reask[3]["content"]
    assert follow_up[custom_id("flaky", 2)] == first[custom_id("flaky", 1)]["body"]
    # max_retries=1: "broken" was sent twice, then written as an error.
    assert "failed 2 time(s)" in found["broken"]["error"]["message"]
    assert json.loads((tmp_path / "results.jsonl.batch.json").read_text())["inputs"] == {}


def test_the_batch_body_is_exactly_what_the_online_path_sends(httpserver: HTTPServer, tmp_path: Path) -> None:
    from sayso.extract import build_request

    api = BatchServer(httpserver, Replies())
    s = summarizer(httpserver)
    BatchRunner(s, tmp_path / "r.jsonl").submit([Article("ok-1", text=TEXTS["ok-1"])])
    assert api.uploaded(0)[0]["body"] == build_request(TEXTS["ok-1"], s.request_spec())


def test_a_crash_between_submit_and_collect_loses_nothing(httpserver: HTTPServer, tmp_path: Path) -> None:
    api = BatchServer(httpserver, Replies())
    out = tmp_path / "results.jsonl"
    BatchRunner(summarizer(httpserver), out).submit(articles())
    # Another process: a new summarizer and runner, knowing only the results file.
    again = BatchRunner(summarizer(httpserver), out, poll_s=0.001)
    assert again.progress().pending == 5
    again.submit(articles())  # the same inputs again: nothing new is sent
    assert len(api.batches) == 1
    again.wait()
    assert set(records(out)) == {*TEXTS, "empty"}
    assert not json.loads((tmp_path / "results.jsonl.batch.json").read_text())["inputs"]


@pytest.mark.parametrize("created", [True, False])
def test_a_crash_while_a_batch_is_created_neither_pays_twice_nor_loses_an_input(
    httpserver: HTTPServer, tmp_path: Path, created: bool
) -> None:
    api = BatchServer(httpserver, Replies())
    out = tmp_path / "results.jsonl"
    runner = BatchRunner(summarizer(httpserver), out)
    submit = runner.api.submit

    def crash(*args: Any) -> str:
        if created:
            submit(*args)  # the provider has the batch; its id is never saved
        raise KeyboardInterrupt

    runner.api.submit = crash  # type: ignore[method-assign,assignment]
    names = ["ok-1", "ok-2"]
    with pytest.raises(KeyboardInterrupt):
        runner.submit([Article(n, text=TEXTS[n]) for n in names])
    again = BatchRunner(summarizer(httpserver), out, poll_s=0.001)
    again.wait()
    assert set(records(out)) == set(names)
    assert len(api.batches) == 1  # found again by its label, or sent for the first time
    assert all(b["metadata"]["sayso_submission"] for b in api.created)


def test_an_expired_batch_keeps_what_completed_and_sends_the_rest_again(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    api = BatchServer(httpserver, Replies(), endings=[("in_progress", "expired")])
    out = tmp_path / "results.jsonl"
    names = ["ok-1", "ok-2", "invent", "flaky"]
    runner = BatchRunner(summarizer(httpserver), out, poll_s=0.001)
    runner.submit([Article(n, text=TEXTS[n]) for n in names])
    runner.wait()
    assert set(records(out)) == set(names)
    first = [line["custom_id"] for line in api.uploaded(0)]
    second = {line["custom_id"] for line in api.uploaded(1)}
    # The first half was answered; the half the batch never ran is sent again as it was.
    assert {custom_id(n, 2) for n in ("invent", "flaky")} <= second
    assert first[:2] == [custom_id("ok-1", 1), custom_id("ok-2", 1)]
    assert not {custom_id("ok-1", 2), custom_id("ok-2", 2)} & second


def test_batches_stay_within_the_request_limit(httpserver: HTTPServer, tmp_path: Path) -> None:
    api = BatchServer(httpserver, Replies())
    names = ["ok-1", "ok-2", "invent", "flaky"]
    runner = BatchRunner(summarizer(httpserver), tmp_path / "r.jsonl", max_requests=3)
    assert runner.submit([Article(n, text=TEXTS[n]) for n in names]).batches == 2
    assert [len(b.lines) for b in api.batches.values()] == [3, 1]


def test_collecting_with_other_options_is_refused(httpserver: HTTPServer, tmp_path: Path) -> None:
    from sayso import ConfigurationError

    BatchServer(httpserver, Replies())
    out = tmp_path / "r.jsonl"
    BatchRunner(summarizer(httpserver), out).submit([Article("ok-1", text=TEXTS["ok-1"])])
    with pytest.raises(ConfigurationError, match="other options"):
        BatchRunner(summarizer(httpserver, temperature=0.5), out)


def test_the_command_submits_returns_and_collects_when_run_again(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    BatchServer(httpserver, Replies())
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("ok-1", "invent"):
        (folder / f"{name}.txt").write_text(TEXTS[name], encoding="utf-8")
    out = tmp_path / "results.jsonl"
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    command = ["summarize", str(folder), "--out", str(out), "--batch",
               "--base-url", base_url(httpserver), "--model", "m"]
    submitted = CliRunner().invoke(app, command)
    assert submitted.exit_code == 3, submitted.output
    assert "2 pending in 1 batch(es)" in submitted.output
    assert not out.exists() or not out.read_text()
    done = CliRunner().invoke(app, [*command, "--wait", "--poll", "0.001"])
    assert done.exit_code == 0, done.output
    found = records(out)
    assert set(found) == {str(folder / "ok-1.txt"), str(folder / "invent.txt")}
    assert "text" not in found[str(folder / "ok-1.txt")]  # the offsets index the file itself
    state = (tmp_path / "results.jsonl.batch.json").read_text()
    assert KEY not in state and json.loads(state)["inputs"] == {}
    # The records are the ones `sayso view` and `sayso eval` read.
    viewed = CliRunner().invoke(app, ["view", str(out)])
    assert viewed.exit_code == 0, viewed.output
    assert "invent.txt" in (tmp_path / "results.html").read_text()


def test_batch_needs_an_out_file(httpserver: HTTPServer, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXTS["ok-1"])
    result = CliRunner().invoke(app, ["summarize", str(tmp_path / "a.txt"), "--batch",
                                      "--base-url", base_url(httpserver), "--model", "m"])
    assert result.exit_code == 2 and "--out" in result.output


def _run_lines(requests: Path, answers: Path, replies: Replies) -> None:
    """What `vllm run-batch` does: one output line per request line (in another order)."""
    lines = []
    for raw in requests.read_text(encoding="utf-8").splitlines():
        line = json.loads(raw)
        status, body = replies(line["custom_id"], line["body"]) or (500, {})
        lines.append(json.dumps({"id": "x", "custom_id": line["custom_id"],
                                 "response": {"status_code": status, "body": body}, "error": None}))
    answers.write_text("\n".join(reversed(lines)) + "\n", encoding="utf-8")


def test_batch_files_for_runners_without_a_batch_api(httpserver: HTTPServer, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("ok-1", "invent", "flaky"):
        (folder / f"{name}.txt").write_text(TEXTS[name], encoding="utf-8")
    url = ["--base-url", base_url(httpserver), "--model", "m"]
    written = CliRunner().invoke(app, ["batch", "write", str(folder), *url])
    assert written.exit_code == 0, written.output
    requests = tmp_path / "requests.jsonl"
    requests.write_text(written.stdout)
    assert [json.loads(line)["custom_id"] for line in written.stdout.splitlines()] == [
        f"{folder / n}.txt#1" for n in ("flaky", "invent", "ok-1")]
    replies, answers, out = Replies(), tmp_path / "answers.jsonl", tmp_path / "results.jsonl"
    _run_lines(requests, answers, replies)
    read = CliRunner().invoke(app, ["batch", "read", str(requests), str(answers), "--out", str(out), *url])
    assert read.exit_code == 3, read.output
    assert "1 need a re-ask and 1 were not answered" in read.output
    assert set(records(out)) == {str(folder / "ok-1.txt")}
    follow_up = tmp_path / "requests.next.jsonl"
    lines = {json.loads(raw)["custom_id"]: json.loads(raw)["body"] for raw in follow_up.read_text().splitlines()}
    assert set(lines) == {f"{folder / 'invent'}.txt#2", f"{folder / 'flaky'}.txt#1"}
    assert [m["role"] for m in lines[f"{folder / 'invent'}.txt#2"]["messages"]][-2:] == ["assistant", "user"]

    _run_lines(follow_up, answers, replies)
    again = CliRunner().invoke(app, ["batch", "read", str(follow_up), str(answers), "--out", str(out), *url])
    assert again.exit_code == 0, again.output
    found = records(out)
    assert set(found) == {str(folder / f"{n}.txt") for n in ("ok-1", "invent", "flaky")}
    assert found[str(folder / "invent.txt")]["run"]["attempts"] == 2
    assert httpserver.log == []  # reading answers sends nothing


def test_a_failed_batch_is_sent_again_within_max_retries_then_each_input_is_an_error(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    api = BatchServer(httpserver, Replies(), endings=[("validating", "failed")] * 2)
    out = tmp_path / "results.jsonl"
    runner = BatchRunner(summarizer(httpserver), out, poll_s=0.001)
    runner.submit([Article(n, text=TEXTS[n]) for n in ("ok-1", "ok-2")])
    assert runner.wait().failed == 2
    assert len(api.batches) == 2  # max_retries=1
    for record in records(out).values():
        assert record["error"]["type"] == "ProviderError"
        assert "the batch failed: the input file is not valid" in record["error"]["message"]


def test_batch_results_fill_the_cache_and_a_cached_article_needs_no_batch(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    api = BatchServer(httpserver, Replies())
    given = [Article(n, text=TEXTS[n]) for n in ("ok-1", "ok-2")]
    BatchRunner(summarizer(httpserver, cache=tmp_path / "cache"), tmp_path / "a.jsonl", poll_s=0.001).submit(given)
    BatchRunner(summarizer(httpserver, cache=tmp_path / "cache"), tmp_path / "a.jsonl", poll_s=0.001).wait()
    again = BatchRunner(summarizer(httpserver, cache=tmp_path / "cache"), tmp_path / "b.jsonl")
    assert again.submit(given).pending == 0
    assert len(api.batches) == 1
    found = records(tmp_path / "b.jsonl")
    assert [r["run"]["cached"] for r in found.values()] == [True, True]
    assert found["ok-1"]["output"] == records(tmp_path / "a.jsonl")["ok-1"]["output"]


def test_hybrid_merges_the_rules_into_each_batch_answer(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sayso._engines

    merged: list[str] = []

    def merge_rules(output: Any, article: str, *_: Any) -> Any:
        merged.append(article)
        return output.model_copy(update={"summary": "merged"})

    monkeypatch.setattr(sayso._engines, "merge_rules", merge_rules)
    BatchServer(httpserver, Replies())
    out = tmp_path / "r.jsonl"
    runner = BatchRunner(summarizer(httpserver, engine="hybrid"), out, poll_s=0.001)
    runner.submit([Article("ok-1", text=TEXTS["ok-1"])])
    runner.wait()
    record = records(out)["ok-1"]
    assert merged == [TEXTS["ok-1"]]
    assert record["output"]["summary"] == "merged" and record["run"]["engine"] == "hybrid"


def test_an_article_that_needs_chunks_is_summarized_online_in_chunks(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    long = "\n\n".join(f"Paragraph {i}. The council said the library would open on Monday." for i in range(12))

    def reply(line_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if "<partials>" in body["messages"][1]["content"]:  # the reduce request of a chunked run
            return 200, completion({"summary": "A library opens.", "key_points": []})
        return 200, grounded_answer(body)

    server = BatchServer(httpserver, reply)
    out = tmp_path / "results.jsonl"
    runner = BatchRunner(summarizer(httpserver, chunk_chars=300), out, poll_s=0.001)
    runner.submit([Article("long", text=long), Article("short", text=TEXTS["ok-1"])])
    runner.wait()
    done = records(out)
    assert done["long"]["run"]["chunks"] > 1 and done["long"]["output"]["summary"] == "A library opens."
    assert len(server.batches) == 1 and [line["custom_id"] for line in server.uploaded(0)] != []
    assert all(TEXTS["ok-1"] in json.dumps(line["body"]) for line in server.uploaded(0))  # only the short one
    assert "output" in done["short"]
