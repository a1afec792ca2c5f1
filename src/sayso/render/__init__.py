"""Results rendered for people: Markdown, and HTML pages with the article's spans highlighted."""

from ._html import Page, page_from_record, page_from_result, to_html, view_jsonl
from ._markdown import to_markdown

__all__ = ["Page", "page_from_record", "page_from_result", "to_html", "to_markdown", "view_jsonl"]
