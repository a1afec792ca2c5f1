"""What one run returns besides the summary: usage, attempts, what was dropped, timings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .grounding import NOT_FOUND, Dropped

__all__ = ["GroundingStats", "Result", "Usage"]

T = TypeVar("T", bound=BaseModel)


@dataclass
class Usage:
    """Tokens, summed over every request of a run, failed and re-asked ones included."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    followup_tokens: int = 0  # of the total, what the hybrid engine's confirming request took

    def add(self, usage: Any) -> None:
        """Add an answer's `usage` (its JSON, a `Usage`, an openai `CompletionUsage`, or None when a
        server sends none)."""
        if usage is None:
            return
        values = usage if isinstance(usage, dict) else vars(usage) if hasattr(usage, "__dict__") else {}
        prompt = int(values.get("prompt_tokens") or 0)
        completion = int(values.get("completion_tokens") or 0)
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.total_tokens += int(values.get("total_tokens") or (prompt + completion))

    def add_followup(self, usage: Any) -> None:
        """Add the usage of a follow-up request, counted in the totals and apart."""
        before = self.total_tokens
        self.add(usage)
        self.followup_tokens += self.total_tokens - before

    def to_dict(self) -> dict[str, int]:
        counts = {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }
        return counts | ({"followup_tokens": self.followup_tokens} if self.followup_tokens else {})


@dataclass(frozen=True)
class GroundingStats:
    """How many verbatim values of the first answer were found in the article, before any re-ask."""

    found: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.found / self.total if self.total else None


@dataclass(frozen=True)
class Result(Generic[T]):
    output: T
    usage: Usage
    attempts: int  # requests that got an answer from the model, re-asks included
    dropped: list[Dropped] = field(default_factory=list)
    model: str = ""
    elapsed_s: float = 0.0
    prompt_version: str = ""
    grounding: GroundingStats = field(default_factory=GroundingStats)
    cached: bool = False  # read from the result cache: no request was made
    engine: str = "model"  # what produced it: "model", "rules" or "hybrid"
    chunks: int = 1  # how many pieces the article was sent in
    # On hybrid with confirm_rules: the content spans of the rules' candidates the model confirmed.
    confirmed: list[tuple[int, int]] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any], schema: type[T], *, cached: bool = False) -> Result[T]:
        """The inverse of `to_dict()`; the output is validated against `schema` again."""
        grounding = data.get("grounding") or {}
        return cls(
            output=schema.model_validate(data["output"]),
            usage=Usage(**data.get("usage", {})),
            attempts=int(data.get("attempts", 0)),
            dropped=[Dropped(d["path"], d["missing"], d["item"], d.get("reason") or NOT_FOUND)
                     for d in data.get("dropped", [])],
            model=str(data.get("model", "")),
            elapsed_s=float(data.get("elapsed_s", 0.0)),
            prompt_version=str(data.get("prompt_version", "")),
            grounding=GroundingStats(int(grounding.get("found", 0)), int(grounding.get("total", 0))),
            cached=cached,
            engine=str(data.get("engine", "model")),
            chunks=int(data.get("chunks", 1)),
            confirmed=None if data.get("confirmed") is None else [(int(s), int(e)) for s, e in data["confirmed"]],
        )

    def run_record(self) -> dict[str, Any]:
        """How the output was made: everything in `to_dict()` but the output itself."""
        record = self.to_dict()
        del record["output"]
        return record

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": self.output.model_dump(mode="json"),
            "usage": self.usage.to_dict(),
            "attempts": self.attempts,
            "dropped": [d.to_dict() for d in self.dropped],
            "model": self.model,
            "elapsed_s": round(self.elapsed_s, 3),
            "prompt_version": self.prompt_version,
            "grounding": {"found": self.grounding.found, "total": self.grounding.total},
            "cached": self.cached,
            "engine": self.engine,
            "chunks": self.chunks,
        } | ({} if self.confirmed is None else {"confirmed": [list(span) for span in self.confirmed]})
