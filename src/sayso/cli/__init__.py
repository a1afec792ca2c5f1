"""The `sayso` command: one module per command; each parses, calls the library and renders."""

from . import _batch, _eval, _schema, _sources, _summarize, _view
from ._app import app, main

__all__ = ["app", "main"]

del _batch, _eval, _schema, _sources, _summarize, _view  # imported for the commands they register
