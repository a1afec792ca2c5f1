"""The project's own helpers around a pytest-httpserver server: the answers come from the public
`sayso.testing` (what users of the plugin get), the queueing and logging here work on the raw
server that most of these tests script request by request."""

from __future__ import annotations

import json
from typing import Any

from pytest_httpserver import HTTPServer

from sayso.testing import PATH, article_of, attribution, completion, grounded_answer, summary

__all__ = [
    "KEY",
    "PATH",
    "SHORT_ANSWER",
    "SHORT_ARTICLE",
    "Concurrency",
    "article_of",
    "attribution",
    "base_url",
    "completion",
    "echo_server",
    "grounded_answer",
    "script",
    "sent",
    "summary",
]

KEY = "sk-test-0123456789abcdefSECRET"


def script(server: HTTPServer, *answers: dict[str, Any] | tuple[int, Any, dict[str, str]]) -> None:
    """Queue answers in order: a completion dict, or (status, body, headers)."""
    for answer in answers:
        handler = server.expect_ordered_request(PATH, method="POST")
        if isinstance(answer, tuple):
            status, body, headers = answer
            text = body if isinstance(body, str) else json.dumps(body)
            handler.respond_with_data(text, status=status, headers=headers, content_type="application/json")
        else:
            handler.respond_with_json(answer)


def sent(server: HTTPServer) -> list[dict[str, Any]]:
    """The JSON bodies of the chat requests the server received, in order."""
    return [json.loads(request.get_data(as_text=True)) for request, _ in server.log if request.path == PATH]


def base_url(server: HTTPServer) -> str:
    return server.url_for("/v1")


class Concurrency:
    """How many requests the server was answering at once, at the most."""

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def __enter__(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc_info: object) -> None:
        with self._lock:
            self.now -= 1


def echo_server(server: HTTPServer, delay_s: float = 0.0) -> Concurrency:
    """Answer every request with `grounded_answer`, after `delay_s`, from any thread."""
    import time

    from werkzeug import Request, Response

    concurrency = Concurrency()

    def handler(request: Request) -> Response:
        with concurrency:
            if delay_s:
                time.sleep(delay_s)
            answer = grounded_answer(json.loads(request.get_data(as_text=True)))
        return Response(json.dumps(answer), content_type="application/json")

    server.expect_request(PATH, method="POST").respond_with_handler(handler)
    return concurrency


# A one-sentence article and a grounded answer for it, for tests about transport, not content.
SHORT_ARTICLE = "The mayor said the bridge would reopen in May."
SHORT_ANSWER = completion(summary(attribution("The mayor", "said", "the bridge would reopen in May")))
