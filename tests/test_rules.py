"""The rule extractor: one test per reporting pattern, naming, determinism, the lexicon, a gold set.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from sayso.evaluation import PredictedAttribution, Score, load_gold, score_article
from sayso.rules import (
    LexiconError,
    build_lexicon,
    extract_attributions,
    extractive_summary,
    load_lexicon,
)
from sayso.rules._lexicon import verb_forms
from sayso.schema import Attribution

GOLD = Path(__file__).parent / "gold"


def check_spans(text: str, found: list[Attribution]) -> None:
    for a in found:
        assert a.found_by == "rules"
        assert a.cue_span is not None and a.content_span is not None
        assert text[a.cue_span.start : a.cue_span.end] == a.cue
        assert text[a.content_span.start : a.content_span.end] == a.content
        if a.source is None:
            assert a.source_span is None
        else:
            assert a.source_span is not None
            assert text[a.source_span.start : a.source_span.end] == a.source


def find(text: str, cue: str) -> Attribution:
    found = extract_attributions(text)
    check_spans(text, found)
    matches = [a for a in found if a.cue == cue]
    assert matches, f"no attribution with the cue {cue!r} in {[(a.cue, a.content) for a in found]}"
    return matches[0]


@pytest.mark.parametrize(
    ("text", "source", "cue", "content"),
    [
        # quotation, cue after
        ('"The roof will hold another winter," the caretaker said.', "the caretaker", "said",
         '"The roof will hold another winter,"'),
        # quotation, cue first with a colon
        ('The caretaker said: "The roof will hold another winter."', "The caretaker", "said",
         '"The roof will hold another winter."'),
        # quotation, inverted cue and source with an appositive
        ('"We will appeal," said Nora Patel, a lawyer for the tenants.',
         "Nora Patel, a lawyer for the tenants", "said", '"We will appeal,"'),
        # indirect speech with that
        ("The mayor said that the market would move to the harbour in spring.", "The mayor", "said",
         "that the market would move to the harbour in spring"),
        # indirect speech without that, after an adverbial
        ("The ministry said on Monday the tax would not rise.", "The ministry", "said",
         "the tax would not rise"),
        # told with an addressee
        ("Gabriel Ortiz told reporters that the vote was a mistake.", "Gabriel Ortiz", "told",
         "that the vote was a mistake"),
        # indirect speech before its cue
        ("The factory will close in May, union officials said.", "union officials", "said",
         "The factory will close in May"),
        # appositive source
        ("Ruth Adler, a spokeswoman for the port, said the cranes were safe.",
         "Ruth Adler, a spokeswoman for the port", "said", "the cranes were safe"),
        # noun cue owned by its source
        ("The council's claim that the park was unused drew protests.", "The council", "claim",
         "that the park was unused drew protests"),
        # belief
        ("Dr. Ines Kowal believes the vaccine will be ready by June.", "Dr. Ines Kowal", "believes",
         "the vaccine will be ready by June"),
        # intention
        ("The club wants to build a second pitch.", "The club", "wants", "to build a second pitch"),
        ("The airline plans to cut twelve routes.", "The airline", "plans", "to cut twelve routes"),
        # call for
        ("The teachers' union called for a review of the exams.", "The teachers' union",
         "called for", "a review of the exams"),
        # warning
        ("Hana Ito warned that the river could flood again.", "Hana Ito", "warned",
         "that the river could flood again"),
        # an "including" list stays in the content it extends
        ("The mayor said the budget covers new roads, including a bridge over the canal.", "The mayor",
         "said", "the budget covers new roads, including a bridge over the canal"),
        # a relative "who" clause ends before the main clause's verb
        ("Omar Bell, who said the ferry was unsafe, resigned from the board on Friday.", "who", "said",
         "the ferry was unsafe"),
        # a participle clause opening the sentence belongs to the main clause's subject
        ("After criticising the budget for its cuts, the mayor left the meeting early.", "the mayor",
         "criticising", "the budget for its cuts"),
        # an appositive that opens with a lower-case noun phrase still names the source
        ("In a letter, their lawyer, Ada Stone, wrote that the lease was void.", "their lawyer, Ada Stone",
         "wrote", "that the lease was void"),
        # a cue word that is the object of a past-tense verb: the verb's subject is the source
        ("The bakery has made public promises to open a second shop.", "The bakery", "promises",
         "to open a second shop"),
        # a cue that governs "to" as a preposition: the content is its object
        ("The builder did not respond to questions about the delay.", "The builder", "respond to",
         "questions about the delay"),
        ("The union renewed its opposition to the new runway.", "its", "opposition to", "the new runway"),
        # ", and" with a pronoun opens a clause of its own
        ("The coach said the team had trained hard, and she thanked the fans.", "The coach", "said",
         "the team had trained hard"),
        # a participle clause takes a lower-case subject after an opener, and a capitalised plural
        ("In two interviews, the judge spoke about the case, saying the trial would be fair.",
         "the judge", "saying", "the trial would be fair"),
        ("The Greens have opposed the road for years, arguing that it would harm the marsh.",
         "The Greens", "arguing", "that it would harm the marsh"),
        # a relative or "what" clause around its source: the content starts with the clause
        ("The fund will pay for what the mayor calls a long overdue repair.", "the mayor", "calls",
         "what the mayor calls a long overdue repair"),
        # a cue that interrupts a longer clause: the content goes round it
        ("If the river rises again this spring, the engineer said, the old bridge must close.",
         "the engineer", "said", "If the river rises again this spring, the engineer said, the old bridge must close"),
        # ", but not" joins a phrase to the content rather than starting a clause
        ("The inspector said the school could reopen, but not before the roof is mended.",
         "The inspector", "said", "the school could reopen, but not before the roof is mended"),
        # an appositive that opens with a bare noun ("research director for ...")
        ("Mia Holt, research director at the Harbour Institute, said rents would rise again.",
         "Mia Holt, research director at the Harbour Institute", "said", "rents would rise again"),
        # "a news report" is a noun; the verb after it is the cue
        ("A news report said the mayor would resign.", "A news report", "said", "the mayor would resign"),
        # "said about half ..." is content, not an adverbial
        ("The port authority said about half of the cranes were idle.", "The port authority", "said",
         "about half of the cranes were idle"),
        # an inverted source with a lower-case title
        ("The harbour will need dredging every year, says marine engineer Tom Asher.",
         "marine engineer Tom Asher", "says", "The harbour will need dredging every year"),
        # a comma and "said" after a participle cue: the cue is the participle clause's, not a content
        ("Schools lose time on testing and learning in class, said Dana Webb, a teacher.",
         "Dana Webb, a teacher", "said", "Schools lose time on testing and learning in class"),
        # a name ending in -ly is no adverb, and a weekday after the cue is skipped
        ("Kelly said Thursday she would leave the board.", "Kelly", "said", "she would leave the board"),
        # a bare form after a singular name is a noun: "press" in a title
        ("City Hall press secretary Ann Lee said the budget was balanced.",
         "City Hall press secretary Ann Lee", "said", "the budget was balanced"),
        # "more than 4 in 10" is one subject; "though" sets off an aside
        ("Most voters were worried, and more than 4 in 10 said prices would rise.", "more than 4 in 10",
         "said", "prices would rise"),
        ("Ortiz, though, said he would vote for the plan.", "Ortiz, though", "said", "he would vote for the plan"),
        # an adverbial after the cue ends where the content's subject begins
        ("Ruiz said in a radio interview she would run again.", "Ruiz", "said", "she would run again"),
        # a participle after a preposition stays inside the content that holds it
        ("Diaz said that by refusing to debate, the governor had lost the trust of voters.", "Diaz", "said",
         "that by refusing to debate, the governor had lost the trust of voters"),
        # ', but "..."' goes on with the speaker's own words
        ('Lind said she had offers for the farm, but "none of them were fair."', "Lind", "said",
         'she had offers for the farm, but "none of them were fair."'),
    ],
)
def test_pattern(text: str, source: str, cue: str, content: str) -> None:
    found = find(text, cue)
    assert (found.source, found.cue, found.content) == (source, cue, content)


def test_according_to_before_and_after() -> None:
    before = find("According to the fire service, the blaze began in the kitchen.", "According to")
    assert (before.source, before.content) == ("the fire service", "the blaze began in the kitchen")
    after = find("The blaze began in the kitchen, according to the fire service.", "according to")
    assert (after.source, after.content) == ("the fire service", "The blaze began in the kitchen")
    assert after.statement == "According to the fire service, The blaze began in the kitchen"


def test_colon_after_a_name() -> None:
    found = find('Lina Moss: "We never saw the letter."', ":")
    assert (found.source, found.content) == ("Lina Moss", '"We never saw the letter."')


def test_dash_attributions() -> None:
    signed = find('"Nobody asked the farmers." — Piet Jansen, a dairy farmer.', "—")
    assert (signed.source, signed.content) == ("Piet Jansen, a dairy farmer", '"Nobody asked the farmers."')
    leading = find('Piet Jansen — "Nobody asked the farmers."', "—")
    assert (leading.source, leading.content) == ("Piet Jansen", '"Nobody asked the farmers."')


def test_colon_after_a_cue_gives_a_second_content() -> None:
    text = 'The director rejected the plan: "It would ruin the garden."'
    rejected = find(text, "rejected")
    colon = find(text, ":")
    assert rejected.content == "the plan"
    assert (colon.source, colon.content) == ("The director", '"It would ruin the garden."')


def test_conjoined_cue_shares_the_source() -> None:
    text = "The minister said the bridge was safe and added that it would be inspected in May."
    added = find(text, "added")
    assert (added.source, added.content) == ("The minister", "that it would be inspected in May")
    said = find(text, "said")
    assert said.content == "the bridge was safe"


def test_participle_cue_shares_the_source() -> None:
    found = find("Omar Reyes praised the volunteers, saying they had saved the harvest.", "saying")
    assert (found.source, found.content) == ("Omar Reyes", "they had saved the harvest")


def test_attributions_without_a_source() -> None:
    expected = find("The new stadium is expected to open in 2027.", "is expected to")
    assert expected.source is None
    assert expected.content == "The new stadium is expected to open in 2027"
    reportedly = find("The singer reportedly cancelled the tour.", "reportedly")
    assert reportedly.source is None
    assert reportedly.content == "The singer reportedly cancelled the tour"
    seen = find("The deal is seen as a victory for the farmers.", "is seen as")
    assert seen.content == "The deal is seen as a victory for the farmers"


def test_interrupted_quotation_is_one_attribution() -> None:
    text = '"The pool will stay open," she said. "The lifeguards are staying too."'
    found = extract_attributions(text)
    check_spans(text, found)
    assert len(found) == 1
    assert found[0].content == text  # the covering range of both parts
    assert found[0].source == "she"
    assert found[0].direct


def test_quotation_interrupted_mid_sentence() -> None:
    text = '"We tried," Mr. Lund said, "but the ice was too thin."'
    found = find(text, "said")
    assert found.content == text
    assert found.source == "Mr. Lund"


def test_pronoun_is_named_in_the_statement() -> None:
    text = (
        "Maria Sorensen opened the new library on Friday. "
        '"Books still matter," she said.'
    )
    found = find(text, "said")
    assert found.source == "she"
    assert found.source_type == "person"
    assert found.statement.startswith("Maria Sorensen said")


def test_pronoun_takes_the_person_of_its_gender() -> None:
    text = (
        "Mrs. Ada Quist met Mr. Tobias Renn at the harbour. "
        "She said the boats were too old."
    )
    found = find(text, "said")
    assert found.statement.startswith("Mrs. Ada Quist said")


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("she", "person"),
        ("Jonas Ek", "person"),
        ("officials", "anonymous"),
        ("a source familiar with the talks", "anonymous"),
        ("the White House", "government"),
        ("the Kremlin", "government"),
        ("the Times", "media"),
        ("Reuters", "media"),
        ("the report", "document"),
        ("the poll", "document"),
        ("the company", "organization"),
        ("the crowd", "other"),
    ],
)
def test_source_types(source: str, kind: str) -> None:
    found = find(f"{source[0].upper()}{source[1:]} said the roads were closed.", "said")
    assert found.source_type == kind


def test_direct_and_sorted_and_unique() -> None:
    text = (
        "The coach said the team was tired. "
        '"We need a rest," the captain said. '
        "The coach said the team was tired."
    )
    found = extract_attributions(text)
    check_spans(text, found)
    starts = [a.content_span.start for a in found if a.content_span]
    assert starts == sorted(starts)
    assert len({(a.content_span, a.cue_span) for a in found}) == len(found)
    assert [a.direct for a in found] == [False, True, False]


def test_deterministic() -> None:
    text = (GOLD / "quarry-hearing.txt").read_text(encoding="utf-8")
    first = [a.model_dump() for a in extract_attributions(text)]
    second = [a.model_dump() for a in extract_attributions(text)]
    assert first == second


def test_no_attributions_in_plain_prose() -> None:
    assert extract_attributions("The river rose by two metres overnight.") == []
    assert extract_attributions("") == []


def test_every_lexicon_entry_loads() -> None:
    data = json.loads(resources.files("sayso.rules").joinpath("cues.json").read_text(encoding="utf-8"))
    lexicon = load_lexicon()
    for verb_class, entries in data["verbs"].items():
        for entry in entries:
            _, forms = verb_forms(entry)
            for form, _, _ in forms:
                assert tuple(form.split(" ")) in lexicon.phrases, (verb_class, entry, form)
    for kind in ("nouns", "according", "sourceless"):
        for entry in data[kind]:
            assert tuple(entry.split(" ")) in lexicon.phrases, (kind, entry)
    for kind, entries in data["source_types"].items():
        assert all(lexicon.type_of.get(e) is not None for e in entries), kind


def test_a_malformed_lexicon_is_refused() -> None:
    data = json.loads(resources.files("sayso.rules").joinpath("cues.json").read_text(encoding="utf-8"))
    data["verbs"]["speech"].append("Say!")
    with pytest.raises(LexiconError):
        build_lexicon(data)
    with pytest.raises(LexiconError):
        build_lexicon({"version": 2})


def test_gold_spans_slice_to_their_text() -> None:
    anns = sorted(GOLD.glob("*_a.ann"))
    assert len(anns) >= 5
    for ann in anns:
        text = (GOLD / ann.name.replace("_a.ann", ".txt")).read_text(encoding="utf-8")
        for line in ann.read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            _, spec, written = line.split("\t")
            offsets = spec.split(" ", 1)[1]
            pieces = [text[int(s) : int(e)] for s, e in (part.split() for part in offsets.split(";"))]
            assert " ".join(pieces) == written, (ann.name, line)


def test_gold_set_score() -> None:
    total = Score()
    for article in load_gold(GOLD):
        predicted = PredictedAttribution.of(extract_attributions(article.text))
        total.add(score_article(article.text, predicted, article.attributions))
    scores = total.to_dict()["attribution"]
    assert isinstance(scores, dict)
    assert scores["overlap@0.3"]["f1"] >= 0.85
    assert scores["exact"]["f1"] >= 0.75
    assert total.source_accuracy is not None and total.source_accuracy >= 0.9


def test_extractive_summary_is_whole_sentences_of_the_article() -> None:
    text = (GOLD / "clinic-funding.txt").read_text(encoding="utf-8")
    summary, points = extractive_summary(text)
    assert summary.startswith("Three rural health clinics")  # the headline is passed over
    first, second = summary[: summary.index(". ") + 1], summary[summary.index(". ") + 2 :]
    assert first in text and second in text
    assert points and all(point in text for point in points)
    assert extractive_summary("") == ("", [])


def test_quotation_over_paragraphs_is_one_content() -> None:
    text = '"The ferry will run all winter.\n\n"The new engines can take the ice," the harbour master said.'
    found = find(text, "said")
    assert found.content == text[: text.index(',"') + 2]
    assert found.source == "the harbour master"


def test_main_clause_after_a_relative_clause_is_kept() -> None:
    text = "Lena Voss, who said in May that the mill would close, warned that the town would shrink."
    found = find(text, "warned")
    assert (found.source, found.content) == ("Lena Voss", "that the town would shrink")


def test_quotation_goes_on_after_a_question_and_its_cue() -> None:
    text = '"Why build it now?" the planner asked. "The town has waited ten years."'
    found = find(text, "asked")
    assert (found.source, found.content) == ("the planner", text)  # one span, round its cue


def test_quotation_goes_on_past_a_short_quoted_name() -> None:
    text = '"We will stay," said Ana Ruiz of the "Open Doors" group. "Nobody will move us."'
    found = find(text, "said")
    assert found.content.endswith('"Nobody will move us."')


def test_a_lower_case_subject_after_and_starts_its_own_attribution() -> None:
    text = "The ferry is expected to resume in May, and engineers say the hull is sound."
    found = find(text, "say")
    assert (found.source, found.content) == ("engineers", "the hull is sound")


def test_participle_takes_the_subject_of_its_own_clause() -> None:
    text = "Ever since she endorsed the mayor, Ada Moss has been a loyal ally, praising the new bridge."
    found = find(text, "praising")
    assert (found.source, found.content) == ("Ada Moss", "the new bridge")


def test_an_opening_adverb_is_no_subject_for_a_participle() -> None:
    text = "Outside, some forty farmers gathered by the gate, chanting that the dam must go."
    found = find(text, "chanting")
    assert found.source != "Outside"


def test_a_leading_conjunction_does_not_hide_the_subject() -> None:
    text = "And she kept on for an hour, praising the volunteers who rebuilt the pier."
    found = find(text, "praising")
    assert (found.source, found.content) == ("she", "the volunteers who rebuilt the pier")


def test_an_opening_participle_clause_takes_the_subject_after_it() -> None:
    text = "After thanking the crowd, which cheered for minutes, the mayor promised a new library."
    found = find(text, "thanking")
    assert (found.source, found.content) == ("the mayor", "the crowd")


def test_a_renamed_object_is_not_the_subject_of_a_participle() -> None:
    text = "Ida Holm fired her deputy, Tom Reyes, saying that the office needed a fresh start."
    found = find(text, "saying")
    assert (found.source, found.content) == ("Ida Holm", "that the office needed a fresh start")


def test_an_opening_participle_is_not_a_name() -> None:
    text = "Asked about the budget, the treasurer smiled, adding that the books were balanced."
    found = find(text, "adding")
    assert found.source == "the treasurer"


def test_a_passive_participle_after_a_noun_names_no_source() -> None:
    text = "The cove, a beach known for its seals, draws crowds, and a lane known as the Mile leads there."
    found = find(text, "known")
    assert found.source is None


def test_since_between_have_and_the_cue_keeps_the_subject() -> None:
    text = "The governor has since said she would sign the water bill."
    found = find(text, "said")
    assert (found.source, found.content) == ("The governor", "she would sign the water bill")


def test_a_number_word_can_be_the_subject_of_a_bare_verb() -> None:
    text = "Of the council members, all five say they want the library kept open."
    found = find(text, "say")
    assert found.content == "they want the library kept open"


def test_a_place_after_the_addressee_is_not_the_content() -> None:
    text = "Moss told reporters on a visit to Oslo on Friday that the deal was close."
    found = find(text, "told")
    assert found.content == "that the deal was close"


def test_a_relative_clause_ending_in_an_object_comes_before_the_verb() -> None:
    text = "Farmers who have worked with him say they trust the new dam."
    found = find(text, "say")
    assert (found.source, found.content) == ("Farmers", "they trust the new dam")


def test_a_clause_opened_by_while_keeps_its_subject_for_a_joined_verb() -> None:
    text = "While Mr. Lund is a fan of the plan and wrote the first draft, the board is wary."
    found = find(text, "wrote")
    assert found.source == "Mr. Lund"


def test_an_opening_asked_reports_the_question_without_a_source() -> None:
    text = "Asked whether the ferry would run in winter, the harbour master said it would."
    found = find(text, "Asked")
    assert (found.source, found.content) == (None, "whether the ferry would run in winter")
    assert find(text, "said").source == "the harbour master"


def test_a_relative_who_is_the_subject_of_its_participle() -> None:
    text = "The board met Ada Moss, who stunned the room by announcing that she would retire."
    found = find(text, "announcing")
    assert (found.source, found.content) == ("who", "that she would retire")


def test_the_agent_of_a_passive_asked_is_the_source() -> None:
    text = "When asked by a reporter whether the ferry would run, the captain nodded."
    found = find(text, "When asked")
    assert found.source == "a reporter"


def test_a_short_phrase_may_come_between_asked_and_the_question() -> None:
    text = "Asked in Oslo last week whether the deal was close, Moss smiled."
    found = find(text, "Asked")
    assert (found.source, found.content) == (None, "whether the deal was close")


def test_a_floating_quantifier_is_not_the_source() -> None:
    text = "Ada Moss and Tom Reyes have both said that the bridge is unsafe."
    found = find(text, "said")
    assert (found.source, found.content) == ("Ada Moss and Tom Reyes", "that the bridge is unsafe")


def test_a_pronoun_paired_with_a_noun_phrase_keeps_the_content_whole() -> None:
    text = "Ida Holm said she and her brother often called the farm their refuge."
    found = find(text, "said")
    assert found.content == "she and her brother often called the farm their refuge"


def test_a_capitalised_ing_word_mid_sentence_is_a_name() -> None:
    text = "Earlier Wednesday, Schilling spoke on the radio and defended the new rules."
    found = find(text, "defended")
    assert found.source == "Schilling"


def test_a_time_phrase_may_open_a_leading_participle_clause() -> None:
    text = "One day after announcing the merger, the chief executive resigned."
    found = find(text, "announcing")
    assert (found.source, found.content) == ("the chief executive", "the merger")


def test_the_subject_after_an_opening_time_phrase_is_found() -> None:
    text = "On Sunday morning Mr. Lund made a third attempt to calm the town, writing that the dam was safe."
    found = find(text, "writing")
    assert (found.source, found.content) == ("Mr. Lund", "that the dam was safe")


def test_a_number_inside_a_subject_does_not_end_it() -> None:
    text = "The 5th district's delegate is on the slate and declined to rule out either candidate."
    found = find(text, "declined")
    assert found.source is not None and found.source.startswith("The 5th district")


def test_a_quantifier_before_a_verb_is_a_subject() -> None:
    text = "Both grew up on farms near the river. And both vowed to protect the wetlands, calling them a treasure."
    found = find(text, "calling")
    assert found.source == "both"


def test_a_poll_named_in_the_sentence_is_the_source_of_its_shares() -> None:
    text = "In a new Harbor Gazette poll, 62 percent of residents said the ferry should run all night."
    found = find(text, "said")
    assert found.source == "a new Harbor Gazette poll"
    text = "Only 12 percent said they rode the ferry in the summer."
    assert find(text, "said").source == "Only 12 percent"
    text = "Only 12 percent said they rode it, compared with 30 percent in a similar survey last year."
    assert find(text, "said").source == "Only 12 percent"


def test_a_headline_interjection_before_a_colon_is_no_source() -> None:
    found = find("Wow: Harbor Ferry Runs All Night For The First Time", "Wow:")
    assert found.source is None
    assert find("Lund: The Dam Is Safe And Will Hold", ":").source == "Lund"


def test_a_name_between_a_dash_and_a_colon_signs_the_quotation() -> None:
    text = "Ferry riders agree - Jane Roe: “The night boat changed how we live here.”"
    quoted = [a for a in extract_attributions(text) if a.content.startswith("“The night boat")]
    assert quoted and quoted[0].source == "Jane Roe"


def test_the_asker_after_an_opening_asked_by_is_the_source() -> None:
    found = find("Asked by a ferry captain whether the dam was safe, Lund said it was.", "Asked")
    assert (found.source, found.content) == ("a ferry captain", "whether the dam was safe")
    assert find("Asked whether the dam was safe, Lund said it was.", "Asked").source is None
