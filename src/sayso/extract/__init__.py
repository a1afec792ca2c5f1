"""Model extraction as data: the request for an article, and what to make of an answer."""

from ._chunked import extract, merged_fields
from ._chunks import Chunk, cut
from ._conversation import ModelRun, converse
from ._prompts import Prompts, load_prompts
from ._request import (
    Answer,
    RequestSpec,
    build_reduce_request,
    build_request,
    read_answer,
    unfinished,
)

__all__ = ["Answer", "Chunk", "ModelRun", "Prompts", "RequestSpec", "build_reduce_request", "build_request", "converse", "cut", "extract", "load_prompts", "merged_fields", "read_answer", "unfinished"]
