"""Every error sayso raises on purpose derives from `SaysoError`.

    SaysoError
    ├── ConfigurationError      no endpoint or model could be set up from the options and environment
    │   └── LexiconError            a cue lexicon is malformed (sayso.rules)
    ├── InputError              the article cannot be summarized (empty, not text, too long)
    ├── FileFormatError         a file sayso reads back (results, batch lines, batch state) holds
    │                           something it cannot read; names the file and the line
    ├── JournalBusyError        another process is writing the same results file (sayso.runners)
    ├── ProviderError           the endpoint kept failing; carries every attempt that was made
    └── OutputError             the model's answers never became a valid summary
        └── TruncatedOutputError    the answer was cut off at the token limit

Messages never contain an API key: they are passed through `redact()` on the way in, which
removes every secret configured in this process (`remember_secret()`), whatever its shape.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "Attempt",
    "ConfigurationError",
    "FileFormatError",
    "InputError",
    "OutputError",
    "ProviderError",
    "RedactingFilter",
    "SaysoError",
    "TruncatedOutputError",
    "redact",
    "redact_url",
    "remember_secret",
    "remember_url_secrets",
]

# Shapes of bearer secrets that providers echo back in error bodies.
_SECRET_SHAPES = re.compile(r"(sk-[A-Za-z0-9_\-*]{6,}|Bearer\s+[A-Za-z0-9_\-.~+/=]{6,})")


# The user-info of a URL (`http://user:secret@host`), which httpx turns into basic auth.
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s@]+@")
# Keys and passwords configured in this process: errors, logs and records may quote any of them,
# and a key given through `client=` need not look like one.
_CONFIGURED: set[str] = set()
_MIN_SECRET = 4  # shorter values would blank ordinary words


def remember_secret(secret: str | None) -> None:
    """Redact `secret` from every message from now on."""
    if secret and len(secret) >= _MIN_SECRET:
        _CONFIGURED.add(secret)


def remember_url_secrets(url: str | None) -> None:
    """Redact the password (and user name) in `url`'s user-info from every message from now on."""
    if not url:
        return
    try:
        parts = urlsplit(url)
    except ValueError:
        return
    remember_secret(parts.password)
    if parts.password:
        remember_secret(parts.username)


def redact_url(url: str | None) -> str | None:
    """`url` without its user-info."""
    return None if url is None else _URL_USERINFO.sub(r"\1***@", url)


def redact(text: str, *secrets: str | None) -> str:
    """Remove the given secrets, every configured one, URL user-info, and anything shaped like
    an API key, from `text`."""
    for secret in sorted({*_CONFIGURED, *(s for s in secrets if s)}, key=len, reverse=True):
        if len(secret) >= _MIN_SECRET:
            text = text.replace(secret, "***")
    return _SECRET_SHAPES.sub("***", _URL_USERINFO.sub(r"\1***@", text))


class RedactingFilter(logging.Filter):
    """Rewrites a log record's message with `redact()`, for loggers that may quote a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class SaysoError(Exception):
    """The base of every error sayso raises on purpose."""


class ConfigurationError(SaysoError):
    """No usable endpoint, key or model could be resolved from the options and environment."""


class InputError(SaysoError):
    """The input cannot be summarized; raised before any model call."""


class FileFormatError(SaysoError):
    """A file sayso reads back (a results file, batch request or answer lines, a batch state
    file) holds something it cannot read; the message names the file and the line."""


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
