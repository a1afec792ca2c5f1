"""Answers that a scripted OpenAI-style server (pytest-httpserver) gives, and what it was sent."""

from __future__ import annotations

import json
from typing import Any

from pytest_httpserver import HTTPServer

PATH = "/v1/chat/completions"
KEY = "sk-test-0123456789abcdefSECRET"


def completion(
    content: str | dict[str, Any] | None,
    *,
    finish_reason: str = "stop",
    prompt_tokens: int = 100,
    completion_tokens: int = 20,
    tool: bool = False,
) -> dict[str, Any]:
    """A chat completion whose message is `content` (a dict is sent as JSON)."""
    text = json.dumps(content) if isinstance(content, dict) else content
    message: dict[str, Any] = {"role": "assistant", "content": None if tool else text}
    if tool:
        message["tool_calls"] = [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "ArticleSummary", "arguments": text},
            }
        ]
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 0,
        "model": "scripted-model",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def summary(*attributions: dict[str, Any], claims: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "summary": "A scripted summary.",
        "key_points": ["One point."],
        "claims": claims or [],
        "attributions": list(attributions),
    }


def attribution(source: str | None, cue: str, content: str, **extra: Any) -> dict[str, Any]:
    return {
        "source": source,
        "source_type": "organization",
        "cue": cue,
        "content": content,
        "statement": f"{source} {cue} {content}",
        "direct": '"' in content or "\u201c" in content,
        **extra,
    }


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


def article_of(body: dict[str, Any]) -> str:
    """The article inside the user message sayso sent."""
    content = str(body["messages"][1]["content"])
    return content.split("<article>\n", 1)[1].rsplit("\n</article>", 1)[0]


def grounded_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A valid answer for whatever article was sent: one attribution made of its own words."""
    article = article_of(body)
    words = article.split()
    return completion(
        summary(
            attribution(None, words[0], " ".join(words[:6])),
        )
        | {"summary": f"About: {' '.join(words[:3])}"}
    )


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
