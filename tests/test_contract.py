"""The public API against a scripted OpenAI-style server: what is sent, re-asks, and results."""

from __future__ import annotations

import json
from typing import Annotated

import pytest
from pydantic import BaseModel
from pytest_httpserver import HTTPServer

import sayso
from sayso import ArticleSummary, Grounded, Span, Summarizer, span_field, summarize

from .scripted import KEY, attribution, base_url, completion, script, sent, summary

ARTICLE = (
    "In the statement, the Israeli PMO maintained that the phone call was held at the Russian "
    "leader\u2019s request. Meanwhile, the Kremlin called the conversation \u201ca thorough "
    "exchange of views.\u201d\n"
)
PMO = attribution(
    "the Israeli PMO", "maintained", "that the phone call was held at the Russian leader's request"
)
KREMLIN = attribution(
    "the Kremlin", "called", 'the conversation "a thorough exchange of views."'
)
INVENTED = attribution("the White House", "said", "the call was a great success")


def summarizer(server: HTTPServer, **options: object) -> Summarizer[ArticleSummary]:
    return Summarizer(base_url=base_url(server), model="scripted-model", api_key=KEY, **options)  # type: ignore[arg-type]


def assert_spans_slice_the_article(result: ArticleSummary, article: str) -> None:
    for a in result.attributions:
        for value, span in ((a.source, a.source_span), (a.cue, a.cue_span), (a.content, a.content_span)):
            if value is None:
                assert span is None
            else:
                assert span is not None and article[span.start : span.end] == value
    for c in result.claims:
        assert c.evidence_span is not None
        assert article[c.evidence_span.start : c.evidence_span.end] == c.evidence


def test_the_seed_example_is_grounded_in_the_articles_own_words(httpserver: HTTPServer) -> None:
    script(httpserver, completion(summary(PMO, KREMLIN)))
    result = summarizer(httpserver).run(ARTICLE)

    pmo, kremlin = result.output.attributions
    assert (pmo.source, pmo.cue) == ("the Israeli PMO", "maintained")
    assert pmo.content == "that the phone call was held at the Russian leader\u2019s request"
    assert (kremlin.source, kremlin.cue) == ("the Kremlin", "called")
    assert kremlin.content == "the conversation \u201ca thorough exchange of views.\u201d"
    assert_spans_slice_the_article(result.output, ARTICLE)
    assert result.attempts == 1 and result.dropped == []
    assert result.usage.total_tokens == 120
    assert result.model == "scripted-model"
    assert result.grounding.found == 6 and result.grounding.total == 6
    assert len(result.prompt_version) == 12


def test_the_request_carries_the_article_byte_for_byte_and_the_schema(httpserver: HTTPServer) -> None:
    script(httpserver, completion(summary(PMO)))
    summarizer(httpserver).run(ARTICLE)
    (body,) = sent(httpserver)
    assert body["model"] == "scripted-model"
    assert body["temperature"] == 0.0
    system, user = body["messages"]
    assert system["role"] == "system" and "attribution" in system["content"]
    assert user["role"] == "user" and ARTICLE in user["content"]
    schema = body["response_format"]["json_schema"]["schema"]
    attribution_props = schema["$defs"]["Attribution"]["properties"]
    # Spans are filled by sayso and never asked of the model.
    assert "source_span" not in attribution_props and "Span" not in schema["$defs"]
    assert set(schema["$defs"]["Attribution"]["required"]) == {
        "source", "source_type", "cue", "content", "statement", "direct"
    }


@pytest.mark.parametrize(
    "marker", ["{{ user.name }}", "{% if x %}yes{% endif %}", "${HOME}", "%(name)s", "{article}", "{0}"]
)
def test_template_markers_in_the_article_arrive_unchanged(httpserver: HTTPServer, marker: str) -> None:
    article = f"  The mayor said: \u201cType {marker} to log in.\u201d\n\tMore text.  \n"
    quote = f"\u201cType {marker} to log in.\u201d"
    script(httpserver, completion(summary(attribution("The mayor", "said", quote))))
    result = summarizer(httpserver).run(article)
    (body,) = sent(httpserver)
    assert article in body["messages"][1]["content"]
    assert result.output.attributions[0].content == quote


def test_an_invented_attribution_is_re_asked_once_naming_the_missing_words(
    httpserver: HTTPServer,
) -> None:
    script(
        httpserver,
        completion(summary(PMO, INVENTED), prompt_tokens=300, completion_tokens=50),
        completion(summary(PMO, KREMLIN), prompt_tokens=400, completion_tokens=60),
    )
    result = summarizer(httpserver).run(ARTICLE)

    first, second = sent(httpserver)
    feedback = second["messages"][-1]["content"]
    assert second["messages"][-1]["role"] == "user"
    assert "the White House" in feedback and "the call was a great success" in feedback
    assert "attributions[1].source" in feedback
    assert second["messages"][: len(first["messages"])] == first["messages"]
    assert result.attempts == 2
    assert result.usage.prompt_tokens == 700
    assert result.usage.completion_tokens == 110
    assert result.usage.total_tokens == 810
    assert [a.source for a in result.output.attributions] == ["the Israeli PMO", "the Kremlin"]
    assert result.dropped == []
    # The first answer: the PMO attribution was found; source, cue ("said") and content of the
    # invented one were not.
    assert result.grounding.found == 3 and result.grounding.total == 6
    assert_spans_slice_the_article(result.output, ARTICLE)


def test_what_is_still_invented_after_the_re_ask_is_dropped_and_listed(httpserver: HTTPServer) -> None:
    script(httpserver, completion(summary(INVENTED, PMO)), completion(summary(PMO, INVENTED)))
    result = summarizer(httpserver).run(ARTICLE)
    assert len(httpserver.log) == 2 and result.attempts == 2
    assert [a.source for a in result.output.attributions] == ["the Israeli PMO"]
    (dropped,) = result.dropped
    assert dropped.path == "attributions[1]"
    assert dropped.missing == {
        "source": "the White House",
        "cue": "said",
        "content": "the call was a great success",
    }
    assert dropped.item["source"] == "the White House"


def test_max_reasks_zero_drops_without_asking_again(httpserver: HTTPServer) -> None:
    script(httpserver, completion(summary(PMO, INVENTED)))
    result = summarizer(httpserver, max_reasks=0).run(ARTICLE)
    assert len(httpserver.log) == 1 and result.attempts == 1
    assert len(result.output.attributions) == 1 and len(result.dropped) == 1


def test_an_answer_that_is_not_json_is_re_asked(httpserver: HTTPServer) -> None:
    script(httpserver, completion("Sure! Here is the summary you wanted."), completion(summary(PMO)))
    result = summarizer(httpserver).run(ARTICLE)
    assert result.attempts == 2
    assert len(sent(httpserver)) == 2
    assert result.output.attributions[0].source == "the Israeli PMO"


def test_answers_that_never_validate_give_an_output_error(httpserver: HTTPServer) -> None:
    script(httpserver, completion("not json"), completion('{"summary": 3}'))
    with pytest.raises(sayso.OutputError) as caught:
        summarizer(httpserver).run(ARTICLE)
    assert "2 attempt(s)" in str(caught.value)
    assert KEY not in str(caught.value)


def test_an_answer_cut_off_at_the_token_limit_is_reported(httpserver: HTTPServer) -> None:
    script(httpserver, completion('{"summary": "The PMO', finish_reason="length"))
    with pytest.raises(sayso.TruncatedOutputError, match="max_tokens"):
        summarizer(httpserver).run(ARTICLE)


def test_tools_mode_sends_a_tool_and_reads_the_tool_call(httpserver: HTTPServer) -> None:
    script(httpserver, completion(summary(KREMLIN), tool=True))
    result = summarizer(httpserver, mode="tools").run(ARTICLE)
    (body,) = sent(httpserver)
    assert body["tools"][0]["function"]["name"] == "ArticleSummary"
    assert body["tool_choice"] == {"type": "function", "function": {"name": "ArticleSummary"}}
    assert "response_format" not in body
    assert result.output.attributions[0].source == "the Kremlin"


def test_summarize_returns_the_summary_and_reads_the_environment_at_call_time(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    script(httpserver, completion(summary(PMO)))
    monkeypatch.setenv("SAYSO_BASE_URL", base_url(httpserver))
    monkeypatch.setenv("SAYSO_MODEL", "model-from-env")
    output = summarize(ARTICLE)
    assert isinstance(output, ArticleSummary)
    assert sent(httpserver)[0]["model"] == "model-from-env"


class Quote(BaseModel):
    """A quotation from the article."""

    speaker: Annotated[str, Grounded()]
    words: Annotated[str, Grounded()]
    words_span: Span | None = span_field()


class Quotes(BaseModel):
    topic: str
    quotes: list[Quote]


def test_a_users_own_schema_is_filled_and_its_marked_fields_grounded(httpserver: HTTPServer) -> None:
    answer = {
        "topic": "diplomacy",
        "quotes": [
            {"speaker": "the Kremlin", "words": '"a thorough exchange of views."'},
            {"speaker": "Mr. Nobody", "words": "words nobody said"},
        ],
    }
    fixed = {"topic": "diplomacy", "quotes": answer["quotes"][:1]}
    script(httpserver, completion(answer), completion(fixed))
    output = summarize(ARTICLE, schema=Quotes, base_url=base_url(httpserver), model="m")
    assert type(output) is Quotes
    (quote,) = output.quotes
    assert quote.words == "\u201ca thorough exchange of views.\u201d"
    assert quote.words_span is not None
    assert ARTICLE[quote.words_span.start : quote.words_span.end] == quote.words
    first, second = sent(httpserver)
    assert first["response_format"]["json_schema"]["name"] == "Quotes"
    assert "words_span" not in json.dumps(first["response_format"])
    assert "Mr. Nobody" in second["messages"][-1]["content"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "empty"),
        (" \n\t ", "whitespace"),
        (b"The mayor said yes.", "bytes"),
        (None, "str"),
        ("\x00\x01\x02binary\x03\x04", "text"),
    ],
)
def test_bad_input_fails_before_any_request(httpserver: HTTPServer, text: object, why: str) -> None:
    with pytest.raises(sayso.InputError, match=why):
        summarizer(httpserver).run(text)  # type: ignore[arg-type]
    with pytest.raises(sayso.InputError, match=why):
        summarize(text, base_url=base_url(httpserver), model="m")  # type: ignore[call-overload]
    assert httpserver.log == []


def test_input_over_the_limit_is_refused_with_the_limit(httpserver: HTTPServer) -> None:
    with pytest.raises(sayso.InputError, match="over the limit of 1,000"):
        summarizer(httpserver, max_input_chars=1000).run("The mayor said yes. " * 100)
    assert httpserver.log == []
