"""Every error sayso raises on purpose derives from `SaysoError`.

    SaysoError
    ├── ConfigurationError      no endpoint or model could be set up from the options and environment
    ├── InputError              the article cannot be summarized (empty, not text, too long)
    ├── ProviderError           the endpoint kept failing; carries every attempt that was made
    └── OutputError             the model's answers never became a valid summary
        └── TruncatedOutputError    the answer was cut off at the token limit

Messages never contain an API key: they are passed through `redact()` on the way in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Attempt",
    "ConfigurationError",
    "InputError",
    "OutputError",
    "ProviderError",
    "SaysoError",
    "TruncatedOutputError",
    "redact",
]

# Shapes of bearer secrets that providers echo back in error bodies.
_SECRET_SHAPES = re.compile(r"(sk-[A-Za-z0-9_\-*]{6,}|Bearer\s+[A-Za-z0-9_\-.~+/=]{6,})")


def redact(text: str, *secrets: str | None) -> str:
    """Remove the given secrets, and anything shaped like an API key, from `text`."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return _SECRET_SHAPES.sub("***", text)


class SaysoError(Exception):
    """The base of every error sayso raises on purpose."""


class ConfigurationError(SaysoError):
    """No usable endpoint, key or model could be resolved from the options and environment."""


class InputError(SaysoError):
    """The input cannot be summarized; raised before any model call."""


@dataclass(frozen=True)
class Attempt:
    """One request to the endpoint that did not give a usable answer."""

    number: int
    error: str  # the exception's type name, e.g. "RateLimitError"
    message: str  # redacted
    status: int | None = None  # the HTTP status, when there was a response
    waited_s: float = 0.0  # the pause taken before the next attempt

    def describe(self) -> str:
        status = f" HTTP {self.status}" if self.status is not None else ""
        return f"attempt {self.number}: {self.error}{status}: {self.message}"


class _WithAttempts(SaysoError):
    def __init__(self, message: str, attempts: list[Attempt] | None = None) -> None:
        self.attempts: list[Attempt] = list(attempts or [])
        if self.attempts:
            message += "\n" + "\n".join("  " + a.describe() for a in self.attempts)
        super().__init__(redact(message))


class ProviderError(_WithAttempts):
    """The endpoint kept failing (rate limits, server errors, timeouts) or refused the request."""


class OutputError(_WithAttempts):
    """The model's answers could not be turned into a valid, grounded summary."""


class TruncatedOutputError(OutputError):
    """The model stopped at its token limit before the answer was complete."""
