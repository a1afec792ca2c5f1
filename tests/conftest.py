from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sayso.pytest_plugin import default_vcr_config

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"

# Variables that would point a test at a real endpoint or a real key.
_ISOLATED = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "SAYSO_MODEL",
    "SAYSO_BASE_URL",
    "SAYSO_LOCAL_MODEL",
    "SAYSO_CACHE_DIR",
)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Every test starts with no endpoint, no key and its own cache folder."""
    for name in _ISOLATED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SAYSO_CACHE_DIR", str(tmp_path / "cache"))
    yield


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    # What users of the plugin get (no key, no cookies; match on method, path and body so that a
    # prompt or schema change fails until re-recorded), for the whole module; importing it keeps
    # it so when the installed plugin is older than these sources.
    return default_vcr_config()


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    return str(CASSETTES / request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture
def threaded_httpserver() -> Iterator[Any]:
    """A scripted server that answers requests concurrently, for batches."""
    from pytest_httpserver import HTTPServer

    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()
