"""A page of the HTML view, parsed with the standard library for what the tests check."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from html.parser import HTMLParser

__all__ = ["Parsed"]

_VOID = {"meta", "br", "img", "input", "link", "hr", "wbr", "col", "area", "base", "source"}


class Parsed(HTMLParser):
    """What a test needs from a page: each article's text and highlights, scripts, ids, handlers."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.misnested: list[str] = []
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str, str | None]] = []
        self.scripts: list[str] = []
        self.ids: list[str] = []
        self.texts: dict[str, str] = {}  # page id -> the article text as drawn
        self.segments: dict[str, list[tuple[int, str]]] = defaultdict(list)  # page -> (offset, text)
        self.rows: list[dict[str, str | None]] = []
        self.pre: list[str] = []
        self._page = ""
        self._article: str | None = None
        self._segment: dict[str, str | None] | None = None
        self._capture: list[str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        found = dict(attrs)
        self.attributes += [(tag, name, value) for name, value in attrs]
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if found.get("data-page"):
            self._page = str(found["data-page"])
        if tag == "div" and "article" in (found.get("class") or "").split() and found.get("id"):
            self._article = self._page
            self.texts[self._page] = ""
        if tag == "span" and self._article is not None:
            assert self._segment is None, "highlights are flat: no span inside a span"
            self._segment = found
        if tag == "tr" and found.get("data-item"):
            self.rows.append({**found, "page": self._page})
        if tag in ("script", "pre"):
            self._capture = []
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.misnested.append(tag)
        else:
            self.stack.pop()
        if tag == "span" and self._segment is not None:
            self._segment = None
        elif tag == "div" and self._article is not None:
            self._article = None
        elif tag in ("script", "pre") and self._capture is not None:
            (self.scripts if tag == "script" else self.pre).append("".join(self._capture))
            self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._capture.append(data)
        if self._article is None:
            return
        page = self._article
        if self._segment is not None:
            offset = int(self._segment["data-o"] or "")
            assert offset == len(self.texts[page]), "a highlight's offset is where its text stands"
            self.segments[page].append((offset, data))
        self.texts[page] += data

    def drawn(self, page: str = "p0") -> dict[str, tuple[int, int]]:
        """Each span the rows of `page` list (`key:start:end`), by key."""
        found = {}
        for row in self.rows:
            if row["page"] == page:
                for word in (row.get("data-spans") or "").split():
                    key, start, end = word.rsplit(":", 2)
                    found[key] = (int(start), int(end))
        return found

    def covering(self, offset: int, page: str = "p0") -> set[str]:
        """The keys of the spans over the highlight at `offset`."""
        return {key for key, (start, end) in self.drawn(page).items() if start <= offset < end}

    def spans(self, page: str = "p0") -> dict[str, str]:
        """Each span's text, put together from the highlights its offsets take in: the text must
        be cut at both its edges, and every piece of it highlighted."""
        pieces = sorted(self.segments[page])
        offsets = [offset for offset, _ in pieces]
        joined = {}
        for key, (start, end) in self.drawn(page).items():
            i = bisect.bisect_left(offsets, start)
            assert i < len(offsets) and offsets[i] == start, f"{key} does not begin a highlight"
            parts = []
            at = start
            while at < end:
                assert i < len(pieces) and pieces[i][0] == at, f"{key} is drawn in pieces with a gap"
                parts.append(pieces[i][1])
                at += len(pieces[i][1])
                i += 1
            assert at == end, f"{key} does not end where a highlight ends"
            joined[key] = "".join(parts)
        return joined
