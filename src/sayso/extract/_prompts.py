"""The prompt files shipped in the package, checked on load, and their version.

The article is spliced into `article.md` by plain concatenation at its one `{article}` marker, so
it reaches the model byte for byte: no template engine ever sees it.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import ConfigurationError

if TYPE_CHECKING:
    from importlib.abc import Traversable

__all__ = ["Prompts", "load_prompts", "read_prompts"]

_FILES = ("system.md", "article.md", "reask.md", "reduce.md", "partials.md")
_ARTICLE_MARK = "{article}"
_MISSING_MARK = "{missing}"
_PARTIALS_MARK = "{partials}"


@dataclass(frozen=True)
class Prompts:
    system: str
    article_before: str
    article_after: str
    reask_before: str
    reask_after: str
    reduce_system: str  # for the request that merges the chunks' partial answers
    partials_before: str
    partials_after: str
    version: str  # a hash of every prompt file: it changes whenever a prompt does

    def user_message(self, article: str) -> str:
        return self.article_before + article + self.article_after

    def reask(self, missing_lines: list[str]) -> str:
        return self.reask_before + "\n".join(missing_lines) + self.reask_after

    def partials_message(self, partials: str) -> str:
        return self.partials_before + partials + self.partials_after


def _split_once(name: str, text: str, mark: str) -> tuple[str, str]:
    if text.count(mark) != 1:
        raise ConfigurationError(f"prompt {name} must contain {mark} exactly once")
    before, after = text.split(mark)
    return before, after


def _prompt_folder() -> Traversable:
    """The prompts inside the installed package; in a source checkout (an editable install
    serves `src/sayso`, where they are not), the repository's `prompts/` folder."""
    installed = resources.files("sayso") / "prompts"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[3] / "prompts"
    return checkout if checkout.is_dir() else installed


@functools.cache
def load_prompts() -> Prompts:
    """The prompts sayso ships, read once."""
    return read_prompts(_prompt_folder())


def read_prompts(folder: Traversable | Path) -> Prompts:
    """The prompt files in `folder`, checked."""
    texts: dict[str, str] = {}
    for name in _FILES:
        path = folder / name
        if not path.is_file():
            raise ConfigurationError(f"prompt file {name} is missing from the installed package")
        texts[name] = path.read_text(encoding="utf-8")
        if not texts[name].strip():
            raise ConfigurationError(f"prompt file {name} is empty")
    digest = hashlib.sha256()
    for name in _FILES:
        digest.update(name.encode() + b"\0" + texts[name].encode() + b"\0")
    article_before, article_after = _split_once("article.md", texts["article.md"], _ARTICLE_MARK)
    reask_before, reask_after = _split_once("reask.md", texts["reask.md"], _MISSING_MARK)
    partials_before, partials_after = _split_once("partials.md", texts["partials.md"], _PARTIALS_MARK)
    return Prompts(
        system=texts["system.md"].strip(),
        article_before=article_before,
        article_after=article_after.rstrip("\n"),
        reask_before=reask_before,
        reask_after=reask_after.rstrip("\n"),
        reduce_system=texts["reduce.md"].strip(),
        partials_before=partials_before,
        partials_after=partials_after.rstrip("\n"),
        version=digest.hexdigest()[:12],
    )
