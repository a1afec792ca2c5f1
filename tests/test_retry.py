"""A failing endpoint: what is retried, how long sayso waits, and what the error carries."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import sayso
from sayso import Summarizer

from .scripted import (
    KEY,
    PATH,
    SHORT_ANSWER,
    SHORT_ARTICLE,
    base_url,
    script,
)

UNAVAILABLE: tuple[int, dict[str, Any], dict[str, str]] = (503, {"error": {"message": "overloaded"}}, {})


def summarizer(server: HTTPServer, **options: object) -> Summarizer[sayso.ArticleSummary]:
    return Summarizer(base_url=base_url(server), model="m", api_key=KEY, **options)  # type: ignore[arg-type]


def test_a_429_with_retry_after_then_a_503_then_an_answer(httpserver: HTTPServer) -> None:
    script(
        httpserver,
        (429, {"error": {"message": "slow down"}}, {"Retry-After": "1"}),
        UNAVAILABLE,
        SHORT_ANSWER,
    )
    started = time.monotonic()
    result = summarizer(httpserver).run(SHORT_ARTICLE)
    elapsed = time.monotonic() - started
    assert len(httpserver.log) == 3
    assert elapsed >= 1.0
    assert result.attempts == 1  # one answer from the model; the failed requests are not attempts
    assert result.output.attributions[0].source == "The mayor"


def test_a_server_that_only_answers_503_gives_a_provider_error_in_bounded_time(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request(PATH).respond_with_json({"error": {"message": "down"}}, status=503)
    started = time.monotonic()
    with pytest.raises(sayso.ProviderError) as caught:
        summarizer(httpserver, max_retries=2).run(SHORT_ARTICLE)
    assert time.monotonic() - started < 10
    assert len(httpserver.log) == 3
    error = caught.value
    assert [a.status for a in error.attempts] == [503, 503, 503]
    assert [a.number for a in error.attempts] == [1, 2, 3]
    assert all(a.waited_s > 0 for a in error.attempts[:2])
    assert "gave up after 3 attempt(s)" in str(error)
    assert KEY not in str(error) and KEY not in repr(error)


def test_the_deadline_bounds_retries_whatever_max_retries_says(httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_json({"error": {"message": "down"}}, status=503)
    started = time.monotonic()
    with pytest.raises(sayso.ProviderError):
        summarizer(httpserver, max_retries=50, deadline_s=2.0).run(SHORT_ARTICLE)
    assert time.monotonic() - started < 4
    assert 1 <= len(httpserver.log) < 10


def test_a_slow_answer_times_out_and_is_retried(threaded_httpserver: HTTPServer) -> None:
    arrived: list[str] = []  # which request reached the server, as it arrived

    def slow(request: Request) -> Response:
        arrived.append("slow")
        time.sleep(3)
        return Response(status=500)

    def quick(request: Request) -> Response:
        arrived.append("quick")
        return Response(json.dumps(SHORT_ANSWER), content_type="application/json")

    threaded_httpserver.expect_ordered_request(PATH).respond_with_handler(slow)
    threaded_httpserver.expect_ordered_request(PATH).respond_with_handler(quick)
    started = time.monotonic()
    result = summarizer(threaded_httpserver, timeout_s=0.5).run(SHORT_ARTICLE)
    elapsed = time.monotonic() - started
    # The first request was given up at its timeout, not waited for; the second answered.
    assert arrived == ["slow", "quick"]
    assert 0.5 <= elapsed < 2.5
    assert result.output.attributions[0].source == "The mayor"


def test_a_refused_request_is_not_retried_and_the_echoed_key_is_redacted(httpserver: HTTPServer) -> None:
    # Some providers echo the key they were given.
    body = {"error": {"message": f"Incorrect API key provided: {KEY}. Check your key."}}
    httpserver.expect_request(PATH).respond_with_json(body, status=401)
    with pytest.raises(sayso.ProviderError) as caught:
        summarizer(httpserver).run(SHORT_ARTICLE)
    assert len(httpserver.log) == 1
    assert caught.value.attempts[0].status == 401
    for text in (str(caught.value), repr(caught.value), repr(caught.value.attempts)):
        assert KEY not in text
        assert "sk-test" not in text
    assert "refused" in str(caught.value)


def test_the_summarizer_repr_shows_no_key(httpserver: HTTPServer) -> None:
    s = summarizer(httpserver)
    assert KEY not in repr(s) and KEY not in repr(s.endpoint) and KEY not in repr(s.options)
