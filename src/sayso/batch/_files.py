"""Batch files without a Batch API: write the request lines for any runner that reads them
(`vllm run-batch`, or a provider's upload form), and read its answers back.

There is no state file here, so each line's `custom_id` carries the input's name and which
answer it asks for (`name#1`, then `name#2` for the first re-ask), and the article is read back
from the request itself (the prompt around it is known, so it comes out byte for byte).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .._errors import FileFormatError, InputError, SaysoError
from .._jsonread import json_lines
from ..runners import BatchItem, JsonlLog
from ..text import Article, check_text
from ._lines import answers_by_id, request_line
from ._pending import Pending, settle

if TYPE_CHECKING:
    from .._summarizer import Summarizer
    from ..extract import Prompts, RequestSpec

__all__ = ["FilesRead", "read_batch_files", "write_batch_file"]


def line_id(input_id: str, attempt: int) -> str:
    return f"{input_id}#{attempt}"


def _parse_line_id(value: str) -> tuple[str, int]:
    name, _, number = value.rpartition("#")
    if not name or not number.isdigit():
        raise InputError(f"{value!r} is not a custom_id that `sayso batch write` made")
    return name, int(number)


def write_batch_file(
    articles: Iterable[Article | str], summarizer: Summarizer[Any], out: IO[bytes]
) -> list[BatchItem]:
    """Write one request line per article to `out`; the inputs that could not be read, as
    failed items (nothing is written for them)."""
    spec = _spec(summarizer)
    failed = []
    for number, given in enumerate(articles, 1):
        article = given if isinstance(given, Article) else Article(f"#{number}", text=given)
        try:
            text = check_text(article.load(), max_chars=summarizer.options.max_input_chars)
        except SaysoError as exc:
            failed.append(BatchItem(article.id, error=exc))
            continue
        p = Pending(article.id, text)
        out.write(request_line(line_id(article.id, 1), p.current_request(spec)))
    return failed


@dataclass
class FilesRead:
    """What reading a batch's answers came to."""

    finished: int = 0
    failed: int = 0
    reasks: int = 0  # answers that need another request: their lines are in the follow-up file
    unanswered: int = 0  # requests with no usable answer: sent again in the follow-up file
    skipped: int = 0  # inputs already in the results file
    followup: list[str] = field(default_factory=list)  # the custom ids in the follow-up file
    malformed: list[str] = field(default_factory=list)  # lines not read: file, line and why


def read_batch_files(
    requests: str | os.PathLike[str],
    answers: str | os.PathLike[str],
    summarizer: Summarizer[Any],
    out: str | os.PathLike[str],
    followup: str | os.PathLike[str],
) -> FilesRead:
    """Validate and ground the answers to `requests` (joined on `custom_id`), append the finished
    inputs to `out`, and write the requests that come next (re-asks, unanswered lines) to
    `followup`. A line of either file that cannot be read is listed in `malformed` (naming the
    file and the line), and the others are read all the same."""
    spec = _spec(summarizer)
    tally = FilesRead()
    found = answers_by_id(Path(answers).read_bytes(),
                          names=[str(answers)], malformed=tally.malformed)
    lines: list[bytes] = []
    with JsonlLog(out) as journal:
        for number, line in json_lines(Path(requests).read_bytes(), str(requests)):
            try:
                line_id_, body = _request(line, f"{requests}, line {number}")
                name, attempt = _parse_line_id(line_id_)
                text = _article_of(body, spec.prompts)
            except SaysoError as exc:
                message = str(exc)
                where = f"{requests}, line {number}"
                tally.malformed.append(message if message.startswith(where) else f"{where}: {message}")
                continue
            if name in journal.done:
                tally.skipped += 1
                continue
            p = Pending(name, text, request=body, attempt=attempt)
            item = settle(p, found.get(line_id_), spec, max_retries=1)
            if item is not None:
                if item.result is not None:
                    item = dataclasses.replace(item, result=summarizer.finish(p.text, item.result))
                journal.append(item)
                tally.finished += 1
                tally.failed += 0 if item.ok else 1
                continue
            tally.reasks += p.attempt > attempt
            tally.unanswered += p.attempt == attempt
            tally.followup.append(line_id(name, p.attempt))
            lines.append(request_line(line_id(name, p.attempt), p.current_request(spec)))
    if lines:
        Path(followup).write_bytes(b"".join(lines))
    return tally


def _request(line: Any, where: str) -> tuple[str, dict[str, Any]]:
    """A request line's custom id and body, or a `FileFormatError` saying what is wrong."""
    if isinstance(line, FileFormatError):
        raise line
    if not isinstance(line, dict):
        raise FileFormatError(f"{where}: a JSON {type(line).__name__}, not a request line (an object)")
    value, body = line.get("custom_id"), line.get("body")
    if not isinstance(value, str):
        raise FileFormatError(f"{where}: the custom_id is {_kind(value)}, not a string")
    if not isinstance(body, dict):
        raise FileFormatError(f"{where}: the body is {_kind(body)}, not an object")
    return value, body


def _kind(value: Any) -> str:
    return "missing" if value is None else f"a JSON {type(value).__name__}"


def _spec(summarizer: Summarizer[Any]) -> RequestSpec:
    """The request spec, once a server that is to name its model has been asked for it."""
    summarizer.identity  # noqa: B018 - asks the server for its model when none was named
    return summarizer.request_spec()


def _article_of(body: dict[str, Any], prompts: Prompts) -> str:
    """The article in a request that sayso built, cut out of the user message around it."""
    messages = body.get("messages")
    for message in messages if isinstance(messages, list) else []:
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if message.get("role") == "user" and isinstance(content, str):
            before, after = prompts.article_before, prompts.article_after
            if content.startswith(before) and content.endswith(after):
                return content[len(before) : len(content) - len(after)]
    raise InputError("a request line holds no article in sayso's prompt (other prompts?)")
