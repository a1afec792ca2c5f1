"""Where the endpoint comes from: arguments, then the environment, then defaults."""

from __future__ import annotations

from pathlib import Path

import openai
import pytest
from pytest_httpserver import HTTPServer

import sayso
from sayso._options import Options
from sayso.backends import (
    DEFAULT_OPENAI_MODEL,
    LOCAL_MAX_CHARS,
    LOCAL_MAX_ITEMS,
    resolve_endpoint,
)

from .scripted import (
    PATH,
    SHORT_ANSWER,
    SHORT_ARTICLE,
    base_url,
    sent,
)


def test_a_key_alone_means_openai_in_tools_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key-1234567890")
    endpoint = resolve_endpoint(Options())
    assert endpoint.kind == "openai"
    assert endpoint.mode == "tools"
    assert endpoint.model == DEFAULT_OPENAI_MODEL
    assert endpoint.max_items is None


def test_a_base_url_means_a_compatible_server_in_json_schema_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAYSO_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("SAYSO_MODEL", "llama3.2")
    endpoint = resolve_endpoint(Options())
    assert (endpoint.kind, endpoint.model, endpoint.base_url) == (
        "compatible", "llama3.2", "http://localhost:11434/v1"
    )
    assert endpoint.mode == "json_schema"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAYSO_BASE_URL", "http://env:1/v1")
    monkeypatch.setenv("SAYSO_MODEL", "env-model")
    endpoint = resolve_endpoint(Options(base_url="http://arg:2/v1", model="arg-model", mode="tools"))
    assert (endpoint.base_url, endpoint.model) == ("http://arg:2/v1", "arg-model")
    assert endpoint.mode == "tools"


def test_openai_base_url_is_read_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://vllm:8000/v1")
    endpoint = resolve_endpoint(Options(model="qwen"))
    assert endpoint.base_url == "http://vllm:8000/v1"


def test_without_a_model_name_the_server_is_asked_which_it_serves(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/models").respond_with_json(
        {"object": "list", "data": [{"id": "qwen2.5-7b", "object": "model", "created": 0, "owned_by": "me"}]}
    )
    httpserver.expect_oneshot_request(PATH).respond_with_json(SHORT_ANSWER)
    result = sayso.Summarizer(base_url=base_url(httpserver)).run(SHORT_ARTICLE)
    assert sent(httpserver)[-1]["model"] == "qwen2.5-7b"
    assert result.output.attributions


def test_a_server_that_lists_no_models_gets_a_placeholder_name(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/models").respond_with_json({"error": "not here"}, status=404)
    httpserver.expect_oneshot_request(PATH).respond_with_json(SHORT_ANSWER)
    sayso.Summarizer(base_url=base_url(httpserver)).run(SHORT_ARTICLE)
    assert sent(httpserver)[-1]["model"] == "default"


def test_a_given_client_is_used_and_its_own_retries_turned_off(httpserver: HTTPServer) -> None:
    client = openai.OpenAI(
        api_key="sk-client-key-123456789", base_url=base_url(httpserver), max_retries=5,
        default_headers={"X-Sent-By": "the-given-client"},
    )
    httpserver.expect_oneshot_request(PATH).respond_with_json({}, status=503)
    s = sayso.Summarizer(client=client, model="m", max_retries=0)
    assert s.endpoint.kind == "client" and s.endpoint.mode == "json_schema"
    with pytest.raises(sayso.ProviderError):
        s.run(SHORT_ARTICLE)
    # One request, with the client's own header: the client was used, and it did not retry.
    assert len(httpserver.log) == 1
    assert httpserver.log[0][0].headers["X-Sent-By"] == "the-given-client"
    assert client.max_retries == 5  # the caller's client is left as it was


def test_nothing_configured_and_no_local_extra_says_how_to_configure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sayso.backends._endpoint.local_extra_installed", lambda: False)
    with pytest.raises(sayso.ConfigurationError) as caught:
        sayso.Summarizer()
    message = str(caught.value)
    assert "OPENAI_API_KEY" in message and "SAYSO_BASE_URL" in message and "sayso[local]" in message


def test_nothing_configured_with_the_local_extra_means_the_embedded_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("sayso.backends._endpoint.local_extra_installed", lambda: True)
    gguf = tmp_path / "tiny-model.Q4.gguf"
    monkeypatch.setenv("SAYSO_LOCAL_MODEL", str(gguf))
    endpoint = resolve_endpoint(Options())
    assert endpoint.kind == "local" and endpoint.local_model == gguf
    assert endpoint.model == "tiny-model.Q4"
    assert (endpoint.max_items, endpoint.max_chars) == (LOCAL_MAX_ITEMS, LOCAL_MAX_CHARS)


def test_a_missing_local_model_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(sayso.ConfigurationError, match="not found"):
        sayso.LocalModel(tmp_path / "nope.gguf")


@pytest.mark.parametrize(
    ("option", "value"),
    [("timeout_s", 0), ("deadline_s", -1), ("max_reasks", -1), ("max_items", 0), ("mode", "xml")],
)
def test_bad_options_are_refused(option: str, value: object) -> None:
    with pytest.raises(sayso.ConfigurationError, match=option if option != "mode" else "mode"):
        Options(**{option: value})  # type: ignore[arg-type]


def test_schema_must_be_a_pydantic_model() -> None:
    with pytest.raises(sayso.ConfigurationError, match="Pydantic"):
        sayso.Summarizer(schema=dict, base_url="http://x/v1", model="m")  # type: ignore[type-var]


def _error_classes() -> dict[str, type[BaseException]]:
    """Every exception class named `...Error` that any module of sayso defines."""
    import importlib
    import pkgutil

    found: dict[str, type[BaseException]] = {}
    for module_info in pkgutil.walk_packages(sayso.__path__, "sayso."):
        try:
            module = importlib.import_module(module_info.name)
        except ImportError:  # an optional extra (the embedded model, Dask) not installed
            continue
        for name, value in vars(module).items():
            if (isinstance(value, type) and issubclass(value, BaseException) and name.endswith("Error")
                    and value.__module__ == module.__name__):
                found[name] = value
    return found


def test_every_error_sayso_defines_is_a_sayso_error_and_drawn_in_the_hierarchy() -> None:
    from sayso import _errors

    found = _error_classes()
    assert {"InputError", "LexiconError", "JournalBusyError", "FileFormatError"} <= set(found)
    assert not [n for n, c in found.items() if not issubclass(c, sayso.SaysoError)]
    assert _errors.__doc__ is not None
    assert not [n for n in found if n not in _errors.__doc__], "the hierarchy in _errors' docstring is stale"
    for name in ("ConfigurationError", "InputError", "ProviderError", "OutputError", "FileFormatError"):
        assert getattr(sayso, name) is found[name]  # the public names are these classes
