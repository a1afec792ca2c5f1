"""`BatchRunner`: summarize articles through a provider's Batch API (half the price, no rate
limit), re-asking and retrying in follow-up batches, and surviving a crash at any point.

    runner = BatchRunner(summarizer, "results.jsonl")
    runner.submit(articles)   # uploads the request lines, creates the batches, returns
    runner.collect()          # later, in any process: reads finished batches, sends follow-ups
    runner.wait()             # or collect until every input has finished

Finished inputs are appended to the results file as the same records as online
(`BatchItem.to_record()` through `JsonlLog`); the rest lives in the state file beside it.
"""

from __future__ import annotations

import dataclasses
import os
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import SaysoError
from ..runners import BatchItem, JsonlLog
from ..text import Article, check_text
from ._lines import (
    MAX_BATCH_BYTES,
    MAX_BATCH_REQUESTS,
    LineAnswer,
    answers_by_id,
    chunks,
    request_line,
)
from ._pending import Pending, settle
from ._state import State, identity_digest

if TYPE_CHECKING:
    from .._summarizer import Summarizer
    from ..backends._batches import BatchApi, BatchStatus
    from ..extract import RequestSpec

__all__ = ["BatchProgress", "BatchRunner"]

# A batch that ends this way keeps what completed; the rest is sent again, not counted as a retry.
_INTERRUPTED = ("expired", "cancelled")


@dataclass(frozen=True)
class BatchProgress:
    """Where a batch run stands."""

    finished: int  # inputs this runner wrote to the results file, failures included
    failed: int
    pending: int  # inputs still in a batch or waiting for the next one
    batches: int  # batches still open at the provider

    @property
    def done(self) -> bool:
        return self.pending == 0


class BatchRunner:
    """Runs articles through the Batch API of the summarizer's endpoint; see the module's help."""

    def __init__(
        self,
        summarizer: Summarizer[Any],
        out: str | os.PathLike[str],
        *,
        poll_s: float = 30.0,
        max_requests: int = MAX_BATCH_REQUESTS,
        max_bytes: int = MAX_BATCH_BYTES,
    ) -> None:
        self.summarizer = summarizer
        self.out = Path(out)
        self.state_path = Path(f"{self.out}.batch.json")
        self.poll_s = poll_s
        self.max_requests = max_requests
        self.max_bytes = max_bytes
        self.finished = 0
        self.failed = 0
        self._api: BatchApi | None = None
        self._spec: RequestSpec | None = None
        identity = identity_digest(summarizer.identity)
        self.state = State.load(self.state_path, identity)
        with JsonlLog(self.out) as journal:
            # An input written before a crash kept the state from being saved: it is done.
            for name in [n for n in self.state.inputs if n in journal.done]:
                del self.state.inputs[name]

    @property
    def spec(self) -> RequestSpec:
        if self._spec is None:
            self._spec = self.summarizer.request_spec()
        return self._spec

    @property
    def api(self) -> BatchApi:
        if self._api is None:
            self._api = self.summarizer.batch_api()
        return self._api

    def progress(self) -> BatchProgress:
        return BatchProgress(self.finished, self.failed, len(self.state.inputs), len(self.state.batches))

    def submit(self, articles: Iterable[Article | str]) -> BatchProgress:
        """Queue the articles not yet finished nor pending, and send every queued request.
        Inputs that cannot be read, and everything on the rules engine, finish at once."""
        self._recover()
        with JsonlLog(self.out) as journal:
            for number, given in enumerate(articles, 1):
                article = given if isinstance(given, Article) else Article(f"#{number}", text=given)
                if article.id in journal.done or article.id in self.state.inputs:
                    continue
                item = self._queue(article)
                if item is not None:
                    self._write(journal, item)
        self.state.save()
        self._send_queued()
        return self.progress()

    def _queue(self, article: Article) -> BatchItem | None:
        """Queue `article`, or finish it at once: unreadable, on the rules engine (no model, so
        no batch), already in the result cache, or too long for one request (an article that
        needs chunks is summarized online, in chunks; batches send whole articles only)."""
        try:
            text = check_text(article.load(), max_chars=self.summarizer.options.max_input_chars)
            at_once = self.summarizer.cached(text)
            if at_once is None and (
                self.summarizer.engine == "rules" or len(text) > self.summarizer.chunk_budget(text)
            ):
                at_once = self.summarizer.run(text)
        except SaysoError as exc:
            return BatchItem(article.id, error=exc)
        if at_once is not None:
            return BatchItem(article.id, result=at_once, text=None if article.is_plain_file else text)
        self.state.inputs[article.id] = Pending(article.id, text, plain_file=article.is_plain_file)
        return None

    def collect(self) -> BatchProgress:
        """Read every batch that has ended, write the inputs it finished, and send what needs
        another request (re-asks, failed lines, lines an expired batch never ran)."""
        self._recover()
        with JsonlLog(self.out) as journal:
            for batch_id in list(self.state.batches):
                status = self.api.status(batch_id)
                if status.finished:
                    self._read(status, journal)
        self._send_queued()
        return self.progress()

    def wait(self, on_progress: Callable[[BatchProgress], None] | None = None) -> BatchProgress:
        """Collect every `poll_s` seconds until every input has finished."""
        progress = self.collect()
        while not progress.done:
            if on_progress is not None:
                on_progress(progress)
            time.sleep(self.poll_s)
            progress = self.collect()
        if on_progress is not None:
            on_progress(progress)
        return progress

    def _read(self, status: BatchStatus, journal: JsonlLog) -> None:
        texts = [self.api.download(f) for f in (status.output_file_id, status.error_file_id) if f]
        answers = answers_by_id(*texts)
        options = self.summarizer.options
        for p in self.state.in_batch(status.id):
            answer = answers.get(p.line_id)
            if answer is None and status.status in _INTERRUPTED:
                p.batch = None
                continue
            if answer is None and status.errors:
                answer = LineAnswer(None, f"the batch failed: {status.errors}")
            item = settle(p, answer, self.spec, max_retries=options.max_retries)
            if item is not None:
                if item.result is not None:
                    self.summarizer.remember(p.text, item.result)
                    item = dataclasses.replace(item, result=self.summarizer.finish(p.text, item.result))
                self._write(journal, item)
                del self.state.inputs[p.input]
        del self.state.batches[status.id]
        self.state.save()

    def _write(self, journal: JsonlLog, item: BatchItem) -> None:
        journal.append(item)
        self.finished += 1
        self.failed += 0 if item.ok else 1

    def _send_queued(self) -> None:
        """Send every queued input, in batches within the provider's limits."""
        queued = self.state.queued()
        lines = ((p.input, request_line(*p.next_line(self.spec))) for p in queued)
        for number, batch in enumerate(
            chunks(lines, max_requests=self.max_requests, max_bytes=self.max_bytes), 1
        ):
            names = [name for name, _ in batch]
            # The lines' ids and the batch's label are saved before the provider sees them, so
            # that a crash before its id is saved does not send (and pay for) the batch twice.
            self.state.submitting = {"token": uuid.uuid4().hex, "inputs": names}
            self.state.save()
            data = b"".join(line for _, line in batch)
            batch_id = self.api.submit(data, f"sayso-{number}.jsonl", self.state.submitting["token"])
            self.state.sent(batch_id, names)
            self.state.save()

    def _recover(self) -> None:
        """After a crash while a batch was being created: adopt the batch if the provider has it;
        otherwise its inputs are still queued and go in the next one."""
        submitting = self.state.submitting
        if submitting is None:
            return
        found = self.api.find(submitting["token"])
        if found is not None:
            self.state.sent(found, submitting["inputs"])
        self.state.submitting = None
        self.state.save()

