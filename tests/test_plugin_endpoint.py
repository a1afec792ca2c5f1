"""The scripted endpoint the plugin hands a test (`sayso_endpoint`): answers as programmed, in
either request mode, with the faults a provider shows, and keeps what it was sent."""

from __future__ import annotations

import time

import pytest

import sayso
from sayso import Summarizer
from sayso.testing import (
    Failure,
    ScriptedEndpoint,
    Stall,
    attribution,
    completion,
    rate_limited,
    summary,
    unavailable,
)

HARBOUR = "The harbour master said the channel would close for a week."
LIBRARY = "The librarian said the reading room would open on Sundays."
HARBOUR_SAYS = summary(attribution("The harbour master", "said", "the channel would close for a week"))
LIBRARY_SAYS = summary(attribution("The librarian", "said", "the reading room would open on Sundays"))


def test_a_fixed_answer_for_any_request_and_the_requests_it_got(sayso_endpoint: ScriptedEndpoint) -> None:
    sayso_endpoint.always(HARBOUR_SAYS)
    with Summarizer(base_url=sayso_endpoint.base_url, model="m", api_key="sk-test-000000", cache=False) as s:
        first, second = s.run(HARBOUR), s.run(HARBOUR)
    assert first.output == second.output
    assert first.output.attributions[0].source_span == sayso.Span(start=0, end=18)
    bodies = sayso_endpoint.requests
    assert len(bodies) == 2 and bodies[0] == bodies[1] and bodies[0]["model"] == "m"
    assert HARBOUR in bodies[0]["messages"][1]["content"]


@pytest.mark.parametrize("mode", ["json_schema", "tools"])
def test_answers_per_article_in_either_mode(sayso_endpoint: ScriptedEndpoint, mode: str) -> None:
    sayso_endpoint.per_article({"harbour master": HARBOUR_SAYS, "librarian": LIBRARY_SAYS})
    summarizer = sayso_endpoint.summarizer(mode=mode)
    assert summarizer.run(LIBRARY).output.attributions[0].source == "The librarian"
    assert summarizer.run(HARBOUR).output.attributions[0].source == "The harbour master"
    assert all(("tools" in body) == (mode == "tools") for body in sayso_endpoint.requests)


def test_a_429_waits_as_long_as_retry_after_says(sayso_endpoint: ScriptedEndpoint) -> None:
    sayso_endpoint.queue(rate_limited(1.5), HARBOUR_SAYS)
    started = time.monotonic()
    result = sayso_endpoint.summarizer().run(HARBOUR)
    assert time.monotonic() - started >= 1.5
    assert result.output.attributions and len(sayso_endpoint.requests) == 2


def test_a_503_and_a_timeout_are_retried(sayso_endpoint: ScriptedEndpoint) -> None:
    sayso_endpoint.queue(unavailable(), Stall(20.0), completion(HARBOUR_SAYS))
    started = time.monotonic()
    result = sayso_endpoint.summarizer(timeout_s=0.5).run(HARBOUR)
    # The third request was answered long before the stalled one would have been.
    assert time.monotonic() - started < 10
    assert result.output.attributions[0].cue == "said" and len(sayso_endpoint.requests) == 3


def test_a_refusal_and_a_request_nothing_answers_end_in_a_provider_error(sayso_endpoint: ScriptedEndpoint) -> None:
    sayso_endpoint.queue(Failure(401, "no such key"))
    with pytest.raises(sayso.ProviderError) as refused:
        sayso_endpoint.summarizer().run(HARBOUR)
    assert refused.value.attempts[-1].status == 401
    with pytest.raises(sayso.ProviderError) as unanswered:
        sayso_endpoint.summarizer(max_retries=0).run(HARBOUR)
    assert unanswered.value.attempts[-1].status == 500


def test_a_summarizer_that_names_no_model_is_told_the_served_one(sayso_endpoint: ScriptedEndpoint) -> None:
    sayso_endpoint.always(HARBOUR_SAYS)
    result = sayso_endpoint.summarizer(model=None).run(HARBOUR)
    assert result.model == "scripted-model"
    assert sayso_endpoint.requests[0]["model"] == "scripted-model"


def test_the_endpoint_stops_when_the_test_ends() -> None:
    with ScriptedEndpoint() as endpoint:
        assert endpoint.server.is_running()
    assert not endpoint.server.is_running()
