"""Model extraction as data: the exact chat request for an article, and what to make of one
answer to it.

`build_request()` is pure: it returns the request (model, messages, schema in the form the mode
asks for, sampling options) without sending it. `read_answer()` validates and grounds one answer's
JSON body and says what comes next: the grounded output, or the request that re-asks. Sending and
retrying happen elsewhere (`backends`), so a provider batch can build requests and read answers
with the same two functions.

The article is spliced into the user message by plain concatenation: no template engine sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from .._errors import Attempt, OutputError, TruncatedOutputError
from .._options import ModeName
from ..grounding import Dropped, Grounding, Missing, drop, ground
from ..text import ArticleIndex
from ._prompts import Prompts

__all__ = ["Answer", "RequestSpec", "build_reduce_request", "build_request", "read_answer", "unfinished"]

_MAX_QUOTED = 300  # characters of each missing value quoted back in a re-ask
_MAX_REASK_LINES = 50  # values listed in one re-ask; the rest are counted, not quoted


@dataclass(frozen=True)
class RequestSpec:
    """Everything but the article that shapes a request."""

    model: str
    mode: ModeName
    schema: type[BaseModel]
    prompts: Prompts
    temperature: float = 0.0
    max_tokens: int | None = None
    max_items: int | None = None
    max_chars: int | None = None
    max_reasks: int = 1


@dataclass
class Answer:
    """What one answer came to. Exactly one of `output` and `reask` is set, unless the answer
    was invalid with no re-ask left (then neither, and `problem` says why)."""

    output: BaseModel | None = None
    reask: dict[str, Any] | None = None
    problem: str | None = None
    grounding: Grounding | None = None
    dropped: list[Dropped] = field(default_factory=list)
    stuck: list[Missing] = field(default_factory=list)


def build_request(article: str, spec: RequestSpec) -> dict[str, Any]:
    """The chat request for `article`, exactly as it is sent (keyword arguments of
    `client.chat.completions.create`, and the body of a batch request line)."""
    return _shaped(spec.prompts.system, spec.prompts.user_message(article), spec)


def build_reduce_request(partials: str, spec: RequestSpec) -> dict[str, Any]:
    """The request that writes `spec.schema`'s fields for a whole article from its chunks'
    partial answers (`partials`, already serialized), spliced in like an article."""
    return _shaped(spec.prompts.reduce_system, spec.prompts.partials_message(partials), spec)


def _shaped(system: str, user: str, spec: RequestSpec) -> dict[str, Any]:
    from ..backends._instructor import shape_request

    plain: dict[str, Any] = {
        "model": spec.model,
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        "temperature": spec.temperature,
    }
    if spec.max_tokens is not None:
        plain["max_tokens"] = spec.max_tokens
    return shape_request(plain, spec.schema, spec.mode, spec.max_items, spec.max_chars)


def read_answer(
    body: dict[str, Any],
    request: dict[str, Any],
    index: ArticleIndex,
    spec: RequestSpec,
    *,
    attempt: int,
) -> Answer:
    """Validate and ground the answer `body` to `request`, the `attempt`-th (from 1).

    While re-asks are left, an invalid answer or one with values that are not in the article
    gives the request that re-asks; after the last, ungrounded items are dropped (listed in
    `dropped`) and an invalid answer gives only its `problem`. Raises `TruncatedOutputError`
    when the answer was cut off at the token limit.
    """
    from ..backends._instructor import Truncated, Unparseable, parse_answer_body, reask_request

    can_reask = attempt <= spec.max_reasks
    try:
        parsed = parse_answer_body(body, spec.schema, spec.mode, spec.max_items, spec.max_chars)
    except Truncated:
        raise TruncatedOutputError(
            f"the answer was cut off at the token limit (max_tokens={spec.max_tokens}); "
            "raise max_tokens or use a model with a larger context"
        ) from None
    except Unparseable as exc:
        problem = str(exc)
        reask = reask_request(request, body, spec.mode, problem) if can_reask else None
        return Answer(reask=reask, problem=problem)
    grounding = ground(parsed, index)
    if grounding.missing and can_reask:
        message = spec.prompts.reask(_missing_lines(grounding.missing))
        return Answer(reask=reask_request(request, body, spec.mode, message),
                      problem="values not in the article", grounding=grounding)
    dropped, stuck = drop(grounding.missing)
    return Answer(output=_as_schema(parsed, spec.schema), grounding=grounding,
                  dropped=dropped, stuck=stuck)


def unfinished(answer: Answer, attempt: int, max_reasks: int, problems: Sequence[Attempt]) -> OutputError | None:
    """The error for the last answer of a conversation, when it did not come good: no valid
    answer within the re-ask budget, or a required value still not in the article."""
    if answer.output is None:
        return OutputError(
            f"no valid answer after {attempt} attempt(s) ({max_reasks} re-ask(s) allowed)",
            list(problems),
        )
    if answer.stuck:
        names = ", ".join(f"{m.path}={m.text!r}" for m in answer.stuck)
        return OutputError(f"required values are not in the article after {attempt} attempt(s): {names}")
    return None


def _missing_lines(missing: list[Missing]) -> list[str]:
    lines = []
    for m in missing[:_MAX_REASK_LINES]:
        text = m.text if len(m.text) <= _MAX_QUOTED else m.text[:_MAX_QUOTED] + "..."
        lines.append(f"- {m.path}: {text!r}")
    if len(missing) > _MAX_REASK_LINES:
        lines.append(f"- and {len(missing) - _MAX_REASK_LINES} more values that are not in the article")
    return lines


def _as_schema(answer: BaseModel, schema: type[BaseModel]) -> BaseModel:
    """The validated answer as an instance of the user's own class, without validating it again."""
    if type(answer) is schema:
        return answer
    return schema.model_construct(_fields_set=answer.model_fields_set, **answer.__dict__)
