"""Chunks of one long article are extracted at once: wall time with `chunk_jobs` against one at a
time, against a scripted server that takes a fixed time per request (as a model does), in one
run, side by side.

    python bench/chunks.py [--latency 0.3] [--words 6000] [--chunk-chars 3000]

The goal: with N jobs, a wall time near sequential / N (requests, not sayso, dominate).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sayso import Summarizer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.longtext import Said, long_article, reader_answer


def serve(said: list[Said], latency_s: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(latency_s)
            answer = json.dumps({
                "id": "x", "object": "chat.completion", "created": 0, "model": "scripted",
                "choices": [{"index": 0, "finish_reason": "stop", "message": {
                    "role": "assistant", "content": json.dumps(reader_answer(body, said))}}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


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
