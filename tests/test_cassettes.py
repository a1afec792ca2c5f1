"""Real answers, recorded from a model and replayed: the seed example and two more articles.

`make record` records them from the embedded model (or from the endpoint named by
SAYSO_RECORD_BASE_URL, SAYSO_RECORD_MODEL and SAYSO_RECORD_API_KEY); CI replays them offline.
What the model said is whatever it said: the assertions are about what sayso guarantees for any
answer (grounded values, spans, usage, nothing secret in the recording).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from sayso import ArticleSummary, Summarizer, extract_attributions

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
        yield Summarizer(base_url="http://127.0.0.1:9/v1", api_key=RECORD_KEY, engine="hybrid", **settings)
        return
    base_url = os.environ.get("SAYSO_RECORD_BASE_URL")
    if base_url:
        settings = {"model": os.environ["SAYSO_RECORD_MODEL"], "mode": "json_schema"}
        _save(settings)
        key = os.environ.get("SAYSO_RECORD_API_KEY") or RECORD_KEY
        yield Summarizer(base_url=base_url, api_key=key, engine="hybrid", **settings)
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
        yield Summarizer(base_url=local.base_url, api_key=RECORD_KEY, engine="hybrid", **settings)


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
    # What was dropped really is not in the article: not even once spaces, quote marks and case
    # are set aside (checked here without the locating code under test).
    folded_article = _fold(article)
    for dropped in result.dropped:
        assert dropped.missing
        assert any(_fold(text) not in folded_article for text in dropped.missing.values())
    if name == "seed":
        _check_seed(article, output)

    # The cassette's own requests and answers (the ones just recorded, or the ones replayed).
    assert result.attempts == len(vcr.data)
    bodies = [json.loads(request.body) for request, _ in vcr.data]
    assert article in bodies[0]["messages"][1]["content"]
    answers = [json.loads(response["body"]["string"]) for _, response in vcr.data]
    assert result.usage.total_tokens == sum(a["usage"]["total_tokens"] for a in answers)
    assert result.usage.prompt_tokens == sum(a["usage"]["prompt_tokens"] for a in answers)
    # The hybrid engine: each of the rules' attributions is in the output once (alone, or paired
    # with one of the model's), and so is each of the model's that was not dropped.
    origins = Counter(a.found_by for a in output.attributions)
    assert origins["rules"] + origins["both"] == len(extract_attributions(article))
    final = json.loads(answers[-1]["choices"][0]["message"]["content"])
    lost = sum(d.path.startswith("attributions") for d in result.dropped)
    assert origins["model"] + origins["both"] == len(final["attributions"]) - lost
    if result.attempts > 1:  # a re-ask names what was not found
        assert "not words of the article" in bodies[1]["messages"][-1]["content"]


def _fold(text: str) -> str:
    for curly, plain in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'")):
        text = text.replace(curly, plain)
    return " ".join(text.lower().split())


def _check_seed(article: str, output: ArticleSummary) -> None:
    """The example sayso was specified with: who said what, at the article's exact words."""
    found = {(a.source, a.cue): a for a in output.attributions}
    pmo = found[("the Israeli PMO", "maintained")]
    assert pmo.content == "that the phone call was held at the Russian leader’s request"
    kremlin = found[("the Kremlin", "called")]
    assert "“a thorough exchange of views.”" in kremlin.content and kremlin.direct
    for a in (pmo, kremlin):
        assert a.source_span and a.cue_span and a.content_span
        assert article[a.source_span.start : a.source_span.end] == a.source
        assert article[a.cue_span.start : a.cue_span.end] == a.cue
        assert article[a.content_span.start : a.content_span.end] == a.content
    # The summary is whole sentences: the model's, or, when it wrote a fragment, the article's lead.
    assert output.summary.rstrip().endswith((".", "”", '"')) and len(output.summary.split()) >= 6
    if output.extractive:
        assert output.summary.startswith("Russian President Vladimir Putin")


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
