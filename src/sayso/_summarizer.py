"""`Summarizer` turns one article into a grounded summary; `summarize()` is the one-call form.

It resolves options once, keeps one connection (and the embedded model, when that is the
endpoint) for many articles, and runs the engine the options choose: the model, the rules, or
both merged. openai and Instructor are imported only when a first request is made.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, overload

from pydantic import BaseModel
from typing_extensions import Self, TypeVar

from . import _engines
from ._cache import ResultCache, cache_identity
from ._errors import ConfigurationError, redact_url
from ._options import EngineName, ModeName, Options
from ._result import GroundingStats, Result, Usage
from .backends import Endpoint, resolve_endpoint
from .extract import RequestSpec, build_request, extract, load_prompts
from .schema import ArticleSummary
from .text import check_text

if TYPE_CHECKING:
    import openai

    from .backends._batches import BatchApi
    from .backends._client import Backend

__all__ = ["Summarizer", "summarize"]

# Without a schema, a Summarizer is a Summarizer[ArticleSummary].
T = TypeVar("T", bound=BaseModel, default=ArticleSummary)


class Summarizer(Generic[T]):
    """Summarizes articles with one endpoint, one engine and one schema.

    Every option is described in `sayso._options.Options` (and the README's table); each also
    has an environment variable or a default. Use it as a context manager when it runs the
    embedded model, so that the server stops afterwards.
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        client: openai.OpenAI | None = None,
        schema: type[T] | None = None,
        mode: ModeName | None = None,
        engine: EngineName | None = None,
        local_model: str | os.PathLike[str] | None = None,
        timeout_s: float = Options.timeout_s,
        deadline_s: float = Options.deadline_s,
        max_reasks: int = Options.max_reasks,
        max_retries: int = Options.max_retries,
        temperature: float = Options.temperature,
        max_tokens: int | None = Options.max_tokens,
        max_input_chars: int = Options.max_input_chars,
        chunk_chars: int | None = Options.chunk_chars,
        chunk_jobs: int = Options.chunk_jobs,
        passes: int = Options.passes,
        max_items: int | None = Options.max_items,
        max_chars: int | None = Options.max_chars,
        cache: bool | str | os.PathLike[str] = Options.cache,
        confirm_rules: bool = Options.confirm_rules,
    ) -> None:
        self.options = Options(
            model=model, base_url=base_url, api_key=api_key, client=client,
            schema=schema or ArticleSummary, mode=mode, engine=engine, local_model=local_model,
            timeout_s=timeout_s, deadline_s=deadline_s, max_reasks=max_reasks,
            max_retries=max_retries, temperature=temperature, max_tokens=max_tokens,
            max_input_chars=max_input_chars, chunk_chars=chunk_chars, chunk_jobs=chunk_jobs,
            passes=passes, max_items=max_items, max_chars=max_chars, cache=cache,
            confirm_rules=confirm_rules,
        )
        self.configured: Endpoint = resolve_endpoint(self.options)
        _engines.check_engine(self.configured.engine, self.schema)
        self.endpoint = self.configured  # completed when connected (local URL, served model)
        self.prompts = load_prompts()
        self._backend: Backend | None = None
        self._lock = threading.Lock()
        self._cache: ResultCache | None = None
        self._identity: tuple[Endpoint, dict[str, Any]] | None = None
        if cache is not False:
            self._cache = ResultCache(None if cache is True else cache)

    def __repr__(self) -> str:
        e = self.endpoint
        return (f"Summarizer(kind={e.kind!r}, engine={e.engine!r}, model={e.model!r}, "
                f"base_url={redact_url(e.base_url)!r}, mode={e.mode!r})")

    @property
    def schema(self) -> type[T]:
        return self.options.schema  # type: ignore[return-value]

    @property
    def engine(self) -> EngineName:
        return self.endpoint.engine

    # -- lifecycle -----------------------------------------------------------------------------

    def _connected(self) -> Backend:
        with self._lock:
            if self._backend is None:
                from .backends._client import Backend

                self._backend = Backend(self.configured, self.options)
                self.endpoint = self._backend.endpoint
            return self._backend

    def close(self) -> None:
        """Stop the embedded model, if this summarizer started one, and close the cache."""
        with self._lock:
            if self._cache is not None:
                self._cache.close()
            if self._backend is not None:
                self._backend.close()
                self._backend = None

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
        article = check_text(text, max_chars=self.options.max_input_chars)
        if self.engine == "rules":  # no request: nothing worth keeping in the cache
            return self._rules(article, started)
        key = self._key(article)
        hit = self._read(article, key)
        if hit is not None:
            return hit
        result = self._run(article, started)
        self._write(key, result)
        return self.finish(article, result)

    def cached(self, article: str) -> Result[T] | None:
        """The result cached for `article` with these options, if the cache is on and has one
        (finished: on the hybrid engine, with the rules merged in as they are now)."""
        return self._read(article, self._key(article))

    def remember(self, article: str, result: Result[Any]) -> None:
        """Keep the model's `result` for `article` in the cache, if it is on (a batch's too).
        What costs a request is kept; the rules are merged in again on every read."""
        self._write(self._key(article), result)

    def _key(self, article: str) -> str | None:
        if self._cache is None or self.engine == "rules":
            return None
        return ResultCache.key(article, self.identity)

    def _read(self, article: str, key: str | None) -> Result[T] | None:
        hit = self._cache.get(key) if self._cache is not None and key is not None else None
        if hit is None:
            return None
        return self.finish(article, Result.from_dict(hit, self.schema, cached=True))

    def _write(self, key: str | None, result: Result[Any]) -> None:
        if self._cache is not None and key is not None:
            self._cache.set(key, result.to_dict())

    def finish(self, article: str, result: Result[Any]) -> Result[T]:
        """The model's `result` as this engine returns it (see `_engines.finish_output`)."""
        output, dropped = _engines.finish_output(self.engine, result.output, article, result.confirmed)
        return dataclasses.replace(result, output=output, dropped=[*result.dropped, *dropped],
                                   engine=self.engine)

    @property
    def identity(self) -> dict[str, Any]:
        """Everything that shapes the answer, secrets excepted: with the article, the cache key.
        A server asked for its model is asked before the first look-up, so that the key holds
        the model it serves."""
        if self.configured.kind == "compatible" and not self.configured.model:
            self._connected()
        endpoint = self.endpoint  # it changes only when connecting; the identity follows it
        if self._identity is None or self._identity[0] is not endpoint:
            self._identity = (endpoint, cache_identity(self.options, endpoint, self.prompts.version))
        return self._identity[1]

    def request_spec(self) -> RequestSpec:
        """What shapes a request besides the article (the model's name once it is known)."""
        e, o = self.endpoint, self.options
        return RequestSpec(
            model=e.model, mode=e.mode, schema=self.schema, prompts=self.prompts,
            temperature=o.temperature, max_tokens=o.max_tokens, max_items=e.max_items,
            max_chars=e.max_chars, max_reasks=o.max_reasks,
        )

    def chunk_budget(self, article: str) -> int:
        """The longest piece of `article` one request takes, in characters (`chunk_chars`, else
        from the model's context: see `Backend.chunk_chars`)."""
        if self.options.chunk_chars:
            return self.options.chunk_chars
        return self._connected().chunk_chars(build_request(article, self.request_spec()), article)

    def batch_api(self) -> BatchApi:
        """The provider's Batch API on this summarizer's endpoint (see `sayso.batch`)."""
        if self.configured.kind == "local":
            raise ConfigurationError(
                "the embedded model has no Batch API: summarize online, or write the request "
                "lines with `sayso batch write` for a runner such as `vllm run-batch`"
            )
        from .backends._batches import BatchApi

        backend = self._connected()
        return BatchApi(backend.client, max_retries=self.options.max_retries,
                        secret=self.configured.api_key)

    def _rules(self, article: str, started: float) -> Result[T]:
        output = _engines.rules_summary(article, self.schema)
        return Result(output=output, usage=Usage(), attempts=0, model="rules",  # type: ignore[arg-type]
                      elapsed_s=time.monotonic() - started, engine="rules")

    def _run(self, article: str, started: float) -> Result[T]:
        """The model's answer, grounded (the rules are merged in by `finish`)."""
        backend = self._connected()
        deadline = started + self.options.deadline_s
        spec = self.request_spec()
        run = extract(
            article, spec, lambda request: backend.send(request, deadline=deadline),
            chunk_chars=self.chunk_budget(article),
            passes=self.options.passes, jobs=self.options.chunk_jobs, before_first=backend.check_fits,
        )
        usage = Usage()
        for each in run.usage:
            usage.add(each)
        output = run.output
        confirmed = None
        if self.engine == "hybrid" and self.options.confirm_rules:
            from ._confirm import confirm

            confirmed, followup = confirm(output, article, spec,
                                          lambda request: backend.send(request, deadline=deadline))
            usage.add_followup(followup)
        return Result(
            output=output,  # type: ignore[arg-type]
            usage=usage,
            attempts=run.attempts,
            dropped=run.dropped,
            model=run.model or self.endpoint.model,
            elapsed_s=time.monotonic() - started,
            prompt_version=self.prompts.version,
            grounding=GroundingStats(*run.grounded),
            engine="model",
            chunks=run.chunks,
            confirmed=confirmed,
        )


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
