"""The frames of reporting language inside one sentence, as token ranges.

Each cue found in the lexicon is read in the frame its kind allows. A verb takes its subject on
the left and its content on the right (`X said that ...`, `X told reporters ...`), or its content
first (`"...," X said`, `"...," said X`, `A, officials said`); a clause it continues lends it
its subject (`..., adding that`, `... and said`). The other frames (`according to X`, reporting
nouns, phrases without a source, colons and dashes) live in `_signed`. Contents then end where
their clause does (`_barriers`).
"""

from __future__ import annotations

import bisect

from ._clauses import fronted_participles, relative_ends, verb_in_phrase
from ._lexicon import Cue, Lexicon
from ._phrases import (
    BOUNDARIES,
    TIME_WORDS,
    appositive_source,
    auxiliaries_before,
    is_adverbial,
    is_word,
    left_phrase,
    right_source,
    skip_adverbials,
)
from ._raw import ENDS, Range, Raw, is_closing, trim
from ._signed import according, asked, colon, colon_quotes, dash, named_colon, noun, sourceless
from ._text import QUOTES, Sentence, Token

__all__ = ["Raw", "find_cues", "sentence_frames"]

# Verbs whose first object is the addressee, not the content: "told reporters that ...".
_ADDRESSEE_VERBS = frozenset(
    ["tell", "tells", "told", "telling", "inform", "informs", "informed", "assure", "assures", "assured", "remind", "reminds", "reminded", "reassure", "reassured", "notify", "notified", "convince", "convinced", "persuade", "persuaded", "ask", "asks", "asked", "asking"]
)
_OBJECTS = frozenset(["me", "him", "her", "us", "them", "you", "reporters", "journalists", "supporters", "voters"])
_CONTENT_BEFORE = frozenset({"speech", "tell", "belief"})
_DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my", "your"])
_CLOSERS = frozenset({",", '"', "”", "''"})
_CONJUNCTIONS = frozenset({",", ";", "and", "but", "while", "whereas", "—"})
_SUBJECT_WORDS = frozenset(
    ["i", "you", "we", "they", "he", "she", "it", "who", "that", "which", "also", "not", "will", "would", "could", "should", "may", "might", "must", "can", "do", "does", "did", "people", "still", "now", "often", "never", "always"]
)
_CLAUSE_WORDS = frozenset(
    ["and", "but", "who", "which", "according", "as", "while", "when", "before", "after", "though", "although", "because", "since", "if", "so", "then", "or", "whereas"]
)
_OPENERS = frozenset(["but", "and", "so", "still", "however", "yet", "also", "now", "then"])
_CLAUSE_ENDS = frozenset(["but", "while", "whereas", "although", "though", "which", "who", "whom", "whose"])
_PROGRESSIVE_GLUE = frozenset(["also", "still", "now", "continuing"])
# What a participle clause of the subject's starts with: ", saying", "before announcing".
_PARTICIPLE_LEADS = frozenset([",", "and", "by", "before", "after", "while", "when", "without", "since", "in"])
# Words that end a plural subject of a bare verb: "most say", "62 percent believe".
_PLURAL_SUBJECTS = frozenset(["i", "you", "we", "they", "most", "many", "some", "few", "both", "all", "percent", "majority", "people", "others", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozen", "hundred", "thousand"])
_SUBJECT_PRONOUNS = frozenset(["he", "she", "they", "we", "i", "it", "you"])
# `, but not ...`, `, but that ...`: "but" joins a phrase to the content, not a clause of its own.
_BUT_PHRASE = frozenset(["not", "also", "rather", "still", "that", "never", "only", "without", "instead"])
_SAID = frozenset(["said", "says", "say", "told", "added", "wrote", "writes"])
# "said that by refusing to ...": a participle after a preposition stays inside the content.
_PREPOSITIONAL = frozenset(["by", "in", "after", "before", "while", "when", "without", "since"])
_HAVE = ("have", "has", "had", "having", "'ve", "’ve")  # "we have known", "we've seen"
# Past participles that are no past tense ("known", "shown"): without "have" before them, passive.
_PARTICIPLE_ONLY = ("known", "shown", "seen", "written", "spoken", "given", "drawn")
_CLAUSE_OPENERS = frozenset(["he", "she", "they", "we", "i", "it", "that"])
_BE = frozenset(["is", "are", "was", "were", "be", "been", "being", "'s"])


def find_cues(tokens: list[Token], lexicon: Lexicon) -> list[tuple[int, int, Cue]]:
    """Lexicon phrases in the sentence, longest first, not overlapping."""
    found = []
    k = 0
    count = len(tokens)
    while k < count:
        longest = lexicon.first_words.get(tokens[k].key, 0)
        for n in range(min(longest, count - k), 0, -1):
            cue = lexicon.phrases.get(tuple(t.key for t in tokens[k : k + n]))
            if cue is not None:
                found.append((k, k + n, cue))
                k += n
                break
        else:
            k += 1
    return found


def _addressee_end(tokens: list[Token], k: int, n: int) -> int:
    """Past the addressee of tell-like verbs: up to a close "that", else a short noun phrase."""
    for j in range(k, min(n, k + 9)):
        if tokens[j].low == "to" and j + 1 < n and (tokens[j + 1].text[0].isupper() or tokens[j + 1].low in _DETERMINERS):
            continue  # "told reporters on a visit to Scotland that ...": a place, not an infinitive
        if tokens[j].low in ("that", "whether", "if", "why", "how", "what", "to"):
            return j if tokens[j].low != "to" else k
        if not is_word(tokens[j]):
            break
    j = k
    while j < n and j - k < 6 and is_word(tokens[j]) and (
        tokens[j].text[0].isupper()
        or tokens[j].low in _OBJECTS
        or tokens[j].low in _DETERMINERS
        or (tokens[j].low == "of" and j + 1 < n and tokens[j + 1].text[0].isupper())
    ):
        j += 1
    while j < n and tokens[j].low in TIME_WORDS:
        j += 1  # "told The Star-Ledger last week she would ..."
    return j


def _content_after(sent: Sentence, j: int, verb: str, addressee: bool) -> tuple[int, bool]:
    """Where the content after a cue ending at `j` starts, and whether there is none."""
    tokens = sent.tokens
    n = len(tokens)
    k = j
    if verb not in _CONTENT_BEFORE:
        return k, k >= n or tokens[k].text in ENDS or tokens[k].text == ","
    if addressee and k < n and is_word(tokens[k]) and tokens[k].low != "that":
        k = _addressee_end(tokens, k, n)
    k = skip_adverbials(tokens, k, n)
    if k < n and tokens[k].text == ":":
        k += 1
    if k + 1 < n and tokens[k].text == "," and tokens[k + 1].text in QUOTES:
        return k + 1, False  # `He says, "..."`
    if k < n and tokens[k].text == ",":
        for c in range(k + 1, min(n - 1, k + 9)):
            if tokens[c].text == "," and (tokens[c + 1].low == "that" or tokens[c + 1].text in QUOTES):
                return c + 1, False  # `She said, without evidence, that ...`
    if k >= n or tokens[k].text in ENDS or tokens[k].text == ",":
        return k, True
    if k > j and tokens[k - 1].text == "," and (tokens[k].low.endswith("ing") or tokens[k].low in _CONJUNCTIONS or tokens[k].low in _SAID):
        return k, True  # `said at the time, adding that ...`, `learning in schools, said Roe`: another's clause
    return k, is_adverbial(tokens[k]) and tokens[k].low != "that"


def _subject_before(tok: Token, third: bool, before: Token | None) -> bool:
    """Whether a bare or -s verb form follows something that can be its subject or auxiliary.

    "Trump attacks" and "officials say" are verbs; "verbal attacks" and "Trump's remarks" are
    nouns. An -s form wants a singular subject, a bare form a plural or a pronoun.
    """
    low = tok.key
    if low in _DETERMINERS or low.endswith("'s") or low.endswith("s'"):
        return False
    if low in _SUBJECT_WORDS or low.endswith(("ly", "n't")) or tok.text in QUOTES:
        return True
    # "the campaign says": a common noun right after a determiner or a name is a subject.
    headed = before is not None and (before.low in _DETERMINERS or before.text[0].isupper())
    if third:
        return tok.text[0].isupper() or low in ("he", "she", "it", "who", "which", "that") or headed
    # A bare form wants a plural: "Democrats say", not "White House press secretary".
    compound = tok.text[0].isupper() and before is not None and before.low == "and"  # "Roe and Poe say"
    return low.endswith("s") or low in _PLURAL_SUBJECTS or tok.text[0].isdigit() or compound


def _noun_use(tokens: list[Token], i: int, cue: Cue, nouns: set[str]) -> bool:
    """Whether the cue word is used as a noun or an infinitive rather than a reporting verb."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    if prev.low == "to" or (not cue.participle and prev.low in _DETERMINERS):
        return True  # "declined to say" is the decline's; "the report", "an alleged bias" are no verbs
    if cue.participle:
        # "-ing" reports in a participle clause or a progressive, not in "a fierce showing".
        return not (prev.low in _PARTICIPLE_LEADS or prev.low in _BE or prev.low in _PROGRESSIVE_GLUE)
    follows = i + 1 < len(tokens) and tokens[i + 1].low in ("to", "that")
    if not cue.base or follows or prev.text == ",":
        return False  # ", says Jane Roe": after a comma, an inverted verb
    third = tokens[i].low.endswith("s") and not tokens[i].low.endswith("ss")
    before = tokens[i - 2] if i > 1 else None
    if not third and before is not None and before.low in ("a", "an"):
        return True  # "a news report", "an opinion poll": a bare form after "a" and a noun is a noun
    if _subject_before(prev, third, before):
        return False
    if prev.low in ("him", "them", "us", "me") and i + 1 < len(tokens) and tokens[i + 1].low in _CLAUSE_OPENERS:
        return False  # "groups that backed him say they ...": a relative clause ends before the verb
    # "the note read": after "the" and a noun, a bare form that is no noun itself is a past tense.
    return not (before is not None and before.low in ("the", "a", "an") and tokens[i].key not in nouns)


def _verb(sent: Sentence, i: int, j: int, cue: Cue, nouns: set[str]) -> Raw | None:
    tokens = sent.tokens
    n = len(tokens)
    if _noun_use(tokens, i, cue, nouns):
        return None
    lo = auxiliaries_before(tokens, i)
    if lo > 0 and tokens[lo - 1].low in _BE:
        if not cue.participle:
            return None  # passives ("was told") name their source elsewhere, if at all
        lo = auxiliaries_before(tokens, lo - 1)  # "is also criticizing": the subject is before "is"
    start, empty = _content_after(sent, j, cue.verb_class, tokens[i].low in _ADDRESSEE_VERBS)
    if lo == i and i > 0 and tokens[i].low.endswith(_PARTICIPLE_ONLY) and not tokens[i - 1].low.endswith(_HAVE):
        # "a think tank known for ...", "Roe, better known as ...": a passive describes, names no source
        return None if empty else Raw((i, j), (start, n), None, cue.verb_class)
    source = _left_source(tokens, lo)
    verb = verb_in_phrase(tokens, *source) if source and cue.base else None
    if verb is not None and _left_source(tokens, auxiliaries_before(tokens, verb)) is not None:
        lo = auxiliaries_before(tokens, verb)
        source = _left_source(tokens, lo)
    # `..., adding that` and `... and said` continue the clause's subject.
    joined = (cue.participle and tokens[lo - 1].low in _PARTICIPLE_LEADS) or (source is None and tokens[lo - 1].low in ("and", "but"))
    if lo > 0 and joined and not empty:
        return Raw((i, j), (start, n), None, cue.verb_class, inherit=True)
    before_end = source[0] if source else lo
    has_before = before_end > 1 and tokens[before_end - 1].text in _CLOSERS
    # `"...," said Jane Roe`: a name or a noun phrase follows the cue.
    inverted = source is None and has_before and j < n and (
        tokens[j].text[0].isupper() or tokens[j].low in ("the", "a", "an") or _titled_name(tokens, j)
    )
    # `"...," she said in May after ...`: a quotation before the cue is its content.
    quoted = (has_before and is_closing(tokens, before_end - 1, sent.partner)) or (
        before_end > 2 and tokens[before_end - 1].text == "," and is_closing(tokens, before_end - 2, sent.partner)
    )
    # `"A," she said, "B."` goes round the cue; `"A," she said that B` is two contents.
    opens = start < n and (tokens[start].low == "that" or (tokens[start].text in QUOTES and tokens[start - 1].text != ","))
    if (empty or inverted or (quoted and not opens)) and has_before and cue.verb_class in _CONTENT_BEFORE:
        return _before(sent, (i, j), source, before_end - 1, cue.verb_class)
    if source is not None and start >= n and tokens[n - 1].text == ":":
        return Raw((i, j), (n, n), source, cue.verb_class, colon_next=True)
    if source is not None and empty and before_end == 0 and cue.verb_class in _CONTENT_BEFORE:
        # `"..." Trump said.` split from its quotation by the full stop inside it.
        return Raw((i, j), (n, n), source, cue.verb_class, quote_prev=True)
    if source is not None and source[0] > 0 and tokens[source[0] - 1].low == "as" and start + 1 < n and tokens[start].text == ",":
        return Raw((i, j), (start + 1, n), source, cue.verb_class)  # `As Roe said, the plan ...`
    if empty or source is None:
        return None
    if source[0] > 0 and tokens[source[0] - 1].low in ("what", "which", "whom", "that"):
        start = source[0] - 1  # `what he calls a hoax`: the content takes in its own source
    return Raw((i, j), (start, n), source, cue.verb_class)


def _titled_name(tokens: list[Token], j: int) -> bool:
    """`..., says political scientist Jane Roe`: lower-case title words before a name."""
    if not tokens[j].text[0].islower() or tokens[j].low in BOUNDARIES or is_adverbial(tokens[j]):
        return False
    for m in range(j + 1, min(len(tokens), j + 4)):
        if tokens[m].text[0].isupper():
            return True
        if not tokens[m].text[0].isalpha() or tokens[m].low in BOUNDARIES or is_adverbial(tokens[m]):
            return False
    return False


def _left_source(tokens: list[Token], lo: int) -> Range | None:
    if lo > 1 and tokens[lo - 1].low in ("him", "them", "us", "me"):
        # "groups that backed him say": the subject is the phrase the relative clause follows.
        relative = next((k for k in range(lo - 2, max(0, lo - 8), -1) if tokens[k].low in ("that", "who")), None)
        start = left_phrase(tokens, relative) if relative is not None else None
        if start is not None and relative is not None:
            return start, relative
    if lo > 0 and tokens[lo - 1].low in _SUBJECT_PRONOUNS:
        return lo - 1, lo  # "told the Post she thinks": a pronoun is the whole subject
    start = left_phrase(tokens, lo)
    if start is not None:
        return start, lo
    if lo > 1 and tokens[lo - 1].text == ",":
        start = appositive_source(tokens, lo - 1)
        if start is not None:
            # "Roe, who lost in May, said": the relative clause describes the source, not names it.
            end = next((k for k in range(start + 1, lo - 2) if tokens[k].text == "," and tokens[k + 1].low in ("who", "whose")), lo - 1)
            return start, end
    if lo > 0 and tokens[lo - 1].low in ("who", "which"):
        return lo - 1, lo
    return None


def _before(sent: Sentence, cue: Range, source: Range | None, sep: int, kind: str) -> Raw | None:
    """Content before the cue: `"A," he said` / `A, officials said` / `"A," said Jane Roe`."""
    tokens = sent.tokens
    n = len(tokens)
    end = sep + 1 if is_closing(tokens, sep, sent.partner) else sep
    if tokens[sep].text == "," and sep > 0 and is_closing(tokens, sep - 1, sent.partner):
        end = sep
    # The content runs from the sentence's start: a quotation's lead-in words belong to it.
    start = 0
    if source is None:
        stop = right_source(tokens, cue[1], n)
        if stop is None:
            return None
        source = (cue[1], stop)
    content = trim(tokens, start, end)
    if content is None:
        return None
    after = skip_adverbials(tokens, max(cue[1], source[1]), n)
    raw = Raw(cue, content, source, kind)
    if after + 1 < n and tokens[after].text == "," and tokens[after + 1].text in QUOTES:
        close = sent.partner.get(after + 1, n - 1)
        raw.content = (content[0], close + 1)
    elif after + 1 < n and tokens[after].text == "," and not _new_clause(tokens[after + 1]) and content[1] - content[0] <= 10:
        if content[1] - content[0] == 1 and tokens[content[0]].low in _OPENERS:
            raw.content = (after + 1, n)  # `But, Carson added, he did not`: "But" is no content
        else:
            raw.content = (content[0], n)  # `The plan, she said, is dead`: the cue interrupts a subject
    elif tokens[start].text in QUOTES and not any(
        t.text in QUOTES and abs(sent.partner.get(k, k + 9) - k) > 4 for k, t in enumerate(tokens[after:], after)
    ):  # a short quotation after the source ("a 'No-Nonsense' barbecue") is a name, not a content
        raw.extend = True  # `"A," she told reporters in May.` may go on with `"B."`
    return raw


def _new_clause(tok: Token) -> bool:
    return tok.low.endswith("ing") or tok.low in _CLAUSE_WORDS or not is_word(tok)


def _barriers(raws: list[Raw], sent: Sentence, lexicon: Lexicon) -> None:
    """End each content where its clause ends: at the next attribution's own clause (`and Roe
    said`, a named or pronoun subject after a conjunction), at `;`, `, but`, `, which` or
    `, adding`."""
    tokens, quoted, partner = sent.tokens, sent.quoted, sent.partner
    stops = []
    for raw in raws:
        first = raw.source[0] if raw.source and raw.source[0] < raw.cue[0] else raw.cue[0]
        named = tokens[first].text[0].isupper() or tokens[first].low in _SUBJECT_PRONOUNS or first < raw.cue[0]
        paired = first > 1 and tokens[first - 2].low in _SUBJECT_PRONOUNS  # "said she and her aides ..."
        if first > 0 and tokens[first - 1].low in _CONJUNCTIONS and (named or first == raw.cue[0]) and not paired:
            stops.append(first - 1)
        elif (raw.inherit and tokens[first - 1].low not in _PREPOSITIONAL) or raw.kind == "according" or raw.content[1] <= raw.cue[0]:
            stops.append(first)  # `..., adding`, `, according to`, `"...," Reuters reported`
    for k in range(1, len(tokens)):
        tok = tokens[k]
        if quoted[k] or quoted[k - 1]:
            continue
        # `..., adding` and `...,” adding`: a comma, perhaps inside the closing quotation mark.
        after_comma = tokens[k - 1].text == "," or (
            k > 1 and tokens[k - 2].text == "," and is_closing(tokens, k - 1, partner)
        )
        cue = lexicon.phrases.get((tok.key,))
        participle = cue is not None and cue.participle
        phrase_but = tok.low == "but" and k + 1 < len(tokens) and (tokens[k + 1].low in _BUT_PHRASE or tokens[k + 1].text in QUOTES)
        if tok.text == ";" or (after_comma and not phrase_but and (tok.low in _CLAUSE_ENDS or participle)):
            stops.append(k)
        elif after_comma and tok.low in ("and", "but") and k + 1 < len(tokens) and tokens[k + 1].low in _SUBJECT_PRONOUNS:
            stops.append(k)  # `..., and he put $100 million into the fund`: a clause of its own
    stops.sort()
    for raw in raws:
        start, end = raw.content
        # Only words after the cue can belong to a later clause; content before stops at its cue.
        at = bisect.bisect_right(stops, max(start, raw.cue[1]))
        cut = stops[at] if at < len(stops) and stops[at] < end else end
        trimmed = trim(tokens, start, cut)
        if trimmed is not None:
            raw.content = trimmed


def _quotation_starts(raws: list[Raw], sent: Sentence) -> None:
    """`X said that "...," Reuters reported`: a content before its cue that holds another
    attribution's cue starts at its quotation, not at the sentence's start."""
    cues = sorted(raw.cue[0] for raw in raws)
    for raw in raws:
        start, end = raw.content
        if end > raw.cue[0] or not is_closing(sent.tokens, end - 1, sent.partner):
            continue
        # Its own cue comes after its content, so any cue inside the content is another's.
        at = bisect.bisect_left(cues, start)
        if at < len(cues) and cues[at] < end:
            raw.content = (sent.partner[end - 1], end)


def sentence_frames(sent: Sentence, lexicon: Lexicon) -> list[Raw]:
    """Every attribution the frames find in one sentence, contents ended where their clause ends."""
    raws: list[Raw] = []
    opening = colon(sent, lexicon.headline_labels)
    if opening is not None:
        raws.append(opening)
    words = [t for t in sent.tokens if is_word(t) and t.text[0].isalpha()]
    headline = len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.7 * len(words)
    for i, j, cue in find_cues(sent.tokens, lexicon):
        raw: Raw | None = None
        if sent.quoted[i]:
            continue  # a quotation is one content: the speaker's own "I think" inside it is no report
        if sent.tokens[i].text[0].isupper() and (i > 0 or cue.kind == "verb") and not headline:
            question = asked(sent, i, j) if cue.kind == "verb" else None
            raws.extend([question] if question is not None else [])
            continue  # "Press" and "State" are names here; "Asked whether ...," opens a question
        if cue.kind == "verb":
            raw = _verb(sent, i, j, cue, lexicon.nouns)
        elif cue.kind == "according":
            raw = according(sent, i, j)
        elif cue.kind == "sourceless":
            raw = sourceless(sent, i, j)
        elif cue.kind == "noun":
            raw = noun(sent, i, j)
        if raw is not None:
            raws.append(raw)
    if not raws:
        # `Jane Roe: "..."` only when no reporting verb of the sentence says who spoke.
        raws.extend(signed for signed in (named_colon(sent), dash(sent)) if signed is not None)
    _barriers(raws, sent, lexicon)
    relative_ends(raws, sent, lexicon)
    fronted_participles(raws, sent, lexicon)
    _quotation_starts(raws, sent)
    raws.extend(colon_quotes(raws, sent))
    return [r for r in raws if r.content[0] < r.content[1] or r.colon_next or r.quote_prev]
