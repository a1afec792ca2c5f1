"""A batch stopped with Ctrl-C, or started twice on one file, as a user's terminal does it: real
processes against a scripted server whose slow answers can be released."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from .scripted import PATH, base_url, grounded_answer


class Gate:
    """Answers articles that mention "slow" only once `fast` is set (or after a minute)."""

    def __init__(self) -> None:
        self.fast = threading.Event()
        self.requests = 0
        self.processes: list[subprocess.Popen[str]] = []
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.get_data(as_text=True))
        with self._lock:
            self.requests += 1
        if "slow" in body["messages"][1]["content"]:
            self.fast.wait(60)
        return Response(json.dumps(grounded_answer(body)), content_type="application/json")


@pytest.fixture
def gate(threaded_httpserver: HTTPServer) -> Iterator[Gate]:
    gate = Gate()
    threaded_httpserver.expect_request(PATH, method="POST").respond_with_handler(gate)
    yield gate
    gate.fast.set()  # let the server's threads end
    for process in gate.processes:  # none is left running when a test fails
        if process.poll() is None:
            process.kill()
            process.communicate()


def _articles(folder: Path, fast: int, slow: int) -> list[str]:
    folder.mkdir()
    for i in range(fast):
        (folder / f"a{i}.txt").write_text(f"Officials in town {i} said the road would reopen on Monday.\n")
    for i in range(slow):
        (folder / f"b{i}.txt").write_text(f"Officials in slow town {i} said the dam would hold.\n")
    return sorted(str(p) for p in folder.iterdir())


def _start(server: HTTPServer, gate: Gate, out: Path, *inputs: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SAYSO_BASE_URL": base_url(server), "SAYSO_MODEL": "m"}
    command = [sys.executable, "-m", "sayso", "summarize", *inputs, "--out", str(out), "--jobs", "2", "--no-cache"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    gate.processes.append(process)
    return process


def _until(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_ctrl_c_stops_within_two_seconds_keeps_what_finished_and_resumes(
    threaded_httpserver: HTTPServer, gate: Gate, tmp_path: Path
) -> None:
    inputs = _articles(tmp_path / "in", fast=4, slow=4)
    out = tmp_path / "out.jsonl"
    process = _start(threaded_httpserver, gate, out, str(tmp_path / "in"))
    _until(lambda: len(_lines(out)) == 4 and gate.requests == 6)  # two slow ones in flight
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)
    assert time.monotonic() - interrupted < 2.5
    assert process.returncode == 130, stderr
    assert "4 input(s) finished and are in" in stderr and "run the same command again" in stderr
    assert sorted(r["input"] for r in _lines(out)) == inputs[:4]

    gate.fast.set()
    again = _start(threaded_httpserver, gate, out, str(tmp_path / "in"))
    _, stderr = again.communicate(timeout=60)
    assert again.returncode == 0, stderr
    assert "skipped 4 input(s) already in" in stderr
    assert sorted(r["input"] for r in _lines(out)) == inputs  # every input exactly once


def test_a_second_ctrl_c_exits_at_once(threaded_httpserver: HTTPServer, gate: Gate, tmp_path: Path) -> None:
    _articles(tmp_path / "in", fast=0, slow=4)
    process = _start(threaded_httpserver, gate, tmp_path / "out.jsonl", str(tmp_path / "in"))
    _until(lambda: gate.requests == 2)
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=10)
    # The first alone waits a grace second for requests in flight; the second cuts it short.
    assert time.monotonic() - interrupted < 0.8
    assert process.returncode == 130


def test_a_second_process_on_the_same_out_exits_2_naming_the_file(
    threaded_httpserver: HTTPServer, gate: Gate, tmp_path: Path
) -> None:
    _articles(tmp_path / "in", fast=0, slow=2)
    out = tmp_path / "out.jsonl"
    first = _start(threaded_httpserver, gate, out, str(tmp_path / "in"))
    _until(lambda: gate.requests == 2)  # the first holds the file, its requests in flight
    second = _start(threaded_httpserver, gate, out, str(tmp_path / "in"))
    _, stderr = second.communicate(timeout=30)
    assert second.returncode == 2
    assert str(out) in stderr and "another sayso process" in stderr
    assert gate.requests == 2  # the second paid for nothing
    gate.fast.set()
    _, stderr = first.communicate(timeout=30)
    assert first.returncode == 0, stderr
    assert len(_lines(out)) == 2
