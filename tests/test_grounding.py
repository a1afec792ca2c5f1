"""Grounding parsed answers: values replaced by article text, spans, drops, user schemas."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel

from sayso import ArticleSummary, Attribution, Grounded, Span, span_field
from sayso.grounding import drop, ground
from sayso.text import ArticleIndex

ARTICLE = (
    "The mayor said the bridge would reopen in May. Critics said the plan was \u201creckless\u201d. "
    "According to the city\u2019s engineers, the repairs will cost $4 million."
)


def attribution(source: str | None, cue: str, content: str) -> Attribution:
    return Attribution(
        source=source, cue=cue, content=content, statement="x", direct=False
    )


def test_grounded_values_become_article_text_with_spans() -> None:
    answer = ArticleSummary(
        summary="s",
        attributions=[attribution("Critics", "said", 'the plan was "reckless"')],
    )
    grounding = ground(answer, ArticleIndex(ARTICLE))
    assert grounding.found == 3 and not grounding.missing
    a = answer.attributions[0]
    assert a.content == "the plan was \u201creckless\u201d"  # the article's own quote marks
    for value, span in ((a.source, a.source_span), (a.cue, a.cue_span), (a.content, a.content_span)):
        assert span is not None and ARTICLE[span.start : span.end] == value
    # "said" occurs twice; the cue takes the one next to its content.
    assert a.cue_span == Span(start=ARTICLE.index("said the plan"), end=ARTICLE.index("said the plan") + 4)


def test_a_null_source_stays_null_and_an_empty_one_becomes_null() -> None:
    answer = ArticleSummary(
        summary="s",
        attributions=[
            attribution(None, "According to", "the repairs will cost $4 million"),
            attribution("", "said", "the bridge would reopen in May"),
        ],
    )
    grounding = ground(answer, ArticleIndex(ARTICLE))
    assert not grounding.missing
    assert [a.source for a in answer.attributions] == [None, None]
    assert [a.source_span for a in answer.attributions] == [None, None]


def test_missing_values_are_named_with_their_path() -> None:
    answer = ArticleSummary(
        summary="s",
        attributions=[
            attribution("The mayor", "said", "the bridge would reopen in May"),
            attribution("The governor", "said", "taxes will rise"),
        ],
    )
    grounding = ground(answer, ArticleIndex(ARTICLE))
    assert grounding.found == 4
    assert {(m.path, m.text) for m in grounding.missing} == {
        ("attributions[1].source", "The governor"),
        ("attributions[1].content", "taxes will rise"),
    }


def test_drop_removes_the_list_element_and_keeps_what_it_was() -> None:
    answer = ArticleSummary(
        summary="s",
        attributions=[
            attribution("The governor", "said", "taxes will rise"),
            attribution("The mayor", "said", "the bridge would reopen in May"),
        ],
    )
    grounding = ground(answer, ArticleIndex(ARTICLE))
    dropped, stuck = drop(grounding.missing)
    assert not stuck
    assert [a.source for a in answer.attributions] == ["The mayor"]
    assert len(dropped) == 1
    assert dropped[0].path == "attributions[0]"
    assert dropped[0].missing == {"source": "The governor", "content": "taxes will rise"}
    assert dropped[0].item["content"] == "taxes will rise"


class Quote(BaseModel):
    speaker: Annotated[str, Grounded()]
    words: Annotated[str, Grounded()]
    words_span: Span | None = span_field()
    note: str = ""


class MyReport(BaseModel):
    headline_quote: Annotated[str | None, Grounded()] = None
    headline_quote_span: Span | None = span_field()
    quotes: list[Quote] = []
    topic: str = ""


def test_user_schemas_mark_their_own_grounded_fields() -> None:
    report = MyReport(
        headline_quote="the repairs will cost $4 million",
        quotes=[
            Quote(speaker="Critics", words="reckless", note="keep me"),
            Quote(speaker="Nobody", words="words nobody wrote anywhere"),
        ],
        topic="bridge",
    )
    grounding = ground(report, ArticleIndex(ARTICLE))
    assert report.headline_quote_span is not None
    assert [m.path for m in grounding.missing] == ["quotes[1].words", "quotes[1].speaker"]
    assert report.quotes[0].words_span == Span(
        start=ARTICLE.index("reckless"), end=ARTICLE.index("reckless") + len("reckless")
    )
    assert report.quotes[0].note == "keep me" and report.topic == "bridge"  # untouched


def test_an_optional_value_outside_a_list_is_set_to_none_when_dropped() -> None:
    report = MyReport(headline_quote="a quote that is not there at all", quotes=[])
    grounding = ground(report, ArticleIndex(ARTICLE))
    dropped, stuck = drop(grounding.missing)
    assert not stuck
    assert report.headline_quote is None
    assert dropped[0].path == "headline_quote"


class Strict(BaseModel):
    quote: Annotated[str, Grounded()]


def test_a_required_value_outside_a_list_cannot_be_dropped() -> None:
    answer = Strict(quote="not in the article")
    grounding = ground(answer, ArticleIndex(ARTICLE))
    dropped, stuck = drop(grounding.missing)
    assert not dropped
    assert [m.path for m in stuck] == ["quote"]


REPEATS = (
    "Officials said the budget was balanced. The mayor denied it. "
    "Later, a reporter asked about it, and the treasurer confirmed it. "
    "Officials said the budget was balanced. Officials said the budget was balanced."
)


def test_a_repeated_string_goes_where_the_item_s_other_values_stand() -> None:
    # "it" stands four times; the one the treasurer confirmed is after "confirmed".
    answer = ArticleSummary(summary="s", attributions=[attribution("the treasurer", "confirmed", "it")])
    ground(answer, ArticleIndex(REPEATS))
    a = answer.attributions[0]
    assert a.content_span is not None and a.cue_span is not None and a.source_span is not None
    assert a.content_span.start == REPEATS.index("confirmed it") + len("confirmed ")
    # The mayor's "it" is the one after "denied", not the first in the article.
    answer = ArticleSummary(summary="s", attributions=[attribution("The mayor", "denied", "it")])
    ground(answer, ArticleIndex(REPEATS))
    span = answer.attributions[0].content_span
    assert span is not None and span.start == REPEATS.index("denied it") + len("denied ")


def test_successive_items_with_the_same_words_take_successive_occurrences() -> None:
    same = attribution("Officials", "said", "the budget was balanced")
    answer = ArticleSummary(summary="s", attributions=[same, same.model_copy(), same.model_copy()])
    ground(answer, ArticleIndex(REPEATS))
    starts = [a.content_span.start for a in answer.attributions if a.content_span]
    expected = [i for i in range(len(REPEATS)) if REPEATS.startswith("the budget was balanced", i)]
    assert starts == expected and len(expected) == 3
    # Each item's spans stay in one sentence.
    for a in answer.attributions:
        assert a.source_span is not None and a.content_span is not None
        assert "." not in REPEATS[a.source_span.start : a.content_span.end]
