"""Replays stay valid: the same article and options make byte-identical request bodies in every
process, whatever its hash seed, so that a cassette matched on the body holds on every machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sayso.testing import ScriptedEndpoint, article_of, attribution, summary

from .conftest import ROOT

ARTICLES = sorted((Path(__file__).parent / "articles").glob("*.txt"))
# Each run: the default schema in both request modes, the hybrid engine, an article in pieces,
# and two passes; every answer holds an invented attribution, so every piece is re-asked once.
RUNS = [
    {"mode": "json_schema"},
    {"mode": "tools", "engine": "hybrid"},
    {"mode": "json_schema", "chunk_chars": 400, "chunk_jobs": 1, "passes": 2},
]
CLIENT = """
import json, sys
from pathlib import Path
from sayso import Summarizer
base_url, runs, articles = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
for options in runs:
    with Summarizer(base_url=base_url, model="scripted-model", api_key="sk-test-000000", cache=False,
                    max_retries=0, max_reasks=1, **options) as summarizer:
        for path in articles:
            summarizer.run(Path(path).read_text(encoding="utf-8"))
"""


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    words = article_of(body).split()
    return summary(
        attribution(None, words[0], " ".join(words[:5])),
        attribution("Nobody here", "whispered", "a sentence this article never held"),
    )


def _bodies_sent(seed: str) -> list[bytes]:
    with ScriptedEndpoint() as endpoint:
        endpoint.always(_answer)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SAYSO_", "OPENAI_"))}
        env |= {"PYTHONHASHSEED": seed, "SAYSO_CACHE_DIR": os.environ["SAYSO_CACHE_DIR"]}
        args = [sys.executable, "-c", CLIENT, endpoint.base_url, json.dumps(RUNS), *map(str, ARTICLES)]
        done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return [request.get_data() for request, _ in endpoint.server.log if request.method == "POST"]


def test_request_bodies_are_byte_identical_whatever_the_hash_seed() -> None:
    runs = {seed: _bodies_sent(seed) for seed in ("0", "4242", "random")}
    first = runs["0"]
    # Pieces and passes made more than one request per article, and every answer was re-asked.
    assert len(first) > 4 * len(ARTICLES) * len(RUNS)
    assert any(b"a sentence this article never held" in body for body in first)
    for seed, bodies in runs.items():
        assert bodies == first, f"PYTHONHASHSEED={seed} sent other bytes"
