"""How an item's grounded values were found, in a few words for a report's table."""

from __future__ import annotations

from typing import Any

__all__ = ["match_note"]


def match_note(matches: Any) -> str:
    """"exact" when every value was copied exactly; else each other value with how it was found
    ("content: fuzzy 93.5; source: normalized"); "—" when nothing was recorded."""
    if not isinstance(matches, dict) or not matches:
        return "—"
    notes = []
    for name, match in matches.items():
        data = match.model_dump() if hasattr(match, "model_dump") else match
        if not isinstance(data, dict) or data.get("how") == "exact":
            continue
        score = data.get("score")
        shown = f" {score:g}" if data.get("how") == "fuzzy" and isinstance(score, (int, float)) else ""
        notes.append(f"{name}: {data.get('how')}{shown}")
    return "; ".join(notes) or "exact"
