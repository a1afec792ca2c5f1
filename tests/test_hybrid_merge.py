"""The engines directly: the hybrid merge of the model's attributions with the rules', which engine
each endpoint gets by default, and which schemas each engine can fill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from pytest_httpserver import HTTPServer

from sayso import (
    ArticleSummary,
    Attribution,
    ConfigurationError,
    Span,
    Summarizer,
    extract_attributions,
)
from sayso._engines import check_engine
from sayso.grounding import merge_attributions
from sayso.rules import load_lexicon

from .scripted import KEY, attribution, base_url, completion, script, summary

ARTICLE = "The council said the library would open on Monday. The weather stayed mild all week."
COUNCIL = attribution("The council", "said", "the library would open on Monday", statement="Model: a library opens.")
WEATHER = attribution(None, "stayed", "The weather stayed mild all week", statement="Model: mild weather.")


def _hybrid(server: HTTPServer, *attributions: dict[str, Any]) -> ArticleSummary:
    script(server, completion(summary(*attributions) | {"summary": "The council said the library would open soon."}))
    result = Summarizer(base_url=base_url(server), model="m", api_key=KEY, engine="hybrid").run(ARTICLE)
    assert result.engine == "hybrid"
    return result.output


def _content(a: Attribution) -> str:
    assert a.content_span is not None
    return ARTICLE[a.content_span.start : a.content_span.end]


def test_the_rules_find_the_council_and_not_the_weather() -> None:
    # What the tests below rely on, checked rather than assumed.
    found = extract_attributions(ARTICLE)
    assert [a.source for a in found] == ["The council"]
    assert "library" in found[0].content and "weather" not in found[0].content


def test_hybrid_marks_what_both_found_and_keeps_the_model_s_statement(httpserver: HTTPServer) -> None:
    output = _hybrid(httpserver, COUNCIL, WEATHER)
    by = {a.found_by: a for a in output.attributions}
    assert len(output.attributions) == 2 and set(by) == {"both", "model"}
    assert "library" in _content(by["both"]) and by["both"].statement == "Model: a library opens."
    assert _content(by["model"]) == "The weather stayed mild all week"
    assert by["model"].statement == "Model: mild weather."


def test_hybrid_adds_what_only_the_rules_found_and_loses_nothing_of_the_model(httpserver: HTTPServer) -> None:
    output = _hybrid(httpserver, WEATHER)
    assert sorted((a.found_by or "", a.source or "") for a in output.attributions) == [
        ("model", ""), ("rules", "The council")]
    assert any(a.statement == "Model: mild weather." for a in output.attributions)


LEXICON = load_lexicon()


def _made(content: tuple[int, int] | None, statement: str) -> Attribution:
    span = Span(start=content[0], end=content[1]) if content else None
    return Attribution(source=None, source_type="other", cue="said", content="x", statement=statement,
                       direct=False, content_span=span)


def test_the_merge_pairs_one_to_one_and_drops_no_item() -> None:
    rules = [_made((10, 40), "rules")]
    model = [_made((10, 40), "model a"), _made((12, 38), "model b"), _made(None, "model c")]
    merged = merge_attributions(model, rules, LEXICON)
    # One rules item pairs with one model item only; the other model items stay the model's.
    assert sorted(a.found_by or "" for a in merged) == ["both", "model", "model"]
    assert sorted(a.statement for a in merged) == ["model a", "model b", "model c"]


def test_the_merge_adds_a_rules_item_apart_from_the_model_and_not_one_that_meets_it() -> None:
    apart = merge_attributions([_made((0, 100), "model")], [_made((150, 240), "rules")], LEXICON)
    assert sorted(a.found_by or "" for a in apart) == ["model", "rules"]
    # Overlapping too little to pair, but meeting the model's content: seldom a missed item.
    meets = merge_attributions([_made((0, 100), "model")], [_made((90, 140), "rules")], LEXICON)
    assert [(a.found_by, a.statement) for a in meets] == [("model", "model")]


def test_the_merge_of_nothing_with_something_keeps_it_all() -> None:
    rules = [_made((0, 10), "r1"), _made((20, 30), "r2")]
    assert [a.found_by for a in merge_attributions([], rules, LEXICON)] == ["rules", "rules"]
    assert [a.found_by for a in merge_attributions(rules, [], LEXICON)] == ["model", "model"]


# -- defaults and schemas ---------------------------------------------------------------------------


def test_each_endpoint_gets_its_default_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import sayso.backends._endpoint as endpoint

    assert Summarizer(base_url="http://127.0.0.1:9/v1", model="m").engine == "model"
    assert Summarizer(api_key=KEY).engine == "model"
    assert Summarizer(base_url="http://127.0.0.1:9/v1", model="m", engine="hybrid").engine == "hybrid"
    # The embedded model (not started until a first request) adds the rules by default.
    monkeypatch.setattr(endpoint, "local_extra_installed", lambda: True)
    gguf = tmp_path / "small.gguf"
    gguf.write_bytes(b"GGUF")
    assert Summarizer(local_model=gguf).engine == "hybrid"
    assert Summarizer(local_model=gguf, engine="model").engine == "model"


class Headline(BaseModel):
    headline: str


@pytest.mark.parametrize(("engine", "schema", "refused"), [
    ("rules", ArticleSummary, False),
    ("rules", Headline, True),
    ("hybrid", Headline, False),
    ("model", Headline, False),
])
def test_the_rules_engine_fills_only_article_summary(engine: str, schema: type[BaseModel], refused: bool) -> None:
    if refused:
        with pytest.raises(ConfigurationError, match="Headline"):
            check_engine(engine, schema)
        with pytest.raises(ConfigurationError, match="rules engine"):
            Summarizer(engine=engine, schema=schema)  # type: ignore[arg-type]
    else:
        check_engine(engine, schema)
