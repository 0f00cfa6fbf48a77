"""Bottom line: the piece's main judgment, conclusion or recommendation, never its lede."""

import numpy as np

from briefgen.analysis import analyze, lexicon
from briefgen.analysis.bottomline import find_bottom_line, thesis_scores
from briefgen.analysis.keypoints import rank
from scenarios import parsed_scenario, scenario


def bottom_line_ids(name: str) -> list[str]:
    parsed = parsed_scenario(name)
    picked = find_bottom_line(parsed, rank(parsed), thesis_scores(parsed))
    return [parsed.sentences[i].id for i in picked]


def test_a_conclusion_paragraphs_judgment_beats_the_lede():
    ids = bottom_line_ids("bottomline_conclusion_beats_lede.txt")
    assert ids[0] == "p5.s1"
    assert "p1.s1" not in ids


def test_a_judgment_under_a_summary_heading_beats_enumerated_recommendations():
    ids = bottom_line_ids("bottomline_summary_heading.txt")
    assert ids[0] == "p1.s1"


def test_an_enumerated_step_scores_below_the_judgment_it_serves():
    parsed = parsed_scenario("bottomline_summary_heading.txt")
    thesis = thesis_scores(parsed)
    assert thesis[0] > 0 and np.all(thesis[1:3] <= 0)  # the background section is marked down


def test_the_brief_carries_the_bottom_line_with_its_citation():
    brief = analyze(*scenario("bottomline_conclusion_beats_lede.txt"))
    assert [b.cite.sentence for b in brief.bottom_line] == ["p5.s1"]
    assert brief.bottom_line[0].text.startswith("Our assessment is")


def test_an_empty_text_has_no_bottom_line():
    parsed = parsed_scenario("bottomline_conclusion_beats_lede.txt")
    empty = type(parsed)(document=parsed.document, sentences=(), docs=())
    assert find_bottom_line(empty, rank(empty), thesis_scores(empty)) == ()


def test_every_marker_file_says_where_its_entries_come_from():
    for name in ("thesis_markers.tsv", "conclusion_headings.txt", "background_headings.txt"):
        text = (lexicon.resources.files(lexicon._DATA) / name).read_text(encoding="utf-8")
        assert "Where they come from" in text


FAQ = "bottomline_faq_answers.txt"


def test_a_question_and_answer_reports_bottom_line_is_the_answer_to_its_first_question():
    assert bottom_line_ids(FAQ) == ["p2.s1"]


def test_in_a_question_and_answer_report_a_however_sentence_is_never_the_bottom_line():
    parsed = parsed_scenario(FAQ)
    ids = bottom_line_ids(FAQ)
    assert not any(parsed.sentences[parsed.index()[i]].text.startswith("However") for i in ids)


def test_the_last_sentence_of_a_quotation_opened_earlier_is_never_the_bottom_line():
    # '... every day."' carries "must", but its speaker and the start of the words are in the
    # sentence before: printed alone it is nobody's judgment.
    from briefgen.analysis import analyze
    from scenarios import scenario

    brief = analyze(*scenario("bottomline_quote_tail.txt"))
    assert brief.bottom_line
    assert not any("answer to the people" in b.text for b in brief.bottom_line)
