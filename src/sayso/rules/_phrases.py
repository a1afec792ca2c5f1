"""Finding the phrases around a cue: the source's noun phrase, auxiliaries, adverbials.

English reporting clauses are regular enough that a word-class-free walk works: a subject is the
run of words left of the verb up to a clause boundary (punctuation, a conjunction, a relative
pronoun, a form of "be"), and an adverbial ("on Monday", "in a statement") is a preposition and a
few words before the content proper starts.
"""

from __future__ import annotations

from ._text import Token

__all__ = [
    "AUXILIARIES",
    "BOUNDARIES",
    "PREPOSITIONS",
    "appositive_source",
    "auxiliaries_before",
    "is_adverbial",
    "is_word",
    "left_phrase",
    "right_source",
    "skip_adverbials",
]

AUXILIARIES = frozenset(
    ["has", "have", "had", "will", "would", "could", "should", "may", "might", "must", "can", "also", "later", "then", "previously", "recently", "repeatedly", "once", "often", "still", "now", "already", "did", "does", "do", "not", "never", "further", "again", "first", "initially", "ultimately", "finally", "earlier", "always", "just", "even", "only", "reportedly", "separately", "similarly", "too", "himself", "herself", "itself", "themselves", "alone", "long", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't", "couldn't", "haven't", "hasn't", "hadn't", "isn't", "wasn't", "aren't", "weren't", "shouldn't"]
)
BOUNDARIES = frozenset(
    ["that", "which", "who", "whom", "whose", "and", "or", "but", "because", "when", "while", "as", "if", "since", "though", "although", "where", "so", "than", "after", "before", "until", "unless", "whether", "nor", "yet", "what", "how", "why", "is", "was", "are", "were", "be", "been", "being", "am", "said", "says", "say", "told", "asked", "added"]
)
PREPOSITIONS = frozenset(
    ["in", "on", "at", "during", "to", "via", "after", "before", "while", "from", "with", "of", "for", "by", "about", "over", "under", "through", "into", "onto", "amid", "among", "across"]
)
TIME_WORDS = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tonight", "earlier", "later", "recently", "last", "this", "next", "afterward", "afterwards", "again", "repeatedly", "once", "morning", "afternoon", "evening", "night", "week", "month", "year", "weekend"]
)
_DETERMINERS = frozenset(["the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "these", "those", "some"])
_DAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tonight"])
_MAX_SOURCE = 12
_PRONOUNS = frozenset(["he", "she", "they", "we", "i", "you", "it"])
# Auxiliaries end a subject walked leftwards: "Critics have long seen" has the subject "Critics".
_VERB_GROUP = frozenset(["has", "have", "had", "will", "would", "could", "should", "may", "might", "must", "can", "did", "does", "do"])
_CLAUSE_STARTS = frozenset(
    ["though", "although", "however", "but", "and", "he", "she", "they", "it", "we", "i", "there", "this", "who", "which", "whose", "adding", "noting", "saying"]
)


def is_word(tok: Token) -> bool:
    return tok.text[0].isalnum()


def _is_adverb(low: str) -> bool:
    return low in AUXILIARIES or (low.endswith("ly") and len(low) > 4 and low != "only")


def auxiliaries_before(tokens: list[Token], cue: int) -> int:
    """The index where the verb group of the cue at `cue` starts ("has also said", "on Monday said")."""
    k = cue
    while k > 0:
        low = tokens[k - 1].key
        if _is_adverb(low) and not tokens[k - 1].text[0].isupper():  # "Kelly said" is no adverb
            k -= 1
        elif low == "since" and k >= 2 and tokens[k - 2].low in ("has", "have", "had"):
            k -= 1  # "has since said"
        elif low in ("both", "all", "each") and k >= 2 and is_word(tokens[k - 2]) and tokens[k - 2].low not in _DETERMINERS:
            k -= 1  # "Roe and Poe have both said", "the senators all said": a floating quantifier
        elif low in TIME_WORDS and k >= 2 and tokens[k - 2].low in ("on", "last", "this"):
            k -= 2
        elif low in TIME_WORDS and low not in ("this", "last", "next"):
            k -= 1
        else:
            break
    return k


def _phrase_token(tokens: list[Token], k: int) -> bool:
    """Whether tokens[k] can belong to a subject phrase."""
    tok = tokens[k]
    if tok.key == "and":
        # "the Prime Minister's Office and the Kremlin": "and" joins two names, not two clauses.
        return 0 < k < len(tokens) - 1 and tokens[k - 1].text[0].isupper() and (
            tokens[k + 1].text[0].isupper() or tokens[k + 1].low == "the"
        )
    if tok.key == "than":
        return k > 0 and tokens[k - 1].key in ("more", "less", "fewer")  # "more than 4 in 10 said"
    if is_word(tok):
        return tok.key not in BOUNDARIES and tok.key not in _VERB_GROUP
    # A full stop that belongs to a title or an initial ("Mr.", "J.") stays inside the name.
    return tok.text == "." and k > 0 and tokens[k - 1].text[0].isupper() and len(tokens[k - 1].text) <= 3


def left_phrase(tokens: list[Token], end: int, floor: int = 0) -> int | None:
    """Start of the subject phrase that ends at `end` (exclusive), or None when there is none."""
    k = end
    while k > floor and end - k < _MAX_SOURCE:
        if tokens[k - 1].text == ")":
            # A parenthesis inside a name stays with it: "Sen. John Cornyn (R-Texas)".
            opening = next((i for i in range(k - 2, max(floor, k - 8) - 1, -1) if tokens[i].text == "("), -1)
            if opening <= floor:
                break
            k = opening
        elif _phrase_token(tokens, k - 1):
            k -= 1
        else:
            break
    while k < end and (tokens[k].low in PREPOSITIONS or not is_word(tokens[k])):
        k += 1  # a phrase does not start with a stray preposition or stop
    if k >= end or all(tokens[i].low in _DETERMINERS for i in range(k, end)):
        return None
    return k


def appositive_source(tokens: list[Token], comma: int, floor: int = 0) -> int | None:
    """Start of `Name, a spokesman for X,` or `Name, 44,` whose closing comma is at `comma`.

    An appositive may hold commas of its own ("who lost her home in Aurora, Colorado, in 2012"),
    so every earlier comma within a bounded reach is tried, and the earliest name is taken.
    """
    found = None
    k = comma - 1
    while k > floor and comma - k <= 3 * _MAX_SOURCE:
        tok = tokens[k]
        if tok.text in ('"', "“", "”", "''", ";", ":"):
            break
        if tok.text == "," and k + 1 < comma and _opens_appositive(tokens[k + 1]):
            start = left_phrase(tokens, k, floor)
            adverbial = start is not None and start > 0 and tokens[start - 1].low in PREPOSITIONS
            if start is not None and not adverbial and (tokens[start].text[0].isupper() or tokens[start].low in _DETERMINERS):
                found = start  # the earliest such name wins: "Roe, of Aurora, Colorado, said"
        k -= 1
    return found


def _opens_appositive(inner: Token) -> bool:
    return (
        (is_word(inner) and inner.key not in BOUNDARIES and inner.key not in _PRONOUNS)  # "Roe, research director for X,"
        or inner.low in _DETERMINERS
        or inner.text[0].isdigit()
        or inner.low in ("who", "whose", "which", "meanwhile", "however", "though", "too", "also", "for", "in")
        or inner.text[0].isupper()
    )


def right_source(tokens: list[Token], begin: int, stop: int, appositive: bool = True) -> int | None:
    """End (exclusive) of a source after its cue: `..., said Jane Roe, a lawyer.`"""
    k = begin
    while k < stop and k - begin < _MAX_SOURCE + 4:
        tok = tokens[k]
        if tok.text == ",":
            after = tokens[k + 1] if k + 1 < stop and appositive else None
            if after is None or not is_word(after) or after.low in BOUNDARIES or after.low.endswith("ing"):
                break
            if after.text[0].isupper() or after.low in _CLAUSE_STARTS:
                break  # a new clause, not an appositive: `said Roe, though she added`
        elif (not is_word(tok) and not (tok.text == "." and k + 1 < stop)) or tok.low in ("in", "on", "at", "during", "who", "which", "when", "after", "before", "as"):
            break
        k += 1
    return k if k > begin else None


def skip_adverbials(tokens: list[Token], begin: int, stop: int) -> int:
    """Where the content starts after a cue: past "on Monday", "in a statement" and the like.

    An adverbial (a preposition or a time word and a few words) is skipped up to a following
    "that", quotation mark, colon or comma; when none comes soon, the index stays on the
    adverbial, which the caller reads as "no content here".
    """
    k = begin
    # A plain time phrase is skipped outright: "said on Monday the tax ...", "said last week".
    if k + 1 < stop and tokens[k].low in ("on", "last", "this", "late", "early") and tokens[k + 1].low in TIME_WORDS:
        k += 2
        while k < stop and tokens[k].low in TIME_WORDS:
            k += 1
    elif k + 1 < stop and tokens[k].low in _DAYS:
        k += 1  # "said Thursday he would ...", "said yesterday morning that ..."
        while k < stop and tokens[k].low in TIME_WORDS:
            k += 1
    # "to" starts an infinitive content ("vowed to keep it"), not an adverbial.
    if k < stop and tokens[k].low not in ("to", "about") and (tokens[k].low in TIME_WORDS or tokens[k].low in PREPOSITIONS or tokens[k].low in ("also", "then")):
        for j in range(k, min(stop, k + 10)):
            tok = tokens[j]
            if tok.low == "that" or tok.text in ('"', "“", "''", "``") or (j > k + 1 and tok.low in _PRONOUNS):
                return j  # "said in a statement he would ...": the content starts at its subject
            if tok.text in (",", ":"):
                return j + 1
            if tok.text in (".", "!", "?", ";"):
                return j
        if k + 10 >= stop:
            return stop
    return k


def is_adverbial(tok: Token) -> bool:
    return tok.low not in ("to", "about") and (tok.low in TIME_WORDS or tok.low in PREPOSITIONS)
