"""A recording made on the embedded model replays although the model takes another port each
time: requests match on method, path and body, never on host or port."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import vcr

import sayso
from sayso.backends import LocalModel
from sayso.pytest_plugin import default_vcr_config
from sayso.testing import ScriptedEndpoint, attribution, summary

ARTICLE = "The mayor said the bridge would reopen in May."


class StandInModel(LocalModel):
    """The embedded model with the scripted endpoint (or nothing at all) at its port."""

    port = 0

    def _start(self) -> None:
        self._server, self._port = "stand-in", self.port


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _summarize(gguf: Path) -> sayso.Result[sayso.ArticleSummary]:
    with sayso.Summarizer(local_model=gguf, engine="model", cache=False, max_retries=0) as summarizer:
        assert summarizer.configured.kind == "local"
        return summarizer.run(ARTICLE)


def test_an_embedded_model_recording_replays_on_another_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gguf = tmp_path / "Tiny-Model.Q4.gguf"
    gguf.write_bytes(b"GGUF")
    monkeypatch.setattr("sayso.backends._endpoint.local_extra_installed", lambda: True)
    monkeypatch.setattr("sayso.backends._client.LocalModel", StandInModel)
    cassette = tmp_path / "embedded.yaml"

    with ScriptedEndpoint() as model:
        model.server.expect_request("/tokenize", method="POST").respond_with_json({"tokens": [1] * 700})
        model.always(summary(attribution("The mayor", "said", "the bridge would reopen in May")))
        StandInModel.port = model.server.port
        with vcr.VCR(record_mode="once").use_cassette(str(cassette), **default_vcr_config()):
            recorded = _summarize(gguf)
        assert len(model.requests) == 1

    StandInModel.port = _closed_port()  # nothing answers there: only the cassette can
    with vcr.VCR(record_mode="none").use_cassette(str(cassette), **default_vcr_config()) as played:
        replayed = _summarize(gguf)
        assert played.play_count == 2 and played.all_played  # /tokenize, then the chat request
    assert replayed.output == recorded.output
    assert replayed.output.attributions[0].content_span == sayso.Span(start=15, end=45)
