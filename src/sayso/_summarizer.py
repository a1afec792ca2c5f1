"""`Summarizer` turns one article into a grounded summary; `summarize()` is the one-call form."""

from __future__ import annotations

import dataclasses
import functools
import os
import threading
import time
import unicodedata
from types import TracebackType
from typing import Any, Generic, overload

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from pydantic import BaseModel
from typing_extensions import Self, TypeVar

from ._cache import ResultCache
from ._errors import (
    Attempt,
    InputError,
    OutputError,
    SaysoError,
    TruncatedOutputError,
    redact,
)
from ._options import Endpoint, ModeName, Options, resolve_endpoint
from ._result import GroundingStats, Result
from .backends._local import LocalModel
from .backends._retry import EmptyAnswer, RetryPolicy, call_with_retries
from .extract._prompts import load_prompts
from .extract._request import Run, as_schema, current_run, request_model
from .schema import ArticleSummary, model_facing_schema
from .text import ArticleIndex

__all__ = ["Summarizer", "check_text", "summarize"]

# Without a schema, a Summarizer is a Summarizer[ArticleSummary].
T = TypeVar("T", bound=BaseModel, default=ArticleSummary)


def check_text(text: object, *, max_chars: int) -> str:
    """The article, if it can be summarized; otherwise an `InputError` saying why."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise InputError("the article is bytes; decode it to str first (e.g. data.decode('utf-8'))")
    if not isinstance(text, str):
        raise InputError(f"the article must be a str, not {type(text).__name__}")
    if not text.strip():
        raise InputError("the article is empty" if not text else "the article is only whitespace")
    control = sum(
        1 for ch in text if ch not in "\t\n\r\f\v" and unicodedata.category(ch) in ("Cc", "Cs")
    )
    if "\x00" in text or control > max(2, len(text) // 100):
        raise InputError(
            f"the article does not look like text: {control} control characters in {len(text)}"
        )
    if len(text) > max_chars:
        raise InputError(
            f"the article is {len(text):,} characters, over the limit of {max_chars:,} "
            "(max_input_chars); split it, or raise the limit if the model's context allows"
        )
    return text


class Summarizer(Generic[T]):
    """Summarizes articles with one endpoint and one schema.

    Options (each also has an environment variable or a default; see the README):

    - `model`: the model name (`SAYSO_MODEL`); for the embedded model, a GGUF path goes in
      `local_model` (`SAYSO_LOCAL_MODEL`) instead.
    - `base_url`: any OpenAI-compatible endpoint (`SAYSO_BASE_URL`, `OPENAI_BASE_URL`).
    - `api_key`: (`OPENAI_API_KEY`); optional for servers that need none.
    - `client`: an `openai.OpenAI` to use as it is configured (its own retries are turned off).
    - `schema`: the Pydantic model to fill in; `ArticleSummary` by default.
    - `mode`: how the schema is asked for: "tools" (default for OpenAI) or "json_schema" (default
      for other servers and the embedded model).
    - `timeout_s`: one request; `deadline_s`: the whole article, retries and re-asks included.
    - `max_reasks`: how often an invalid or ungrounded answer is sent back (default 1).
    - `max_retries`: how often a failed request (429, 5xx, timeout) is retried (default 4).
    - `cache`: keep results on disk and reuse them (`True`: under `SAYSO_CACHE_DIR` or the user
      cache folder; or a folder). Off by default in the library, on by default in the CLI.
    - `max_items`, `max_chars`: caps on each list and string the model may generate (none by
      default; 4 and 200 for the small embedded model, which otherwise loops).

    Use it as a context manager when it runs the embedded model, so the server stops afterwards.
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        client: openai.OpenAI | None = None,
        schema: type[T] | None = None,
        mode: ModeName | instructor.Mode | None = None,
        local_model: str | os.PathLike[str] | None = None,
        timeout_s: float = Options.timeout_s,
        deadline_s: float = Options.deadline_s,
        max_reasks: int = Options.max_reasks,
        max_retries: int = Options.max_retries,
        temperature: float = Options.temperature,
        max_tokens: int | None = Options.max_tokens,
        max_input_chars: int = Options.max_input_chars,
        max_items: int | None = Options.max_items,
        max_chars: int | None = Options.max_chars,
        cache: bool | str | os.PathLike[str] = Options.cache,
    ) -> None:
        self.options = Options(
            model=model,
            base_url=base_url,
            api_key=api_key,
            client=client,
            schema=schema or ArticleSummary,
            mode=mode,
            local_model=local_model,
            timeout_s=timeout_s,
            deadline_s=deadline_s,
            max_reasks=max_reasks,
            max_retries=max_retries,
            temperature=temperature,
            max_tokens=max_tokens,
            max_input_chars=max_input_chars,
            max_items=max_items,
            max_chars=max_chars,
            cache=cache,
        )
        self.configured: Endpoint = resolve_endpoint(self.options)
        self.endpoint = self.configured  # completed when the client is made (local URL, model)
        self.prompts = load_prompts()
        self._local: LocalModel | None = None
        self._client: openai.OpenAI | None = None
        self._lock = threading.Lock()
        self._cache: ResultCache | None = None
        if cache is not False:
            self._cache = ResultCache(None if cache is True else cache)

    def __repr__(self) -> str:
        e = self.endpoint
        return f"Summarizer(kind={e.kind!r}, model={e.model!r}, base_url={e.base_url!r}, mode={e.mode.value!r})"

    @property
    def schema(self) -> type[T]:
        return self.options.schema  # type: ignore[return-value]

    # -- lifecycle -----------------------------------------------------------------------------

    def _openai_client(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                self._client = self._make_client()
            return self._client

    def _make_client(self) -> openai.OpenAI:
        e, o = self.endpoint, self.options
        if o.client is not None:
            return o.client.with_options(max_retries=0)
        if e.kind == "local":
            self._local = LocalModel(e.local_model).start()
            self.endpoint = dataclasses.replace(
                e, model=self._local.model_name, base_url=self._local.base_url
            )
            return openai.OpenAI(base_url=self._local.base_url, api_key="no-key", max_retries=0)
        client = openai.OpenAI(
            base_url=e.base_url, api_key=e.api_key, max_retries=0, timeout=o.timeout_s
        )
        if not e.model:
            self.endpoint = dataclasses.replace(e, model=_served_model(client))
        return client

    def close(self) -> None:
        """Stop the embedded model, if this summarizer started one, and close the cache."""
        with self._lock:
            if self._cache is not None:
                self._cache.close()
            if self._local is not None:
                self._local.stop()
                self._local = None
            self._client = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- one article ---------------------------------------------------------------------------

    def run(self, text: str) -> Result[T]:
        """Summarize one article. Raises a `SaysoError` subclass on bad input, a failing
        endpoint, or answers that never validate."""
        started = time.monotonic()
        o = self.options
        article = check_text(text, max_chars=o.max_input_chars)
        key = None
        if self._cache is not None:
            key = ResultCache.key(article, self.identity)
            hit = self._cache.get(key)
            if hit is not None:
                return Result.from_dict(hit, self.schema, cached=True)
        result = self._run(article, started)
        if key is not None and self._cache is not None:
            self._cache.set(key, result.to_dict())
        return result

    @functools.cached_property
    def identity(self) -> dict[str, Any]:
        """Everything that shapes the answer, secrets excepted: with the article, the cache key.
        It is taken from the endpoint as configured, before a server is started or asked for its
        model, so that it is the same in every process."""
        e, o = self.configured, self.options
        return {
            "kind": e.kind,
            "base_url": None if e.kind == "local" else e.base_url,
            "model": e.model,
            "mode": e.mode.value,
            "prompts": self.prompts.version,
            "schema": f"{self.schema.__module__}.{self.schema.__qualname__}",
            "schema_shown": model_facing_schema(self.schema, max_items=e.max_items, max_chars=e.max_chars),
            "temperature": o.temperature,
            "max_tokens": o.max_tokens,
            "max_reasks": o.max_reasks,
        }

    def _run(self, article: str, started: float) -> Result[T]:
        o = self.options
        client = self._openai_client()
        e = self.endpoint
        run = Run(index=ArticleIndex(article), prompts=self.prompts, max_attempts=o.max_reasks + 1)
        deadline = started + o.deadline_s
        policy = RetryPolicy(max_retries=o.max_retries, secret=e.api_key)

        def one_attempt(**kwargs: Any) -> Any:
            run.attempts += 1

            def send(timeout: float) -> Any:
                response = client.chat.completions.create(**kwargs, timeout=timeout)
                if not getattr(response, "choices", None):
                    raise EmptyAnswer()
                return response

            response = call_with_retries(send, policy, deadline=deadline, timeout_s=o.timeout_s)
            run.usage.add(getattr(response, "usage", None))
            run.model = getattr(response, "model", None) or run.model
            return response

        create = instructor.patch(create=one_attempt, mode=e.mode)
        request: dict[str, Any] = {
            "model": e.model,
            "messages": [
                {"role": "system", "content": self.prompts.system},
                {"role": "user", "content": self.prompts.user_message(article)},
            ],
            "temperature": o.temperature,
        }
        if o.max_tokens is not None:
            request["max_tokens"] = o.max_tokens
        if self._local is not None:
            prompt = "\n".join(m["content"] for m in request["messages"])
            self._local.check_fits(prompt, o.max_tokens or 0)
        token = current_run.set(run)
        try:
            answer = create(
                response_model=request_model(self.schema, e.max_items, e.max_chars),
                max_retries=o.max_reasks,
                strict=False,
                **request,
            )
        except IncompleteOutputException as exc:
            raise TruncatedOutputError(
                f"the answer was cut off at the token limit (max_tokens={o.max_tokens}); "
                "raise max_tokens or use a model with a larger context"
            ) from exc
        except InstructorRetryException as exc:
            raise self._unwrap(exc, run) from None
        finally:
            current_run.reset(token)
        if run.stuck:
            names = ", ".join(f"{m.path}={m.text!r}" for m in run.stuck)
            raise OutputError(f"required values are not in the article after {run.attempts} attempt(s): {names}")
        first = run.first_pass
        return Result(
            output=as_schema(answer, self.schema),  # type: ignore[arg-type]
            usage=run.usage,
            attempts=run.attempts,
            dropped=run.dropped,
            model=run.model or e.model,
            elapsed_s=time.monotonic() - started,
            prompt_version=self.prompts.version,
            grounding=GroundingStats(first.found, first.total) if first else GroundingStats(),
        )

    def _unwrap(self, exc: InstructorRetryException, run: Run) -> SaysoError:
        cause = exc.__cause__
        while cause is not None and not isinstance(cause, SaysoError):
            cause = cause.__cause__
        if isinstance(cause, SaysoError):
            return cause
        secret = self.endpoint.api_key
        attempts = [
            Attempt(f.attempt_number, type(f.exception).__name__, _short(redact(str(f.exception), secret)))
            for f in exc.failed_attempts or []
        ]
        return OutputError(
            f"no valid answer after {run.attempts} attempt(s) "
            f"({self.options.max_reasks} re-ask(s) allowed)",
            attempts,
        )


def _served_model(client: openai.OpenAI) -> str:
    """The first model an OpenAI-compatible server lists, for when none was named; "default"
    for servers that list none (llama.cpp's server answers to any name)."""
    try:
        for model in client.with_options(timeout=10.0).models.list():
            return str(model.id)
    except openai.OpenAIError:
        pass
    return "default"


def _short(text: str, limit: int = 1000) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


@overload
def summarize(text: str, *, schema: None = None, **options: Any) -> ArticleSummary: ...
@overload
def summarize(text: str, *, schema: type[T], **options: Any) -> T: ...


def summarize(text: str, *, schema: type[BaseModel] | None = None, **options: Any) -> BaseModel:
    """Summarize one article and return the filled-in schema (`ArticleSummary` by default).

    Takes the same options as `Summarizer`. For many articles, or to see usage and what was
    dropped, use `Summarizer(...).run(text)`.
    """
    # Bad input fails before any set-up: no endpoint is resolved and no local model started.
    check_text(text, max_chars=options.get("max_input_chars", Options.max_input_chars))
    with Summarizer(schema=schema, **options) as summarizer:
        return summarizer.run(text).output

