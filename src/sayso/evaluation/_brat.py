"""Gold attributions in brat standoff format, as PolNeAR ships them.

A folder is either PolNeAR's layout (`text/NAME.txt` and `attributions/NAME_ANNOTATOR.ann`) or
flat (`NAME.txt` beside `NAME_ANNOTATOR.ann`). When an article has several annotators, the first
`.ann` file in name order is used. `T` lines give `Source`, `Cue` and `Content` spans (a span may
be fragments, `s1 e1;s2 e2`); `E` lines of type `Attribution` or `Attribution-no-source` tie them
together. Other labels (`Discard`, `Discuss`) are ignored. A `T` line's text may run over several
lines (the annotated words hold a line break); any other line brat does not write is an
`InputError` naming it, so that no annotation is lost without a word. A byte-order mark, which
some editors put before the first line, is not part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .._errors import InputError
from ..text import Span, read_text_file

__all__ = ["Fragments", "GoldArticle", "GoldAttribution", "load_gold", "parse_ann", "unannotated"]

Fragments = tuple[Span, ...]  # in order; one, or several for a discontinuous span
_PARTS = ("Source", "Cue", "Content")
# The lines brat writes: an id (text-bound, relation, event, attribute, modifier, normalization,
# note) and a tab, or a comment.
_ANNOTATION_LINE = re.compile(r"(?:[TREAMN][0-9]+\t|#)")


@dataclass(frozen=True)
class GoldAttribution:
    content: Fragments
    cue: Fragments | None = None
    source: Fragments | None = None

    @property
    def content_range(self) -> Span:
        """The covering range of the content's fragments."""
        return Span(start=self.content[0].start, end=self.content[-1].end)


@dataclass(frozen=True)
class GoldArticle:
    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]
    annotation_file: Path


def _fragments(spec: str, where: str, text_length: int | None) -> Fragments:
    try:
        pairs = [tuple(int(n) for n in part.split()) for part in spec.split(";")]
    except ValueError:
        raise InputError(f"{where}: bad offsets {spec!r}") from None
    if not pairs or any(len(p) != 2 or p[0] < 0 or p[0] > p[1] for p in pairs):
        raise InputError(f"{where}: bad offsets {spec!r}")
    if text_length is not None and any(p[1] > text_length for p in pairs):
        raise InputError(
            f"{where}: offsets {spec!r} are past the end of the article's text ({text_length} "
            "characters): is it the text the annotation was made on?"
        )
    return tuple(Span(start=p[0], end=p[1]) for p in sorted(pairs))


def parse_ann(
    text: str, where: str = "annotation", *, text_length: int | None = None
) -> list[GoldAttribution]:
    """The attributions of a brat `.ann` file's `text`. With `text_length`, offsets past the end
    of the article are an `InputError` naming `where` and the line."""
    spans: dict[str, tuple[str, Fragments]] = {}
    defined: set[str] = set()  # every T id, whatever its label
    events: list[tuple[int, list[str]]] = []
    in_text = False  # whether a line may still be the text of the `T` line before it
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        if not _ANNOTATION_LINE.match(line):
            if not in_text and line.strip():
                raise InputError(
                    f"{where}:{number}: not a brat annotation line ({line[:40]!r}); "
                    "no annotation was read from it"
                )
            continue
        in_text = line.startswith("T")
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            label, _, offsets = fields[1].partition(" ")
            defined.add(fields[0])
            if label in _PARTS:
                spans[fields[0]] = (label, _fragments(offsets, f"{where}:{number}", text_length))
        elif line.startswith("E") and len(fields) >= 2:
            events.append((number, fields[1].split()))
    attributions = []
    for number, roles in events:
        kind = roles[0].split(":", 1)[0] if roles else ""
        if kind not in ("Attribution", "Attribution-no-source"):
            continue
        parts: dict[str, Fragments] = {}
        for role in roles[1:]:  # the parts (the trigger is not read)
            name, _, ref = role.partition(":")
            if ref not in defined:  # a T line lost, or never written: say so, not count less
                raise InputError(f"{where}:{number}: the attribution names {ref}, which no T line defines")
            found = spans.get(ref)
            if found is not None and found[0] == name.rstrip("0123456789"):
                parts[found[0]] = found[1]
        if "Content" in parts:
            attributions.append(
                GoldAttribution(parts["Content"], parts.get("Cue"), parts.get("Source"))
            )
    return attributions


def _pairs(root: Path) -> list[tuple[Path, Path | None]]:
    """Each article text of `root`, in name order, with its annotation file (None if none)."""
    texts = root / "text" if (root / "text").is_dir() else root
    anns = root / "attributions" if (root / "attributions").is_dir() else root
    pairs: list[tuple[Path, Path | None]] = []
    for text_path in sorted(texts.glob("*.txt")):
        name = text_path.stem
        candidates = sorted(anns.glob(f"{name}_*.ann")) or sorted(anns.glob(f"{name}.ann"))
        pairs.append((text_path, candidates[0] if candidates else None))
    return pairs


def unannotated(folder: str | Path) -> list[Path]:
    """The article texts of `folder` that have no annotation file, which `load_gold` skips."""
    root = Path(folder)
    return [text for text, ann in _pairs(root) if ann is None] if root.is_dir() else []


def load_gold(folder: str | Path) -> list[GoldArticle]:
    """Every annotated article of `folder`, in name order, checked: a file that is not UTF-8
    text, or offsets outside the article, is an `InputError` naming the file (and line)."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{root} is not a folder")
    articles = []
    for text_path, ann in _pairs(root):
        if ann is None:
            continue
        # Read as `summarize` reads a file, so that offsets mean the same in both.
        text = read_text_file(text_path)
        attributions = parse_ann(read_text_file(ann), str(ann), text_length=len(text))
        articles.append(GoldArticle(text_path.stem, text, tuple(attributions), ann))
    if not articles:
        raise InputError(f"no annotated articles in {root} (NAME.txt with NAME_ANNOTATOR.ann)")
    return articles
