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
    """The JSON bodies of the requests the server received, in order."""
    return [json.loads(request.get_data(as_text=True)) for request, _ in server.log]


def base_url(server: HTTPServer) -> str:
    return server.url_for("/v1")
