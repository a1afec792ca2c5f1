"""The shape of the code: small modules, short functions, and a start that imports no client."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from .conftest import ROOT

SOURCES = sorted((ROOT / "src" / "sayso").rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT / "src")))
def test_modules_and_functions_are_small(path: object) -> None:
    source = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert len(source.splitlines()) <= MAX_MODULE_LINES
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{node.name} is {length} lines"


@pytest.mark.parametrize(
    "code",
    [
        "import sayso",
        "import sayso.cli",
        "from sayso import ArticleSummary, Attribution, Summarizer, summarize",
        "from sayso.evaluation import load_gold, score_article",
        "from sayso.render import to_markdown",
    ],
)
def test_starting_imports_neither_openai_nor_instructor(code: str) -> None:
    probe = code + "; import sys; print(sorted(m for m in ('openai', 'instructor') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
