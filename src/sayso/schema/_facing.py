"""The schema the model sees, derived from the public one.

The model is shown every field but those sayso fills in itself (`readOnly` in the JSON Schema, such
as spans), and every field it is shown is required, so that a grammar-constrained local model
fills them all; defaults in the Python models only make partial answers from other servers valid.

Optional bounds (`max_items` per array, `max_chars` per string) cap what a grammar-constrained
model may generate: a small model that falls into a loop stops at the bound instead of running
into its context. They shape the request only; answers are not validated against them.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

__all__ = ["model_facing_schema", "public_schema"]


def public_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of the output, spans included."""
    return model.model_json_schema(mode="validation")


def model_facing_schema(
    model: type[BaseModel], *, max_items: int | None = None, max_chars: int | None = None
) -> dict[str, Any]:
    schema = copy.deepcopy(public_schema(model))
    for node in [schema, *schema.get("$defs", {}).values()]:
        _hide_read_only(node)
    _drop_unused_defs(schema)
    if max_items is not None or max_chars is not None:
        _bound(schema, max_items, max_chars)
    return schema


def _bound(value: Any, max_items: int | None, max_chars: int | None) -> None:
    if isinstance(value, list):
        for element in value:
            _bound(element, max_items, max_chars)
        return
    if not isinstance(value, dict):
        return
    kind = value.get("type")
    if kind == "array" and max_items is not None:
        value["maxItems"] = min(value.get("maxItems", max_items), max_items)
    if kind == "string" and "enum" not in value and max_chars is not None:
        value["maxLength"] = min(value.get("maxLength", max_chars), max_chars)
    for child in value.values():
        _bound(child, max_items, max_chars)


def _hide_read_only(node: dict[str, Any]) -> None:
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return
    for name in [n for n, p in properties.items() if p.get("readOnly")]:
        del properties[name]
    node["required"] = list(properties)


def _drop_unused_defs(schema: dict[str, Any]) -> None:
    defs = schema.get("$defs")
    if not defs:
        return
    used: set[str] = set()
    pending = [{k: v for k, v in schema.items() if k != "$defs"}]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name not in used and name in defs:
                    used.add(name)
                    pending.append(defs[name])
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    for name in list(defs):
        if name not in used:
            del defs[name]
    if not defs:
        del schema["$defs"]
