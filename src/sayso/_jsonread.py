"""JSON that sayso reads back but did not just write: results lines, batch request lines, a
runner's or provider's output and error lines, the batch state file, cache entries.

Any of these may have been written by another program, cut short, or crafted. Python's parser
raises `RecursionError` on a value nested some thousand levels deep, which no caller expects; a
value nested a few hundred levels deep parses, and then breaks whatever walks it later (a page,
`json.dumps`, a model's validation). So every such value is read here: whatever is wrong with it
becomes one `FileFormatError` that names the file and the line, and a file of lines is read line
by line, so that one bad line costs only itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ._errors import FileFormatError

__all__ = ["MAX_DEPTH", "json_lines", "parse_json"]

# Far deeper than anything sayso writes or a schema nests (a results line is about 6 deep), far
# shallower than the interpreter's recursion limit.
MAX_DEPTH = 100
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json(data: str | bytes, where: str) -> Any:
    """The JSON value in `data`, or a `FileFormatError` naming `where` ("results.jsonl, line 3")."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = json.loads(text)
    except RecursionError:
        raise FileFormatError(f"{where}: JSON nested deeper than {MAX_DEPTH} levels; not read") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise FileFormatError(f"{where}: not valid JSON ({_short(str(exc))})") from None
    problem = _unreadable(value, MAX_DEPTH)
    if problem:
        raise FileFormatError(f"{where}: {problem}; not read")
    return value


def json_lines(data: str | bytes, name: str) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each non-blank line of `data`, the file called `name`; a line that
    cannot be read is yielded as its `FileFormatError` (a value JSON cannot hold), so that the
    caller says so and goes on with the next line."""
    lines: list[str | bytes] = [*data.splitlines()]
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            yield number, parse_json(raw, f"{name}, line {number}")
        except FileFormatError as exc:
            yield number, exc


def _unreadable(value: Any, limit: int) -> str | None:
    """What makes `value` unfit to work with, if anything: lists and objects nested more than
    `limit` deep, or a string holding a surrogate (a `\\ud800` escape alone), which no UTF-8
    file, page or request can hold. Without recursion, and linear in its size."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = [*node, *node.values()]
        elif isinstance(node, list):
            children = node
        else:
            children = [node]
        for child in children:
            if isinstance(child, str):
                if _SURROGATE.search(child):
                    return "JSON holding a surrogate code point (an unpaired \\ud800-\\udfff escape)"
            elif isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return f"JSON nested deeper than {limit} levels"
                stack.append((child, depth + 1))
    return None


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[:limit] + "…"
