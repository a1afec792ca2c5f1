"""The public output models, and the markers that tell sayso which fields to ground.

A field is *grounded* when its annotation carries `Grounded()`: its value must be words of the
article. sayso replaces it with the exact article substring and, when the model has a field named
`<field>_span`, records where it was found. Span fields are never shown to the model: they are
marked `readOnly` in the JSON Schema (see `span_field()`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator

from ..text import Span

__all__ = [
    "ArticleSummary",
    "Attribution",
    "Claim",
    "FoundBy",
    "Grounded",
    "MatchHow",
    "SourceType",
    "SpanMatch",
    "match_field",
    "span_field",
]


@dataclass(frozen=True)
class Grounded:
    """Marks a `str` (or `str | None`) field whose value must be copied from the article."""


class SpanMatch(BaseModel):
    """How a grounded value was found in the article: copied exactly; equal once Unicode form,
    spacing, quotation marks, dashes and case are folded ("normalized"); its words in order in a
    few pieces with short gaps, as in a quotation the article interrupts ("pieces"); or only
    similar ("fuzzy", with the similarity `score`, 0 to 100)."""

    how: MatchHow
    score: float = 100.0


def match_field() -> Any:
    """A field that sayso fills with how each grounded value of the item was found, by field
    name (`{"content": {"how": "exact", "score": 100.0}}`); never asked of the model."""
    return Field(
        default_factory=dict,
        description="How each grounded value was found in the article, by field name; filled by sayso.",
        json_schema_extra={"readOnly": True},
    )


def span_field(description: str = "Where the text was found; filled by sayso.") -> Any:
    """A `Span | None` field that sayso fills in and never asks the model for."""
    return Field(default=None, description=description, json_schema_extra={"readOnly": True})


SourceType = Literal["person", "organization", "government", "media", "document", "anonymous", "other"]
FoundBy = Literal["model", "rules", "both"]
MatchHow = Literal["exact", "normalized", "pieces", "fuzzy"]
_SOURCE_TYPES = set(SourceType.__args__)  # type: ignore[attr-defined]


class Attribution(BaseModel):
    """Material the article attributes to a source: a statement, belief, intention or report."""

    source: Annotated[str | None, Grounded()] = Field(
        description=(
            "Who the material is attributed to, copied exactly from the article "
            '(e.g. "the Israeli PMO"); null when the article names no source.'
        )
    )
    source_type: SourceType = Field(
        default="other",
        description="What kind of source it is.",
    )
    cue: Annotated[str, Grounded()] = Field(
        description=(
            "The reporting words that link source and content, copied exactly from the article "
            '(e.g. "said", "maintained", "according to", "called").'
        )
    )
    content: Annotated[str, Grounded()] = Field(
        description="What is attributed, copied exactly from the article, quotation marks included."
    )
    statement: str = Field(
        description=(
            "A standalone paraphrase that names the source, understandable without the article "
            "(e.g. \"Israel's PMO said Russia requested the call\")."
        )
    )
    direct: bool = Field(description="True when the content contains a direct quotation.")
    source_span: Span | None = span_field()
    cue_span: Span | None = span_field()
    content_span: Span | None = span_field()
    found_by: FoundBy | None = Field(
        default=None,
        description='Which engine found it: "model", "rules", or "both"; filled by sayso.',
        json_schema_extra={"readOnly": True},
    )
    speaker: str | None = Field(
        default=None,
        description=(
            "The name the source has in full in the article (\"Mayor Elena Ruiz\" for \"she\" "
            "or \"Ruiz\"), copied from it; null when the article does not tell; filled by sayso."
        ),
        json_schema_extra={"readOnly": True},
    )
    speaker_span: Span | None = span_field("Where the speaker's name stands; filled by sayso.")
    matches: dict[str, SpanMatch] = match_field()

    @field_validator("source_type", mode="before")
    @classmethod
    def _known_source_type(cls, value: Any) -> Any:
        # Models write "Person" or "institution"; keep the answer rather than re-ask for it.
        if isinstance(value, str):
            value = value.strip().lower()
            return value if value in _SOURCE_TYPES else "other"
        return value


class Claim(BaseModel):
    """One atomic factual claim made in the article."""

    statement: str = Field(
        description="One atomic claim, understandable without the article."
    )
    evidence: Annotated[str, Grounded()] = Field(
        description="The words of the article that support the claim, copied exactly."
    )
    attributed_to: str | None = Field(
        description="The source as the article names it, or null when the article itself asserts it."
    )
    evidence_span: Span | None = span_field()
    matches: dict[str, SpanMatch] = match_field()


class ArticleSummary(BaseModel):
    """A grounded summary of one news article."""

    summary: str = Field(description="Two or three sentences that summarize the article.")
    key_points: list[str] = Field(
        default_factory=list, description="The main points, one short sentence each."
    )
    claims: list[Claim] = Field(
        default_factory=list, description="The article's main factual claims."
    )
    attributions: list[Attribution] = Field(
        default_factory=list,
        description="Every attribution in the article: who said, believed, intended or reported what.",
    )
    extractive: bool = Field(
        default=False,
        description=(
            "True when the summary and key points are whole sentences taken from the article "
            "(the rules engine), not written by a model; filled by sayso."
        ),
        json_schema_extra={"readOnly": True},
    )
