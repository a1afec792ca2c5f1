"""The state of a provider batch run, kept in a JSON file beside the results.

It holds the batches sent and every input not yet finished (with its current request when that
is a re-ask), so that another process can collect what this one submitted. It is replaced
atomically (written to a temporary file, then renamed), so a crash leaves the old state or the
new one, never half of either. No key is ever written to it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from typing_extensions import TypedDict

from .._errors import ConfigurationError, FileFormatError
from .._jsonread import parse_json
from ._pending import Pending

__all__ = ["State", "identity_digest"]

_VERSION = 1


class _Submitting(TypedDict):
    token: str
    inputs: list[str]


class _StateFile(TypedDict):
    """The file's shape, checked whole when it is read back: another process or a hand may have
    written it."""

    version: int
    identity: str
    batches: dict[str, dict[str, Any]]
    inputs: dict[str, Pending]
    submitting: _Submitting | None


_STATE_FILE = pydantic.TypeAdapter(_StateFile)


def identity_digest(identity: dict[str, Any]) -> str:
    """A short digest of what shapes the answers, to refuse collecting with other options."""
    text = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class State:
    path: Path
    identity: str = ""
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)  # open batches: id -> lines
    inputs: dict[str, Pending] = field(default_factory=dict)
    # A batch being created: its label and inputs, until its id is recorded.
    submitting: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: Path, identity: str) -> State:
        if not path.exists():
            return cls(path, identity)
        try:
            raw = path.read_bytes()
            parse_json(raw, str(path))  # refuses what would crash the parser before it is read
            data = _STATE_FILE.validate_json(raw, strict=True)
        except FileFormatError as exc:
            raise ConfigurationError(f"{exc}: not a sayso batch state file") from None
        except pydantic.ValidationError as exc:
            first = exc.errors()[0]
            at = ".".join(str(part) for part in first["loc"]) or "the top level"
            raise ConfigurationError(
                f"{path} is not a sayso batch state file: {at}: {first['msg']}"
            ) from None
        state = cls(path, data["identity"], dict(data["batches"]), data["inputs"],
                    dict(data["submitting"]) if data["submitting"] is not None else None)
        if state.inputs and state.identity != identity:
            raise ConfigurationError(
                f"{path} holds batches sent with other options (model, schema, prompts or "
                "limits); collect them with those options, or use another --out"
            )
        state.identity = identity
        return state

    def save(self) -> None:
        data = {
            "version": _VERSION,
            "identity": self.identity,
            "batches": self.batches,
            "inputs": {k: p.to_dict() for k, p in self.inputs.items()},
            "submitting": self.submitting,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=self.path.name + ".", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def sent(self, batch_id: str, names: list[str]) -> None:
        """Record that `names` are in batch `batch_id`."""
        for name in names:
            if name in self.inputs:
                self.inputs[name].batch = batch_id
        self.batches[batch_id] = {"lines": len(names)}
        self.submitting = None

    def queued(self) -> list[Pending]:
        """Inputs waiting to be sent in the next batch."""
        return [p for p in self.inputs.values() if p.batch is None]

    def in_batch(self, batch_id: str) -> list[Pending]:
        return [p for p in self.inputs.values() if p.batch == batch_id]
