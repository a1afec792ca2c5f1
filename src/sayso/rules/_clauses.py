"""Clause edges the frames cannot see from their cue alone: a relative "who" clause that closes
before its main clause's verb, and a participle clause fronted before the subject it belongs to
(`In opposing the plan, the mayor wrote ...`)."""

from __future__ import annotations

from ._lexicon import Lexicon
from ._phrases import appositive_source, auxiliaries_before, left_phrase
from ._raw import Raw, is_closing, trim
from ._text import Sentence, Token

__all__ = ["fronted_participles", "relative_ends", "verb_in_phrase"]

_REACH = 60
_PAUSES = frozenset({",", "—", "–", "-"})
_FINITE = frozenset(
    ["has", "had", "have", "is", "was", "are", "were", "will", "would", "could", "can", "did", "does", "remains", "continues", "says", "said", "left", "went", "made", "took", "gave", "came", "met", "told", "wrote", "spoke", "ran", "won", "lost", "got", "sent", "put", "kept", "held", "brought", "began", "became", "stood", "found", "thought", "felt", "saw", "knew", "led", "paid", "sought", "struck", "spent", "built", "drew", "fell", "rose", "threw", "broke", "chose"]
)
_BARE = frozenset(["is", "was", "are", "were", "will", "would", "could", "can", "did", "does", "has", "had", "have"])
_PRONOUNS = frozenset(["he", "she", "they", "we", "i", "it", "you"])
_HEADS = frozenset(["the", "a", "an", "his", "her", "their", "its", "our", "my"])
# Words that open a participle clause at the start of a sentence: "In opposing", "After blasting".
_LEADS = frozenset(["in", "after", "before", "while", "by", "when", "since", "without", "though", "although"])


def relative_ends(raws: list[Raw], sent: Sentence, lexicon: Lexicon) -> None:
    """`Roe, who said X, left the party`: a content of a relative "who" ends where its clause
    closes, at a comma (perhaps inside a closing quotation mark) before the main clause's verb."""
    tokens = sent.tokens
    for raw in raws:
        first = raw.source[0] if raw.source else 0
        if not raw.source or tokens[first].low not in ("who", "which") or first == 0 or tokens[first - 1].text not in _PAUSES:
            continue
        # A relative clause is short; the bound keeps a sentence of many of them linear.
        for k in range(max(raw.content[0], raw.cue[1]), min(raw.content[1] - 1, raw.cue[1] + _REACH)):
            if tokens[k].text not in _PAUSES or sent.quoted[k + 1]:
                continue
            after = k + 2 if is_closing(tokens, k + 1, sent.partner) else k + 1
            if after < len(tokens) and _main_verb(tokens[after], lexicon):
                trimmed = trim(tokens, raw.content[0], after if after > k + 1 else k)
                if trimmed is not None:
                    raw.content = trimmed
                break


def _main_verb(tok: Token, lexicon: Lexicon) -> bool:
    if not tok.text[0].islower():
        return False
    cue = lexicon.phrases.get((tok.key,))
    return tok.low in _FINITE or tok.low.endswith("ed") or (cue is not None and cue.kind == "verb" and not cue.participle)


def fronted_participles(raws: list[Raw], sent: Sentence, lexicon: Lexicon) -> None:
    """`After blasting the plan, Roe wrote ...`: a participle clause that opens the sentence
    belongs to the main clause's subject, and its content ends at the comma before it."""
    tokens = sent.tokens
    for raw in raws:
        i = raw.cue[0]
        lead = i - 1 if i > 0 and tokens[i - 1].low in _LEADS else i
        if not raw.inherit or lead != 0:
            continue
        for k in range(raw.cue[1], min(len(tokens) - 1, raw.content[1] + 1, raw.cue[1] + _REACH)):
            if tokens[k].text != "," or sent.quoted[k]:
                continue
            source = _main_subject(tokens, k + 1, lexicon)
            if source is not None:
                trimmed = trim(tokens, raw.content[0], k)
                if trimmed is not None:
                    raw.content, raw.source, raw.inherit = trimmed, source, False
                break


def _main_subject(tokens: list[Token], start: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """The subject of a main clause starting at `start`: a pronoun, or a phrase up to its verb."""
    first = tokens[start]
    if first.low in _PRONOUNS:
        return start, start + 1
    if not (first.text[0].isupper() or first.low in _HEADS):
        return None
    for v in range(start + 1, min(len(tokens), start + 16)):
        if _main_verb(tokens[v], lexicon):
            lo = auxiliaries_before(tokens, v)
            if lo <= start:
                return None
            if tokens[lo - 1].text == ",":
                found = appositive_source(tokens, lo - 1, start)
                if found is None:  # "her lawyer, Jane Roe, wrote": the name before the verb
                    found = left_phrase(tokens, lo - 1, start)
                return (found, lo - 1) if found is not None else None
            found = left_phrase(tokens, lo, start)
            return (found, lo) if found is not None else None
    return None


def verb_in_phrase(tokens: list[Token], start: int, end: int) -> int | None:
    """A past-tense verb inside what was read as a subject: in `DuPont announced plans to` or
    `Roe has made veiled references to` the cue word is the verb's object, a noun."""
    for v in range(end - 1, start - 1, -1):
        tok = tokens[v]
        past = (tok.low.endswith("ed") and len(tok.low) > 4) or (tok.low in _FINITE and tok.low not in _BARE)
        if past and tok.text[0].islower() and (v == 0 or tokens[v - 1].low not in _HEADS):
            return v
    return None
