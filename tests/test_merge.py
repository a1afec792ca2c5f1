"""The hybrid engine's merge: the model's items and words stand, the rules add only likely items."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from sayso import Attribution, Span, Summarizer
from sayso.grounding import merge_attributions
from sayso.grounding._candidates import Candidate, Contents, frame_of, worth_adding
from sayso.grounding._merge import _meeting
from sayso.rules import load_lexicon

from .scripted import KEY, attribution, base_url, completion, script, sent, summary

ARTICLE = (
    "The mayor said on Monday that the bridge would reopen in May. "
    '"We are proud of the crews," Jane Roe, the city engineer, said. '
    "Critics argued that the repairs had cost far more than the council was ever told they would."
)


def _item(source: str | None, cue: str, content: str) -> Attribution:
    def span(text: str | None) -> Span | None:
        if text is None:
            return None
        at = ARTICLE.index(text)
        return Span(start=at, end=at + len(text))

    return Attribution(
        source=source, cue=cue, content=content, statement="x", direct='"' in content,
        source_span=span(source), cue_span=span(cue), content_span=span(content),
    )


def test_an_item_found_by_both_keeps_the_model_s_words_and_takes_only_a_missing_source() -> None:
    model = [_item(None, "said", "that the bridge would reopen in May")]
    rules = [_item("The mayor", "said", "that the bridge would reopen in May.")]
    (merged,) = merge_attributions(model, rules, load_lexicon())
    assert merged.found_by == "both"
    assert merged.content == "that the bridge would reopen in May"  # the model's edges stand
    assert merged.content_span == model[0].content_span
    assert merged.source == "The mayor" and merged.source_span == rules[0].source_span


def test_a_model_s_source_is_never_replaced() -> None:
    model = [_item("Jane Roe", "said", '"We are proud of the crews,"')]
    rules = [_item("the city engineer", "said", '"We are proud of the crews,"')]
    (merged,) = merge_attributions(model, rules, load_lexicon())
    assert merged.source == "Jane Roe" and merged.found_by == "both"


def test_two_model_items_over_one_rules_item_both_stay() -> None:
    model = [_item("Critics", "argued", "that the repairs had cost far more"),
             _item("Critics", "argued", "than the council was ever told they would")]
    rules = [_item("Critics", "argued", "that the repairs had cost far more than the council was ever told they would")]
    merged = merge_attributions(model, rules, load_lexicon())
    assert [a.content for a in merged] == [a.content for a in model]
    assert sorted(a.found_by or "" for a in merged) == ["both", "model"]


def test_what_the_rules_add_alone_and_what_they_do_not() -> None:
    model = [_item("The mayor", "said", "that the bridge would reopen in May")]
    quoted = _item("Jane Roe", "said", '"We are proud of the crews,"')
    covered = _item("The mayor", "said", "on Monday that")  # meets the model's, too little to pair
    merged = merge_attributions(model, [quoted, covered], load_lexicon())
    assert [(a.content, a.found_by) for a in merged] == [
        ("that the bridge would reopen in May", "model"), ('"We are proud of the crews,"', "rules")]


@pytest.mark.parametrize(("candidate", "added"), [
    (Candidate(frame="unknown", quoted=True, long=False, covered=False), True),
    (Candidate(frame="verb", quoted=True, long=True, covered=True), False),
    (Candidate(frame="punctuation", quoted=False, long=True, covered=False), False),
    (Candidate(frame="noun", quoted=False, long=False, covered=False), False),
    (Candidate(frame="noun", quoted=False, long=True, covered=False), True),
    (Candidate(frame="verb", quoted=False, long=False, covered=False), True),
])
def test_worth_adding(candidate: Candidate, added: bool) -> None:
    assert worth_adding(candidate) is added


def test_the_frame_of_a_cue_comes_from_the_rules_lexicon() -> None:
    lexicon = load_lexicon()
    assert frame_of("said", lexicon) == "verb"
    assert frame_of("According to", lexicon) == "according"
    assert frame_of(":", lexicon) == "punctuation"
    assert frame_of("zxqv", lexicon) == "unknown"


def _random_items(rng: random.Random, n: int) -> list[Attribution]:
    items = []
    for _ in range(n):
        start = rng.randrange(0, 200)
        end = start + rng.randrange(1, 40)
        items.append(Attribution(source=None, cue="c", content="x", statement="x", direct=False,
                                 content_span=Span(start=start, end=end)))
    return items


def test_the_sweeps_find_exactly_the_contents_that_meet() -> None:
    rng = random.Random(7)
    for _ in range(200):
        model, rules = _random_items(rng, rng.randrange(0, 12)), _random_items(rng, rng.randrange(0, 12))

        def meet(a: Attribution, b: Attribution) -> bool:
            x, y = a.content_span, b.content_span
            return x is not None and y is not None and x.start < y.end and y.start < x.end

        assert sorted(_meeting(model, rules)) == sorted(
            (i, j) for i, m in enumerate(model) for j, r in enumerate(rules) if meet(m, r))
        contents = Contents(model)
        for r in rules:
            assert contents.meet(r.content_span) == any(meet(m, r) for m in model)


def test_hybrid_on_a_scripted_model_keeps_its_items_and_marks_each(httpserver: HTTPServer) -> None:
    answer = summary(attribution(None, "said", "that the bridge would reopen in May"))
    script(httpserver, completion(answer))
    with Summarizer(base_url=base_url(httpserver), model="m", api_key=KEY, engine="hybrid",
                    cache=False, max_retries=0) as summarizer:
        result = summarizer.run(ARTICLE)
    by_content = {a.content: a for a in result.output.attributions}
    mayor = by_content["that the bridge would reopen in May"]
    assert mayor.found_by == "both" and mayor.source == "The mayor"
    assert by_content['"We are proud of the crews,"'].found_by == "rules"
    assert {a.found_by for a in result.output.attributions} <= {"both", "rules"}


def test_the_confirming_request_lists_the_rules_candidates_and_adds_only_those_confirmed(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    answer = summary(attribution("The mayor", "said", "that the bridge would reopen in May"))
    script(httpserver, completion(answer),
           completion({"numbers": [2, 9]}, prompt_tokens=30, completion_tokens=5))
    options: dict[str, Any] = dict(base_url=base_url(httpserver), model="m", api_key=KEY, engine="hybrid",
                                   confirm_rules=True, cache=tmp_path, max_retries=0)
    with Summarizer(**options) as summarizer:
        result = summarizer.run(ARTICLE)
    _, followup = sent(httpserver)
    asked = followup["messages"][1]["content"]
    assert ARTICLE not in json.dumps(followup) and "The mayor said on Monday" not in asked
    _, one, two, _ = asked.splitlines()  # between <candidates> and </candidates>
    assert one.startswith("1. Jane Roe") and one.endswith('| said | "We are proud of the crews,"')
    assert two.startswith("2. Critics | argued | that the repairs had cost")
    assert [(a.source, a.found_by) for a in result.output.attributions] == [("The mayor", "both"), ("Critics", "rules")]
    assert result.usage.total_tokens == 155 and result.usage.followup_tokens == 35
    assert result.usage.to_dict()["followup_tokens"] == 35
    # The confirmed candidates are kept with the model's answer: a cached read asks nothing.
    with Summarizer(**options) as summarizer:
        again = summarizer.run(ARTICLE)
    assert again.cached and again.output == result.output and len(sent(httpserver)) == 2


def test_without_candidates_no_confirming_request_is_sent(httpserver: HTTPServer) -> None:
    answer = summary(attribution(None, "said", "that the bridge would reopen in May"),
                     attribution("Jane Roe", "said", '"We are proud of the crews,"'),
                     attribution("Critics", "argued", "that the repairs had cost far more"))
    script(httpserver, completion(answer))
    with Summarizer(base_url=base_url(httpserver), model="m", api_key=KEY, engine="hybrid",
                    confirm_rules=True, cache=False, max_retries=0) as summarizer:
        result = summarizer.run(ARTICLE)
    assert len(sent(httpserver)) == 1 and result.usage.followup_tokens == 0
    assert len(result.output.attributions) == 3
