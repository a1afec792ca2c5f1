"""Real answers, recorded from a model and replayed: the seed example and two more articles.

`make record` records them from the embedded model (or from the endpoint named by
SAYSO_RECORD_BASE_URL, SAYSO_RECORD_MODEL and SAYSO_RECORD_API_KEY); CI replays them offline.
What the model said is whatever it said: the assertions are about what sayso guarantees for any
answer (grounded values, spans, usage, nothing secret in the recording).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from sayso import ArticleSummary, Summarizer
from sayso.text import ArticleIndex

from .conftest import CASSETTES, ROOT

HERE = Path(__file__).parent
ARTICLES = {
    "seed": ROOT / "examples" / "kremlin-netanyahu-call.txt",
    "harbour": HERE / "articles" / "harbour-dredging.txt",
    "library": HERE / "articles" / "library-hours.txt",
}
ENDPOINT_FILE = CASSETTES / "test_cassettes" / "endpoint.json"
RECORD_KEY = "sk-record-placeholder-0000000000"


@pytest.fixture(scope="module")
def summarizer(request: pytest.FixtureRequest) -> Iterator[Summarizer[ArticleSummary]]:
    """In replay, a summarizer that sends exactly what was recorded to an address that is never
    reached; in record mode, the embedded model or the endpoint from the environment."""
    recording = request.config.getoption("--record-mode") not in (None, "none")
    if not recording:
        settings = json.loads(ENDPOINT_FILE.read_text())
        yield Summarizer(base_url="http://127.0.0.1:9/v1", api_key=RECORD_KEY, **settings)
        return
    base_url = os.environ.get("SAYSO_RECORD_BASE_URL")
    if base_url:
        settings = {"model": os.environ["SAYSO_RECORD_MODEL"], "mode": "json_schema"}
        _save(settings)
        key = os.environ.get("SAYSO_RECORD_API_KEY") or RECORD_KEY
        yield Summarizer(base_url=base_url, api_key=key, **settings)
        return
    from sayso import LocalModel
    from sayso.backends import LOCAL_MAX_CHARS, LOCAL_MAX_ITEMS

    with LocalModel() as local:
        settings = {
            "model": local.model_name,
            "mode": "json_schema",
            "max_items": LOCAL_MAX_ITEMS,
            "max_chars": LOCAL_MAX_CHARS,
        }
        _save(settings)
        yield Summarizer(base_url=local.base_url, api_key=RECORD_KEY, **settings)


def _save(settings: dict[str, Any]) -> None:
    ENDPOINT_FILE.parent.mkdir(parents=True, exist_ok=True)
    ENDPOINT_FILE.write_text(json.dumps(settings, indent=2) + "\n")


@pytest.mark.vcr
@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_recorded_article(name: str, summarizer: Summarizer[ArticleSummary], vcr: Any) -> None:
    article = ARTICLES[name].read_text(encoding="utf-8")
    result = summarizer.run(article)
    output = result.output

    assert isinstance(output, ArticleSummary) and output.summary.strip()
    # Every grounded value is the article's own text at its span.
    for a in output.attributions:
        for value, span in ((a.source, a.source_span), (a.cue, a.cue_span), (a.content, a.content_span)):
            assert (value is None) == (span is None)
            if span is not None:
                assert article[span.start : span.end] == value
    for c in output.claims:
        assert c.evidence_span is not None
        assert article[c.evidence_span.start : c.evidence_span.end] == c.evidence
    # What was dropped really is not in the article.
    index = ArticleIndex(article)
    for dropped in result.dropped:
        assert dropped.missing
        assert any(index.locate(text) is None for text in dropped.missing.values())

    # The cassette's own requests and answers (the ones just recorded, or the ones replayed).
    assert result.attempts == len(vcr.data)
    bodies = [json.loads(request.body) for request, _ in vcr.data]
    assert article in bodies[0]["messages"][1]["content"]
    answers = [json.loads(response["body"]["string"]) for _, response in vcr.data]
    assert result.usage.total_tokens == sum(a["usage"]["total_tokens"] for a in answers)
    assert result.usage.prompt_tokens == sum(a["usage"]["prompt_tokens"] for a in answers)
    if result.attempts > 1:  # a re-ask names what was not found
        assert "not words of the article" in bodies[1]["messages"][-1]["content"]


def test_cassettes_hold_no_key_and_no_auth_header() -> None:
    folder = CASSETTES / "test_cassettes"
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == len(ARTICLES)
    for path in files:
        text = path.read_text()
        assert RECORD_KEY not in text
        assert "sk-" not in text and "Bearer" not in text
        for interaction in yaml.safe_load(text)["interactions"]:
            headers = {h.lower() for h in interaction["request"]["headers"]}
            assert "authorization" not in headers
