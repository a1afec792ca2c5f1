"""The embedded model's run path in every test run: a `Backend` with a local model, whose server
is a stand-in (the scripted one) instead of llama.cpp, including the `/tokenize` context check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import sayso
from sayso.backends import LOCAL_MAX_ITEMS, LocalModel

from .scripted import PATH, SHORT_ANSWER, SHORT_ARTICLE, completion, script, summary


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


def _tokenize_by_length(server: HTTPServer) -> None:
    """A tokenizer that counts four characters a token, whatever it is asked."""

    def count(request: Request) -> Response:
        content = json.loads(request.get_data())["content"]
        return Response(json.dumps({"tokens": [1] * (len(content) // 4)}), content_type="application/json")

    server.expect_request("/tokenize", method="POST").respond_with_handler(count)


def test_an_article_too_long_for_the_context_is_cut_into_pieces_that_fit(
    httpserver: HTTPServer, local: Path
) -> None:
    _tokenize_by_length(httpserver)
    httpserver.expect_request(PATH, method="POST").respond_with_json(completion(summary()))
    article = "\n\n".join(f"Paragraph {i}: {SHORT_ARTICLE} " * 20 for i in range(120))  # ~120,000 characters
    with sayso.Summarizer(local_model=local, engine="model") as summarizer:
        result = summarizer.run(article)
    assert result.chunks > 1
    chats = [json.loads(r.get_data()) for r, _ in httpserver.log if r.path == PATH]
    assert len(chats) == result.chunks + 1  # one request a piece, and one for the summary
    room = 16_384 - 4096  # the context less the answer's max_tokens
    for chat in chats:
        prompt = "\n".join(m["content"] for m in chat["messages"])
        assert len(prompt) // 4 < room
