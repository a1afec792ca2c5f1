"""Evaluation: the brat reader, the metrics on hand-made cases, and `sayso eval` end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from sayso.cli import app
from sayso.evaluation import GoldAttribution, load_gold, parse_ann
from sayso.evaluation._metrics import PredictedAttribution, score_article, trimmed
from sayso.text import Span

from .scripted import PATH, article_of, attribution, completion, summary

TEXT = (
    "The mayor said the bridge would reopen in May. "  # 0..46
    "\u201cIt is a disgrace,\u201d said Ann Lee, a resident. "
    "Officials believe the repairs will cost more."
)


def S(start: int, end: int) -> Span:
    return Span(start=start, end=end)


def span(text: str, part: str) -> Span:
    start = TEXT.index(text) if part == "" else TEXT.index(part, TEXT.index(text))
    return S(start, start + len(part or text))


MAYOR = GoldAttribution(
    content=(span("the bridge would reopen in May", ""),),
    cue=(span("said the bridge", "said"),),
    source=(span("The mayor", ""),),
)
LEE = GoldAttribution(
    content=(span("\u201cIt is a disgrace,\u201d", ""),),
    cue=(span("said Ann", "said"),),
    source=(span("Ann Lee", ""),),
)
OFFICIALS = GoldAttribution(content=(span("the repairs will cost more", ""),), cue=(span("believe", ""),))


def test_the_brat_reader_handles_fragments_no_source_and_discards() -> None:
    ann = "\n".join(
        [
            "T1\tSource 0 9\tThe mayor",
            "T2\tCue 10 14\tsaid",
            "T3\tContent 15 25;30 46\tthe bridge reopen in May",
            "T4\tAttribution 10 14\tsaid",
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            "T5\tCue 5 9\tsaid",
            "T6\tContent 20 30\tsomething",
            "T7\tAttribution 5 9\tsaid",
            "E2\tAttribution-no-source:T7 Cue:T5 Content:T6",
            "T8\tDiscard 0 4\tThe ",
            "T9\tDiscuss 1 3\the",
            "E3\tDiscard:T8",
        ]
    )
    first, second = parse_ann(ann)
    assert first.content == (S(15, 25), S(30, 46)) and first.content_range == S(15, 46)
    assert first.source == (S(0, 9),) and first.cue == (S(10, 14),)
    assert second.source is None and second.content == (S(20, 30),)


def write_gold(folder: Path, name: str, text: str, attributions: list[GoldAttribution], annotator: str = "a1") -> None:
    (folder / "text").mkdir(parents=True, exist_ok=True)
    (folder / "attributions").mkdir(parents=True, exist_ok=True)
    (folder / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
    lines, t = [], 0
    for e, a in enumerate(attributions, 1):
        roles = []
        for label, fragments in (("Source", a.source), ("Cue", a.cue), ("Content", a.content)):
            if fragments is None:
                continue
            t += 1
            offsets = ";".join(f"{f.start} {f.end}" for f in fragments)
            lines.append(f"T{t}\t{label} {offsets}\t{' '.join(text[f.start:f.end] for f in fragments)}")
            roles.append(f"{label}:T{t}")
        kind = "Attribution" if a.source else "Attribution-no-source"
        lines.append(f"E{e}\t{kind}:T0 {' '.join(roles)}")
    (folder / "attributions" / f"{name}_{annotator}.ann").write_text("\n".join(lines) + "\n")


def test_the_first_annotator_in_name_order_is_used(tmp_path: Path) -> None:
    write_gold(tmp_path, "story", TEXT, [MAYOR], annotator="b2")
    write_gold(tmp_path, "story", TEXT, [MAYOR, LEE], annotator="a1")
    (article,) = load_gold(tmp_path)
    assert article.annotation_file.name == "story_a1.ann"
    assert len(article.attributions) == 2


def test_a_flat_folder_like_the_seed_example_is_read(tmp_path: Path) -> None:
    (tmp_path / "call.txt").write_text(TEXT)
    write_gold(tmp_path / "x", "call", TEXT, [MAYOR])
    (tmp_path / "x" / "attributions" / "call_a1.ann").rename(tmp_path / "call_gold.ann")
    (article,) = load_gold(tmp_path)
    assert article.name == "call" and len(article.attributions) == 1


def predict(g: GoldAttribution) -> PredictedAttribution:
    return PredictedAttribution(g.content_range, g.source[0] if g.source else None)


def test_perfect_predictions_score_one_everywhere() -> None:
    score = score_article(TEXT, [predict(g) for g in (MAYOR, LEE, OFFICIALS)], [MAYOR, LEE, OFFICIALS])
    figures = score.to_dict()
    for measure in figures["attribution"].values():  # type: ignore[attr-defined]
        assert measure == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert score.source_accuracy == 1.0  # two sources overlap, and one is absent on both sides


def test_half_the_gold_keeps_precision_and_halves_recall() -> None:
    gold = [MAYOR, LEE, OFFICIALS, MAYOR]
    score = score_article(TEXT, [predict(MAYOR), predict(OFFICIALS)], gold)
    exact = score.to_dict()["attribution"]["exact"]  # type: ignore[index]
    assert exact == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}


def test_a_shifted_span_matches_by_overlap_but_not_exactly() -> None:
    start, end = MAYOR.content_range.start, MAYOR.content_range.end
    length = end - start
    half = PredictedAttribution(S(start + length // 2, end + 5))  # a bit over half of the gold
    score = score_article(TEXT, [half], [MAYOR]).to_dict()["attribution"]
    assert score["overlap@0.3"]["f1"] == 1.0  # type: ignore[index]
    assert score["overlap@0.8"]["f1"] == 0.0  # type: ignore[index]
    assert score["exact"]["f1"] == 0.0  # type: ignore[index]


def test_exact_ignores_edge_punctuation_and_whitespace() -> None:
    start, end = LEE.content_range.start, LEE.content_range.end
    without_quotes = PredictedAttribution(S(start + 1, end - 2))  # It is a disgrace
    score = score_article(TEXT, [without_quotes], [LEE]).to_dict()["attribution"]
    assert score["exact"]["f1"] == 1.0  # type: ignore[index]
    assert trimmed(TEXT, S(start, end)) == (start + 1, end - 2)


def test_fragments_count_only_their_own_characters() -> None:
    # Gold content in two fragments with a gap; a prediction over the gap only overlaps nothing.
    gold = GoldAttribution(content=(S(0, 9), S(47, 68)))
    gap = PredictedAttribution(S(10, 46))
    covering = PredictedAttribution(S(0, 68))
    assert score_article(TEXT, [gap], [gold]).by_measure["overlap@0.3"].matched == 0
    both = score_article(TEXT, [covering], [gold])
    assert both.by_measure["overlap@0.8"].matched == 1 and both.by_measure["exact"].matched == 1


def test_matching_is_one_to_one() -> None:
    twice = [predict(MAYOR), predict(MAYOR)]
    score = score_article(TEXT, twice, [MAYOR]).to_dict()["attribution"]
    assert score["exact"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}  # type: ignore[index]


def test_a_wrong_source_lowers_source_accuracy_only() -> None:
    wrong = PredictedAttribution(LEE.content_range, MAYOR.source[0])  # type: ignore[index]
    none = PredictedAttribution(MAYOR.content_range, None)
    score = score_article(TEXT, [wrong, none], [LEE, MAYOR])
    assert score.by_measure["exact"].matched == 2
    assert score.source_accuracy == 0.0


def gold_server(server: HTTPServer, folder: Path, keep: int = 1) -> None:
    """Answer each article with its own gold attributions (every `keep`-th of them)."""
    golds = {a.text: a for a in load_gold(folder)}

    def handler(request: Request) -> Response:
        text = article_of(json.loads(request.get_data(as_text=True)))
        gold = golds[text]
        answers: list[dict[str, Any]] = []
        for g in gold.attributions[::keep]:
            # The content as brat gives it: its fragments joined by a space.
            content = " ".join(text[f.start : f.end] for f in g.content)
            source = text[g.source[0].start : g.source[0].end] if g.source else None
            cue = text[g.cue[0].start : g.cue[0].end] if g.cue else "said"
            answers.append(attribution(source, cue, content))
        return Response(json.dumps(completion(summary(*answers))), content_type="application/json")

    server.expect_request(PATH, method="POST").respond_with_handler(handler)


# keep=2 answers every second gold attribution of each article: 2 of 3, 1 of 1, 1 of 1.
@pytest.mark.parametrize(("keep", "recall"), [(1, 1.0), (2, 0.8)])
def test_sayso_eval_against_a_server_that_answers_with_the_gold(
    httpserver: HTTPServer, tmp_path: Path, keep: int, recall: float
) -> None:
    gold = tmp_path / "gold"
    write_gold(gold, "one", TEXT, [MAYOR, LEE, OFFICIALS])
    second = "Critics said the plan was \u201creckless\u201d. The governor said nothing."
    g1 = GoldAttribution(content=(S(12, 38),), cue=(S(8, 12),), source=(S(0, 7),))
    write_gold(gold, "two", second, [g1])
    third = "\u201cWe will rebuild the bridge this year,\u201d the mayor said, \u201cwhatever it costs the city.\u201d"
    first_part = S(third.index("\u201cWe"), third.index(" the mayor"))
    second_part = S(third.index("\u201cwhatever"), len(third))
    mayor = third.index("the mayor")
    g2 = GoldAttribution(
        content=(first_part, second_part), cue=(S(mayor + 10, mayor + 14),), source=(S(mayor, mayor + 9),)
    )
    write_gold(gold, "three", third, [g2])
    gold_server(httpserver, gold, keep=keep)
    out = tmp_path / "figures.json"
    result = CliRunner().invoke(
        app,
        ["eval", str(gold), "--base-url", httpserver.url_for("/v1"), "--model", "m", "--json", str(out)],
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(out.read_text())
    assert figures["articles"] == 3
    for name in ("exact", "overlap@0.3", "overlap@0.8"):
        assert figures["attribution"][name]["precision"] == 1.0
        assert figures["attribution"][name]["recall"] == recall
    if keep == 1:
        assert figures["source_accuracy"] == 1.0 and figures["grounding_rate"] == 1.0
        assert all(v["f1"] == 1.0 for v in figures["attribution"].values())
    assert figures["usage"]["total_tokens"] == 360
    assert {row["name"] for row in figures["per_article"]} == {"one", "two", "three"}
    assert "overlap@0.3" in result.stdout and "source accuracy" in result.stdout
