"""Many articles at once: threads, asyncio, and the resumable JSONL journal."""

from ._journal import JsonlLog
from ._threads import BatchItem, asummarize_many, summarize_many, using

__all__ = ["BatchItem", "JsonlLog", "asummarize_many", "summarize_many", "using"]
