"""Instructor's part, and only its part: shaping a request for a mode, parsing an answer to it,
and continuing the conversation for a re-ask.

sayso drives the attempts itself (see `extract/`), so that the request is data that can be built
without sending it, and an answer can be parsed that sayso did not send (a provider batch). The
prepared response model is built once per schema and bounds: building it is the costly part.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from typing import Any

import instructor
from instructor.core.exceptions import IncompleteOutputException
from instructor.processing.response import handle_reask_kwargs, handle_response_model
from instructor.v2.core.registry import mode_registry
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError

from .._options import ModeName
from ..schema import model_facing_schema

__all__ = ["Truncated", "Unparseable", "parse_answer_body", "reask_request", "shape_request"]

_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
# Pydantic's messages end with a link that names its version; a re-ask must not depend on it.
_DOC_LINK = re.compile(r"\n?\s*For further information visit https://errors\.pydantic\.dev/\S*")


class Unparseable(Exception):
    """The answer is not JSON, or breaks the schema; its message is what the re-ask says."""


class Truncated(Exception):
    """The answer was cut off at the token limit."""


@functools.cache
def _response_model(
    schema: type[BaseModel], mode: ModeName, max_items: int | None, max_chars: int | None
) -> type[BaseModel]:
    """The user's schema as Instructor wants it, showing the model the model-facing schema."""
    shown = model_facing_schema(schema, max_items=max_items, max_chars=max_chars)

    class Request(schema):  # type: ignore[valid-type,misc]
        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
            return copy.deepcopy(shown)

    Request.__name__ = schema.__name__
    Request.__qualname__ = schema.__qualname__
    Request.__doc__ = schema.__doc__
    prepared, _ = handle_response_model(Request, _MODES[mode], messages=[])
    assert prepared is not None
    return prepared


_SENTINEL = [{"role": "system", "content": "\x00system"}, {"role": "user", "content": "\x00user"}]


@functools.cache
def _schema_kwargs(
    schema: type[BaseModel], mode: ModeName, max_items: int | None, max_chars: int | None
) -> str | None:
    """What the mode adds to a request (tools, response_format), as JSON, when it leaves the
    messages alone; None for modes that write the schema into the messages."""
    model = _response_model(schema, mode, max_items, max_chars)
    _, shaped = handle_response_model(model, _MODES[mode], messages=copy.deepcopy(_SENTINEL))
    if shaped.pop("messages") != _SENTINEL:
        return None
    shaped.pop("strict", None)
    return json.dumps(shaped)


def shape_request(
    plain: dict[str, Any],
    schema: type[BaseModel],
    mode: ModeName,
    max_items: int | None,
    max_chars: int | None,
) -> dict[str, Any]:
    """`plain` (model, messages, sampling options) with the schema added as `mode` asks.
    Instructor shapes it once per schema and mode; each request gets a fresh copy."""
    added = _schema_kwargs(schema, mode, max_items, max_chars)
    if added is not None:
        return {**copy.deepcopy(plain), **json.loads(added)}
    model = _response_model(schema, mode, max_items, max_chars)
    _, shaped = handle_response_model(model, _MODES[mode], **copy.deepcopy(plain))
    shaped.pop("strict", None)
    return shaped


def parse_answer_body(
    body: dict[str, Any],
    schema: type[BaseModel],
    mode: ModeName,
    max_items: int | None,
    max_chars: int | None,
) -> BaseModel:
    """The validated answer in a chat completion's JSON body. Raises `Truncated` when it was cut
    off at the token limit, `Unparseable` when it is not a valid answer."""
    model = _response_model(schema, mode, max_items, max_chars)
    completion = ChatCompletion.model_validate(body)
    # The mode's own parser, as Instructor's `process_response` calls it, without walking the
    # model for async validators on every answer (it was checked once, when it was prepared).
    parse = mode_registry.get_handlers(instructor.Provider.OPENAI, _MODES[mode]).response_parser
    try:
        answer = parse(response=completion, response_model=model, validation_context=None,
                       strict=None, stream=False, is_async=False)
    except IncompleteOutputException as exc:
        raise Truncated() from exc
    except (ValidationError, ValueError, TypeError, AttributeError, IndexError) as exc:
        raise Unparseable(_DOC_LINK.sub("", str(exc))) from exc
    if not isinstance(answer, BaseModel):
        raise Unparseable("the answer is not an object of the requested schema")
    return answer


def reask_request(
    request: dict[str, Any], body: dict[str, Any], mode: ModeName, reason: str
) -> dict[str, Any]:
    """The request that continues the conversation: the answer, then what was wrong with it."""
    completion = ChatCompletion.model_validate(body)
    continued = copy.deepcopy(request)
    return handle_reask_kwargs(continued, _MODES[mode], completion, Unparseable(reason))
