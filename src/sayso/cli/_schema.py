"""`sayso schema`: the JSON Schema of the output."""

from __future__ import annotations

from typing import Annotated

import typer

from ._app import app, dumps, load_schema

__all__ = ["schema_command"]


@app.command("schema")
def schema_command(
    schema: Annotated[str | None, typer.Option(help="A Pydantic model as module:Class.")] = None,
) -> None:
    """Print the JSON Schema of the output (ArticleSummary unless --schema says)."""
    from ..schema import public_schema

    typer.echo(dumps(public_schema(load_schema(schema))), nl=False)
