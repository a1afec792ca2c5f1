"""Chunks of one long article are extracted at once: wall time with `chunk_jobs` against one at a
time, against a scripted server that takes a fixed time per request (as a model does), in one
run, side by side.

    python bench/chunks.py [--latency 0.3] [--words 6000] [--chunk-chars 3000]

The goal: with N jobs, a wall time near sequential / N (requests, not sayso, dominate).
"""

from __future__ import annotations

import argparse
import sys
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

from sayso import Summarizer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _instant_server import serve_in_thread

from tests.longtext import Said, long_article, reader_answer


def serve(said: list[Said], latency_s: float) -> ThreadingHTTPServer:
    return serve_in_thread(lambda body: reader_answer(body, said), latency_s=latency_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--words", type=int, default=6000)
    parser.add_argument("--chunk-chars", type=int, default=3000)
    args = parser.parse_args()
    text, said = long_article(args.words)
    server = serve(said, args.latency)
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    walls: dict[int, float] = {}
    with Summarizer(base_url=url, model="m", api_key="none") as summarizer:
        summarizer.run("The mayor said the bridge would reopen.")  # imports and connections warm
    for jobs in (1, 2, 4, 8):
        with Summarizer(base_url=url, model="m", api_key="none", chunk_chars=args.chunk_chars,
                        chunk_jobs=jobs) as summarizer:
            started = time.monotonic()
            result = summarizer.run(text)
            walls[jobs] = time.monotonic() - started
        found = len(result.output.attributions)
        print(f"chunk_jobs={jobs}: {result.chunks} chunks + 1 reduce request, {walls[jobs]:.2f} s "
              f"wall, {walls[1] / walls[jobs]:.2f}x sequential; {found}/{len(said)} attributions")
    server.shutdown()


if __name__ == "__main__":
    main()
