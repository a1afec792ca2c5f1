"""The one retry policy for the endpoint: what is retried, how long to wait, when to give up.

Rate limits (429), server errors (5xx), timeouts and connection errors are retried with
exponential backoff and jitter, honouring `Retry-After`, until `max_retries` or the deadline.
Anything else (a bad key, a bad request) fails at once. The openai client's own retries are
turned off (`max_retries=0`) so that this is the only policy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import openai
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from .._errors import Attempt, ProviderError, redact

__all__ = ["EmptyAnswer", "RetryPolicy", "call_with_retries"]

T = TypeVar("T")
_RETRYABLE_STATUS = {408, 409, 429} | set(range(500, 600))


class EmptyAnswer(Exception):
    """A 200 answer with nothing in it (no choices): a server glitch, retried like a 503."""

    def __init__(self, message: str = "the endpoint answered with no choices") -> None:
        super().__init__(message)


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, (openai.APIConnectionError, EmptyAnswer)):  # timeouts included
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code in _RETRYABLE_STATUS


def _retry_after_s(exc: BaseException | None) -> float | None:
    """The pause a 429 or 503 asks for, in seconds, if it says."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    value = exc.response.headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(float(value) / 1000, 0.0)
        except ValueError:
            pass
    value = exc.response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None


class RetryPolicy:
    def __init__(
        self,
        *,
        max_retries: int = 4,
        initial_wait_s: float = 0.5,
        max_wait_s: float = 30.0,
        secret: str | None = None,
    ) -> None:
        self.max_retries = max_retries
        self.max_wait_s = max_wait_s
        self._backoff = wait_exponential_jitter(
            multiplier=initial_wait_s, max=max_wait_s, jitter=initial_wait_s
        )
        self.secret = secret

    def wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = _retry_after_s(exc)
        if asked is not None:
            return min(asked, self.max_wait_s)
        return float(self._backoff(state))

    def record(self, exc: BaseException, number: int, waited_s: float = 0.0) -> Attempt:
        status = exc.status_code if isinstance(exc, openai.APIStatusError) else None
        message = str(exc) or type(exc).__name__
        return Attempt(number, type(exc).__name__, redact(message, self.secret)[:500], status, waited_s)


def call_with_retries(
    fn: Callable[[float], T], policy: RetryPolicy, *, deadline: float, timeout_s: float
) -> T:
    """Call `fn(timeout)` until it succeeds, retrying what `policy` retries before `deadline`
    (a `time.monotonic()` value). Raises `ProviderError` with every failed attempt."""
    attempts: list[Attempt] = []

    def stop(state: RetryCallState) -> bool:
        if stop_after_attempt(policy.max_retries + 1)(state):
            return True
        # Give up now rather than sleep past the deadline.
        return time.monotonic() + policy.wait(state) >= deadline

    def note(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if exc is not None and state.next_action is not None:
            attempts.append(policy.record(exc, state.attempt_number, state.next_action.sleep))

    def attempt() -> T:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _DeadlineReached()
        return fn(min(timeout_s, remaining))

    retrying = Retrying(
        retry=retry_if_exception(_retryable),
        wait=policy.wait,
        stop=stop,
        before_sleep=note,
        reraise=True,
    )
    try:
        return retrying(attempt)
    except _DeadlineReached:
        raise ProviderError("gave up: the deadline passed before the endpoint answered", attempts) from None
    except (openai.APIError, EmptyAnswer) as exc:
        attempts.append(policy.record(exc, len(attempts) + 1))
        if _retryable(exc):
            why = f"gave up after {len(attempts)} attempt(s)"
        else:
            why = "the endpoint refused the request"
        raise ProviderError(f"{why}: {attempts[-1].error}", attempts) from None


class _DeadlineReached(Exception):
    pass
