"""Is this an article sayso can summarize? Checked before any set-up or request."""

from __future__ import annotations

import re

from .._errors import InputError

__all__ = ["check_text"]

# Control characters (Unicode category Cc) other than ordinary whitespace.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Surrogate code points: a `str` holding one (decoded with `surrogateescape`, or built by hand)
# is not Unicode text, and cannot be written as UTF-8 to a request, a cache or a results file.
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: object, *, max_chars: int) -> str:
    """The article, if it can be summarized; otherwise an `InputError` saying why."""
    if isinstance(text, (bytes, bytearray, memoryview)):
        raise InputError("the article is bytes; decode it to str first (e.g. data.decode('utf-8'))")
    if not isinstance(text, str):
        raise InputError(f"the article must be a str, not {type(text).__name__}")
    if not text.strip():
        raise InputError("the article is empty" if not text else "the article is only whitespace")
    if len(text) > max_chars:
        raise InputError(
            f"the article is {len(text):,} characters, over the limit of {max_chars:,} "
            "(max_input_chars); long articles are sent in pieces, but this is beyond any one "
            "article: split it, or raise the limit"
        )
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        raise InputError(
            f"the article holds a surrogate code point (U+{ord(surrogate.group()):04X}) at character "
            f"{surrogate.start():,}: it is not Unicode text (was it decoded with surrogateescape?)"
        )
    control = len(_CONTROL.findall(text))
    if "\x00" in text or control > max(2, len(text) // 100):
        raise InputError(
            f"the article does not look like text: {control} control characters in {len(text)}"
        )
    return text
