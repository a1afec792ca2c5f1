"""Batch throughput against a scripted server with a fixed latency, for several --jobs values.

    python bench/batch.py [--articles N] [--latency S] [--jobs 1,4,16]

Each request takes `latency` seconds at the server, so the best a batch can do is `jobs / latency`
articles per second. The ratio of the measured rate to that ideal is what sayso's own work and
its threads cost. The server runs in a process of its own, so that it does not share sayso's
interpreter lock; all settings run one after another in one run, on the same machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import time

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from sayso import Article, Summarizer, summarize_many


def answer(request: Request, latency: float) -> Response:
    body = json.loads(request.get_data(as_text=True))
    article = body["messages"][1]["content"].split("<article>\n", 1)[1].rsplit("\n</article>", 1)[0]
    words = article.split()
    content = {
        "summary": "A summary.",
        "key_points": ["A point."],
        "claims": [],
        "attributions": [
            {
                "source": words[0],
                "source_type": "person",
                "cue": words[1],
                "content": " ".join(words[2:8]),
                "statement": "Someone said something.",
                "direct": False,
            }
        ],
    }
    time.sleep(latency)
    completion = {
        "id": "bench",
        "object": "chat.completion",
        "created": 0,
        "model": "bench",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": json.dumps(content)},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 500, "completion_tokens": 100, "total_tokens": 600},
    }
    return Response(json.dumps(completion), content_type="application/json")


def serve(latency: float, ports: multiprocessing.Queue[str]) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = HTTPServer(threaded=True)
    server.expect_request("/v1/chat/completions").respond_with_handler(
        lambda request: answer(request, latency)
    )
    server.start()
    ports.put(server.url_for("/v1"))
    while True:
        time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=128)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--jobs", default="1,4,16")
    args = parser.parse_args()

    ports: multiprocessing.Queue[str] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(args.latency, ports), daemon=True)
    server.start()
    url = ports.get(timeout=30)
    try:
        rows = []
        for jobs in [int(j) for j in args.jobs.split(",")]:
            articles = [
                Article(f"{jobs}-{i}", text=f"Minister{i} said the plan number {i} would cost less than feared.")
                for i in range(max(args.articles, jobs * 4))
            ]
            with Summarizer(base_url=url, model="bench") as summarizer:
                started = time.perf_counter()
                done = sum(item.ok for item in summarize_many(articles, jobs=jobs, summarizer=summarizer))
                elapsed = time.perf_counter() - started
            rate = done / elapsed
            ideal = jobs / args.latency
            rows.append(
                {
                    "jobs": jobs,
                    "articles": len(articles),
                    "ok": done,
                    "seconds": round(elapsed, 2),
                    "articles_per_s": round(rate, 2),
                    "ideal_per_s": round(ideal, 2),
                    "ratio_to_ideal": round(rate / ideal, 3),
                }
            )
    finally:
        server.terminate()
    print(json.dumps({"latency_s": args.latency, "runs": rows}, indent=2))


if __name__ == "__main__":
    main()
