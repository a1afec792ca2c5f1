"""What grounding removes is shown wherever a result is, and a re-ask stays bounded however
much was invented."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import BaseModel
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

import sayso
from sayso import Grounded
from sayso.cli import app
from sayso.extract import RequestSpec, build_request, load_prompts, read_answer
from sayso.schema import ArticleSummary
from sayso.text import ArticleIndex

from .scripted import SHORT_ARTICLE, attribution, base_url, completion, script, sent, summary

runner = CliRunner()
INVENTED = attribution("The governor", "insisted", "the moon is made of cheese")
REAL = attribution("The mayor", "said", "the bridge would reopen in May")


def _run_cli(server: HTTPServer, tmp_path: Path, fmt: str) -> str:
    path = tmp_path / "a.txt"
    path.write_text(SHORT_ARTICLE)
    # The first answer invents an item; so does the answer to the re-ask: then it is dropped.
    script(server, completion(summary(REAL, INVENTED)), completion(summary(REAL, INVENTED)))
    result = runner.invoke(app, [
        "summarize", str(path), "--base-url", base_url(server), "--model", "m", "--format", fmt,
        "--no-cache",
    ])
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_format_json_shows_what_was_dropped(httpserver: HTTPServer, tmp_path: Path) -> None:
    record = json.loads(_run_cli(httpserver, tmp_path, "json"))
    (dropped,) = record["run"]["dropped"]
    assert dropped["path"] == "attributions[1]"
    assert dropped["missing"]["content"] == "the moon is made of cheese"
    assert [a["source"] for a in record["output"]["attributions"]] == ["The mayor"]


def test_markdown_lists_what_was_dropped(httpserver: HTTPServer, tmp_path: Path) -> None:
    page = _run_cli(httpserver, tmp_path, "markdown")
    assert "Dropped: 1 item(s)" in page
    assert "attributions[1]" in page and "the moon is made of cheese" in page


def test_ten_thousand_invented_items_make_a_bounded_reask_that_counts_the_rest() -> None:
    spec = RequestSpec(model="m", mode="json_schema", schema=ArticleSummary, prompts=load_prompts())
    request = build_request(SHORT_ARTICLE, spec)
    invented = [attribution(None, f"cue{i}", f"invented words number {i}") for i in range(10_000)]
    body = completion(summary(*invented))
    answer = read_answer(body, request, ArticleIndex(SHORT_ARTICLE), spec, attempt=1)
    assert answer.reask is not None
    reask = answer.reask["messages"][-1]["content"]
    listed = [line for line in reask.splitlines() if line.startswith("- attributions[")]
    assert len(listed) == 50
    missing = len(answer.grounding.missing) if answer.grounding else 0
    assert missing >= 10_000
    assert f"- and {missing - 50} more values that are not in the article" in reask
    assert len(reask) < 50 * 400 + len(load_prompts().reask(["x"]))


class Headline(BaseModel):
    quote: Annotated[str, Grounded()]  # required, and in no list: it cannot be dropped


def test_a_required_value_never_found_in_the_article_is_an_output_error(httpserver: HTTPServer) -> None:
    invented = completion({"quote": "words nobody wrote"})
    script(httpserver, invented, invented)
    with pytest.raises(sayso.OutputError, match="required values are not in the article") as caught:
        sayso.Summarizer(base_url=base_url(httpserver), model="m", schema=Headline).run(SHORT_ARTICLE)
    assert "quote='words nobody wrote'" in str(caught.value)
    assert len(sent(httpserver)) == 2  # asked, re-asked once, then refused
