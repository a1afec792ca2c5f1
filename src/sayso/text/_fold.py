"""Fold a text for matching (Unicode NFC, whitespace, quote marks, dashes, case) and keep the way
back: for each folded character, the range of original characters it came from.

Most texts are already NFC and fold one character to one, so the map back is kept as the few
places where lengths change (runs of whitespace, zero-width characters, an ellipsis), not as a
list with an entry per character: folding a long article costs a few C-level passes over it.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

__all__ = ["Folded", "fold"]

# Characters folded together, one to one.
_QUOTES = dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'") | dict.fromkeys(
    "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'
)
_DASHES = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")
# Every character for which str.isspace() holds (tests/test_locate.py checks the list).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_ONE_TO_ONE = str.maketrans(_QUOTES | _DASHES | dict.fromkeys(WHITESPACE, " "))
_DROPPED = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width characters, soft hyphen
# Where the folded length differs from the original's: runs of spaces and zero-width characters,
# the ellipsis, and the one letter whose lower case is two characters (U+0130).
_EVENTS = re.compile(f"[ {_DROPPED}]{{2,}}|[{_DROPPED}]|\u2026|\u0130")


def _replacement(piece: str) -> str:
    if piece == "\u2026":
        return "..."
    if piece == "\u0130":
        return "i"
    return " " if " " in piece else ""


class Folded:
    """A folded text and the map from its characters back to the original's."""

    def __init__(self, text: str) -> None:
        # The NFC step, when the text needs it, keeps an explicit map (rare: decomposed text).
        self._nfc: tuple[list[int], list[int]] | None = None
        if not unicodedata.is_normalized("NFC", text):
            text, starts, ends = _nfc_with_map(text)
            self._nfc = (starts, ends)
        # Leading whitespace folds to nothing; the map starts after it.
        self._base = len(text) - len(text.lstrip(WHITESPACE + _DROPPED))
        translated = text[self._base :].translate(_ONE_TO_ONE)
        # (folded start, original start, folded length, original length) of each change.
        self._out: list[int] = []
        self._src: list[int] = []
        self._changes: list[tuple[int, int, int, int]] = []
        pieces: list[str] = []
        last, shift = 0, 0
        for m in _EVENTS.finditer(translated):
            pieces.append(translated[last : m.start()])
            new = _replacement(m[0])
            self._out.append(m.start() + shift)
            self._src.append(m.start())
            self._changes.append((m.start() + shift, m.start(), len(new), m.end() - m.start()))
            pieces.append(new)
            shift += len(new) - (m.end() - m.start())
            last = m.end()
        pieces.append(translated[last:])
        self.text = "".join(pieces).lower().removesuffix(" ")

    def _folded_to_nfc(self, k: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._out, k) - 1
        if i < 0:
            return self._base + k, self._base + k + 1
        out, src, out_len, src_len = self._changes[i]
        if k < out + out_len:
            return self._base + src, self._base + src + src_len
        at = self._base + src + src_len + (k - out - out_len)
        return at, at + 1

    def folded_at(self, original: int) -> int:
        """About where original character `original` stands in the folded text (exact for NFC
        text; near enough to start a search from otherwise)."""
        at = original - self._base
        i = bisect.bisect_right(self._src, at) - 1
        if i < 0:
            return max(0, at)
        out, src, out_len, src_len = self._changes[i]
        if at < src + src_len:
            return out
        return out + out_len + (at - src - src_len)

    def start(self, k: int) -> int:
        """The first original character behind folded character `k`."""
        at = self._folded_to_nfc(k)[0]
        return self._nfc[0][at] if self._nfc else at

    def end(self, k: int) -> int:
        """One past the last original character behind folded character `k`."""
        at = self._folded_to_nfc(k)[1]
        return self._nfc[1][at - 1] if self._nfc else at


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """`text` folded, without the map back (for the strings looked up, which an answer repeats:
    a source or a cue for many items)."""
    return Folded(text).text


def _nfc_with_map(text: str) -> tuple[str, list[int], list[int]]:
    """NFC of `text`, composing each starter with the marks after it, and for each output
    character the original range it came from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cluster = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and unicodedata.combining(text[i]):
            continue
        composed = unicodedata.normalize("NFC", text[cluster:i])
        out.append(composed)
        starts.extend([cluster] * len(composed))
        ends.extend([i] * len(composed))
        cluster = i
    return "".join(out), starts, ends
