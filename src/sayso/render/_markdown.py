"""Render a result for people to read."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from .._result import Result
from ..schema import ArticleSummary
from ._matches import match_note

__all__ = ["to_markdown"]


def _cell(text: str | None) -> str:
    return (text or "—").replace("|", "\\|").replace("\n", " ")


def to_markdown(result: Result[Any], title: str = "Summary") -> str:
    output = result.output
    if not isinstance(output, ArticleSummary):
        return f"## {title}\n\n```json\n{_dump(output)}\n```\n"
    lines = [f"## {title}", "", output.summary.strip(), ""]
    if output.extractive:
        lines += ["_The summary and key points are sentences taken from the article._", ""]
    if output.key_points:
        lines += ["### Key points", "", *[f"- {p}" for p in output.key_points], ""]
    if output.attributions:
        lines += ["### Who said what", "", "| Source | Cue | What was said | Found by | Match |",
                  "|---|---|---|---|---|"]
        for a in output.attributions:
            lines.append(f"| {_cell(a.source)} | {_cell(a.cue)} | {_cell(a.content)} | {_cell(a.found_by)} "
                         f"| {_cell(match_note(a.matches))} |")
        lines.append("")
    if output.claims:
        lines += ["### Claims", ""]
        for c in output.claims:
            who = f" ({c.attributed_to})" if c.attributed_to else ""
            note = match_note(c.matches)
            found = f" _(evidence found: {note})_" if note not in ("exact", "—") else ""
            lines.append(f"- {c.statement}{who}: “{c.evidence}”{found}")
        lines.append("")
    if result.dropped:
        lines += [f"### Dropped: {len(result.dropped)} item(s)", ""]
        for d in result.dropped:
            missing = "".join(f"; {name}: “{_cell(text)}”" for name, text in d.missing.items())
            lines.append(f"- {d.path}: {d.reason}{missing}")
        lines.append("")
    cached = ", from the cache" if result.cached else ""
    lines.append(
        f"_{result.engine} engine, {result.model}, {result.attempts} attempt(s), {result.usage.total_tokens} tokens, "
        f"{result.elapsed_s:.1f} s{cached}_"
    )
    return "\n".join(lines) + "\n"


def _dump(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2)
