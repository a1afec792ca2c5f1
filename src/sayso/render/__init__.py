"""Results rendered for people: Markdown and JSON."""

from ._markdown import to_markdown

__all__ = ["to_markdown"]
