"""The embedded backend on the seed example: sayso end to end, against the same request sent
straight to the xllamacpp server, interleaved in one run so that machine noise hits both alike.

    python bench/local_overhead.py [--rounds N]

sayso runs with max_reasks=0 so that it sends exactly one request, the one replayed directly;
its overhead is then building the request, validating, grounding and the client stack.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import httpx2
from sayso._config import LOCAL_MAX_CHARS, LOCAL_MAX_ITEMS

from sayso import LocalModel, Summarizer

SEED = Path(__file__).resolve().parent.parent / "examples" / "kremlin-netanyahu-call.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    article = SEED.read_text(encoding="utf-8")

    with LocalModel() as local:
        sent: list[bytes] = []

        def keep(request: httpx2.Request) -> None:
            if request.url.path.endswith("/chat/completions"):
                sent.append(request.read())

        import openai

        client = openai.OpenAI(
            base_url=local.base_url,
            api_key="no-key",
            max_retries=0,
            http_client=httpx2.Client(event_hooks={"request": [keep]}),
        )
        summarizer = Summarizer(
            client=client,
            model=local.model_name,
            max_reasks=0,
            max_items=LOCAL_MAX_ITEMS,
            max_chars=LOCAL_MAX_CHARS,
        )
        summarizer.run(article)  # warm-up, and the request to replay
        body = sent[-1]
        direct_s: list[float] = []
        sayso_s: list[float] = []
        tokens: list[int] = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            response = httpx2.post(
                local.base_url + "/chat/completions",
                content=body,
                headers={"content-type": "application/json"},
                timeout=600,
            )
            direct_s.append(time.perf_counter() - started)
            tokens.append(response.json()["usage"]["completion_tokens"])

            started = time.perf_counter()
            result = summarizer.run(article)
            sayso_s.append(time.perf_counter() - started)
            tokens.append(result.usage.completion_tokens)

    direct, through = statistics.median(direct_s), statistics.median(sayso_s)
    report = {
        "model": local.model_name,
        "rounds": args.rounds,
        "direct_median_s": round(direct, 3),
        "sayso_median_s": round(through, 3),
        "overhead_ratio": round(through / direct, 3),
        "completion_tokens": tokens,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
