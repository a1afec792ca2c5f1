"""What kind of source an attribution has, who a pronoun stands for, and a standalone statement.

A reader of a summary sees one attribution at a time, so "he said" must become "Jane Roe said":
the pronoun is named from the nearest earlier person of a fitting gender, while the attribution's
`source` stays the article's own word.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

from ._lexicon import SOURCE_TYPES, Lexicon

__all__ = ["Mentions", "SourceKind", "compose_statement", "source_type"]

SourceKind = Literal["person", "organization", "government", "media", "document", "anonymous", "other"]
_WORD = re.compile(r"[\w’'&.-]+")
_CORE_END = frozenset(
    ["of", "for", "from", "at", "in", "on", "with", "by", "who", "which", "that", "familiar", "close", "obtained", "released", "published", "issued"]
)
_NAME = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|President|Senator|Judge|Secretary|Minister)\.? )?"
    r"[A-Z][a-z]+(?:[ -](?:[A-Z]\. )?[A-Z][a-z]+)+"
)
_FUNCTION_WORDS = frozenset(["But", "And", "The", "So", "Yet", "When", "While", "After", "Before", "If", "In", "On", "At", "As", "Then", "Now", "Still", "Meanwhile", "However"])
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|to|near|of|on|into|across|outside) $")
_NON_PERSON = frozenset({"government", "media", "organization", "document"})
_PRONOUNS = frozenset({"he", "she", "him", "her", "who"})


def _words(text: str) -> list[str]:
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    return [w[:-2] if w.endswith("'s") else w.rstrip(".") for w in words if w.strip(".")]


def _kind_of(words: list[str], lexicon: Lexicon, kinds: tuple[str, ...]) -> str | None:
    """The first of `kinds` that a word or a run of up to three words of `words` belongs to."""
    found = set()
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            kind = lexicon.type_of.get(" ".join(words[i : i + n]))
            if kind is not None:
                found.add(kind)
    return next((kind for kind in kinds if kind in found), None)


def _is_name(words: list[str], lexicon: Lexicon) -> bool:
    """Capitalised words that no kind claims: "Jane Roe", "Mr. Holt"."""
    return (
        1 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not any(w.lower().strip(".") in lexicon.type_of for w in words)
    )


def source_type(source: str, lexicon: Lexicon) -> SourceKind:
    """A heuristic kind for a source phrase, read from its first part (before any comma):
    a person's name, else its head noun, else any word it holds."""
    words = _words(source)
    if not words:
        return "other"
    if words[0] in ("he", "she", "i", "who", "me"):
        return "person"
    if words[0] in ("they", "we", "it", "you", "them"):
        return "other"
    first = source.split(",")[0]
    raw = _WORD.findall(first)
    if _is_name(raw, lexicon) or (len(raw) >= 3 and _is_name(raw[-2:], lexicon) and raw[-2][:1].isupper()):
        return "person"  # "Jane Roe", "the violinist Jane Roe"
    core = _words(first)
    for index, word in enumerate(core):
        if index and word in _CORE_END:
            core = core[:index]
            break
    named = any(w[:1].isupper() for w in raw[1:])
    kinds = tuple(k for k in SOURCE_TYPES if k != "anonymous" or not named)
    found = _kind_of(core[-1:], lexicon, kinds) or _kind_of(core[-2:], lexicon, kinds)
    found = found or _kind_of(core, lexicon, kinds) or _kind_of(words, lexicon, kinds)
    if found is not None:
        return found  # type: ignore[return-value]
    return "other"


def _gender(name: str, lexicon: Lexicon) -> str:
    words = [w.lower() for w in name.replace(".", " ").split()]
    for word in words:
        if word in lexicon.title_gender:
            return lexicon.title_gender[word]
    for word in words:
        if word in lexicon.name_gender:
            return lexicon.name_gender[word]
    return ""


@dataclass
class Mentions:
    """People named in the article, by position, for naming pronouns."""

    starts: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    genders: list[str] = field(default_factory=list)
    by_surname: dict[str, str] = field(default_factory=dict)  # surname -> known gender

    @classmethod
    def of(cls, text: str, lexicon: Lexicon) -> Mentions:
        mentions = cls()
        for match in _NAME.finditer(text):
            name, start = match.group(), match.start()
            first, _, rest = name.partition(" ")
            if first in _FUNCTION_WORDS:
                name, start = rest, start + len(first) + 1  # "But Arne Holt" names Arne Holt
            if " " not in name or _PLACE_BEFORE.search(text, max(0, start - 6), start):
                continue  # "in Marrow Bend" is a place
            if source_type(name, lexicon) not in _NON_PERSON:
                mentions.add(start, name, lexicon)
        return mentions

    def add(self, start: int, name: str, lexicon: Lexicon) -> None:
        at = bisect.bisect_right(self.starts, start)
        gender = _gender(name, lexicon)
        surname = name.split()[-1]
        if gender:
            self.by_surname.setdefault(surname, gender)
        else:
            # A surname alone takes the gender of the fuller mention it shortens.
            gender = self.by_surname.get(surname, "")
        self.starts.insert(at, start)
        self.names.insert(at, name)
        self.genders.insert(at, gender)

    def name_before(self, position: int, gender: str) -> str | None:
        at = bisect.bisect_left(self.starts, position)
        window = range(at - 1, max(at - 30, 0) - 1, -1)
        if gender:
            # A name known to fit ("Mrs.", a first name) beats a nearer one of unknown gender.
            for index in window:
                if self.genders[index] == gender:
                    return self.names[index]
        for index in window:
            if not self.genders[index]:
                return self.names[index]
        return None


def named_source(source: str, start: int, mentions: Mentions, lexicon: Lexicon) -> str:
    """The source as a reader alone would need it: pronouns named from earlier mentions."""
    low = source.lower()
    if low not in _PRONOUNS:
        return source.rstrip(" ,")
    gender = lexicon.pronoun_gender.get(low, "")
    name = mentions.name_before(start, "" if gender == "other" else gender)
    return name if name is not None else source


def compose_statement(who: str | None, cue: str, content: str, kind: str, before: bool) -> str:
    """One sentence that names the source and carries the content."""
    content = content.strip()
    if who is None:
        text = content if cue in content else f"{content} ({cue})"
    elif kind == "according":
        text = f"According to {who}, {content}"
    elif kind == "colon" or before:
        text = f"{who} {cue}: {content}" if kind != "colon" else f"{who}: {content}"
    else:
        text = f"{who} {cue} {content}"
    return text[:1].upper() + text[1:]
