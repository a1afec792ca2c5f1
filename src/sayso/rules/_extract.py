"""Attributions of a whole article: sentence frames joined up, placed in characters, described."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..schema import Attribution
from ..text import Span
from ._describe import Mentions, compose_statement, named_source, source_type
from ._frames import Raw, sentence_frames
from ._lexicon import Lexicon, load_lexicon
from ._polls import poll_sources
from ._text import OPEN_QUOTES, QUOTES, Sentence, Token, sentences

__all__ = ["extract_attributions"]

Chars = tuple[int, int]
_SUBJECT_PRONOUNS = frozenset(["he", "she", "they", "we", "i", "it"])
_NAME_GLUE = frozenset(["of", "the", "and"])
_OPENERS = frozenset(["but", "and", "so", "when", "while", "as", "after", "before", "in", "on", "at", "if", "though", "although", "yet", "however", "still", "meanwhile", "also", "instead", "outside", "inside", "there", "then", "since", "now", "today", "here", "for", "with", "by", "from", "during", "until", "under", "over", "across", "despite", "throughout", "two", "three", "without", "earlier", "later", "last", "yesterday", "absent", "amid", "among", "like", "unlike"])
_CONJUNCTIONS = frozenset(["and", "but", "yet", "so", "then", "now", "also", "even", "still"])
_PREPOSITIONS = frozenset(["after", "before", "in", "by", "while", "when", "since", "without", "upon", "despite"])
_SUBORDINATORS = frozenset(["while", "although", "though", "because", "if", "as", "when", "since", "whereas", "after", "before", "until", "once"])
_QUANTIFIERS = frozenset(["both", "all", "many", "most", "some", "others", "several", "few", "neither"])
_AUXILIARIES = frozenset(["have", "had", "will", "would", "could", "should", "may", "might", "must", "can", "also"])
_HEADS = frozenset(["the", "a", "an", "this", "his", "her", "their", "its", "our"])
_SUBJECT_ENDS = frozenset(["is", "was", "are", "were", "have", "will", "would", "can", "could", "may", "might", "must", "did", "has", "had", "will", "would", "said", "told", "made", "took", "gave", "went", "came", "met"])
_DIRECT = ('"', "“", "”", "''")
_SPLITS = frozenset([",", ";", ":", "—", "―", "–"])


@dataclass
class Found:
    cue: Chars
    content: Chars
    source: Chars | None
    kind: str


def _chars(sent: Sentence, start: int, end: int) -> Chars:
    return sent.tokens[start].start, sent.tokens[end - 1].end


def _subject(sent: Sentence, before: int) -> Chars | None:
    """The subject of the clause that a cue ending it continues: `X did Y, adding that ...`.

    The clause is the last stretch between commas that opens with a name or a pronoun; its
    subject is that name (a run of capitalised words) or pronoun.
    """
    tokens = sent.tokens
    starts = [0] + [k + 1 for k in range(before) if tokens[k].text in _SPLITS]
    for at, start in reversed(list(enumerate(starts))):
        if start >= before or _name_only(tokens, start, starts[at + 1] - 1 if at + 1 < len(starts) else before):
            continue  # "in Bangor, Maine, promising", "WASHINGTON — ...": a place, not a clause
        found = _stretch_subject(sent, start, before)
        stop = starts[at + 1] - 1 if at + 1 < len(starts) else before
        if found and at > 0 and _appositive(sent, found, starts[at - 1], start, stop):
            continue  # "fired his chief, Jon Roe, saying": a noun phrase after an object is no clause
        if found is not None:
            return found or None
    return None


def _appositive(sent: Sentence, subject: Chars, before: int, start: int, stop: int) -> bool:
    """Whether a stretch that opens with a noun phrase only renames the object of a clause before it."""
    tokens = sent.tokens
    after = next((k for k in range(start, stop) if tokens[k].end >= subject[1]), stop) + 1
    if stop - start > 8 or any(_verb_like(t) for t in tokens[after:stop]):
        return False
    return bool(_stretch_subject(sent, before, start - 1)) and any(_verb_like(t) for t in tokens[before : start - 1])


def _after_opener(sent: Sentence, start: int, before: int) -> Chars | None:
    """`On Sunday Mr. Roe made ...`, `By noon she had ...`: the subject after an opening phrase."""
    tokens = sent.tokens
    k = start + 1
    while k < min(before, start + 7):
        if tokens[k].low in _SUBJECT_PRONOUNS:
            return _chars(sent, k, k + 1)
        end = k
        while end < before and (tokens[end].text[0].isupper() or tokens[end].text == "."):
            end += 1
        if end > k and end < before and _verb_like(tokens[end]) and tokens[end].text[0].islower():
            return _chars(sent, k, end)
        k = max(end, k + 1)
    return None


def _stretch_subject(sent: Sentence, start: int, before: int) -> Chars | tuple[()] | None:
    """The subject a stretch opens with; `()` when it opens with a head but no noun follows."""
    tokens = sent.tokens
    while start + 1 < before and (tokens[start].low in _CONJUNCTIONS or tokens[start].low in _SUBORDINATORS):
        start += 1  # "And he went on, mocking ...", "But Trump also struck ..."
    first = tokens[start]
    if first.low in _SUBJECT_PRONOUNS or first.low == "who":
        return _chars(sent, start, start + 1)
    if first.low in _QUANTIFIERS and start + 1 < before and (_verb_like(tokens[start + 1]) or tokens[start + 1].low in _AUXILIARIES):
        return _chars(sent, start, start + 1)  # "And both vowed to ...", "Many have argued ..."
    if first.low in _OPENERS and not first.low.endswith("ing"):
        return _after_opener(sent, start, before)
    participle = first.low.endswith("ing") and start == 0  # mid-sentence, "Schilling" is a name
    if first.low not in _HEADS and (not first.text[0].isupper() or first.low in _OPENERS or participle):
        return None  # "Then", "Speaking at a rally" open no subject
    if first.low.endswith("ed") and start + 1 < before and tokens[start + 1].text[0].islower():
        return None  # "Asked about it": a participle, not a name
    end = start
    if first.low in _HEADS:
        end += 1  # "The senator", "A spokesman for the firm": up to the first verb-like word
        while end < before and end - start < 6 and tokens[end].text[0].isalnum() and not _verb_like(tokens[end]):
            end += 1
        return _chars(sent, start, end) if end > start + 1 else ()
    while end < before and end - start < 8 and (
        tokens[end].text[0].isupper() or tokens[end].text == "." or (end > start and tokens[end].low in _NAME_GLUE)
    ):
        end += 1
    while end > start and tokens[end - 1].low in _NAME_GLUE:
        end -= 1
    return _chars(sent, start, end) if end > start else None


def _inherited(sent: Sentence, cue: int, found: list[Found]) -> Chars | None:
    """The source a participle or joined cue (`..., adding that`) takes from its clause.

    A reported source in the clause just before the cue is it (`he said, adding`); else the
    clause's subject (`Ever since she endorsed Roe, Poe has been a surrogate, attacking ...`
    is Poe's); else the first source reported earlier in the sentence.
    """
    tokens = sent.tokens
    k = cue - 2
    while k > 0 and tokens[k].text not in _SPLITS:
        k -= 1
    clause = tokens[k].start if k > 0 else sent.start
    at = tokens[cue].start
    mine = []
    for item in reversed(found):  # the sentence's own attributions are the last ones found
        if item.cue[0] < sent.start:
            break
        mine.append(item)
    earlier = sorted((f for f in mine if f.source and f.cue[0] < at), key=lambda f: f.cue)
    near = [f.source for f in earlier if f.cue[0] >= clause]
    if near:
        return near[0]
    if 0 < cue <= 5 and k <= 0 and tokens[cue - 1].low in _PREPOSITIONS and not any(_verb_like(t) for t in tokens[: cue - 1]):
        # "After thanking the crowd, he touted ...": the subject follows the opening clause.
        for split in (m for m in range(cue + 1, len(tokens) - 1) if tokens[m].text in _SPLITS):
            ahead = _stretch_subject(sent, split + 1, len(tokens))
            if ahead:
                return ahead
    return _subject(sent, cue) or (earlier[0].source if earlier else None)


def _name_only(tokens: list[Token], start: int, end: int) -> bool:
    """Whether a stretch between commas is only capitalised words: a place or a dateline."""
    words = [t for t in tokens[start:end] if t.text[0].isalnum()]
    if len(words) == 1 and words[0].text.isupper() and len(words[0].text) > 2:
        return True  # "WASHINGTON —"
    after_name = start > 1 and tokens[start - 2].text[0].isupper()  # "Bangor, Maine"
    return after_name and all(t.text[0].isupper() or t.low in _NAME_GLUE for t in words)


def _verb_like(tok: Token) -> bool:
    low = tok.low
    if tok.text[0].isupper():
        return False  # "The Russians", "The Times"
    return (low.endswith(("ed", "s")) and not low.endswith(("ss", "'s", "’s"))) or low in _SUBJECT_ENDS


def _next_quote(sents: list[Sentence], index: int) -> Sentence | None:
    """The next sentence when it is a quotation that goes on in the same paragraph."""
    if index + 1 >= len(sents):
        return None
    nxt = sents[index + 1]
    first = nxt.tokens[0].text
    if nxt.paragraph != sents[index].paragraph or not (first in OPEN_QUOTES or first in QUOTES):
        return None
    # Only a sentence that is all quotation goes on; one with its own cue is its own attribution.
    if nxt.partner.get(0, -1) < len(nxt.tokens) - 2:
        return None
    return nxt


def _place(raw: Raw, sents: list[Sentence], index: int, found: list[Found]) -> Found | None:
    sent = sents[index]
    cue = _chars(sent, *raw.cue)
    source = _chars(sent, *raw.source) if raw.source else None
    if raw.inherit:
        source = _inherited(sent, raw.cue[0], found)
    if raw.colon_next:
        if index + 1 >= len(sents):
            return None
        nxt = sents[index + 1]
        last = nxt
        for later in sents[index + 1 :]:
            if later.paragraph != nxt.paragraph:
                break
            last = later
        return Found(cue, (nxt.start, last.end), source, raw.kind)
    if raw.quote_prev:
        prev = sents[index - 1] if index > 0 else None
        # A signature line ("- Jane Roe") signs the paragraph before it; "Roe said." its own.
        same = prev is not None and (prev.paragraph == sent.paragraph or raw.kind == "signoff")
        if prev is None or not same or prev.tokens[-1].text not in QUOTES:
            return None
        opening = prev.partner.get(len(prev.tokens) - 1, 0)
        quote = _next_quote(sents, index) if raw.kind != "signoff" else None
        return Found(cue, (prev.tokens[opening].start, quote.end if quote else prev.end), source, raw.kind)
    content = _chars(sent, *raw.content)
    if raw.inherit and source is not None and content[0] < source[0] < content[1]:
        # "After thanking the crowd, the mayor left": the content ends before its own source.
        ends = [t.end for t in sent.tokens if content[0] < t.end <= source[0] and t.text[0].isalnum()]
        content = (content[0], ends[-1]) if ends else content
    if raw.extend:
        quote = _next_quote(sents, index)
        if quote is not None:
            content = (content[0], quote.end)
    opens_paragraph = index == 0 or sents[index - 1].paragraph != sent.paragraph
    if raw.content[1] <= raw.cue[0] and raw.content[0] == 0 and sent.tokens[0].text in QUOTES and opens_paragraph:
        content = (_quotation_start(sents, index), content[1])
    return Found(cue, content, source, raw.kind)


def _quotation_start(sents: list[Sentence], index: int) -> int:
    """Where a quotation that ends in this paragraph began: paragraphs before it that open a
    quotation and never close it ("A ... / "B," she said.) are part of it."""
    start = sents[index].start
    at = index
    for _ in range(4):  # a bounded look back keeps the work linear
        first = at
        while first > 0 and sents[first - 1].paragraph == sents[at].paragraph:
            first -= 1
        if first == 0:
            break
        prev_first = first - 1
        while prev_first > 0 and sents[prev_first - 1].paragraph == sents[first - 1].paragraph:
            prev_first -= 1
        paragraph = [tok for s in sents[prev_first:first] for tok in s.tokens]
        marks = [tok.text for tok in paragraph if tok.text in QUOTES]
        if not marks or paragraph[0].text not in QUOTES or _closes(marks):
            break
        start, at = sents[prev_first].start, prev_first
    return start


def _closes(marks: list[str]) -> bool:
    """Whether a paragraph's quotation marks leave no quotation open."""
    if "“" in marks or "”" in marks:
        return marks.count("“") <= marks.count("”")
    return len(marks) % 2 == 0


def _trim_possessive(text: str, span: Chars) -> Chars:
    start, end = span
    if text[start:end].lower().endswith(("'s", "’s")) and end - start > 2:
        end -= 2
    while end > start and text[end - 1] in " ,.;:":
        end -= 1
    return start, end


def _unique(found: list[Found]) -> list[Found]:
    """One attribution per content span (the first cue wins), sorted by where the content starts."""
    seen: set[Chars] = set()
    kept = []
    for item in sorted(found, key=lambda f: (f.content, f.cue)):
        if item.content not in seen and item.content[0] < item.content[1]:
            seen.add(item.content)
            kept.append(item)
    return kept


def _outermost(found: list[Found]) -> list[Found]:
    """Drop attributions whose cue stands inside another attribution's content.

    "X said that Y believes Z" is read as X's statement: annotators of news attribution mark the
    inner report far less often than the outer one, so keeping it costs more than it finds.
    """
    ordered = sorted(found, key=lambda f: f.content)
    starts = [f.content[0] for f in ordered]
    # For each prefix, the two largest content ends and the owner of the largest.
    best: list[tuple[int, int, int]] = []
    top, second, owner = -1, -1, -1
    for index, item in enumerate(ordered):
        end = item.content[1]
        if end > top:
            top, second, owner = end, top, index
        elif end > second:
            second = end
        best.append((top, second, owner))
    kept = []
    for item in found:
        at = bisect.bisect_right(starts, item.cue[0]) - 1
        if at >= 0:
            top, second, owner = best[at]
            reach = second if ordered[owner] is item else top
            if reach > item.cue[0]:
                continue
        kept.append(item)
    return kept


def _attribution(text: str, item: Found, mentions: Mentions, lexicon: Lexicon) -> Attribution:
    source = item.source
    source_text = text[source[0] : source[1]] if source else None
    cue_text = text[item.cue[0] : item.cue[1]]
    content_text = text[item.content[0] : item.content[1]]
    who = named_source(source_text, source[0], mentions, lexicon) if source and source_text else None
    if source and source_text and who == source_text and source_type(who, lexicon) == "person":
        # "Jane Roe, a lawyer," is remembered as Jane Roe, for the pronouns that follow.
        mentions.add(source[0], source_text.split(",")[0], lexicon)
    before = item.content[0] < item.cue[0]
    return Attribution(
        source=source_text,
        source_type=source_type(source_text, lexicon) if source_text else "other",
        cue=cue_text,
        content=content_text,
        statement=compose_statement(who, cue_text, content_text, item.kind, before),
        direct=any(q in content_text for q in _DIRECT),
        source_span=Span(start=source[0], end=source[1]) if source else None,
        cue_span=Span(start=item.cue[0], end=item.cue[1]),
        content_span=Span(start=item.content[0], end=item.content[1]),
        found_by="rules",
    )


def extract_attributions(text: str) -> list[Attribution]:
    """Every attribution the rules find in `text`, sorted by where its content starts."""
    lexicon = load_lexicon()
    sents = sentences(text)
    found: list[Found] = []
    for index, sent in enumerate(sents):
        for raw in poll_sources(sentence_frames(sent, lexicon), sent, lexicon):
            item = _place(raw, sents, index, found)
            if item is not None:
                if item.source is not None:
                    item.source = _trim_possessive(text, item.source)
                    if item.source[0] >= item.source[1]:
                        item.source = None
                found.append(item)
    found = _outermost(found)
    mentions = Mentions.of(text, lexicon)
    ordered = sorted(_unique(found), key=lambda f: (f.source or f.cue)[0])
    described = {id(item): _attribution(text, item, mentions, lexicon) for item in ordered}
    return [described[id(item)] for item in _unique(found)]
