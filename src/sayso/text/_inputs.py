"""Articles to summarize: text given directly, files, folders of files, or standard input.

A file is read only when its turn comes, so that one unreadable file becomes one error and the
rest of the batch goes on. A text file is read as `open(path, encoding="utf-8").read()` reads
it (a byte-order mark kept as U+FEFF, CRLF and CR line ends turned into LF), so that offsets index
the text a user gets by reading the file in Python. HTML files are reduced to the article's text
(trafilatura); offsets then index that text, which is returned with the result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .._errors import InputError

__all__ = ["ARTICLE_SUFFIXES", "Article", "articles_from_paths", "decode_text", "read_text_file"]

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
            return decode_text(self.data, self.id)
        if self.path is None:
            raise InputError(f"{self.id}: no text and no file")
        text = read_text_file(self.path)
        return extract_html(text, self.path) if self.is_html else text

    def sha256(self) -> str | None:
        """A hash of the input as given (the file's bytes, standard input, or the text), which
        tells a changed input from one already done; None when the file cannot be read."""
        if self.text is not None:
            data = self.text.encode("utf-8", "surrogatepass")
        elif self.data is not None:
            data = self.data
        else:
            try:
                data = self.path.read_bytes() if self.path is not None else b""
            except OSError:
                return None
        return hashlib.sha256(data).hexdigest()


def read_text_file(path: Path) -> str:
    """The file's text as `open(path, encoding="utf-8").read()` gives it, or an `InputError`
    naming the file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode_text(data, str(path))


def decode_text(data: bytes, name: str) -> str:
    """`data` decoded as Python's `open()` in text mode decodes UTF-8: a byte-order mark kept,
    universal newlines."""
    if b"\x00" in data:
        raise InputError(f"{name} is binary, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start + 1]!r})"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
