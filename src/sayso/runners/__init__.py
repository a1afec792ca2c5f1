"""Many articles at once: threads, asyncio, and the resumable JSONL journal."""

from ._threads import BatchItem, JsonlLog, asummarize_many, summarize_many, using

__all__ = ["BatchItem", "JsonlLog", "asummarize_many", "summarize_many", "using"]
