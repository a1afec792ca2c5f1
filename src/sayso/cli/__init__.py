"""The `sayso` command: one module per command; each parses, calls the library and renders."""

from ._app import app, main

__all__ = ["app", "main"]
