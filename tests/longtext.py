"""Long articles written for the tests and benchmarks, with the attributions they contain.

Every sentence is made here from short lists of words, so that an article of any length can be
made again exactly (same seed, same text) and the attributions in it are known.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

_SOURCES = (
    "the harbour authority", "Mayor Ana Ruiz", "the transport ministry", "a union spokesman",
    "the regional council", "Dr. Lena Okafor", "the fishermen's cooperative", "police officials",
    "the finance committee", "Professor Tomas Berg", "the water board", "local residents",
)
_CUES = ("said", "told reporters", "announced", "warned", "argued", "insisted", "estimated")
_SUBJECTS = (
    "the ferry service", "the new bridge", "the tram line", "the school budget", "the flood wall",
    "the night market", "the bus fleet", "the river dredging", "the housing plan", "the port tax",
)
_VERBS = ("would cost", "could save", "might delay", "was expected to raise", "had already cut")
_FILLER = (
    "Traffic on the coastal road was light on Tuesday morning.",
    "The council chamber was half empty when the session opened.",
    "Rain had fallen for most of the week, and the river stood high under the old bridge.",
    "Several shops near the station closed early for the holiday.",
    "The last public hearing on the matter took place in the spring.",
    "A small crowd gathered outside the town hall before noon.",
)


@dataclass(frozen=True)
class Said:
    """One attribution in a generated article, as text (its place is found by the tests)."""

    source: str
    cue: str
    content: str


def long_article(words: int, *, seed: int = 7) -> tuple[str, list[Said]]:
    """An article of about `words` words in paragraphs of three to five sentences, and its
    attributions in order. Each content is unique (it carries a number)."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    said: list[Said] = []
    count = 0
    number = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(3, 5)):
            if rng.random() < 0.5:
                sentences.append(rng.choice(_FILLER))
                continue
            number += 1
            item = Said(
                source=rng.choice(_SOURCES),
                cue=rng.choice(_CUES),
                content=f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {number} million euros",
            )
            said.append(item)
            sentences.append(f"{item.source[0].upper()}{item.source[1:]} {item.cue} that {item.content}.")
        paragraph = " ".join(sentences)
        count += len(paragraph.split())
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs), said


def sentence_of(item: Said) -> str:
    """The sentence `long_article` writes for `item`."""
    return f"{item.source[0].upper()}{item.source[1:]} {item.cue} that {item.content}."


def reader_answer(body: dict[str, Any], said: list[Said]) -> dict[str, Any]:
    """What a model that reads perfectly answers to a request sayso sent, as the message's JSON:
    for a piece of an article, every attribution whose sentence stands whole in it (and nothing
    else); for the reduce request, a summary that says how many partial answers it was given."""
    user = body["messages"][1]["content"]  # the first user message, also in a re-ask
    if "<partials>\n" in user:
        partials = json.loads(user.split("<partials>\n", 1)[1].rsplit("\n</partials>", 1)[0])
        return {"summary": f"Merged from {len(partials)} parts.", "key_points": ["One point."]}
    text = user.split("<article>\n", 1)[1].rsplit("\n</article>", 1)[0]
    attributions = []
    for item in said:
        sentence = sentence_of(item)
        if sentence in text:
            attributions.append({
                "source": sentence.split(f" {item.cue} that ")[0], "source_type": "organization",
                "cue": item.cue, "content": item.content,
                "statement": f"{item.source} {item.cue} that {item.content}", "direct": False,
            })
    return {"summary": "A part.", "key_points": [], "claims": [], "attributions": attributions}
