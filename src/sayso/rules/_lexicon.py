"""The cue lexicon: reporting language kept as data (`cues.json`), checked and indexed on load.

Keeping the words out of the code lets a linguist extend coverage without touching the matcher,
and the checks make a typo fail loudly at import rather than silently match nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from .._errors import ConfigurationError

__all__ = ["VERB_CLASSES", "Cue", "Lexicon", "LexiconError", "build_lexicon", "load_lexicon", "verb_forms"]

# Priority order: a form listed in several classes takes the first (say beats suggest-as-evidence).
VERB_CLASSES = ("speech", "tell", "belief", "intent", "evaluation", "evidence")
SOURCE_TYPES = ("anonymous", "document", "media", "government", "organization", "person")
_ENTRY = re.compile(r"^[a-z][a-z' -]*(?:: [a-z][a-z' -]*)?$")
_VOWELS = "aeiou"
_STRESSED_ENDINGS = ("mit", "fer", "pel", "bet", "but", "cur", "trol", "gret", "quit", "quip", "mit")


class LexiconError(ConfigurationError, ValueError):
    """The lexicon file is malformed (a `ValueError` too, as it was before it was a
    `SaysoError`)."""


@dataclass(frozen=True)
class Cue:
    """One phrase of the lexicon: its kind ("verb", "noun", "according", "sourceless")."""

    kind: str
    verb_class: str = ""
    base: bool = False  # the bare or 3rd-person form, which a noun can share ("report")
    participle: bool = False  # an -ing form ("saying"), whose subject is the clause's


@dataclass
class Lexicon:
    phrases: dict[tuple[str, ...], Cue] = field(default_factory=dict)
    longest: int = 1
    source_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pronoun_gender: dict[str, str] = field(default_factory=dict)
    title_gender: dict[str, str] = field(default_factory=dict)
    name_gender: dict[str, str] = field(default_factory=dict)
    nouns: set[str] = field(default_factory=set)  # reporting nouns, some also verbs ("report")
    first_words: dict[str, int] = field(default_factory=dict)  # first word -> longest phrase
    type_of: dict[str, str] = field(default_factory=dict)  # source word or phrase -> its kind
    headline_labels: set[str] = field(default_factory=set)  # "Wow:", "Bombshell:" open a headline

    def add(self, words: tuple[str, ...], cue: Cue) -> None:
        # First come, first kept: the class order of VERB_CLASSES decides between classes.
        self.phrases.setdefault(words, cue)
        self.longest = max(self.longest, len(words))
        self.first_words[words[0]] = max(self.first_words.get(words[0], 0), len(words))


def verb_forms(entry: str) -> tuple[str, list[tuple[str, bool, bool]]]:
    """The lemma of an entry and its forms as (form, is_base_or_3rd, is_participle)."""
    lemma, _, listed = entry.partition(": ")
    head, _, rest = lemma.partition(" ")
    tail = f" {rest}" if rest else ""
    if listed:
        words = listed.split(" ")
        n = 1 + rest.count(" ") + 1 if rest else 1
        groups = [" ".join(words[i : i + n]) for i in range(0, len(words), n)]
        return lemma, [(g, _is_base(g.split(" ")[0], head), g.split(" ")[0].endswith("ing")) for g in groups]
    third = head + "es" if head.endswith(("s", "sh", "ch", "x", "z", "o")) else head + "s"
    if head.endswith("y") and head[-2:-1] not in _VOWELS:
        third, past, ing = head[:-1] + "ies", head[:-1] + "ied", head + "ing"
    elif head.endswith("e"):
        past, ing = head + "d", head[:-1] + "ing"
    elif _doubles(head):
        past, ing = head + head[-1] + "ed", head + head[-1] + "ing"
    else:
        past, ing = head + "ed", head + "ing"
    return lemma, [
        (head + tail, True, False),
        (third + tail, True, False),
        (past + tail, False, False),
        (ing + tail, False, True),
    ]


def _is_base(form: str, head: str) -> bool:
    """Whether a listed form is the bare or the -s form ("say", "says"), which nouns can share."""
    return form == head or (form.endswith("s") and not form.endswith("ss") and form[:2] == head[:2])


def _doubles(word: str) -> bool:
    """Whether the last consonant doubles: plan -> planned, admit -> admitted, refer -> referred.

    Short consonant-vowel-consonant verbs double, and so do longer ones stressed on a last
    syllable of these endings; "offer" and "differ" are stressed early and do not.
    """
    cvc = len(word) >= 3 and word[-1] not in _VOWELS + "wxy" and word[-2] in _VOWELS and word[-3] not in _VOWELS
    if not cvc:
        return False
    stressed_last = word.endswith(_STRESSED_ENDINGS) and not word.endswith("ffer")
    return len(word) <= 4 or stressed_last


def _strings(data: Any, where: str) -> list[str]:
    if not isinstance(data, list) or not all(isinstance(x, str) and x.strip() for x in data):
        raise LexiconError(f"{where}: expected a list of non-empty strings")
    return [x.strip().lower() for x in data]


def _checked_entry(entry: str, where: str) -> str:
    if not _ENTRY.match(entry):
        raise LexiconError(f"{where}: malformed entry {entry!r}")
    return entry


def build_lexicon(data: Any) -> Lexicon:
    """Check the parsed file and index every phrase by its lower-case words."""
    if not isinstance(data, dict) or data.get("version") != 1:
        raise LexiconError("cues: expected an object with version 1")
    lexicon = Lexicon()
    verbs = data.get("verbs")
    if not isinstance(verbs, dict) or set(verbs) != set(VERB_CLASSES):
        raise LexiconError(f"cues.verbs: expected the classes {', '.join(VERB_CLASSES)}")
    for verb_class in VERB_CLASSES:
        for entry in _strings(verbs[verb_class], f"verbs.{verb_class}"):
            _, forms = verb_forms(_checked_entry(entry, f"verbs.{verb_class}"))
            for form, base, participle in forms:
                cue = Cue("verb", verb_class, base, participle)
                lexicon.add(tuple(form.split(" ")), cue)
    for kind in ("according", "sourceless", "nouns"):
        for entry in _strings(data.get(kind), kind):
            cue = Cue("noun" if kind == "nouns" else kind)
            if kind == "nouns":
                lexicon.nouns.add(entry)
            lexicon.add(tuple(_checked_entry(entry, kind).split(" ")), cue)
    lexicon.headline_labels.update(_strings(data.get("headline_labels", []), "headline_labels"))
    _people(data, lexicon)
    return lexicon


def _people(data: Any, lexicon: Lexicon) -> None:
    types = data.get("source_types")
    if not isinstance(types, dict) or set(types) != set(SOURCE_TYPES):
        raise LexiconError(f"source_types: expected the kinds {', '.join(SOURCE_TYPES)}")
    for kind in SOURCE_TYPES:
        lexicon.source_types[kind] = tuple(_strings(types[kind], f"source_types.{kind}"))
        for entry in lexicon.source_types[kind]:
            lexicon.type_of.setdefault(entry, kind)
    for key, target in (
        ("pronouns", lexicon.pronoun_gender),
        ("titles", lexicon.title_gender),
        ("first_names", lexicon.name_gender),
    ):
        table = data.get(key)
        if not isinstance(table, dict) or not table:
            raise LexiconError(f"{key}: expected an object of word lists")
        for gender, words in table.items():
            for word in _strings(words, f"{key}.{gender}"):
                target.setdefault(word, gender)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon shipped with the package, read once."""
    text = resources.files(__package__).joinpath("cues.json").read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LexiconError(f"cues.json: {error}") from None
    return build_lexicon(data)
