"""Texts and where things stand in them: reading inputs, checking them, locating strings, spans."""

from ._checks import check_text
from ._inputs import (
    ARTICLE_SUFFIXES,
    Article,
    articles_from_paths,
    decode_text,
    extract_html,
    read_text_file,
)
from ._locate import ArticleIndex, Match, normalize
from ._span import Span, overlap_share

__all__ = ["ARTICLE_SUFFIXES", "Article", "ArticleIndex", "Match", "Span", "articles_from_paths", "check_text", "decode_text", "extract_html", "normalize", "overlap_share", "read_text_file"]
