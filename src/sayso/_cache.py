"""Results kept on disk (diskcache), so that an article already summarized costs no request.

The key covers everything that shapes the answer: the article, the endpoint and model, the mode,
the prompt version, the schema shown to the model, and the generation options. It never covers
the API key, and nothing secret is stored: only the result as `Result.to_dict()` gives it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import diskcache
import platformdirs

__all__ = ["ResultCache", "cache_dir"]


def cache_dir(directory: str | os.PathLike[str] | None = None) -> Path:
    """The folder given, else `SAYSO_CACHE_DIR`, else the platform's user cache folder."""
    if directory is not None:
        return Path(directory)
    env = os.environ.get("SAYSO_CACHE_DIR", "").strip()
    return Path(env) if env else Path(platformdirs.user_cache_dir("sayso"))


class ResultCache:
    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = cache_dir(directory)
        self._store = diskcache.Cache(str(self.directory))

    @staticmethod
    def key(article: str, identity: dict[str, Any]) -> str:
        digest = hashlib.sha256()
        digest.update(json.dumps(identity, sort_keys=True, default=str).encode())
        digest.update(b"\0")
        digest.update(article.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        value = self._store.get(key)
        if not isinstance(value, str):
            return None
        try:
            stored = json.loads(value)
        except ValueError:
            return None
        return stored if isinstance(stored, dict) else None

    def set(self, key: str, record: dict[str, Any]) -> None:
        self._store.set(key, json.dumps(record, ensure_ascii=False))

    def close(self) -> None:
        self._store.close()
