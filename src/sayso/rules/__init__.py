"""Deterministic attribution extraction: who said, believed or intended what, by rules alone.

    >>> from sayso.rules import extract_attributions
    >>> [a.source for a in extract_attributions('"It works," Jane Roe said.')]
    ['Jane Roe']

The reporting words live in `cues.json` beside this module; `load_lexicon()` reads and checks it.
`extractive_summary()` picks whole sentences of the article for a summary made without a model.
"""

from ._extract import extract_attributions
from ._lexicon import Lexicon, LexiconError, build_lexicon, load_lexicon
from ._summary import extractive_summary

__all__ = ["Lexicon", "LexiconError", "build_lexicon", "extract_attributions", "extractive_summary", "load_lexicon"]
