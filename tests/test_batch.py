"""Batches and the result cache, from Python."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from pytest_httpserver import HTTPServer

from sayso import Article, Summarizer, asummarize_many, summarize_many

from .scripted import KEY, base_url, echo_server

TEXTS = [f"The council said item {i} would be decided on Friday." for i in range(6)]


def test_summarize_many_ends_every_input_once_and_bounds_concurrency(
    threaded_httpserver: HTTPServer,
) -> None:
    concurrency = echo_server(threaded_httpserver, delay_s=0.1)
    articles = [Article(f"a{i}", text=t) for i, t in enumerate(TEXTS)] + [Article("empty", text="")]
    items = list(
        summarize_many(articles, jobs=3, base_url=base_url(threaded_httpserver), model="m")
    )
    assert sorted(i.input for i in items) == sorted(a.id for a in articles)
    failed = [i for i in items if not i.ok]
    assert [i.input for i in failed] == ["empty"]
    assert failed[0].to_record() == {
        "input": "empty",
        "sha256": hashlib.sha256(b"").hexdigest(),
        "error": {"type": "InputError", "message": "the article is empty"},
    }
    assert concurrency.peak == 3
    assert len(threaded_httpserver.log) == 6


def test_plain_strings_are_numbered_inputs(httpserver: HTTPServer) -> None:
    echo_server(httpserver)
    items = list(summarize_many(TEXTS[:2], jobs=1, base_url=base_url(httpserver), model="m"))
    assert sorted(i.input for i in items) == ["#1", "#2"]


def test_asummarize_many_for_asyncio_code(threaded_httpserver: HTTPServer) -> None:
    concurrency = echo_server(threaded_httpserver, delay_s=0.1)

    async def collect() -> list[str]:
        found = []
        async for item in asummarize_many(
            TEXTS, jobs=2, base_url=base_url(threaded_httpserver), model="m"
        ):
            assert item.ok
            found.append(item.input)
        return found

    assert sorted(asyncio.run(collect())) == sorted(f"#{i}" for i in range(1, 7))
    assert concurrency.peak == 2


def test_a_cached_result_costs_no_request_and_says_so(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    options = {"base_url": base_url(httpserver), "model": "m", "api_key": KEY, "cache": tmp_path}
    with Summarizer(**options) as s:  # type: ignore[arg-type]
        first = s.run(TEXTS[0])
    with Summarizer(**options) as s:  # type: ignore[arg-type]
        again = s.run(TEXTS[0])
    assert len(httpserver.log) == 1
    assert not first.cached and again.cached
    assert again.output == first.output
    assert again.usage == first.usage and again.attempts == first.attempts
    # The key is nowhere in the cache's files.
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes()


def test_another_model_or_article_misses_the_cache(httpserver: HTTPServer, tmp_path: Path) -> None:
    echo_server(httpserver)
    url = base_url(httpserver)
    with Summarizer(base_url=url, model="m", cache=tmp_path) as s:
        s.run(TEXTS[0])
        s.run(TEXTS[1])
    with Summarizer(base_url=url, model="other", cache=tmp_path) as s:
        s.run(TEXTS[0])
    with Summarizer(base_url=url, model="m", cache=tmp_path, max_reasks=3) as s:
        s.run(TEXTS[0])
    assert len(httpserver.log) == 4


def test_the_cache_is_off_by_default_in_the_library(httpserver: HTTPServer) -> None:
    echo_server(httpserver)
    with Summarizer(base_url=base_url(httpserver), model="m") as s:
        s.run(TEXTS[0])
        s.run(TEXTS[0])
    assert len(httpserver.log) == 2
