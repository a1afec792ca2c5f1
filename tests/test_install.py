"""What a fresh install needs is declared, and the development environment is pinned."""

from __future__ import annotations

import ast
import importlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT


def _toml(text: str) -> dict[str, Any]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    loaded: dict[str, Any] = tomllib.loads(text)
    return loaded


def _requirement_names(requirements: list[str]) -> set[str]:
    return {_normal(re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0]) for r in requirements}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = _toml((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    return _requirement_names(
        project["dependencies"] + extras["local"] + extras["distributed"] + extras["testing"]
    )


def _imported_modules(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"sayso", "__future__"}


def test_every_package_the_code_imports_is_declared() -> None:
    providers = metadata.packages_distributions()
    missing = []
    for module in sorted(_imported_modules(ROOT / "src" / "sayso")):
        distributions = {_normal(d) for d in providers.get(module, [module])}
        if not distributions & _declared():
            missing.append(f"{module} ({', '.join(sorted(distributions))})")
    assert not missing, f"imported but not in pyproject.toml: {missing}"


def test_the_html_cleaner_trafilatura_needs_is_declared() -> None:
    # lxml no longer ships lxml.html.clean; without it trafilatura fails on the first HTML file.
    importlib.import_module("lxml.html.clean")

    providers = metadata.packages_distributions()
    assert {_normal(d) for d in providers["lxml_html_clean"]} & _declared()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt pins exact versions only: {line!r}"
            pins[_normal(name)] = version
    return pins


def test_the_constraints_pin_every_declared_package_within_its_range() -> None:
    from packaging.requirements import Requirement

    project = _toml((ROOT / "pyproject.toml").read_text())["project"]
    pins = _pins()
    extras = project["optional-dependencies"]
    for spec in project["dependencies"] + extras["dev"] + extras["testing"]:
        requirement = Requirement(spec)
        name = _normal(requirement.name)
        if name == "sayso":  # an extra of its own, checked on its own
            continue
        assert name in pins, f"{name} is declared but not pinned: run `make lock`"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {spec}"


def _dry_run(*args: str) -> str:
    """The commands `make` would run (`-n`), every target made again (`-B`)."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    # Not as a sub-make of `make test`: without the parent's flags and directory messages.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run([make, "-n", "-B", "--no-print-directory", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_test_installs_the_pinned_versions(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    commands = [shlex.split(line) for line in _dry_run(f"{venv}/.installed", f"VENV={venv}").splitlines()]
    installs = [c for c in commands if c[1:4] == ["-m", "pip", "install"] and ".[dev]" in c]
    assert installs, commands
    for command in installs:  # the project's own install is held to the pins
        assert command[command.index("-c") + 1] == "constraints.txt", command
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        return  # another environment than the one `make test` builds: its versions are its own
    installed = {_normal(d.metadata["Name"]): d.version for d in metadata.distributions()}
    off = {name: (installed[name], pin) for name, pin in _pins().items() if installed.get(name, pin) != pin}
    assert not off, f"installed (version, pin) differ from constraints.txt: {off}"


def test_make_lock_writes_the_constraints_from_a_fresh_install() -> None:
    commands = _dry_run("lock").splitlines()
    assert any("pip install" in c and "'.[dev]'" in c and "-c" not in c.split() for c in commands)
    assert commands[-2:] == ["mv constraints.txt.new constraints.txt", "rm -rf .venv-lock"]
