"""What a provider batch costs sayso itself: building and uploading the request lines, then
reading (validating, grounding) every answer, against the scripted Batch API of the tests.

    python bench/provider_batch.py [--articles N] [--max-requests M]

The server answers every line at once, so the times are sayso's own work (and the local HTTP of
uploads and downloads). Also printed: the state file's size while everything is pending, per
article, since it holds each article's text until its answer is read.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

from pytest_httpserver import HTTPServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sayso import Article, Summarizer
from sayso.batch import BatchRunner
from tests.batch_server import BatchServer
from tests.scripted import grounded_answer

ARTICLE = (Path(__file__).resolve().parents[1] / "tests/articles/harbour-dredging.txt").read_text()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--max-requests", type=int, default=50_000)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = HTTPServer(threaded=True)
    server.start()
    BatchServer(server, lambda _id, body: (200, grounded_answer(body)), endings=[("completed",)] * 1000)
    articles = [Article(f"a{i}", text=f"{ARTICLE}\n\nItem {i}.") for i in range(args.articles)]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "results.jsonl"
        with Summarizer(base_url=server.url_for("/v1"), model="m") as summarizer:
            runner = BatchRunner(summarizer, out, poll_s=0.001, max_requests=args.max_requests)
            started = time.perf_counter()
            submitted = runner.submit(articles)
            submit_s = time.perf_counter() - started
            state_bytes = runner.state_path.stat().st_size
            started = time.perf_counter()
            done = runner.wait()
            collect_s = time.perf_counter() - started
        lines = out.read_text().splitlines()
        assert len(lines) == args.articles and all("output" in json.loads(line) for line in lines)
    server.stop()
    n = args.articles
    print(f"articles={n} batches={submitted.batches} failed={done.failed}")
    print(f"submit: {submit_s:.2f} s ({n / submit_s:.0f} articles/s)")
    print(f"collect: {collect_s:.2f} s ({n / collect_s:.0f} answers/s read and grounded)")
    print(f"state file while pending: {state_bytes / n:.0f} bytes per article "
          f"(article {len(articles[0].text or '')} characters)")


if __name__ == "__main__":
    main()
