"""sayso's own cost per article: `Summarizer.run` against the same request sent directly with
the openai client (and `json.loads` of the answer), both to an instant scripted server in its
own process, interleaved in one run so that machine noise hits both alike.

    python bench/overhead.py [--rounds N]

Reports the median of each and their ratio (the goal: at most 1.3).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import openai

from sayso import Summarizer
from sayso.extract import build_request

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _instant_server import ARTICLE  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, str(HERE / "_instant_server.py")], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        base_url = f"http://127.0.0.1:{port}/v1"
        summarizer = Summarizer(base_url=base_url, model="instant", api_key="no-key", max_reasks=0)
        request = build_request(ARTICLE, summarizer.request_spec())
        client = openai.OpenAI(base_url=base_url, api_key="no-key", max_retries=0)

        def direct() -> None:
            response = client.chat.completions.create(**request)
            json.loads(response.choices[0].message.content or "")

        def through_sayso() -> None:
            result = summarizer.run(ARTICLE)
            assert len(result.output.attributions) == 2 and not result.dropped

        for warm in (direct, through_sayso):
            for _ in range(20):
                warm()
        times: dict[str, list[float]] = {"direct": [], "sayso": []}
        for _ in range(args.rounds):
            for name, fn in (("direct", direct), ("sayso", through_sayso)):
                started = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - started)
        d, s = statistics.median(times["direct"]), statistics.median(times["sayso"])
        print(f"{args.rounds} rounds, medians: direct openai {d * 1000:.2f} ms, "
              f"Summarizer.run {s * 1000:.2f} ms, ratio {s / d:.2f}")
    finally:
        server.kill()


if __name__ == "__main__":
    main()
