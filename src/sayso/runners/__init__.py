"""Many articles at once: threads, asyncio, and the resumable JSONL journal."""

from ._journal import JournalBusyError, JsonlLog
from ._threads import BatchItem, asummarize_many, summarize_many, using

__all__ = ["BatchItem", "JournalBusyError", "JsonlLog", "asummarize_many", "summarize_many", "using"]
