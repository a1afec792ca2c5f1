"""An OpenAI-style server that answers every chat request at once with the same grounded answer,
run in its own process by the benchmarks (so that its work does not share the measured one's
interpreter). Prints its port, then serves until killed."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ARTICLE = (
    "The harbour authority said on Monday that dredging would start in May. "
    '"We expect the work to take six weeks," the authority\'s director, Ana Ruiz, told reporters. '
    "Fishermen's groups warned that the noise could drive fish away from the bay."
)
ANSWER = {
    "summary": "Dredging of the harbour starts in May.",
    "key_points": ["Dredging starts in May."],
    "claims": [{"statement": "Dredging starts in May.", "evidence": "dredging would start in May",
                "attributed_to": "The harbour authority"}],
    "attributions": [
        {"source": "The harbour authority", "source_type": "organization", "cue": "said",
         "content": "that dredging would start in May", "statement": "The authority said dredging starts in May.",
         "direct": False},
        {"source": "Ana Ruiz", "source_type": "person", "cue": "told reporters",
         "content": "\"We expect the work to take six weeks,\"", "statement": "Ruiz expects six weeks of work.",
         "direct": True},
    ],
}
BODY = json.dumps({
    "id": "chatcmpl-instant", "object": "chat.completion", "created": 0, "model": "instant",
    "choices": [{"index": 0, "finish_reason": "stop",
                 "message": {"role": "assistant", "content": json.dumps(ANSWER)}}],
    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
}).encode()
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
    + str(len(BODY)).encode() + b"\r\n\r\n" + BODY
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        # One write for headers and body: two small writes stall on delayed ACKs (~40 ms).
        self.wfile.write(RESPONSE)

    def log_message(self, *args: object) -> None:
        pass


def serve_in_thread(
    answer: Callable[[dict[str, Any]], dict[str, Any]], *, latency_s: float = 0.0
) -> ThreadingHTTPServer:
    """A server on 127.0.0.1, in a thread of this process, whose answer to each chat request is
    `answer(request body)` (the message's JSON), after `latency_s` as a model would take."""

    class Reader(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            time.sleep(latency_s)
            data = json.dumps({
                "id": "x", "object": "chat.completion", "created": 0, "model": "scripted",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": json.dumps(answer(body))}}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }).encode()
            head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(data)}\r\n\r\n"
            self.wfile.write(head.encode() + data)  # one write: see Handler.do_POST

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Reader)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    sys.stdout.close()
    server.serve_forever()
