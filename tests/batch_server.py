"""A scripted server that speaks OpenAI's Batch API: file upload and download, batch create and
retrieve, with statuses that change from poll to poll, and output and error files made by a
function of each request line (the same answers the chat tests use)."""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

# What a line gets: (status, body) for a response, or None for no line at all (never run).
Reply = Callable[[str, dict[str, Any]], tuple[int, dict[str, Any]] | None]

STATUSES = ("validating", "in_progress", "finalizing", "completed")


@dataclass
class Batch:
    id: str
    input_file_id: str
    lines: list[dict[str, Any]]
    ending: tuple[str, ...] = STATUSES
    polls: int = 0
    output_file_id: str | None = None
    error_file_id: str | None = None
    metadata: dict[str, str] | None = None

    @property
    def status(self) -> str:
        return self.ending[min(self.polls, len(self.ending) - 1)]


@dataclass
class BatchServer:
    """Installs itself on `server`; `reply` answers each request line when its batch ends."""

    server: HTTPServer
    reply: Reply
    endings: list[tuple[str, ...]] = field(default_factory=list)  # per batch, in order; else STATUSES
    files: dict[str, bytes] = field(default_factory=dict)
    purposes: list[str] = field(default_factory=list)
    batches: dict[str, Batch] = field(default_factory=dict)
    created: list[dict[str, Any]] = field(default_factory=list)  # the bodies of POST /v1/batches
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.server.expect_request(re.compile(r"^/v1/.*$")).respond_with_handler(self._handle)

    def uploaded(self, number: int) -> list[dict[str, Any]]:
        """The request lines of the `number`-th batch created (from 0)."""
        return list(self.batches.values())[number].lines

    def _handle(self, request: Request) -> Response:
        with self._lock:
            path, method = request.path, request.method
            if path == "/v1/files" and method == "POST":
                return self._upload(request)
            if path == "/v1/chat/completions" and method == "POST":  # an online request
                status, answer = self.reply("online", json.loads(request.get_data(as_text=True))) or (
                    500, {"error": {"message": "no answer"}})
                return _json(answer, status)
            if path == "/v1/batches" and method == "POST":
                return self._create(json.loads(request.get_data(as_text=True)))
            if path == "/v1/batches" and method == "GET":  # newest first, as OpenAI lists them
                data = [self._describe(b) for b in reversed(self.batches.values())]
                return _json({"object": "list", "data": data, "has_more": False})
            found = re.fullmatch(r"/v1/batches/([^/]+)", path)
            if found and method == "GET":
                return self._retrieve(found[1])
            found = re.fullmatch(r"/v1/files/([^/]+)/content", path)
            if found and method == "GET" and found[1] in self.files:
                return Response(self.files[found[1]], content_type="application/octet-stream")
            return _json({"error": {"message": f"no route {method} {path}"}}, 404)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def _upload(self, request: Request) -> Response:
        data = request.files["file"].read()
        self.purposes.append(request.form["purpose"])
        file_id = self._new_id("file")
        self.files[file_id] = data
        return _json({"id": file_id, "object": "file", "bytes": len(data), "created_at": 0,
                      "filename": request.files["file"].filename, "purpose": "batch",
                      "status": "processed"})

    def _create(self, body: dict[str, Any]) -> Response:
        self.created.append(body)
        lines = [json.loads(raw) for raw in self.files[body["input_file_id"]].decode().splitlines()]
        number = len(self.batches)
        ending = self.endings[number] if number < len(self.endings) else STATUSES
        batch = Batch(self._new_id("batch"), body["input_file_id"], lines, ending,
                      metadata=body.get("metadata"))
        self.batches[batch.id] = batch
        return _json(self._describe(batch))

    def _retrieve(self, batch_id: str) -> Response:
        batch = self.batches[batch_id]
        batch.polls += 1
        if batch.status in ("completed", "expired", "cancelled") and batch.output_file_id is None:
            self._finish(batch)
        return _json(self._describe(batch))

    def _finish(self, batch: Batch) -> None:
        """Answer the lines: all of them when completed, the first half when cut short."""
        lines = batch.lines if batch.status == "completed" else batch.lines[: len(batch.lines) // 2]
        output: list[str] = []
        errors: list[str] = []
        for line in lines:
            reply = self.reply(line["custom_id"], line["body"])
            if reply is None:
                continue
            status, body = reply
            record = {"id": self._new_id("req"), "custom_id": line["custom_id"],
                      "response": {"status_code": status, "request_id": "r", "body": body},
                      "error": None}
            (output if status == 200 else errors).append(json.dumps(record))
        # Lines in the opposite order to the requests: they are joined on custom_id.
        batch.output_file_id = self._new_id("file")
        self.files[batch.output_file_id] = "\n".join(reversed(output)).encode() + b"\n"
        if errors:
            batch.error_file_id = self._new_id("file")
            self.files[batch.error_file_id] = "\n".join(errors).encode() + b"\n"

    def _describe(self, batch: Batch) -> dict[str, Any]:
        return {
            "id": batch.id, "object": "batch", "endpoint": "/v1/chat/completions",
            "input_file_id": batch.input_file_id, "completion_window": "24h",
            "status": batch.status, "created_at": 0, "metadata": batch.metadata,
            "output_file_id": batch.output_file_id, "error_file_id": batch.error_file_id,
            "request_counts": {"total": len(batch.lines), "completed": 0, "failed": 0},
            "errors": {"object": "list", "data": [
                {"code": "invalid_request", "message": "the input file is not valid", "line": 1}
            ]} if batch.status == "failed" else None,
        }


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")
