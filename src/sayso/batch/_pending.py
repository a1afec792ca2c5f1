"""One input on its way through batches, and what one answer line does to it.

An input waits for the answer to its current request. The answer either finishes it (a result,
or an error once nothing is left to try) or sends it on: a re-ask continues the conversation in
the next batch, a failed line is sent again while retries are left. This is the same reading as
online (`extract.read_answer`), so a batch answer is validated and grounded exactly as one sent
by `Summarizer.run`.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from .._errors import Attempt, ProviderError, SaysoError
from .._result import GroundingStats, Result, Usage
from ..extract import RequestSpec, build_request, read_answer, unfinished
from ..runners import BatchItem
from ..text import ArticleIndex
from ._lines import LineAnswer, custom_id

__all__ = ["Pending", "settle"]


@dataclass
class Pending:
    """An input that has not finished. Plain data, kept in the state file."""

    input: str
    text: str  # the article, as its offsets index
    plain_file: bool = False  # offsets index the file itself: the record need not hold the text
    request: dict[str, Any] | None = None  # a re-ask; None: the first request, built from `text`
    attempt: int = 1  # which answer the current request asks for (2: after the first re-ask)
    sends: int = 0  # request lines written so far, numbering each line's custom id
    retries: int = 0  # failed lines sent again so far
    usage: dict[str, int] = field(default_factory=dict)
    model: str = ""
    first_found: list[int] | None = None  # [found, total] of the first answer
    problems: list[str] = field(default_factory=list)
    batch: str | None = None  # the batch the current request is in
    started: float = field(default_factory=time.time)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pending:
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def line_id(self) -> str:
        return custom_id(self.input, self.sends)

    def next_line(self, spec: RequestSpec) -> tuple[str, dict[str, Any]]:
        """The custom id and body of the next request line."""
        self.sends += 1
        return self.line_id, self.current_request(spec)

    def current_request(self, spec: RequestSpec) -> dict[str, Any]:
        return self.request if self.request is not None else build_request(self.text, spec)


def settle(
    p: Pending, answer: LineAnswer | None, spec: RequestSpec, *, max_retries: int
) -> BatchItem | None:
    """What `answer` (None: the batch ended without one) does to `p`: the finished item (the
    model's result, before `Summarizer.finish` merges in the rules), or None when `p` goes into
    the next batch (it is updated for that)."""
    p.batch = None
    if answer is None or answer.body is None:
        why = answer.problem if answer is not None else "the batch ended without an answer"
        return _failed_line(p, why, answer.status if answer else None, max_retries)
    body = answer.body
    usage = Usage(**p.usage)
    usage.add(body.get("usage"))
    p.usage = usage.to_dict()
    p.model = str(body.get("model") or p.model)
    request = p.current_request(spec)
    try:
        read = read_answer(body, request, ArticleIndex(p.text), spec, attempt=p.attempt)
    except SaysoError as exc:  # cut off at the token limit: asking again would cut it again
        return _item(p, error=exc)
    if p.first_found is None and read.grounding is not None:
        p.first_found = [read.grounding.found, read.grounding.total]
    if read.problem is not None:
        p.problems.append(read.problem[:1000])
    if read.reask is not None:
        p.request, p.attempt, p.retries = read.reask, p.attempt + 1, 0
        return None
    problems = [Attempt(i, "InvalidAnswer", m) for i, m in enumerate(p.problems, 1)]
    error = unfinished(read, p.attempt, spec.max_reasks, problems)
    if error is not None:
        return _item(p, error=error)
    assert read.output is not None  # `unfinished` says so otherwise
    output = read.output
    found = p.first_found or [0, 0]
    return _item(p, result=Result(
        output=output, usage=usage, attempts=p.attempt, dropped=read.dropped,
        model=p.model or spec.model, elapsed_s=time.time() - p.started,
        prompt_version=spec.prompts.version, grounding=GroundingStats(found[0], found[1]),
        engine="model",
    ))


def _failed_line(p: Pending, why: str, status: int | None, max_retries: int) -> BatchItem | None:
    p.problems.append(why[:1000])
    if p.retries < max_retries:
        p.retries += 1
        return None
    attempts = [Attempt(i, "BatchLineError", m) for i, m in enumerate(p.problems, 1)]
    return _item(p, error=ProviderError(
        f"the batch request failed {p.retries + 1} time(s) (HTTP {status})" if status
        else f"the batch request failed {p.retries + 1} time(s)", attempts))


def _item(p: Pending, *, result: Result[Any] | None = None, error: BaseException | None = None) -> BatchItem:
    return BatchItem(p.input, result=result, error=error, text=None if p.plain_file else p.text)
