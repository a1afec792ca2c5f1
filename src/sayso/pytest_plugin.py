"""sayso's pytest plugin, for the tests of projects that call sayso (entry point `pytest11`).

- `vcr_config`: pytest-recording's configuration with no key in it. Every credential header and
  query parameter, and a URL's user-info, are removed before a request is recorded; the
  cookies and account headers of answers too. Requests match on method, path and body, so a
  recording replays against another host or port (the embedded model's is random) and stops
  matching when a prompt, the schema or the article changes. A project's own `vcr_config`
  fixture wins; `default_vcr_config()` is there to extend.
- Whatever the `vcr_config`, a cassette is cleaned of the same credentials as it is written.
- A test marked `vcr` gets a fresh sayso cache folder: a result cached on one machine would
  otherwise answer without a request, and the cassette would lack it. When such a test fails
  after its cassette could not answer a request, the report names the cassette and the request.
- `sayso_endpoint`: a `sayso.testing.ScriptedEndpoint` for the test, stopped afterwards.
"""

from __future__ import annotations

import copy
from collections.abc import Generator, Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from .testing import ScriptedEndpoint

__all__ = [
    "CREDENTIAL_HEADERS",
    "CREDENTIAL_QUERY_PARAMETERS",
    "default_vcr_config",
    "scrub_request",
    "scrub_response",
]

# Request headers that carry a key or an account, as OpenAI, Azure and compatible servers name them.
CREDENTIAL_HEADERS = (
    "authorization",
    "proxy-authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
)
# Query parameters that carry a key (`?key=` on some providers, `?api-key=` on some gateways).
CREDENTIAL_QUERY_PARAMETERS = ("key", "api-key", "api_key", "access_token", "token")
# Answer headers that name the account or set a session.
_ANSWER_CREDENTIAL_HEADERS = ("set-cookie", "openai-organization", "openai-project")


def _without_user_info(uri: str) -> str:
    parts = urlsplit(uri)
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def scrub_request(request: Any) -> Any:
    """A VCR request without credential headers, credential query parameters or user-info."""
    from vcr import filters

    request = filters.remove_headers(request, CREDENTIAL_HEADERS)
    request = filters.remove_query_parameters(request, CREDENTIAL_QUERY_PARAMETERS)
    request.uri = _without_user_info(request.uri)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """A VCR answer without its cookies and account headers."""
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _ANSWER_CREDENTIAL_HEADERS:
            del headers[name]
    return response


def default_vcr_config() -> dict[str, Any]:
    """The plugin's `vcr_config`: extend it in a project's own fixture with `| {...}`.

    `record_mode` stays out: it comes from `--record-mode` (`none` in CI)."""
    return {
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        "decode_compressed_response": True,
        # Not host or port: the same request replays wherever the endpoint was.
        "match_on": ["method", "path", "body"],
    }


class _ScrubbingPersister:
    """Writes a cassette only once every interaction is scrubbed; reads through `inner`."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def load_cassette(self, cassette_path: str, serializer: Any) -> Any:
        return self.inner.load_cassette(cassette_path, serializer=serializer)

    def save_cassette(self, cassette_path: str, cassette_dict: dict[str, Any], serializer: Any) -> None:
        scrubbed = {
            "requests": [scrub_request(copy.deepcopy(r)) for r in cassette_dict["requests"]],
            "responses": [scrub_response(copy.deepcopy(r)) for r in cassette_dict["responses"]],
        }
        self.inner.save_cassette(cassette_path, scrubbed, serializer=serializer)


@pytest.hookimpl(optionalhook=True)
def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    """Every cassette is scrubbed as it is written, whatever `vcr_config` a project gives."""
    vcr.register_persister(_ScrubbingPersister(vcr.persister))


class _Fixtures:
    """The plugin's fixtures, registered at configure time: after pytest-recording's own, so
    that this `vcr_config` is the one used when a project gives none."""

    @pytest.fixture
    def vcr_config(self) -> dict[str, Any]:
        return default_vcr_config()

    @pytest.fixture
    def sayso_endpoint(self) -> Iterator[ScriptedEndpoint]:
        """A scripted OpenAI-compatible endpoint on loopback (see `sayso.testing`)."""
        with ScriptedEndpoint() as endpoint:
            yield endpoint

    @pytest.fixture(autouse=True)
    def _sayso_recorded(self, request: pytest.FixtureRequest) -> Iterator[None]:
        """For a test marked `vcr`: a fresh sayso cache, and the requests its cassette missed."""
        if request.node.get_closest_marker("vcr") is None:
            yield
            return
        # pytest-recording's autouse `vcr` is the test's cassette (another plugin's may not be).
        cassette = request.getfixturevalue("vcr") if "vcr" in request.fixturenames else None
        if hasattr(cassette, "can_play_response_for") and hasattr(cassette, "write_protected"):
            request.node.stash[_MISSED] = _watch_misses(cassette)
        folder = request.getfixturevalue("tmp_path_factory").mktemp("sayso-cache")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SAYSO_CACHE_DIR", str(folder))
            yield


# The cassette of a test and the requests it could not answer (method and path), kept on the test.
_MISSED = pytest.StashKey[tuple[str, list[str]]]()


def _watch_misses(cassette: Any) -> tuple[str, list[str]]:
    """Note each request a write-protected `cassette` cannot answer: a client that retries
    reports it only as a connection error, which says nothing of the cassette."""
    missed: list[str] = []
    can_play = cassette.can_play_response_for

    def watched(request: Any) -> Any:
        playable = can_play(request)
        if not playable and cassette.write_protected:
            missed.append(f"{request.method} {urlsplit(request.uri).path}")
        return playable

    cassette.can_play_response_for = watched
    return str(cassette.path), missed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test whose cassette missed requests says so, and how to record it again."""
    report = yield
    path, missed = item.stash.get(_MISSED, ("", []))
    if report.when == "call" and report.failed and missed:
        report.sections.append(("sayso", (
            f"the cassette {path} holds no answer for {len(missed)} request(s): {', '.join(sorted(set(missed)))}. "
            "Requests match on method, path and body: a prompt, the schema, an option or the "
            "article changed since it was recorded. Record it again with --record-mode=rewrite.\n"
        )))
    return report


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_Fixtures(), "sayso-fixtures")
