"""Endpoints and how requests reach them. The only package that imports openai and instructor;
`_endpoint` imports neither, so resolving where requests go stays cheap."""

from ._endpoint import (
    DEFAULT_OPENAI_MODEL,
    LOCAL_MAX_CHARS,
    LOCAL_MAX_ITEMS,
    Endpoint,
    resolve_endpoint,
)
from ._local import LocalModel, default_model_path, local_extra_installed

__all__ = [
    "DEFAULT_OPENAI_MODEL",
    "LOCAL_MAX_CHARS",
    "LOCAL_MAX_ITEMS",
    "Endpoint",
    "LocalModel",
    "default_model_path",
    "local_extra_installed",
    "resolve_endpoint",
]
