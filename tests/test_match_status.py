"""How each grounded value was found, who found each item, and degenerate items dropped with why."""

from __future__ import annotations

import json
from typing import Annotated

from pydantic import BaseModel
from pytest_httpserver import HTTPServer

from sayso import (
    ArticleSummary,
    Attribution,
    Claim,
    Grounded,
    Result,
    SpanMatch,
    Summarizer,
    match_field,
)
from sayso.grounding import degenerate_reason, ground
from sayso.render import page_from_result, to_html, to_markdown
from sayso.text import ArticleIndex

from .scripted import KEY, attribution, base_url, completion, script, sent, summary

ARTICLE = (
    "The mayor said the bridge would reopen in May. Critics said the plan was \u201creckless\u201d. "
    "The Israeli Prime Minister\u2019s office said nothing."
)


def _attribution(source: str | None, cue: str, content: str) -> Attribution:
    return Attribution(source=source, cue=cue, content=content, statement="x", direct=False)


def test_each_value_records_how_it_was_found() -> None:
    answer = ArticleSummary(summary="s", attributions=[
        _attribution("The mayor", "said", "the bridge would reopen in May"),
        _attribution("CRITICS", "said", 'the plan was "reckless"'),
        _attribution(None, "said", "the bridge wuld reopen in May"),
    ])
    ground(answer, ArticleIndex(ARTICLE))
    exact, normalized, fuzzy = answer.attributions
    assert exact.matches == {name: SpanMatch(how="exact") for name in ("source", "cue", "content")}
    assert normalized.matches["source"].how == "normalized" and normalized.source == "Critics"
    assert normalized.matches["content"].how == "normalized"
    assert fuzzy.matches["content"].how == "fuzzy" and 90 <= fuzzy.matches["content"].score < 100
    assert "source" not in fuzzy.matches  # no source, nothing to record


def test_a_user_schema_keeps_the_record_when_it_asks_for_it() -> None:
    class Quote(BaseModel):
        words: Annotated[str, Grounded()]
        matches: dict[str, SpanMatch] = match_field()

    class Plain(BaseModel):
        words: Annotated[str, Grounded()]

    quote, plain = Quote(words="THE MAYOR SAID"), Plain(words="The mayor said")
    ground(quote, ArticleIndex(ARTICLE))
    ground(plain, ArticleIndex(ARTICLE))
    assert quote.matches == {"words": SpanMatch(how="normalized")} and plain.words == "The mayor said"


def test_degenerate_items_and_what_is_not() -> None:
    junk = "the Israeli Prime Minister\u2019s"
    assert degenerate_reason(_attribution(junk, junk, junk)) == "its source, cue and content are the same words"
    assert degenerate_reason(_attribution("Netanyahu", "the Israeli Prime Minister", "peace")) == (
        "its cue is a name, not reporting words")
    assert degenerate_reason(_attribution("The mayor", "said", "The mayor")) == "its content is only its source"
    claim = Claim(statement="x", evidence="\u201cthe Israeli Prime Minister\u201d",
                  attributed_to="The Israeli Prime Minister, ")
    assert degenerate_reason(claim) == "its evidence is only its own source (attributed_to)"
    # A title-case headline's verbs and ordinary items stay.
    assert degenerate_reason(_attribution("Hillary Clinton", "Sides With", "George W. Bush")) is None
    assert degenerate_reason(_attribution("The mayor", "said", "the bridge would reopen")) is None
    assert degenerate_reason(Claim(statement="x", evidence="the bridge would reopen",
                                   attributed_to="The mayor")) is None


def test_the_model_engine_marks_its_items_and_drops_degenerate_ones_with_why(httpserver: HTTPServer) -> None:
    junk = "the Israeli Prime Minister\u2019s"
    answer = summary(
        attribution("The mayor", "said", "the bridge would reopen in May"),
        attribution(junk, junk, junk),
        claims=[{"statement": "x", "evidence": "The Israeli Prime Minister",
                 "attributed_to": "The Israeli Prime Minister"}],
    )
    script(httpserver, completion(answer))
    with Summarizer(base_url=base_url(httpserver), model="m", api_key=KEY, engine="model",
                    cache=False, max_retries=0) as summarizer:
        result = summarizer.run(ARTICLE)
    (kept,) = result.output.attributions
    assert kept.found_by == "model" and kept.matches["content"].how == "exact"
    assert result.output.claims == []
    assert {(d.path, d.reason) for d in result.dropped} == {
        ("attributions[1]", "its source, cue and content are the same words"),
        ("claims[0]", "its evidence is only its own source (attributed_to)"),
    }
    # The record carries both; the model was never asked for them.
    record = json.loads(json.dumps(result.to_dict()))
    assert record["output"]["attributions"][0]["matches"]["content"] == {"how": "exact", "score": 100.0}
    assert Result.from_dict(record, ArticleSummary).dropped == result.dropped
    (request,) = sent(httpserver)
    assert "matches" not in json.dumps(request) and "found_by" not in json.dumps(request)
    for page in (to_markdown(result), to_html([page_from_result(result, ARTICLE)])):
        assert "its source, cue and content are the same words" in page


def test_the_reports_show_how_each_value_was_found(httpserver: HTTPServer) -> None:
    answer = summary(attribution("THE MAYOR", "said", "the bridge wuld reopen in May"))
    script(httpserver, completion(answer))
    with Summarizer(base_url=base_url(httpserver), model="m", api_key=KEY, engine="model",
                    cache=False, max_retries=0) as summarizer:
        result = summarizer.run(ARTICLE)
    score = result.output.attributions[0].matches["content"].score
    note = f"content: fuzzy {score:g}; source: normalized"
    assert note in to_markdown(result)
    assert f'<td class="match">{note}</td>' in to_html([page_from_result(result, ARTICLE)])
