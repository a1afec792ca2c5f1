"""The published JSON Schema stays in sync; prompts ship with the package and are checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import sayso
from sayso import ArticleSummary, model_facing_schema, public_schema
from sayso.extract._prompts import _split_once, load_prompts

from .conftest import ROOT

SCHEMA_FILE = ROOT / "schemas" / "article_summary.schema.json"


def test_the_schema_file_matches_the_models() -> None:
    on_disk = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert on_disk == public_schema(ArticleSummary), "run `make schema` and commit the result"


def test_the_public_schema_has_spans_read_only() -> None:
    schema = public_schema(ArticleSummary)
    attribution = schema["$defs"]["Attribution"]["properties"]
    for name in ("source_span", "cue_span", "content_span"):
        assert attribution[name]["readOnly"] is True
    assert schema["$defs"]["Claim"]["properties"]["evidence_span"]["readOnly"] is True


def test_bounds_cap_arrays_and_strings_but_not_enums() -> None:
    schema = model_facing_schema(ArticleSummary, max_items=3, max_chars=50)
    assert schema["properties"]["attributions"]["maxItems"] == 3
    assert schema["properties"]["key_points"]["items"]["maxLength"] == 50
    attribution = schema["$defs"]["Attribution"]["properties"]
    assert attribution["cue"]["maxLength"] == 50
    assert "maxLength" not in attribution["source_type"]
    assert model_facing_schema(ArticleSummary) == model_facing_schema(ArticleSummary)
    assert "maxItems" not in json.dumps(model_facing_schema(ArticleSummary))


def test_prompts_ship_inside_the_installed_package() -> None:
    folder = Path(sayso.__file__).parent / "prompts"
    assert sorted(p.name for p in folder.iterdir()) == ["article.md", "reask.md", "system.md"]
    for path in folder.iterdir():
        assert path.read_text() == (ROOT / "prompts" / path.name).read_text()


def test_the_prompt_version_is_a_hash_of_the_prompt_files() -> None:
    prompts = load_prompts()
    assert len(prompts.version) == 12 and int(prompts.version, 16) >= 0
    assert prompts.user_message("X{article}Y").count("X{article}Y") == 1
    assert "attribution" in prompts.system.lower()


def test_a_prompt_without_its_marker_is_refused() -> None:
    with pytest.raises(sayso.ConfigurationError, match="exactly once"):
        _split_once("article.md", "no marker here", "{article}")
    with pytest.raises(sayso.ConfigurationError, match="exactly once"):
        _split_once("article.md", "{article} twice {article}", "{article}")
