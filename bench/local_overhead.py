"""The embedded backend on the seed example: a real embedded `Summarizer()` run (the server
started by sayso, the `/tokenize` context check, the request, validation and grounding) against
the same chat request sent straight to the same llama.cpp server, interleaved in one run so that
machine noise hits both alike.

    python bench/local_overhead.py [--rounds N]

Run it with no endpoint configured (no OPENAI_API_KEY, SAYSO_BASE_URL), as a new user runs the
embedded model. sayso runs with max_reasks=0 and no cache so that each run sends exactly one
chat request, the one replayed directly, and with engine="model" so that what is measured is the
model path alone (the hybrid engine adds the rules pass, which sends nothing).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import httpx2

from sayso import Summarizer
from sayso.extract import build_request

SEED = Path(__file__).resolve().parent.parent / "examples" / "kremlin-netanyahu-call.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    article = SEED.read_text(encoding="utf-8")

    with Summarizer(max_reasks=0, cache=False, engine="model") as summarizer:
        if summarizer.configured.kind != "local":
            sys.exit(f"an endpoint is configured ({summarizer.configured.kind}): unset it to measure the embedded model")
        summarizer.run(article)  # warm-up; starts the server and learns the model's name
        request = build_request(article, summarizer.request_spec())
        url = f"{summarizer.endpoint.base_url}/chat/completions"
        direct_s: list[float] = []
        sayso_s: list[float] = []
        tokens: list[int] = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            response = httpx2.post(url, json=request, timeout=600)
            direct_s.append(time.perf_counter() - started)
            tokens.append(response.json()["usage"]["completion_tokens"])

            started = time.perf_counter()
            result = summarizer.run(article)
            sayso_s.append(time.perf_counter() - started)
            tokens.append(result.usage.completion_tokens)
        model = summarizer.endpoint.model

    direct, through = statistics.median(direct_s), statistics.median(sayso_s)
    report = {
        "model": model,
        "rounds": args.rounds,
        "direct_median_s": round(direct, 3),
        "sayso_median_s": round(through, 3),
        "overhead_ratio": round(through / direct, 3),
        "completion_tokens": tokens,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
