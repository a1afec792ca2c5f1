"""The connection to an endpoint: the openai client (or the embedded model behind one), sending
one request with the retry policy, and asking a server which model it serves."""

from __future__ import annotations

import threading
from typing import Any

import openai

from .._errors import FileFormatError
from .._jsonread import parse_json
from .._options import Options
from ._endpoint import Endpoint
from ._local import TEMPLATE_TOKENS, LocalModel
from ._logs import quiet_library_logs
from ._retry import EmptyAnswer, RetryPolicy, call_with_retries

__all__ = ["REMOTE_CONTEXT_TOKENS", "Backend"]

# The context assumed of a remote model, whose own is not known: small enough for most served
# models, and a model lists fewer attributions the more text it reads at once.
REMOTE_CONTEXT_TOKENS = 32_768
_CHARS_PER_TOKEN = 4
_MIN_CHUNK_CHARS = 1_000


class Backend:
    """Sends chat requests to one endpoint. Starts the embedded model when that is the endpoint;
    `close()` stops it."""

    def __init__(self, endpoint: Endpoint, options: Options) -> None:
        quiet_library_logs()
        self.options = options
        self.local: LocalModel | None = None
        self._lock = threading.Lock()
        self.client, self.endpoint = self._connect(endpoint)
        self.policy = RetryPolicy(max_retries=options.max_retries, secret=endpoint.api_key)

    def _connect(self, e: Endpoint) -> tuple[openai.OpenAI, Endpoint]:
        o = self.options
        if o.client is not None:
            return o.client.with_options(max_retries=0), e
        if e.kind == "local":
            self.local = LocalModel(e.local_model).start()
            client = openai.OpenAI(base_url=self.local.base_url, api_key="no-key", max_retries=0)
            return client, _replace(e, model=self.local.model_name, base_url=self.local.base_url)
        client = openai.OpenAI(
            base_url=e.base_url, api_key=e.api_key, max_retries=0, timeout=o.timeout_s
        )
        if not e.model:
            e = _replace(e, model=_served_model(client))
        return client, e

    def send(self, request: dict[str, Any], *, deadline: float) -> dict[str, Any]:
        """The JSON body of the answer to `request`, retried as the policy says until `deadline`
        (a `time.monotonic()` value). Raises `ProviderError` with every failed attempt."""
        create = self.client.chat.completions.with_raw_response.create

        def once(timeout: float) -> dict[str, Any]:
            raw = create(**request, timeout=timeout)
            try:
                body = parse_json(raw.text, "the endpoint's answer")
            except FileFormatError as exc:
                raise EmptyAnswer(str(exc)) from None
            if not isinstance(body, dict) or not body.get("choices"):
                raise EmptyAnswer()
            return body

        return call_with_retries(once, self.policy, deadline=deadline, timeout_s=self.options.timeout_s)

    def check_fits(self, request: dict[str, Any]) -> None:
        """On the embedded model, refuse before generating a prompt that leaves no room."""
        if self.local is None:
            return
        prompt = "\n".join(str(m.get("content") or "") for m in request["messages"])
        self.local.check_fits(prompt, self.options.max_tokens or 0)

    def chunk_chars(self, request: dict[str, Any], article: str) -> int:
        """The longest piece of `article` that one request takes, in characters, when
        `request` sends it whole: on the embedded model, counted with its tokenizer (the whole
        article when it fits); elsewhere, estimated at four characters a token in an assumed
        context of `REMOTE_CONTEXT_TOKENS`."""
        prompt = "\n".join(str(m.get("content") or "") for m in request["messages"])
        around = prompt.replace(article, "", 1)  # the prompt without the article
        answer = self.options.max_tokens or 0
        if self.local is None:
            room = REMOTE_CONTEXT_TOKENS - answer - len(around) // _CHARS_PER_TOKEN
            return max(_MIN_CHUNK_CHARS, room * _CHARS_PER_TOKEN)
        room = self.local.context - answer - TEMPLATE_TOKENS
        tokens = self.local.count_tokens(prompt)
        if tokens <= room:
            return len(article)
        around_tokens = self.local.count_tokens(around)
        chars_per_token = len(article) / max(1, tokens - around_tokens)
        # A tenth to spare: pieces of the article need not tokenize as densely as the whole.
        return max(_MIN_CHUNK_CHARS, int((room - around_tokens) * chars_per_token * 0.9))

    def close(self) -> None:
        with self._lock:
            if self.local is not None:
                self.local.stop()
                self.local = None


def _replace(e: Endpoint, **changes: Any) -> Endpoint:
    import dataclasses

    return dataclasses.replace(e, **changes)


def _served_model(client: openai.OpenAI) -> str:
    """The first model an OpenAI-compatible server lists, for when none was named; "default"
    for servers that list none (llama.cpp's server answers to any name)."""
    try:
        for model in client.with_options(timeout=10.0).models.list():
            return str(model.id)
    except openai.OpenAIError:
        pass
    return "default"


