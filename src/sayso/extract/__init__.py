"""Model extraction as data: the request for an article, and what to make of an answer."""

from ._prompts import Prompts, load_prompts

__all__ = ["Prompts", "load_prompts"]
