from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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


def _drop_cookies(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in ("set-cookie", "openai-organization", "openai-project"):
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    # record_mode stays out of here: it comes from --record-mode (none in CI, rewrite in
    # `make record`).
    return {
        "filter_headers": [
            "authorization",
            "api-key",
            "openai-organization",
            "openai-project",
            "cookie",
        ],
        "before_record_response": _drop_cookies,
        "decode_compressed_response": True,
        # A change to a prompt, the schema or an article changes the body: the cassette no
        # longer matches and the test fails until it is recorded again.
        "match_on": ["method", "path", "body"],
    }


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
