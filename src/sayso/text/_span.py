"""The one span type: character offsets into a text, used by the models, grounding and metrics."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["Span", "overlap_share"]


class Span(BaseModel):
    """Character offsets into the original text: `text[start:end]` is the grounded value."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


def overlap_share(a: Span, b: Span) -> float:
    """The share of the shorter span that the two have in common (0 when they do not meet)."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    shorter = min(a.end - a.start, b.end - b.start)
    return shared / shorter if shared > 0 and shorter > 0 else 0.0
