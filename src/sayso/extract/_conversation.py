"""One article's conversation with the model: send the request, read the answer, re-ask while
allowed. Sending (and its retries) is passed in, so this holds no connection of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .._errors import Attempt
from ..grounding import Dropped, Grounding
from ..text import ArticleIndex
from ._request import RequestSpec, build_request, read_answer, unfinished

__all__ = ["ModelRun", "converse"]

Send = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class ModelRun:
    """What the conversation came to, with what it cost."""

    output: BaseModel
    attempts: int
    usage: list[dict[str, Any]] = field(default_factory=list)  # each answer's `usage`
    model: str = ""
    dropped: list[Dropped] = field(default_factory=list)
    first_grounding: Grounding | None = None
    chunks: int = 1  # how many pieces the article was sent in

    @property
    def grounded(self) -> tuple[int, int]:
        """Verbatim values of the first answer found in the article, and how many there were."""
        first = self.first_grounding
        return (first.found, first.total) if first else (0, 0)


def converse(
    article: str,
    spec: RequestSpec,
    send: Send,
    *,
    index: ArticleIndex | None = None,
    before_first: Callable[[dict[str, Any]], None] | None = None,
    request: dict[str, Any] | None = None,
) -> ModelRun:
    """Ask for `article` (or send `request`, grounding its answer in `article`), re-asking as
    `read_answer` says; raise `OutputError` when no answer validates within the re-ask budget,
    or a required value is still not in the article."""
    index = index or ArticleIndex(article)
    request = request or build_request(article, spec)
    if before_first is not None:
        before_first(request)
    usages: list[dict[str, Any]] = []
    problems: list[Attempt] = []
    first: Grounding | None = None
    model = ""
    for attempt in range(1, spec.max_reasks + 2):
        body = send(request)
        usages.append(body.get("usage") or {})
        model = str(body.get("model") or model)
        answer = read_answer(body, request, index, spec, attempt=attempt)
        first = first or answer.grounding
        if answer.problem is not None:
            problems.append(Attempt(attempt, "InvalidAnswer", answer.problem[:1000]))
        if answer.reask is None:
            break
        request = answer.reask
    error = unfinished(answer, attempt, spec.max_reasks, problems)
    if error is not None:
        raise error
    assert answer.output is not None  # `unfinished` says so otherwise
    return ModelRun(answer.output, attempt, usages, model, answer.dropped, first)
