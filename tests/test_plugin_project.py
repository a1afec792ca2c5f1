"""The pytest plugin as another project sees it: a project of its own under tmp_path, with no
conftest, whose tests call sayso. It records a cassette with a real-looking key in the
environment and in the base URL, the cassette holds no trace of either, the recording replays with
the network blocked against another port (and stops matching when the article changes), and the
scripted endpoint makes sayso re-ask and drop an invented attribution."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import yaml

from sayso.testing import ScriptedEndpoint, attribution, summary

ARTICLE = "The mayor said the bridge would reopen in May. Work on the deck ends in April."
ENV_KEY = "sk-proj-Zq81vXfL0aWmRt5Ke9HyBc3Nd7PjUs2Gi4Oo6TvEw"
URL_KEY = "sk-live-9fJ2kLmN4pQ7rStUvWx0yZaB1cDe3FgH5iJk"
URL_USER = "newsroom-ci"

PROJECT_TESTS = f'''
import pytest

import sayso
from sayso.testing import attribution, summary

ARTICLE = {ARTICLE!r}


@pytest.mark.vcr
def test_the_mayor_is_quoted():
    # No retries: a request the cassette does not hold fails at once.
    output = sayso.summarize(ARTICLE, max_retries=0)
    assert [(a.source, a.cue) for a in output.attributions] == [("The mayor", "said")]
    assert output.attributions[0].content_span is not None


def test_an_invented_attribution_is_sent_back_then_dropped(sayso_endpoint):
    real = attribution("The mayor", "said", "the bridge would reopen in May")
    invented = attribution("The governor", "promised", "a second bridge by June")
    sayso_endpoint.queue(summary(real, invented), summary(real, invented))
    result = sayso_endpoint.summarizer(max_reasks=1).run(ARTICLE)
    assert [a.source for a in result.output.attributions] == ["The mayor"]
    assert [d.missing for d in result.dropped] == [
        {{"source": "The governor", "cue": "promised", "content": "a second bridge by June"}}
    ]
    first, reask = sayso_endpoint.requests
    assert "a second bridge by June" in reask["messages"][-1]["content"]
    assert "a second bridge by June" not in str(first["messages"])
'''


def _pytest(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--rootdir={project}", *args],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )


def _environment(base_url: str, key: str, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "SAYSO_", "OPENAI_"))}
    # The project runs elsewhere: sources put first on the path must stay first there.
    paths = os.environ.get("PYTHONPATH", "").split(os.pathsep)
    env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in paths if p)
    return env | {
        "OPENAI_API_KEY": key,
        "SAYSO_BASE_URL": base_url,
        "SAYSO_MODEL": "scripted-model",
        "SAYSO_CACHE_DIR": str(cache),
    }


def test_the_plugin_is_registered_for_pytest() -> None:
    found = [e for e in metadata.entry_points(group="pytest11") if e.value.startswith("sayso")]
    assert [e.value for e in found] == ["sayso.pytest_plugin"]


def test_another_project_records_without_keys_and_replays_offline(tmp_path: Path) -> None:
    project = tmp_path / "newsdesk"
    (project / "tests").mkdir(parents=True)
    (project / "tests" / "test_newsdesk.py").write_text(PROJECT_TESTS)
    cache = tmp_path / "shared-cache"
    with ScriptedEndpoint() as server:
        server.always(summary(attribution("The mayor", "said", "the bridge would reopen in May")))
        host = server.base_url.removeprefix("http://")
        recording = _environment(f"http://{URL_USER}:{URL_KEY}@{host}", ENV_KEY, cache)
        recorded = _pytest(project, recording, "--record-mode=once")
        assert recorded.returncode == 0, recorded.stdout + recorded.stderr
        assert "2 passed" in recorded.stdout
        assert len(server.requests) == 1

        cassette = project / "tests" / "cassettes" / "test_newsdesk" / "test_the_mayor_is_quoted.yaml"
        text = cassette.read_text()
        basic = base64.b64encode(f"{URL_USER}:{URL_KEY}".encode()).decode()
        for secret in (ENV_KEY, URL_KEY, basic, "Bearer", "Basic ", f"{URL_USER}@", "sk-"):
            assert secret not in text
        (interaction,) = yaml.safe_load(text)["interactions"]
        assert interaction["request"]["uri"] == f"http://{host}/chat/completions"
        headers = {name.lower() for name in interaction["request"]["headers"]}
        assert not headers & {"authorization", "api-key", "openai-organization", "cookie"}
        # The cassette's test had a cache of its own: nothing went to the one configured.
        assert not cache.exists() or not any(cache.rglob("*.db"))

        # Offline: another key, and a port where nothing listens; only the cassette can answer.
        replaying = _environment(f"http://{URL_USER}:sk-other-000000000000@127.0.0.1:9/v1", "sk-other-1111111111", cache)
        replayed = _pytest(project, replaying, "--record-mode=none", "--block-network", "-k", "mayor_is_quoted")
        assert replayed.returncode == 0, replayed.stdout + replayed.stderr
        assert "1 passed" in replayed.stdout
        assert len(server.requests) == 1
        assert cassette.read_text() == text

        # Another article makes another body: the cassette no longer matches, and the failure
        # names the cassette and the request it lacked, and says what to do.
        module = project / "tests" / "test_newsdesk.py"
        module.write_text(PROJECT_TESTS.replace(ARTICLE, ARTICLE.replace("May", "June")))
        stale = _pytest(project, replaying, "--record-mode=none", "--block-network", "-k", "mayor_is_quoted")
        assert stale.returncode == 1 and "1 failed" in stale.stdout and "ProviderError" in stale.stdout
        assert "test_the_mayor_is_quoted.yaml holds no answer for 1 request(s): POST /v1/chat/completions" in stale.stdout
        assert "--record-mode=rewrite" in stale.stdout
        assert len(server.requests) == 1


FORGETFUL_CONFTEST = '''
import pytest


@pytest.fixture
def vcr_config():
    return {"match_on": ["method", "path", "body"]}  # no filters at all
'''

CLIENT_TESTS = f'''
import openai
import pytest

import sayso

ARTICLE = {ARTICLE!r}


@pytest.mark.vcr
def test_through_a_client_of_its_own(base_url):
    client = openai.OpenAI(
        base_url=base_url, api_key={ENV_KEY!r}, max_retries=0,
        default_headers={{"api-key": {URL_KEY!r}, "OpenAI-Organization": "org-newsdesk0000"}},
        default_query={{"key": {URL_KEY!r}, "api-version": "2024-10-21"}},
    )
    output = sayso.summarize(ARTICLE, client=client, model="scripted-model")
    assert output.attributions[0].source == "The mayor"
'''


def test_a_project_vcr_config_without_filters_still_records_no_key(tmp_path: Path) -> None:
    project = tmp_path / "forgetful"
    (project / "tests").mkdir(parents=True)
    (project / "tests" / "conftest.py").write_text(FORGETFUL_CONFTEST + "\n\n@pytest.fixture\ndef base_url():\n    import os\n    return os.environ['NEWSDESK_URL']\n")
    (project / "tests" / "test_forgetful.py").write_text(CLIENT_TESTS)
    with ScriptedEndpoint() as server:
        server.always(summary(attribution("The mayor", "said", "the bridge would reopen in May")))
        env = _environment("", "", tmp_path / "cache") | {"NEWSDESK_URL": server.base_url}
        recorded = _pytest(project, env, "--record-mode=once")
        assert recorded.returncode == 0, recorded.stdout + recorded.stderr
        assert len(server.requests) == 1
    text = (project / "tests" / "cassettes" / "test_forgetful" / "test_through_a_client_of_its_own.yaml").read_text()
    for secret in (ENV_KEY, URL_KEY, "org-newsdesk0000", "Bearer"):
        assert secret not in text
    (interaction,) = yaml.safe_load(text)["interactions"]
    assert interaction["request"]["uri"].endswith("/v1/chat/completions?api-version=2024-10-21")
