"""Model extraction as data: the request for an article, and what to make of an answer."""

from ._conversation import ModelRun, converse
from ._prompts import Prompts, load_prompts
from ._request import Answer, RequestSpec, build_request, read_answer

__all__ = ["Answer", "ModelRun", "Prompts", "RequestSpec", "build_request", "converse", "load_prompts", "read_answer"]
