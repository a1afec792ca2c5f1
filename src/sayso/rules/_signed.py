"""Frames that are not a verb with its subject: `according to X`, a reporting noun owned by
its source, phrases that attribute without a source, and quotations signed with a colon or a
dash (`Jane Roe: "..."`, `"..." — Jane Roe`)."""

from __future__ import annotations

import bisect

from ._phrases import appositive_source, auxiliaries_before, is_word, left_phrase, right_source
from ._raw import DASHES, ENDS, QUOTE_MARKS, Range, Raw, is_closing, trim
from ._text import Sentence, Token

__all__ = ["according", "asked", "colon", "colon_quotes", "dash", "named_colon", "noun", "sourceless"]

_QUESTION_WORDS = frozenset(["about", "whether", "if", "why", "what", "how", "when", "who"])
_POSSESSIVES = frozenset(["his", "her", "their", "its", "our", "my", "your"])
_LABELS = frozenset(
    ["a", "answer", "contributing", "revealed", "latest", "exclusive", "opinion", "analysis", "poll", "win", "update", "note", "editor", "editor's", "editors", "photo", "source", "related", "read", "watch", "video", "image", "credit", "disclosure", "correction", "advertisement", "breaking", "listen", "see", "click", "warning", "caption", "full", "abstract", "transcript"]
)


def asked(sent: Sentence, i: int, j: int) -> Raw | None:
    """`Asked whether ..., Roe said`: an opening participle reports a question, perhaps its asker."""
    tokens = sent.tokens
    if i != 0 or not tokens[0].low.endswith("ed"):
        return None
    # "Asked in Iowa recently whether ...": a short phrase may come before the question.
    ask = next((k for k in range(j, min(len(tokens), j + 5)) if tokens[k].low in _QUESTION_WORDS or tokens[k].text == ","), None)
    if ask is None or tokens[ask].text == ",":
        return None
    comma = next((k for k in range(ask + 1, len(tokens)) if tokens[k].text == ","), None)
    if comma is None or comma <= ask + 1:
        return None
    # "Asked by a reporter whether ...": the one who asked is the question's source.
    source = (j + 1, ask) if tokens[j].low == "by" and ask > j + 1 else None
    return Raw((i, j), (ask + 1 if tokens[ask].low == "about" else ask, comma), source, "sourceless")


def according(sent: Sentence, i: int, j: int) -> Raw | None:
    tokens = sent.tokens
    n = len(tokens)
    stop = right_source(tokens, j, n, appositive=False)
    if stop is None:
        return None
    lead = 0
    while lead < i and (tokens[lead].low in ("but", "and", "so", "yet", "also") or not is_word(tokens[lead])):
        lead += 1
    content = (stop, n) if lead >= i else (0, i)
    if lead < i and tokens[i - 1].text == "," and stop + 1 < n and tokens[stop].text == ",":
        content = (0, n)  # `The plan, according to X, will cost more`: the cue interrupts it
    trimmed = trim(tokens, *content)
    if trimmed is None:
        return None
    return Raw((i, j), trimmed, (j, stop), "according")


def sourceless(sent: Sentence, i: int, j: int) -> Raw | None:
    tokens = sent.tokens
    lo = auxiliaries_before(tokens, i)
    start = left_phrase(tokens, lo)
    if start is None and lo > 1 and tokens[lo - 1].text == ",":
        start = appositive_source(tokens, lo - 1)  # "The conductor, Jane Roe, is thought to"
    if start is None:
        start = lo - 1 if lo > 0 and tokens[lo - 1].low in ("which", "who", "that") else i
    if tokens[i].low == "it":
        start = i
    source = None
    if tokens[j - 1].low in ("asked", "pressed") and j + 1 < len(tokens) and tokens[j].low == "by":
        # "when asked by a reporter whether ...": the agent asked the question.
        stop = next((k for k in range(j + 1, min(len(tokens), j + 8)) if tokens[k].low in _QUESTION_WORDS or not is_word(tokens[k])), None)
        source = (j + 1, stop) if stop is not None and stop > j + 1 else None
    return Raw((i, j), (start, len(tokens)), source, "sourceless")


def noun(sent: Sentence, i: int, j: int) -> Raw | None:
    tokens = sent.tokens
    n = len(tokens)
    # "her claim that ...", "his plan to ...", or a noun with its preposition: "their opposition to"
    if i == 0 or j >= n or (tokens[j].low not in ("that", "to", ":") and tokens[j - 1].low != "to"):
        return None
    owner = tokens[i - 1]
    if owner.low in _POSSESSIVES:
        source = (i - 1, i)
    elif owner.low.endswith(("'s", "’s", "s'", "s’")):
        # The owner is the possessive word with its determiner or the name it ends.
        start = i - 1
        while start > 0 and start > i - 5 and (tokens[start - 1].text[0].isupper() and is_word(tokens[start - 1])):
            start -= 1
        if start > 0 and tokens[start - 1].low in ("the", "a", "an"):
            start -= 1
        source = (start, i)
    else:
        return None
    return Raw((i, j), (j + 1 if tokens[j].text == ":" else j, n), source, "noun")


def dash(sent: Sentence) -> Raw | None:
    """`"..." — Jane Roe, a farmer.`, a post signed `... — Jane Roe (@roe)`, or a line `- Jane Roe`
    under a quotation (whose content is the sentence before)."""
    tokens = sent.tokens
    n = len(tokens)
    end = n - 1 if tokens[n - 1].text in ENDS else n
    if n > 1 and tokens[0].text in DASHES and _signature(tokens, 1, end):
        return Raw((0, 1), (n, n), (1, _name_end(tokens, 1, end)), "signoff", quote_prev=True)
    for d in range(2, n - 1):
        if tokens[d].text in DASHES and _signature(tokens, d + 1, end):
            quoted = is_closing(tokens, d - 1, sent.partner)
            if not quoted and sum(is_word(t) for t in tokens[:d]) < 4:
                return None
            start = sent.partner[d - 1] if quoted else 0
            return Raw((d, d + 1), (start, d), (d + 1, _name_end(tokens, d + 1, end)), "colon")
    return None


def _signature(tokens: list[Token], start: int, end: int) -> bool:
    """A name after a dash: capitalised, not shouted (a label), short, perhaps with a handle."""
    stop = start
    while stop < end and tokens[stop].text not in ("(", ","):
        stop += 1
    words = [t for t in tokens[start:stop] if is_word(t)]
    return 0 < len(words) <= 4 and all(t.text[0].isupper() and not t.text.isupper() for t in words)


def _name_end(tokens: list[Token], start: int, end: int) -> int:
    k = start
    while k < end and tokens[k].text != "(":
        k += 1
    return k


def colon(sent: Sentence, labels: set[str]) -> Raw | None:
    """`Q: ...`, `Jane Roe: "..."`, `Jane Roe — "..."` or a headline's `Jane Roe to Voters: Words`.

    A headline's interjection or label (`Wow: ...`, one of `labels`) is no speaker: no source."""
    tokens = sent.tokens
    for c in range(1, min(8, len(tokens) - 1)):
        if tokens[c].text in DASHES and tokens[c + 1].text in QUOTE_MARKS:
            if all(is_word(t) and t.text[0].isupper() and not t.text.isupper() for t in tokens[:c]):
                return Raw((c, c + 1), (c + 1, len(tokens)), (0, c), "colon")
            return None
        if tokens[c].text == ":":
            names = tokens[:c]
            # The speaker: capitalised words, perhaps with "to" an addressee ("Roe to Voters").
            to = next((k for k, t in enumerate(names) if t.low == "to" and k), c)
            if not all(is_word(t) and t.text[0].isupper() for t in names[:to] + names[to + 1 :]):
                return None
            if any((t.text.isupper() and len(t.text) > 2) or t.key in _LABELS for t in names):
                return None  # "WASHINGTON:", "Update:" are datelines and labels
            if c == 1 and names[0].key in labels:
                return Raw((0, c + 1), (c + 1, len(tokens)), None, "colon")
            after = tokens[c + 1].text
            if to <= 4 and (after in QUOTE_MARKS or after in ("‘", "'") or after[0].isupper()):
                return Raw((c, c + 1), (c + 1, len(tokens)), (0, to), "colon")
            return None
    return None


def named_colon(sent: Sentence) -> Raw | None:
    """`... doesn't surprise pollster Jane Roe: "..."`: a name right before a colon and a quotation."""
    tokens = sent.tokens
    for c in range(2, len(tokens) - 1):
        if tokens[c].text != ":" or sent.quoted[c] or tokens[c + 1].text not in QUOTE_MARKS:
            continue
        start = c
        while start > 0 and c - start < 6 and is_word(tokens[start - 1]) and (
            tokens[start - 1].text[0].isupper() or (start > 1 and tokens[start - 2].text[0].isupper())
        ):
            start -= 1
        if start < c and tokens[c - 1].text[0].isupper():
            return Raw((c, c + 1), (c + 1, len(tokens)), (start, c), "colon")
    return None


def colon_quotes(raws: list[Raw], sent: Sentence) -> list[Raw]:
    """`X rejected that view: "..."`: the quotation after the colon is X's too, a second content."""
    tokens = sent.tokens
    colons = [
        k for k in range(1, len(tokens) - 1)
        if tokens[k].text == ":" and not sent.quoted[k] and tokens[k + 1].text in QUOTE_MARKS
    ]
    extra = []
    for raw in raws:
        start, end = raw.content
        if raw.source is None or start <= raw.cue[0]:
            continue
        at = bisect.bisect_right(colons, start)  # the first colon inside the content, if any
        if at < len(colons) and colons[at] < end - 1:
            k = colons[at]
            raw.content = (start, k)
            extra.append(Raw((k, k + 1), (k + 1, end), _signed_by(tokens, k) or raw.source, "colon"))
    return extra


def _signed_by(tokens: list[Token], k: int) -> Range | None:
    """`Pollsters agree - Jane Roe: "..."`: a name between a dash and the colon signs the quotation."""
    start = k
    while start > 0 and k - start < 4 and is_word(tokens[start - 1]) and tokens[start - 1].text[0].isupper():
        start -= 1
    if start < k and start > 0 and tokens[start - 1].text in DASHES:
        return start, k
    return None
