"""Each option is declared once (`sayso._options.Options`); the keyword arguments, the command
line's flags, the cache key and the README's table agree with the declarations."""

from __future__ import annotations

import dataclasses
import inspect
import re

import pytest
from typer.testing import CliRunner

import sayso
from sayso._cache import cache_identity
from sayso._options import Options, option_info, options_table
from sayso.backends import resolve_endpoint
from sayso.cli import app

from .conftest import ROOT

FIELDS = {f.name: f for f in dataclasses.fields(Options)}


def test_summarizer_takes_every_option_with_its_default() -> None:
    params = inspect.signature(sayso.Summarizer.__init__).parameters
    keywords = {name: p for name, p in params.items() if name != "self"}
    assert set(keywords) == set(FIELDS)
    for name, param in keywords.items():
        assert param.kind is inspect.Parameter.KEYWORD_ONLY
        assert param.default == FIELDS[name].default, name


@pytest.mark.parametrize("command", ["summarize", "eval"])
def test_every_declared_flag_is_on_the_commands_that_run_a_summarizer(command: str) -> None:
    shown = CliRunner().invoke(app, [command, "--help"], terminal_width=200).output
    for name in FIELDS:
        flag = option_info(name).flag
        if flag is None or (command == "eval" and name == "schema"):
            continue  # eval scores ArticleSummary attributions only
        assert re.search(rf"{re.escape(flag)}\b", shown), f"{flag} missing from sayso {command}"


def test_every_option_that_shapes_the_answer_is_in_the_cache_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAYSO_BASE_URL", "http://localhost:1/v1")
    monkeypatch.setenv("SAYSO_MODEL", "m")
    options = Options()
    identity = cache_identity(options, resolve_endpoint(options), "prompts")
    for name in FIELDS:
        if option_info(name).shapes_answer:
            assert name in identity, name
        else:
            assert name not in identity, name
    assert "api_key" not in identity and "cache" not in identity


def test_the_hybrid_engine_reuses_the_model_s_cached_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    # What is kept is what costs a request; the rules are merged in again on every read.
    monkeypatch.setenv("SAYSO_BASE_URL", "http://localhost:1/v1")
    monkeypatch.setenv("SAYSO_MODEL", "m")
    keys = {
        engine: cache_identity(Options(engine=engine), resolve_endpoint(Options(engine=engine)), "p")
        for engine in ("model", "hybrid")
    }
    assert keys["model"] == keys["hybrid"]


def test_the_readme_table_is_made_from_the_declarations() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- options:[^\n]*-->\n(.*?)<!-- /options -->", readme, re.S)
    assert found is not None, "the README lost its options table"
    assert found[1] == options_table(), "run `make docs` and commit the README"
