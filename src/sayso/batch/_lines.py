"""The lines of batch files: request lines in, output and error lines back.

A request line is `{"custom_id", "method", "url", "body"}`, the body exactly the chat request
the online path sends. Output and error lines share `{"id", "custom_id", "response":
{"status_code", "body"}, "error"}` and come back in any order, so they are joined on `custom_id`.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .._errors import FileFormatError
from .._jsonread import json_lines, parse_json

__all__ = [
    "MAX_BATCH_BYTES",
    "MAX_BATCH_REQUESTS",
    "LineAnswer",
    "answers_by_id",
    "chunks",
    "custom_id",
    "request_line",
]

# OpenAI's limits for one batch.
MAX_BATCH_REQUESTS = 50_000
MAX_BATCH_BYTES = 200 * 1024 * 1024
URL = "/v1/chat/completions"

_log = logging.getLogger("sayso")


def custom_id(input_id: str, send: int) -> str:
    """The id of the `send`-th request line (from 1) for input `input_id`: stable across runs,
    unique per line, and it does not show the provider the input's name (often a local path)."""
    digest = hashlib.sha256(input_id.encode("utf-8")).hexdigest()[:16]
    return f"sayso-{digest}-{send}"


def request_line(line_id: str, body: dict[str, Any]) -> bytes:
    line = {"custom_id": line_id, "method": "POST", "url": URL, "body": body}
    return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")


def chunks(
    lines: Iterable[tuple[str, bytes]], *, max_requests: int, max_bytes: int
) -> Iterator[list[tuple[str, bytes]]]:
    """(key, line) pairs grouped into batches within both limits, in order."""
    batch: list[tuple[str, bytes]] = []
    size = 0
    for key, line in lines:
        if batch and (len(batch) >= max_requests or size + len(line) > max_bytes):
            yield batch
            batch, size = [], 0
        batch.append((key, line))
        size += len(line)
    if batch:
        yield batch


@dataclass(frozen=True)
class LineAnswer:
    """One output or error line: the answer's JSON body when it came back with status 200, else
    why not."""

    body: dict[str, Any] | None
    problem: str = ""
    status: int | None = None


def answers_by_id(
    *texts: str | bytes, names: Sequence[str] = (), malformed: list[str] | None = None
) -> dict[str, LineAnswer]:
    """The lines of output and error files (`texts`, called `names`), by `custom_id`. A line that
    cannot be read, or names no `custom_id`, is skipped (its request then counts as unanswered)
    and said so: in `malformed` when it is given, else in the log."""
    found: dict[str, LineAnswer] = {}
    for number, text in enumerate(texts):
        name = names[number] if number < len(names) else f"answer file {number + 1}"
        for line_number, line in json_lines(text, name):
            if isinstance(line, dict) and isinstance(line.get("custom_id"), str):
                found[line["custom_id"]] = _read(line)
                continue
            why = str(line) if isinstance(line, FileFormatError) else (
                f"{name}, line {line_number}: not an answer line (no custom_id)")
            if malformed is None:
                _log.warning("%s; skipped", why)
            else:
                malformed.append(why)
    return found


def _read(line: dict[str, Any]) -> LineAnswer:
    response = line.get("response")
    response = response if isinstance(response, dict) else {}
    status = response.get("status_code")
    status = status if isinstance(status, int) and not isinstance(status, bool) else None
    body = response.get("body")
    if isinstance(body, str):  # some servers send the body as a JSON string
        try:
            body = parse_json(body, "a response body")
        except FileFormatError:
            body = None
    choices = body.get("choices") if isinstance(body, dict) else None
    if status == 200 and isinstance(choices, list) and choices and all(isinstance(c, dict) for c in choices):
        return LineAnswer(body, status=200)
    return LineAnswer(None, _problem(line.get("error"), body, status), status)


def _problem(error: Any, body: Any, status: int | None) -> str:
    for source in (error, body.get("error") if isinstance(body, dict) else None):
        if isinstance(source, dict) and source.get("message"):
            code = f"{source['code']}: " if source.get("code") else ""
            return f"{code}{source['message']}"
        if isinstance(source, str) and source:
            return source
    if status == 200:
        return "the answer had no choices"
    return f"HTTP {status}" if status is not None else "no response"
