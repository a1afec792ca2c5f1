"""A scripted OpenAI-compatible endpoint, for unit tests of code that calls sayso.

`ScriptedEndpoint` is a real HTTP server on 127.0.0.1 that answers `/v1/chat/completions` as the
test programs it, and keeps the JSON body of every request it was sent. The helpers build the
answers: `completion` (a whole chat completion), `summary` and `attribution` (what the model
says), `grounded_answer` (a valid answer for whatever article was sent), and the faults a
provider shows (`rate_limited`, `unavailable`, `Stall`). The pytest plugin hands a test one
endpoint as the `sayso_endpoint` fixture. Needs the `testing` extra (pytest-httpserver).

>>> endpoint.queue(summary(attribution("The mayor", "said", "words she never said")))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

from typing_extensions import Self

from ._errors import ConfigurationError

if TYPE_CHECKING:
    from werkzeug import Request, Response

    from ._summarizer import Summarizer
    from .schema import ArticleSummary

__all__ = [
    "MODEL",
    "PATH",
    "Answer",
    "Failure",
    "ScriptedEndpoint",
    "Stall",
    "article_of",
    "attribution",
    "completion",
    "grounded_answer",
    "rate_limited",
    "summary",
    "unavailable",
]

PATH = "/v1/chat/completions"
MODEL = "scripted-model"
_KEY = "scripted-no-key"  # the openai client refuses to start without one


def completion(
    content: str | dict[str, Any] | None,
    *,
    finish_reason: str = "stop",
    prompt_tokens: int = 100,
    completion_tokens: int = 20,
    tool: bool = False,
    tool_name: str = "ArticleSummary",
) -> dict[str, Any]:
    """A chat completion whose message is `content` (a dict is sent as JSON); with `tool`, as
    the arguments of a call to the tool `tool_name` (how the tools mode answers)."""
    text = json.dumps(content) if isinstance(content, dict) else content
    message: dict[str, Any] = {"role": "assistant", "content": None if tool else text}
    if tool:
        message["tool_calls"] = [
            {"id": "call_1", "type": "function", "function": {"name": tool_name, "arguments": text}}
        ]
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 0,
        "model": MODEL,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def summary(*attributions: dict[str, Any], claims: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """What the model says for `ArticleSummary`: these attributions and claims."""
    return {
        "summary": "A scripted summary.",
        "key_points": ["One point."],
        "claims": claims or [],
        "attributions": list(attributions),
    }


def attribution(source: str | None, cue: str, content: str, **extra: Any) -> dict[str, Any]:
    """One attribution as the model gives it; `extra` sets or overrides any other field."""
    return {
        "source": source,
        "source_type": "organization",
        "cue": cue,
        "content": content,
        "statement": f"{source} {cue} {content}",
        "direct": '"' in content or "\u201c" in content,
        **extra,
    }


def article_of(body: dict[str, Any]) -> str:
    """The article (or the piece of it) inside the user message sayso sent; the whole message
    when it holds none (the request that joins the answers for a long article's pieces)."""
    content = str(body["messages"][1]["content"])
    if "<article>\n" not in content:
        return content
    return content.split("<article>\n", 1)[1].rsplit("\n</article>", 1)[0]


def grounded_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A valid answer for whatever article was sent: one attribution made of its own words."""
    words = article_of(body).split()
    return completion(
        summary(attribution(None, words[0], " ".join(words[:6])))
        | {"summary": f"About: {' '.join(words[:3])}"}
    )


@dataclass(frozen=True)
class Failure:
    """An HTTP error the endpoint answers with: `status`, an OpenAI-style error body, `headers`."""

    status: int
    message: str = "scripted failure"
    headers: Mapping[str, str] = field(default_factory=dict)


def rate_limited(retry_after_s: float = 1.0) -> Failure:
    """A 429 that says, in `Retry-After`, when to come back."""
    return Failure(429, "rate limited", {"Retry-After": f"{retry_after_s:g}"})


def unavailable() -> Failure:
    return Failure(503, "the server is overloaded")


@dataclass(frozen=True)
class Stall:
    """No answer for `seconds` (then a 504): longer than the client's timeout, a timeout."""

    seconds: float


# What a request can be answered with: the model's content (a dict such as `summary(...)`, sent
# as a completion in the mode the request asked for), a whole completion (a dict with
# "choices"), a fault, or a function of the request's body that returns one of these.
Answer = dict[str, Any] | Failure | Stall | Callable[[dict[str, Any]], Any]


class ScriptedEndpoint:
    """An OpenAI-compatible server on loopback that answers as the test programs it.

    For each chat request: the next `queue`d answer, else the answer of the first `per_article`
    text found in the article sent, else the `always` answer, else a 500 saying that nothing was
    scripted. `requests` holds the JSON body of every chat request, in order. `GET /v1/models`
    lists `MODEL`.
    """

    def __init__(self) -> None:
        try:
            from pytest_httpserver import HTTPServer
        except ImportError as exc:
            raise ConfigurationError(
                "the scripted endpoint needs pytest-httpserver: pip install 'sayso[testing]'"
            ) from exc
        self._lock = threading.Lock()
        self._queued: list[Answer] = []
        self._per_article: dict[str, Answer] = {}
        self._always: Answer | None = None
        self._requests: list[dict[str, Any]] = []
        # Threaded, so that a stalled request does not hold back the retry that follows it.
        self.server = HTTPServer(host="127.0.0.1", threaded=True)
        self.server.expect_request(PATH, method="POST").respond_with_handler(self._answer)
        self.server.expect_request("/v1/models", method="GET").respond_with_json(
            {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "sayso"}]}
        )
        self.server.start()

    @property
    def base_url(self) -> str:
        return self.server.url_for("/v1")

    def queue(self, *answers: Answer) -> Self:
        """Answer the next requests with these, in order."""
        with self._lock:
            self._queued.extend(answers)
        return self

    def per_article(self, answers: Mapping[str, Answer]) -> Self:
        """Answer a request whose article contains a key (a title, a sentence) with its value."""
        with self._lock:
            self._per_article.update(answers)
        return self

    def always(self, answer: Answer) -> Self:
        """Answer every request that nothing else answers with `answer`."""
        with self._lock:
            self._always = answer
        return self

    @property
    def requests(self) -> list[dict[str, Any]]:
        """The JSON bodies of the chat requests received so far, in order."""
        with self._lock:
            return list(self._requests)

    def summarizer(self, **options: Any) -> Summarizer[ArticleSummary]:
        """A `Summarizer` pointed at this endpoint, with no cache unless `options` ask for one."""
        from ._summarizer import Summarizer

        settings: dict[str, Any] = {"base_url": self.base_url, "model": MODEL, "api_key": _KEY, "cache": False}
        return Summarizer(**(settings | options))

    def _choose(self, body: dict[str, Any]) -> Answer | None:
        with self._lock:
            self._requests.append(body)
            if self._queued:
                return self._queued.pop(0)
            if self._per_article:
                article = article_of(body)
                for text, answer in self._per_article.items():
                    if text in article:
                        return answer
            return self._always

    def _answer(self, request: Request) -> Response:
        from werkzeug import Response

        body = json.loads(request.get_data(as_text=True))
        answer = self._choose(body)
        if callable(answer):
            answer = answer(body)
        if answer is None:
            answer = Failure(500, "the scripted endpoint has no answer for this request")
        if isinstance(answer, Stall):
            time.sleep(answer.seconds)
            answer = Failure(504, "the scripted endpoint stalled")
        if isinstance(answer, Failure):
            error = {"error": {"message": answer.message, "type": "scripted", "code": answer.status}}
            return Response(json.dumps(error), status=answer.status, headers=dict(answer.headers),
                            content_type="application/json")
        if "choices" not in answer:  # the model's content: as a tool call when tools were asked for
            tools = body.get("tools") or []
            name = tools[0]["function"]["name"] if tools else "ArticleSummary"
            answer = completion(answer, tool=bool(tools), tool_name=name)
        return Response(json.dumps(answer), content_type="application/json")

    def close(self) -> None:
        if self.server.is_running():
            self.server.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
