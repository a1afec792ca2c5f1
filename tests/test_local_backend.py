"""The embedded model's run path in every test run: a `Backend` with a local model, whose server
is a stand-in (the scripted one) instead of llama.cpp, including the `/tokenize` context check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

import sayso
from sayso.backends import LOCAL_MAX_ITEMS, LocalModel

from .scripted import PATH, SHORT_ANSWER, SHORT_ARTICLE, script


class StandInModel(LocalModel):
    """A LocalModel whose "server" is the scripted one: everything but starting llama.cpp."""

    port = 0

    def _start(self) -> None:
        self._server, self._port = "stand-in", self.port


@pytest.fixture
def local(httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    gguf = tmp_path / "Tiny-Model.Q4.gguf"
    gguf.write_bytes(b"GGUF")
    StandInModel.port = httpserver.port
    monkeypatch.setattr("sayso.backends._endpoint.local_extra_installed", lambda: True)
    monkeypatch.setattr("sayso.backends._client.LocalModel", StandInModel)
    return gguf


def _tokenize(server: HTTPServer, count: int) -> None:
    server.expect_ordered_request("/tokenize", method="POST").respond_with_json({"tokens": [1] * count})


def test_the_embedded_path_checks_the_context_then_asks_its_model(httpserver: HTTPServer, local: Path) -> None:
    _tokenize(httpserver, 900)
    script(httpserver, SHORT_ANSWER)
    with sayso.Summarizer(local_model=local, engine="model") as summarizer:
        assert summarizer.configured.kind == "local"
        result = summarizer.run(SHORT_ARTICLE)
    assert result.output.attributions[0].source == "The mayor"
    paths = [request.path for request, _ in httpserver.log]
    assert paths == ["/tokenize", PATH]  # the context is checked before generating
    tokenized = json.loads(httpserver.log[0][0].get_data())["content"]
    assert SHORT_ARTICLE in tokenized
    chat: dict[str, Any] = json.loads(httpserver.log[1][0].get_data())
    assert chat["model"] == "Tiny-Model.Q4"  # the file's stem, never its path
    assert chat["response_format"]["type"] == "json_schema"  # llama.cpp enforces it with a grammar
    shown = json.dumps(chat["response_format"])
    assert f'"maxItems": {LOCAL_MAX_ITEMS}' in shown  # the small model's bounds


def test_an_article_too_long_for_the_context_is_refused_before_generating(
    httpserver: HTTPServer, local: Path
) -> None:
    _tokenize(httpserver, 50_000)
    with sayso.Summarizer(local_model=local, engine="model") as summarizer, pytest.raises(
        sayso.InputError, match="context of 16,384 tokens"
    ):
        summarizer.run(SHORT_ARTICLE)
    assert [request.path for request, _ in httpserver.log] == ["/tokenize"]
