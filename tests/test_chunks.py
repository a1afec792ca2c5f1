"""Long articles in chunks: cut at paragraphs and sentences, extracted at once, every span mapped
back to the whole article, twins in overlaps merged, the summary from one reduce request; and
extra passes."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sayso import ArticleSummary, Result, Summarizer
from sayso.extract import cut

from .longtext import long_article, reader_answer, sentence_of
from .scripted import KEY, PATH, Concurrency, base_url, completion

Answer = Callable[[dict[str, Any]], dict[str, Any]]


def serve(server: HTTPServer, answer: Answer, delay_s: float = 0.0) -> tuple[list[dict[str, Any]], Concurrency]:
    """Answer every request with `answer(body)`; returns the bodies received and the concurrency."""
    import time

    bodies: list[dict[str, Any]] = []
    lock = threading.Lock()
    concurrency = Concurrency()

    def handler(request: Request) -> Response:
        body = json.loads(request.get_data(as_text=True))
        with lock:
            bodies.append(body)
        with concurrency:
            time.sleep(delay_s)
            content = answer(body)
        return Response(json.dumps(completion(content)), content_type="application/json")

    server.expect_request(PATH, method="POST").respond_with_handler(handler)
    return bodies, concurrency


def run(server: HTTPServer, text: str, **options: Any) -> Result[ArticleSummary]:
    with Summarizer(base_url=base_url(server), model="m", api_key=KEY, **options) as summarizer:
        return summarizer.run(text)


def test_cuts_fall_at_paragraphs_or_sentences_and_overlap_a_little() -> None:
    text, _ = long_article(3_000)
    chunks = cut(text, 1_500)
    assert len(chunks) > 5
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for chunk in chunks:
        assert chunk.text == text[chunk.start : chunk.end] and len(chunk.text) <= 1_500
        # Every chunk but the last ends after a sentence (and the space after it).
        if chunk.end < len(text):
            assert text[: chunk.end].rstrip()[-1] == "."
    for before, after in itertools.pairwise(chunks):
        assert before.start < after.start <= before.end  # in order, nothing skipped
        assert before.end - after.start <= 1_500 // 5
    assert sum(1 for a, b in itertools.pairwise(chunks) if b.start < a.end) > len(chunks) // 2


def test_an_article_that_fits_is_one_chunk() -> None:
    assert [(c.start, c.end) for c in cut("One sentence. Two.", 100)] == [(0, 18)]


def test_a_long_article_in_chunks_finds_each_attribution_once_with_spans_into_the_whole(
    threaded_httpserver: HTTPServer,
) -> None:
    text, said = long_article(3_000)
    bodies, concurrency = serve(threaded_httpserver, lambda body: reader_answer(body, said), 0.05)
    result = run(threaded_httpserver, text, chunk_chars=1_500, chunk_jobs=3)
    chunks = cut(text, 1_500)
    assert result.chunks == len(chunks) and len(bodies) == len(chunks) + 1
    assert concurrency.peak == 3
    found = result.output.attributions
    # Every span slices back to its value, in the whole article.
    for a in found:
        for name in ("source", "cue", "content"):
            span = getattr(a, f"{name}_span")
            assert text[span.start : span.end] == getattr(a, name)
    # Nothing twice, nothing lost at the chunks' edges, and each where its sentence is.
    contents = [a.content for a in found]
    assert len(contents) == len(set(contents))
    assert sorted(contents) == sorted(s.content for s in said)
    for a in found:
        item = next(s for s in said if s.content == a.content)
        assert text.index(sentence_of(item)) == a.source_span.start  # type: ignore[union-attr]
    assert [a.content_span.start for a in found] == sorted(a.content_span.start for a in found)  # type: ignore[union-attr]
    # Usage and attempts add up over every request.
    assert result.attempts == len(bodies)
    assert result.usage.total_tokens == 120 * len(bodies)
    assert result.to_dict()["chunks"] == len(chunks)
    assert Result.from_dict(result.to_dict(), ArticleSummary).chunks == len(chunks)


def test_the_reduce_request_holds_every_partial_answer_and_writes_the_summary(
    threaded_httpserver: HTTPServer,
) -> None:
    text, said = long_article(1_200)
    bodies, _ = serve(threaded_httpserver, lambda body: reader_answer(body, said))
    result = run(threaded_httpserver, text, chunk_chars=2_000)
    reduce = [b for b in bodies if "<partials>" in b["messages"][-1]["content"]]
    assert len(reduce) == 1 and result.chunks > 1
    shown = reduce[0]["messages"][-1]["content"]
    partials = json.loads(shown.split("<partials>\n", 1)[1].rsplit("\n</partials>", 1)[0])
    assert [p["part"] for p in partials] == list(range(1, result.chunks + 1))
    # Each item as the model wrote it in its own words, without copied words or offsets.
    shown_items = [a for p in partials for a in p["attributions"]]
    assert all("statement" in a and "content" not in a and "content_span" not in a for a in shown_items)
    assert [p["summary"] for p in partials] == ["A part."] * result.chunks
    assert sum(len(p["attributions"]) for p in partials) >= len(said)
    # The reduce request asks for the summary and key points only; the article is not in it.
    schema = json.dumps(reduce[0]["response_format"])
    assert "key_points" in schema and "attributions" not in schema
    assert sentence_of(said[0]) not in shown
    assert result.output.summary == f"Merged from {result.chunks} parts."
    assert result.output.key_points == ["One point."]


def test_an_article_that_fits_makes_one_request_and_no_reduce(httpserver: HTTPServer) -> None:
    text, said = long_article(150)
    bodies, _ = serve(httpserver, lambda body: reader_answer(body, said))
    result = run(httpserver, text)
    assert result.chunks == 1 and len(bodies) == 1
    assert len(result.output.attributions) == len(said)


def test_passes_add_only_items_that_overlap_nothing_already_found(httpserver: HTTPServer) -> None:
    text, said = long_article(300)
    calls: list[int] = []

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        calls.append(1)
        full = reader_answer(body, said)
        if len(calls) == 1:  # the first pass misses every other attribution
            full["attributions"] = full["attributions"][::2]
        else:  # the second finds them all, and a shorter copy of the first one's content
            first = full["attributions"][0]
            full["attributions"].append(first | {"content": first["content"].rsplit(" ", 2)[0]})
        return full

    serve(httpserver, answer)
    result = run(httpserver, text, passes=2)
    assert len(calls) == 2 and result.attempts == 2
    contents = [a.content for a in result.output.attributions]
    assert sorted(contents) == sorted(s.content for s in said)


def test_a_custom_schema_merges_its_lists_and_takes_the_rest_from_the_reduce_step(
    threaded_httpserver: HTTPServer,
) -> None:
    from typing import Annotated

    from pydantic import BaseModel, Field

    from sayso.schema import Grounded, span_field

    class Quote(BaseModel):
        text: Annotated[str, Grounded()]
        text_span: Any = span_field()

    class Quotes(BaseModel):
        """Quotes."""

        headline: str = Field(description="A headline for the whole article.")
        quotes: list[Quote] = Field(default_factory=list)

    text, said = long_article(1_000)

    def answer(body: dict[str, Any]) -> dict[str, Any]:
        user = body["messages"][-1]["content"]
        if "<partials>" in user:
            return {"headline": "Whole"}
        return {"headline": "Part", "quotes": [
            {"text": s.content} for s in said if sentence_of(s) in user]}

    serve(threaded_httpserver, answer)
    with Summarizer(base_url=base_url(threaded_httpserver), model="m", api_key=KEY, schema=Quotes,
                    chunk_chars=1_500) as summarizer:
        result = summarizer.run(text)
    assert result.chunks > 1 and result.output.headline == "Whole"
    assert sorted(q.text for q in result.output.quotes) == sorted(s.content for s in said)
    assert all(text[q.text_span.start : q.text_span.end] == q.text for q in result.output.quotes)


@pytest.mark.parametrize("words", [2_000])
def test_without_chunk_chars_a_remote_model_takes_what_its_assumed_context_allows(
    httpserver: HTTPServer, words: int
) -> None:
    text, said = long_article(words)
    bodies, _ = serve(httpserver, lambda body: reader_answer(body, said))
    assert run(httpserver, text).chunks == 1 and len(bodies) == 1
    huge = (text + "\n\n") * 14  # about 170,000 characters: past 32,768 tokens at four a token
    bodies.clear()
    result = run(httpserver, huge, cache=False)
    assert result.chunks > 1




class _Tokenizer:
    """An embedded model's stand-in: three characters a token, the default context."""

    context = 16_384

    def count_tokens(self, text: str) -> int:
        return len(text) // 3


def test_the_embedded_model_cuts_what_its_context_cannot_take_instead_of_refusing() -> None:
    from sayso._options import Options
    from sayso.backends._client import Backend
    from sayso.extract import RequestSpec, build_request, load_prompts

    backend = object.__new__(Backend)  # no server: only the tokenizer is asked
    backend.options, backend.local = Options(), _Tokenizer()  # type: ignore[assignment]
    spec = RequestSpec(model="m", mode="json_schema", schema=ArticleSummary, prompts=load_prompts())
    short, _ = long_article(1_000)
    assert backend.chunk_chars(build_request(short, spec), short) == len(short)
    text, _ = long_article(10_000)  # about 59,000 characters: some 20,000 tokens
    budget = backend.chunk_chars(build_request(text, spec), text)
    assert budget < len(text)
    # Each piece, with the prompt around it, leaves room for the answer.
    for chunk in cut(text, budget):
        prompt = "\n".join(m["content"] for m in build_request(chunk.text, spec)["messages"])
        assert _Tokenizer().count_tokens(prompt) <= 16_384 - 4_096 - 64
    # A remote model's budget is estimated at four characters a token.
    backend.local = None
    assert 100_000 < backend.chunk_chars(build_request(text, spec), text) < 4 * 32_768


def test_the_command_line_takes_chunk_chars_and_passes(
    threaded_httpserver: HTTPServer, tmp_path: Any
) -> None:
    from typer.testing import CliRunner

    from sayso.cli import app

    text, said = long_article(800)
    bodies, _ = serve(threaded_httpserver, lambda body: reader_answer(body, said))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    shown = CliRunner().invoke(app, [
        "summarize", str(path), "--format", "jsonl", "--no-cache", "--model", "m",
        "--base-url", base_url(threaded_httpserver), "--chunk-chars", "1500", "--passes", "2",
    ], env={"OPENAI_API_KEY": KEY})
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.output.strip().splitlines()[-1])
    chunks = len(cut(text, 1_500))
    assert record["run"]["chunks"] == chunks > 1
    assert len(bodies) == 2 * chunks + 1  # two passes over every chunk, one reduce request
    assert len(record["output"]["attributions"]) == len(said)
