"""One self-contained HTML page for one or many results: the article with its highlights.

The page needs nothing but itself: styles and script are inlined, nothing is fetched, and it opens
from disk. Every piece of article text and model output is escaped (Jinja autoescape); the
highlighted article is cut into flat segments in Python (see `_spans`), so the browser only lays
it out and the script only reacts to clicks and keys.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from .._errors import FileFormatError
from .._jsonread import parse_json
from .._result import Result
from ._matches import match_note
from ._spans import KINDS, article_html, collect_marks, item_spans

__all__ = ["Page", "page_from_record", "page_from_result", "to_html", "view_jsonl"]

_SUMMARY_KEYS = {"summary", "key_points", "claims", "attributions", "extractive"}
_LEGEND = (
    ("source", "who it is attributed to"),
    ("cue", "the reporting words"),
    ("content", "what is attributed"),
    ("evidence", "a claim's evidence"),
)


@dataclass
class Page:
    """One article's record, ready to draw.

    `text` is the text the output's offsets index (None when it could not be had); `output` is
    the result as JSON (None for an error); `error` is `{"type", "message"}`; `run` holds the
    run's model, engine, attempts, usage, elapsed_s, cached and dropped items, when known.
    """

    title: str
    text: str | None = None
    output: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    run: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _read(path: Path) -> tuple[str | None, str | None]:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read(), None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, f"The article text could not be read from {str(path)!r} ({exc.__class__.__name__}: {exc}); the output is shown without highlights."


def page_from_record(
    record: dict[str, Any], text: str | None = None, *, base: str | Path | None = None
) -> Page:
    """A `Page` from one JSONL record of a batch.

    The text is `text` when given, else the record's `"text"`, else the file at `"input"` (read
    as `open(path, encoding="utf-8").read()`, relative paths tried from the working directory
    and then from `base`). A text that cannot be had is noted on the page, not raised.
    """
    name = record.get("input")
    title = str(name) if name else "untitled"
    run = record.get("run") if isinstance(record.get("run"), dict) else {}
    page = Page(title=title, run=dict(run or {}))
    error, output = record.get("error"), record.get("output")
    if error is not None or output is None:
        page.error = _error(error if error is not None else "the record has no output")
        return page
    if not isinstance(output, dict):
        page.error = _error(f"the output is a JSON {type(output).__name__}, not an object")
        return page
    page.output = output
    if text is None and isinstance(record.get("text"), str):
        text = record["text"]
    if text is None:
        text, note = _read_input(name, base)
        if note:
            page.notes.append(note)
    page.text = text
    return page


def _read_input(name: Any, base: str | Path | None) -> tuple[str | None, str | None]:
    if not isinstance(name, str) or not name:
        return None, "The record has no text and names no file; the output is shown without highlights."
    path = Path(name)
    if base is not None and not path.is_absolute() and not path.exists():
        beside = Path(base) / path
        if beside.exists():
            path = beside
    return _read(path)


def _error(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return {"type": str(value.get("type") or "Error"), "message": str(value.get("message") or "")}
    return {"type": "Error", "message": str(value)}


def view_jsonl(path: str | Path) -> str:
    """The HTML page for a finished JSONL batch; a line that is not a JSON object becomes an error."""
    path = Path(path)
    pages: list[Page] = []
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                record = parse_json(raw, f"{path.name}, line {number}")
            except FileFormatError as exc:
                pages.append(_malformed(number, str(exc)))
                continue
            if not isinstance(record, dict):
                pages.append(_malformed(number, f"{path.name}, line {number}: not a JSON object"))
                continue
            pages.append(page_from_record(record, base=path.parent))
    return to_html(pages)


def _malformed(number: int, message: str) -> Page:
    return Page(f"line {number}", error={"type": "MalformedLine", "message": message})


def _is_summary(output: dict[str, Any]) -> bool:
    """Whether the output has the ArticleSummary shape (a user's own schema is shown as JSON)."""
    if not output or not set(output) <= _SUMMARY_KEYS:
        return False
    lists = [output.get(k) for k in ("key_points", "claims", "attributions")]
    return all(v is None or isinstance(v, list) for v in lists)


def _view(page: Page, number: int) -> dict[str, Any]:
    """What the template needs for one page; every string in it is still unescaped."""
    view: dict[str, Any] = {
        "id": f"p{number}",
        "number": number + 1,
        "title": page.title,
        "error": page.error,
        "notes": list(page.notes),
        "run": _run_rows(page.run),
        "dropped": _dropped(page.run.get("dropped")),
        "summary": None,
        "json": None,
        "article": None,
        "plain": None,
    }
    output = page.output
    if output is None:
        return view
    if not _is_summary(output):
        view["json"] = json.dumps(output, ensure_ascii=False, indent=2)
        view["plain"] = page.text
        return view
    view["summary"] = _summary(output)
    if page.text is not None:
        marks, notes = collect_marks(output, page.text)
        view["article"] = article_html(page.text, marks)
        view["notes"] += notes
        spans = item_spans(marks)
        for row in (*view["summary"]["attributions"], *view["summary"]["claims"]):
            row["spans"] = spans.get(row["item"], "")
    return view


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _text(value)


def _summary(output: dict[str, Any]) -> dict[str, Any]:
    attributions = [a if isinstance(a, dict) else {} for a in output.get("attributions") or []]
    claims = [c if isinstance(c, dict) else {} for c in output.get("claims") or []]
    return {
        "summary": _text(output.get("summary")),
        "key_points": [_text(p) for p in output.get("key_points") or []],
        "attributions": [
            {
                "item": f"a{i}",
                "number": i + 1,
                **{k: _text(a.get(k)) for k in ("source", "source_type", "cue", "content", "statement", "found_by")},
                "direct": _yes_no(a.get("direct")),
                "match": match_note(a.get("matches")),
                "located": any(a.get(f"{k}_span") for k in ("source", "cue", "content")),
                "spans": "",  # its drawn spans' offsets, when there is a text to draw them on
            }
            for i, a in enumerate(attributions)
        ],
        "claims": [
            {
                "item": f"c{i}",
                "number": i + 1,
                **{k: _text(c.get(k)) for k in ("statement", "evidence", "attributed_to")},
                "match": match_note(c.get("matches")),
                "located": bool(c.get("evidence_span")),
                "spans": "",
            }
            for i, c in enumerate(claims)
        ],
    }


def _run_rows(run: dict[str, Any]) -> list[tuple[str, str]]:
    """The run's facts as (label, value) rows, known ones first."""
    rows: list[tuple[str, str]] = []
    usage = run.get("usage") if isinstance(run.get("usage"), dict) else None
    for key, label in (("model", "Model"), ("engine", "Engine"), ("attempts", "Attempts")):
        if run.get(key) is not None:
            rows.append((label, _text(run[key])))
    if usage:
        parts = [f"{usage[k]} {k.split('_')[0]}" for k in ("prompt_tokens", "completion_tokens") if k in usage]
        total = usage.get("total_tokens")
        rows.append(("Tokens", f"{total} ({', '.join(parts)})" if parts else _text(total)))
    elapsed = run.get("elapsed_s")
    if isinstance(elapsed, (int, float)) and not isinstance(elapsed, bool):
        rows.append(("Time", f"{elapsed:.2f} s"))
    if run.get("cached") is not None:
        rows.append(("From the cache", "yes" if run["cached"] else "no"))
    grounding = run.get("grounding")
    if isinstance(grounding, dict) and grounding.get("total"):
        rows.append(("Grounded at first", f"{grounding.get('found', 0)} of {grounding['total']} values"))
    if isinstance(run.get("chunks"), int) and run["chunks"] > 1:
        rows.append(("Chunks", str(run["chunks"])))
    shown = {"model", "engine", "attempts", "usage", "elapsed_s", "cached", "dropped", "grounding", "chunks"}
    rows += [(k.replace("_", " "), _text(v)) for k, v in run.items() if k not in shown and v not in ("", None)]
    return rows


def _dropped(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        return []
    rows = []
    for entry in value:
        entry = entry if isinstance(entry, dict) else {"item": entry}
        missing = entry.get("missing")
        not_found = (
            "; ".join(f"{k}: {_text(v)}" for k, v in missing.items())
            if isinstance(missing, dict)
            else _text(missing)
        )
        why = "; ".join(part for part in (_text(entry.get("reason")), not_found) if part)
        item = json.dumps(entry.get("item"), ensure_ascii=False, indent=2)
        rows.append({"path": _text(entry.get("path")), "why": why, "item": item})
    return rows


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sayso.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    assets = files("sayso.render") / "templates"
    # Our own stylesheet and script, inlined so the page opens from disk with no network. The
    # page's policy lets only these two run: an injected script or handler would be refused
    # even if escaping ever failed.
    for name, asset in (("css", "view.css"), ("js", "view.js")):
        source = assets.joinpath(asset).read_text(encoding="utf-8")
        env.globals[name] = Markup(source)
        digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
        env.globals[f"{name}_hash"] = f"sha256-{digest}"
    env.globals["kinds"] = KINDS
    env.globals["legend"] = _LEGEND
    return env


def page_from_result(result: Result[Any], text: str, title: str = "article") -> Page:
    """A `Page` for one `Summarizer.run` result on `text`."""
    return Page(title=title, text=text, output=result.output.model_dump(mode="json"),
                run=result.run_record())


def to_html(pages: Sequence[Page]) -> str:
    """One self-contained HTML page: one article, or an index followed by every article (and
    who is quoted across them, as `sayso sources` counts it)."""
    views = [_view(page, number) for number, page in enumerate(pages)]
    sources = _add_speakers(pages, views)
    title = views[0]["title"] if len(views) == 1 else f"{len(views)} articles"
    return _environment().get_template("page.html.j2").render(title=title, pages=views, sources=sources)


def _add_speakers(pages: Sequence[Page], views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each attribution row the speaker it is counted under, and each page the speakers
    its filter offers; the rows of the index's table of sources."""
    from ..sources import count_sources, speakers_by_article

    outputs = [page.output if view["summary"] and page.output else {} for page, view in zip(pages, views, strict=True)]
    for view, speakers in zip(views, speakers_by_article(outputs), strict=True):
        rows = view["summary"]["attributions"] if view["summary"] else []
        for row, speaker in zip(rows, speakers, strict=True):
            row["speaker"] = speaker or ""
        view["speakers"] = sorted({row["speaker"] for row in rows if row["speaker"]}, key=str.casefold)
    return [row.as_dict() for row in count_sources(outputs)] if len(views) > 1 else []
