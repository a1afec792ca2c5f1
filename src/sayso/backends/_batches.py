"""A provider's Batch API (OpenAI's, and the servers that copy it): upload a file of request
lines, create a batch of it, ask how it is doing, and download its output and error files.

The openai client does the HTTP and its own retries of these few calls; what is in the lines,
and what to make of the answers, is decided elsewhere (`sayso.batch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import openai

from .._errors import ProviderError, redact

__all__ = ["BatchApi", "BatchStatus"]

_LABEL = "sayso_submission"  # the metadata key that finds a batch whose creation was not recorded



@dataclass(frozen=True)
class BatchStatus:
    """What the provider says of one batch."""

    id: str
    status: str  # validating, in_progress, finalizing, completed, failed, expired, cancelling, cancelled
    output_file_id: str | None = None
    error_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: str = ""  # why a batch failed as a whole (validation of the file)

    @property
    def finished(self) -> bool:
        return self.status in ("completed", "failed", "expired", "cancelled")


class BatchApi:
    """The Batch API behind an openai client (retried by the client itself, `max_retries` times)."""

    def __init__(self, client: openai.OpenAI, *, max_retries: int, secret: str | None = None) -> None:
        self.client = client.with_options(max_retries=max_retries)
        self.secret = secret

    def submit(self, lines: bytes, name: str, token: str) -> str:
        """Upload `lines` (JSONL request lines) and create a batch of them, labelled with
        `token` so that `find(token)` finds it after a crash; its id."""
        try:
            uploaded = self.client.files.create(file=(name, lines), purpose="batch")
            batch = self.client.batches.create(
                input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                completion_window="24h", metadata={_LABEL: token},
            )
        except openai.OpenAIError as exc:
            raise self._failed("cannot submit a batch", exc) from None
        return str(batch.id)

    def find(self, token: str) -> str | None:
        """The id of the batch `submit` labelled with `token`, among the latest hundred."""
        try:
            page = self.client.batches.list(limit=100)
        except openai.OpenAIError as exc:
            raise self._failed("cannot list batches", exc) from None
        for batch in page.data:
            if (batch.metadata or {}).get(_LABEL) == token:
                return str(batch.id)
        return None

    def status(self, batch_id: str) -> BatchStatus:
        try:
            batch = self.client.batches.retrieve(batch_id)
        except openai.OpenAIError as exc:
            raise self._failed(f"cannot ask for batch {batch_id}", exc) from None
        counts = batch.request_counts
        errors = "; ".join(str(e.message) for e in (batch.errors.data or [])) if batch.errors else ""
        return BatchStatus(
            id=batch.id,
            status=batch.status,
            output_file_id=batch.output_file_id,
            error_file_id=batch.error_file_id,
            total=counts.total if counts else 0,
            completed=counts.completed if counts else 0,
            failed=counts.failed if counts else 0,
            errors=errors,
        )

    def download(self, file_id: str) -> str:
        try:
            return self.client.files.content(file_id).text
        except openai.OpenAIError as exc:
            raise self._failed(f"cannot download file {file_id}", exc) from None

    def _failed(self, what: str, exc: Any) -> ProviderError:
        return ProviderError(redact(f"{what}: {type(exc).__name__}: {exc}", self.secret))
