"""The `sayso` command: one module per command; each parses, calls the library and renders."""

from . import _eval, _schema, _summarize
from ._app import app, main

__all__ = ["app", "main"]

del _eval, _schema, _summarize  # imported for the commands they register
