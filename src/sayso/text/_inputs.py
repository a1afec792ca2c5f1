"""Articles to summarize: text given directly, files, folders of files, or standard input.

A file is read only when its turn comes, so that one unreadable file becomes one error and the
rest of the batch goes on. HTML files are reduced to the article's text (trafilatura); offsets
then index that text, which is returned with the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .._errors import InputError

__all__ = ["ARTICLE_SUFFIXES", "Article", "articles_from_paths"]

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
_HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Article:
    """One input: `id` names it in results (a path, "-", or any label). The article is `text`, or
    raw `data` (standard input), or read from `path` when its turn comes; bytes are checked and
    decoded the same way wherever they come from."""

    id: str
    text: str | None = None
    path: Path | None = None
    data: bytes | None = None

    @property
    def is_plain_file(self) -> bool:
        """Read from a file that is not HTML: offsets then index the file's own text."""
        return self.path is not None and not self.is_html and self.text is None

    @property
    def is_html(self) -> bool:
        return self.path is not None and self.path.suffix.lower() in _HTML_SUFFIXES

    def load(self) -> str:
        if self.text is not None:
            return self.text
        if self.data is not None:
            return _decode(self.data, self.id)
        if self.path is None:
            raise InputError(f"{self.id}: no text and no file")
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        text = _decode(data, str(self.path))
        return extract_html(text, self.path) if self.is_html else text


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data:
        raise InputError(f"{name} is binary, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start + 1]!r})"
        ) from None


def extract_html(html: str, source: Path | str) -> str:
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    if not text or not text.strip():
        raise InputError(f"no article text found in the HTML of {source}")
    return str(text)


def articles_from_paths(paths: Iterable[str], *, stdin: bytes | None = None) -> list[Article]:
    """Files as given, folders expanded to their article files (sorted), "-" for standard input.
    Each input appears once, in the order first named."""
    articles: dict[str, Article] = {}
    for raw in paths:
        if raw == "-":
            articles.setdefault("-", Article("-", data=stdin or b""))
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES
            )
            if not found:
                raise InputError(f"{raw}: no {', '.join(ARTICLE_SUFFIXES)} files in this folder")
            for p in found:
                articles.setdefault(str(p), Article(str(p), path=p))
        else:
            # A missing or unreadable file is an error of its own when its turn comes.
            articles.setdefault(raw, Article(raw, path=path))
    return list(articles.values())
