"""Finding copied strings in the article: exact, normalized, fuzzy, and where each gives up."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from sayso.text import ArticleIndex, normalize
from sayso.text._fold import WHITESPACE

from .longtext import long_article

ARTICLE = (
    "In the statement, the Israeli PMO maintained that the phone call was held at the Russian "
    "leader\u2019s request. Meanwhile, the Kremlin called the conversation \u201ca thorough "
    "exchange of views.\u201d The Kremlin said nothing else \u2014 for now."
)


def test_exact_match_gives_the_offsets_of_the_words() -> None:
    index = ArticleIndex(ARTICLE)
    match = index.locate("the Israeli PMO")
    assert match is not None and match.how == "exact"
    assert ARTICLE[match.start : match.end] == "the Israeli PMO"
    assert match.start == ARTICLE.index("the Israeli PMO")


def test_straight_quotes_find_curly_ones() -> None:
    index = ArticleIndex(ARTICLE)
    match = index.locate('the conversation "a thorough exchange of views."')
    assert match is not None and match.how == "normalized"
    assert ARTICLE[match.start : match.end] == (
        "the conversation \u201ca thorough exchange of views.\u201d"
    )


def test_whitespace_case_and_dashes_are_folded() -> None:
    index = ArticleIndex(ARTICLE)
    match = index.locate("THE KREMLIN SAID   nothing else - for now")
    assert match is not None and match.how == "normalized"
    assert ARTICLE[match.start : match.end] == "The Kremlin said nothing else \u2014 for now"


def test_quote_marks_the_article_does_not_have_are_ignored() -> None:
    index = ArticleIndex(ARTICLE)
    match = index.locate('"the phone call was held at the Russian leader\'s request."')
    assert match is not None
    assert ARTICLE[match.start : match.end] == "the phone call was held at the Russian leader\u2019s request"


def test_a_small_typo_in_a_long_string_is_found_fuzzily_on_whole_words() -> None:
    index = ArticleIndex(ARTICLE)
    match = index.locate("the phone call was held at the Russain leader's request")
    assert match is not None and match.how == "fuzzy"
    found = ARTICLE[match.start : match.end]
    assert found.startswith("the phone call") and found.endswith("request")


def test_fuzzy_matching_is_bounded() -> None:
    index = ArticleIndex(ARTICLE)
    # A paraphrase is not a copy.
    assert index.locate("Israel said that Russia had asked for the telephone conversation") is None
    # Short strings never match fuzzily: "Kremlim" is not "Kremlin".
    assert index.locate("the Kremlim") is None


def test_fuzzy_threshold_is_a_setting() -> None:
    loose = ArticleIndex(ARTICLE, fuzzy_threshold=60)
    strict = ArticleIndex(ARTICLE, fuzzy_threshold=99)
    needle = "the phone call was held at the Russain leaders request"
    assert loose.locate(needle) is not None
    assert strict.locate(needle) is None


def test_of_several_places_the_one_nearest_the_anchor_wins() -> None:
    index = ArticleIndex(ARTICLE)
    first = ARTICLE.index("the Kremlin")
    second = ARTICLE.index("The Kremlin said")
    assert index.locate("Kremlin").start == first + 4  # type: ignore[union-attr]
    assert index.locate("Kremlin", near=second).start == second + 4  # type: ignore[union-attr]


def test_offsets_are_python_string_offsets_on_non_ascii_text() -> None:
    text = "Der Bürgermeister 🏛️ sagte: „Wir schaffen das.“ Ελλάδα είπε «ναι». 北京表示同意。"
    index = ArticleIndex(text)
    for needle in ("„Wir schaffen das.“", "«ναι»", "北京表示同意", "Bürgermeister"):
        match = index.locate(needle)
        assert match is not None, needle
        assert text[match.start : match.end] == needle
    folded = index.locate('"wir schaffen das."')
    assert folded is not None
    assert text[folded.start : folded.end] == "„Wir schaffen das.“"


def test_case_folding_that_changes_length_keeps_offsets_right() -> None:
    text = "Die STRASSE und İstanbul: the mayor said yes."
    index = ArticleIndex(text)
    match = index.locate("istanbul: THE MAYOR said yes")
    assert match is not None
    assert text[match.start : match.end] == "İstanbul: the mayor said yes"


@pytest.mark.parametrize("needle", ["", "   ", "\n"])
def test_blank_strings_are_never_found(needle: str) -> None:
    assert ArticleIndex(ARTICLE).locate(needle) is None


def test_normalize_maps_each_folded_character_to_its_origin() -> None:
    folded, origin = normalize("A\u00a0 \u201cB\u201d\u2014c")
    assert folded == 'a "b"-c'
    assert [folded[i] for i in range(len(folded))] == list('a "b"-c')
    assert origin == [0, 1, 3, 4, 5, 6, 7]


QUOTE = (
    "\u201cWhat makes climate change difficult is that it is not an instantaneous event,\u201d he "
    "said. \u201cIt\u2019s a slow-moving issue that people don\u2019t see.\u201d Then he left."
)


def test_a_quotation_the_article_interrupts_is_found_in_pieces() -> None:
    index = ArticleIndex(QUOTE)
    # The content as annotators give it: the two fragments joined, the "he said" left out.
    copy = (
        '"What makes climate change difficult is that it is not an instantaneous event," '
        '"It\'s a slow-moving issue that people don\'t see."'
    )
    match = index.locate(copy)
    assert match is not None and match.how == "pieces"
    assert QUOTE[match.start : match.end] == QUOTE[: QUOTE.index(" Then")]


def test_pieces_must_be_long_close_and_in_order() -> None:
    index = ArticleIndex(QUOTE)
    wrong_order = "It's a slow-moving issue that people don't see. What makes climate change difficult"
    assert index.locate(wrong_order) is None
    # A word the article does not have is no piece: the fuzzy search takes it, and finds the
    # sentence the words were copied from.
    typo = index.locate("What makes climate change difficult is that it is not an instantaneous catastrophe")
    assert typo is not None and typo.how == "fuzzy"
    assert QUOTE[typo.start : typo.end].endswith("What makes climate change difficult is that it is not an instantaneous event")
    # Short scraps stitched from all over are not a copy.
    assert index.locate("what makes he left") is None


def test_an_accented_name_is_found_across_unicode_forms() -> None:
    # The article in decomposed form (NFD), the answer composed (NFC), and the other way round.
    decomposed = unicodedata.normalize("NFD", "Officials in Malmö said José Núñez had resigned.")
    index = ArticleIndex(decomposed)
    for needle in ("José Núñez", "Malmö"):
        match = index.locate(unicodedata.normalize("NFC", needle))
        assert match is not None, needle
        assert unicodedata.normalize("NFC", decomposed[match.start : match.end]) == needle
    composed = "Officials in Malmö said José Núñez had resigned."
    match = ArticleIndex(composed).locate(unicodedata.normalize("NFD", "José Núñez"))
    assert match is not None and composed[match.start : match.end] == "José Núñez"


def test_short_strings_match_whole_words_only() -> None:
    text = "The charge went unsaid for years. Later the minister said so."
    index = ArticleIndex(text)
    match = index.locate("said")
    assert match is not None and match.start == text.index(" said") + 1
    assert ArticleIndex("The charge went unsaid.").locate("said") is None
    # In folded form too: "SAID" is not found inside "unsaid".
    assert ArticleIndex("The charge went unsaid.").locate("SAID") is None


def test_the_whitespace_list_is_every_character_python_calls_space() -> None:
    assert set(WHITESPACE) == {chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()}


def test_a_word_used_hundreds_of_times_is_found_next_to_its_anchor() -> None:
    text = " ".join(f"Witness {i} said the lights were green." for i in range(500))
    index = ArticleIndex(text)
    anchor = text.index("Witness 321 ")
    match = index.locate("said", near=anchor)
    assert match is not None and match.start == text.index("said", anchor)
    upper = index.locate("SAID", near=anchor)  # the folded search looks outwards from it too
    assert upper is not None and upper.start == match.start


def test_a_typo_in_a_long_article_is_found_where_it_stands() -> None:
    text, said = long_article(10_000)
    for item in said[::40]:
        mid = len(item.content) // 2
        typo = item.content[:mid] + item.content[mid + 1] + item.content[mid] + item.content[mid + 2 :]
        match = ArticleIndex(text).locate(typo)
        assert match is not None and match.how == "fuzzy", typo
        assert text[match.start : match.end] == item.content


def test_the_settings_in_the_cache_key_are_the_ones_the_index_uses() -> None:
    import inspect

    settings = ArticleIndex.SETTINGS
    assert settings["pieces"] == [ArticleIndex.MAX_PIECES, ArticleIndex.MIN_PIECE_CHARS, ArticleIndex.MAX_GAP_CHARS]
    defaults = inspect.signature(ArticleIndex).parameters
    assert settings["fuzzy_threshold"] == defaults["fuzzy_threshold"].default
    assert settings["fuzzy_min_chars"] == defaults["fuzzy_min_chars"].default
    index = ArticleIndex(ARTICLE)
    assert (index.fuzzy_threshold, index.fuzzy_min_chars) == (settings["fuzzy_threshold"], settings["fuzzy_min_chars"])
