"""What the libraries sayso drives may log: never a secret, and nothing on stderr unless the
application configured logging.

Python prints a warning or error record to stderr when no handler is configured anywhere on its
way (`logging.lastResort`). A `NullHandler` on each library's top logger stops that, and only
that: an application that configures logging still receives every record, redacted.
"""

from __future__ import annotations

import logging

from .._errors import RedactingFilter

__all__ = ["quiet_library_logs"]

_LIBRARIES = ("sayso", "openai", "instructor", "httpx", "httpx2", "httpcore", "httpcore2")
_REDACTING = RedactingFilter()


def quiet_library_logs() -> None:
    """Redact every logger of the libraries sayso drives, and keep their records off stderr
    unless the application configured logging. Loggers made later by those libraries are
    covered the next time this runs (each `Backend` calls it)."""
    existing = [name for name in logging.root.manager.loggerDict if name.split(".")[0] in _LIBRARIES]
    for name in {*existing, *_LIBRARIES}:
        logger = logging.getLogger(name)
        if _REDACTING not in logger.filters:
            logger.addFilter(_REDACTING)
    for name in _LIBRARIES:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
