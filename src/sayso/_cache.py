"""Results kept on disk (diskcache), so that an article already summarized costs no request.

The key covers everything that shapes the answer: the article, the engine, the endpoint and the
model it serves, the mode, the prompt version, the schema shown to the model, the options that
shape the answer, the grounding settings and sayso's version. It never covers the API key, and
nothing secret is stored: only the result as `Result.to_dict()` gives it. An entry that cannot be
read is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._errors import FileFormatError, redact_url
from ._jsonread import parse_json
from ._options import Options
from .schema import model_facing_schema
from .text import ArticleIndex

if TYPE_CHECKING:
    from .backends import Endpoint

__all__ = ["ResultCache", "cache_dir", "cache_identity"]


def cache_dir(directory: str | os.PathLike[str] | None = None) -> Path:
    """The folder given, else `SAYSO_CACHE_DIR`, else the platform's user cache folder."""
    if directory is not None:
        return Path(directory)
    env = os.environ.get("SAYSO_CACHE_DIR", "").strip()
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("sayso"))


def _version() -> str:
    try:
        return metadata.version("sayso")
    except metadata.PackageNotFoundError:
        return "unknown"


def cache_identity(options: Options, endpoint: Endpoint, prompt_version: str) -> dict[str, Any]:
    """What shapes a result, secrets excepted."""
    schema = options.schema
    assert schema is not None  # set by Options
    # The model's answer is what is kept, on the hybrid engine too (the rules are merged in on
    # every read), so the two engines share it.
    identity: dict[str, Any] = {
        "sayso": _version(),
        "engine": "model",
        "schema": f"{schema.__module__}.{schema.__qualname__}",
    }
    shaping = {k: v for k, v in options.shaping().items()
               if k not in ("model", "base_url", "schema", "local_model", "mode", "engine")}
    return identity | shaping | {
        "kind": endpoint.kind,
        # Without user-info: a password neither shapes the answer nor belongs in a key's input.
        "base_url": None if endpoint.kind == "local" else redact_url(endpoint.base_url),
        "model": endpoint.model,
        # The file's name, not its path, so that the key is the same on every machine.
        "local_model": endpoint.local_model.name if endpoint.local_model else None,
        "mode": endpoint.mode,
        "max_items": endpoint.max_items,
        "max_chars": endpoint.max_chars,
        "prompts": prompt_version,
        "schema_shown": model_facing_schema(
            schema, max_items=endpoint.max_items, max_chars=endpoint.max_chars
        ),
        "grounding": ArticleIndex.SETTINGS,
    }


class ResultCache:
    """A cache that never stops a run: a store that cannot be opened, read or written (a
    damaged file, a full disk) is a miss, and the result is simply not kept."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        import diskcache

        self.directory = cache_dir(directory)
        self._store: Any = None
        try:
            self._store = diskcache.Cache(str(self.directory))
        except Exception:  # sqlite3.DatabaseError and the like: no cache for this run
            self._store = None

    @staticmethod
    def key(article: str, identity: dict[str, Any]) -> str:
        digest = hashlib.sha256()
        digest.update(json.dumps(identity, sort_keys=True, default=str).encode())
        digest.update(b"\0")
        digest.update(article.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        if self._store is None:
            return None
        try:
            value = self._store.get(key)
        except Exception:  # a corrupt entry or store is a miss, never a crash
            return None
        if not isinstance(value, str):
            return None
        try:
            stored = parse_json(value, "a cache entry")
        except FileFormatError:
            return None
        return stored if isinstance(stored, dict) else None

    def set(self, key: str, record: dict[str, Any]) -> None:
        if self._store is None:
            return
        try:
            self._store.set(key, json.dumps(record, ensure_ascii=False))
        except Exception:  # the result is returned all the same; it is only not kept
            return

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
