"""The response model handed to Instructor: the user's schema, grounded as it is validated.

Instructor validates each answer with `response_model.model_validate_json()`. The subclass built
here adds an after-validator that grounds the answer in the article of the current run. A value
that is not in the article raises a `ValueError` naming it, which Instructor sends back to the
model as a re-ask; on the last attempt the value is dropped instead and listed.

The article reaches the validator through a context variable, not through Instructor's
`context=` argument: that argument makes Instructor render every message as a Jinja template,
which would rewrite articles that contain `{{ ... }}` or `{% ... %}`.
"""

from __future__ import annotations

import copy
import functools
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, model_validator

from .._result import Usage
from ..grounding import Dropped, Grounding, Missing, drop, ground
from ..schema import model_facing_schema
from ..text import ArticleIndex
from ._prompts import Prompts

__all__ = ["Run", "current_run", "request_model"]

_MAX_QUOTED = 300


@dataclass
class Run:
    """The state of summarizing one article, shared by its attempts."""

    index: ArticleIndex
    prompts: Prompts
    max_attempts: int
    attempts: int = 0
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    first_pass: Grounding | None = None
    dropped: list[Dropped] = field(default_factory=list)
    stuck: list[Missing] = field(default_factory=list)

    def reask_message(self, missing: list[Missing]) -> str:
        lines = []
        for m in missing:
            text = m.text if len(m.text) <= _MAX_QUOTED else m.text[:_MAX_QUOTED] + "..."
            lines.append(f"- {m.path}: {text!r}")
        return self.prompts.reask(lines)


current_run: ContextVar[Run | None] = ContextVar("sayso_run", default=None)


def _ground_answer(answer: BaseModel) -> None:
    run = current_run.get()
    if run is None:  # validated outside a run: nothing to ground against
        return
    grounding = ground(answer, run.index)
    if run.first_pass is None:
        run.first_pass = grounding
    run.dropped, run.stuck = [], []
    if not grounding.missing:
        return
    if run.attempts < run.max_attempts:
        raise ValueError(run.reask_message(grounding.missing))
    run.dropped, run.stuck = drop(grounding.missing)


@functools.cache
def request_model(
    schema: type[BaseModel], max_items: int | None = None, max_chars: int | None = None
) -> type[BaseModel]:
    """The subclass of `schema` that Instructor validates answers with (one per schema and
    bounds, so that Instructor's own caches keyed on the class stay small)."""
    shown = model_facing_schema(schema, max_items=max_items, max_chars=max_chars)

    class Request(schema):  # type: ignore[valid-type,misc]
        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return copy.deepcopy(shown)

        @model_validator(mode="after")
        def _sayso_ground(self) -> Any:
            _ground_answer(self)
            return self

    Request.__name__ = schema.__name__
    Request.__qualname__ = schema.__qualname__
    Request.__doc__ = schema.__doc__
    return Request


def as_schema(answer: BaseModel, schema: type[BaseModel]) -> BaseModel:
    """The validated answer as an instance of the user's own class, without validating it again."""
    return schema.model_construct(_fields_set=answer.model_fields_set, **answer.__dict__)
