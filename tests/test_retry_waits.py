"""The waits between attempts are taken, and are the ones the server asked for: checked on the
clock and in what each failed attempt records."""

from __future__ import annotations

import time
from email.utils import formatdate
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

import sayso
from sayso import Summarizer

from .scripted import PATH, SHORT_ARTICLE, base_url

SLOW_DOWN = {"error": {"message": "slow down"}}


def _run(server: HTTPServer, **options: Any) -> sayso.Result[sayso.ArticleSummary]:
    return Summarizer(base_url=base_url(server), model="m", **options).run(SHORT_ARTICLE)


def _attempts_after_429s(server: HTTPServer, headers: dict[str, str]) -> list[sayso.Attempt]:
    server.expect_request(PATH).respond_with_json(SLOW_DOWN, status=429, headers=headers)
    with pytest.raises(sayso.ProviderError) as caught:
        _run(server, max_retries=1)
    return caught.value.attempts


def test_the_backoff_is_recorded_in_each_failed_attempt(httpserver: HTTPServer) -> None:
    started = time.monotonic()
    first, last = _attempts_after_429s(httpserver, {})
    assert 0.5 <= first.waited_s <= 1.0 and first.status == 429
    assert time.monotonic() - started >= first.waited_s
    assert last.waited_s == 0.0  # no wait after the last


def test_retry_after_ms_is_honoured(httpserver: HTTPServer) -> None:
    started = time.monotonic()
    first, _ = _attempts_after_429s(httpserver, {"retry-after-ms": "700"})
    assert first.waited_s == pytest.approx(0.7)
    assert time.monotonic() - started >= 0.7


def test_retry_after_as_an_http_date_is_honoured(httpserver: HTTPServer) -> None:
    when = formatdate(time.time() + 3, usegmt=True)  # whole seconds: 2 to 3 s from now
    started = time.monotonic()
    first, _ = _attempts_after_429s(httpserver, {"Retry-After": when})
    assert 1.0 <= first.waited_s <= 3.0
    assert time.monotonic() - started >= first.waited_s
