"""The published JSON Schema stays in sync; prompts ship with the package and are checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import sayso
from sayso import ArticleSummary, Summarizer, model_facing_schema, public_schema
from sayso.extract._prompts import _FILES, _split_once, load_prompts, read_prompts

from .conftest import ROOT
from .scripted import KEY, SHORT_ANSWER, SHORT_ARTICLE, base_url, script, sent

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
    # Bounds shape a copy: the public schema, and an unbounded request, are left as they were.
    assert public_schema(ArticleSummary) == json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert "maxItems" not in json.dumps(model_facing_schema(ArticleSummary))


def test_prompts_ship_inside_the_installed_package() -> None:
    folder = Path(sayso.__file__).parent / "prompts"
    if not folder.is_dir():
        pytest.skip("an editable install serves the prompts from the checkout; `make test` installs the wheel")
    assert sorted(p.name for p in folder.iterdir()) == sorted(_FILES)
    for path in folder.iterdir():
        assert path.read_text() == (ROOT / "prompts" / path.name).read_text()


def test_a_request_carries_the_repository_s_prompt_files_and_the_article_byte_for_byte(
    httpserver: HTTPServer,
) -> None:
    script(httpserver, SHORT_ANSWER)
    result = Summarizer(base_url=base_url(httpserver), model="m", api_key=KEY).run(SHORT_ARTICLE)
    (body,) = sent(httpserver)
    system, user = body["messages"][0], body["messages"][1]
    assert system == {"role": "system", "content": (ROOT / "prompts" / "system.md").read_text(encoding="utf-8").strip()}
    before, after = (ROOT / "prompts" / "article.md").read_text(encoding="utf-8").split("{article}")
    # The file's own last line end is not part of the message.
    assert user["role"] == "user" and user["content"] == before + SHORT_ARTICLE + after.rstrip("\n")
    # The version a result reports is the one of these files, as a copy of them computes it.
    assert result.prompt_version == read_prompts(ROOT / "prompts").version


def test_the_prompt_version_changes_when_a_prompt_does(tmp_path: Path) -> None:
    for name in _FILES:
        (tmp_path / name).write_text((ROOT / "prompts" / name).read_text(encoding="utf-8"), encoding="utf-8")
    prompts = load_prompts()
    assert read_prompts(tmp_path).version == prompts.version
    (tmp_path / "system.md").write_text(prompts.system + "\nOne more rule.\n", encoding="utf-8")
    changed = read_prompts(tmp_path)
    assert changed.version != prompts.version and len(changed.version) == 12
    assert prompts.user_message("X{article}Y").count("X{article}Y") == 1
    assert "attribution" in prompts.system.lower()


def test_a_prompt_without_its_marker_is_refused() -> None:
    with pytest.raises(sayso.ConfigurationError, match="exactly once"):
        _split_once("article.md", "no marker here", "{article}")
    with pytest.raises(sayso.ConfigurationError, match="exactly once"):
        _split_once("article.md", "{article} twice {article}", "{article}")
