"""A report's method, scope and front matter are background: never a key point or the bottom line."""

from briefgen.analysis import analyze
from briefgen.analysis.bottomline import thesis_scores
from briefgen.analysis.method import front_matter, method_sentences
from scenarios import parsed_scenario, scenario

AUDIT = "keypoints_method_and_findings.txt"


def method_ids(name: str) -> set[str]:
    parsed = parsed_scenario(name)
    return {s.id for s, m in zip(parsed.sentences, method_sentences(parsed), strict=True) if m}


def test_the_authors_research_acts_and_the_auditing_standards_statement_are_method():
    assert method_ids(AUDIT) == {"p2.s1", "p2.s2", "p3.s1", "p3.s2", "p3.s3", "p4.s1", "p4.s2"}


def test_findings_recommendations_and_the_audited_bodys_reply_are_not_method():
    assert not method_ids(AUDIT) & {"p5.s1", "p6.s1", "p7.s1", "p8.s1", "p9.s1", "p9.s2"}


def test_no_method_sentence_or_credit_line_is_a_key_point_or_the_bottom_line():
    brief = analyze(*scenario(AUDIT), key_points=10)
    chosen = {p.cite.sentence for p in brief.key_points} | {b.cite.sentence for b in brief.bottom_line}
    assert chosen and not chosen & (method_ids(AUDIT) | {"p1.s1"})


def test_the_findings_are_the_key_points():
    brief = analyze(*scenario(AUDIT), key_points=6)
    assert {"p5.s1", "p6.s1", "p7.s1"} <= {p.cite.sentence for p in brief.key_points}


def test_the_authors_first_person_conclusion_naming_who_should_act_is_the_bottom_line():
    brief = analyze(*scenario(AUDIT))
    assert brief.bottom_line[0].cite.sentence in {"p8.s1", "p9.s2"}
    assert "port director should" in brief.bottom_line[0].text


def test_a_credit_line_is_front_matter_and_a_sentence_about_preparation_is_not():
    assert front_matter("Prepared by the Rail Safety Unit, Ministry of Transport, May 2024.")
    assert front_matter("Copyright 2023 Institute for Water Policy. All rights reserved.")
    assert not front_matter("The ministry prepared by March a plan to close the branch lines.")
    assert not front_matter("Cities that prepared for the flood lost less than those that did not.")


def test_a_reports_scope_statement_is_method_and_its_answers_are_not():
    assert method_ids("bottomline_faq_answers.txt") == {"p1.s1"}  # "This report briefly poses and answers"


def test_an_audits_findings_are_marked_as_judgments_and_its_method_is_not():
    parsed = parsed_scenario(AUDIT)
    thesis = dict(zip((s.id for s in parsed.sentences), thesis_scores(parsed), strict=True))
    # "stopped inspecting", "did not meet": what the audit found.
    assert thesis["p5.s1"] > 0 and thesis["p6.s1"] > 0
    assert thesis["p3.s2"] == 0  # "We also interviewed ..."


def test_a_first_person_conclusion_that_someone_should_act_is_marked_at_least_as_the_recommendation():
    parsed = parsed_scenario(AUDIT)
    thesis = dict(zip((s.id for s in parsed.sentences), thesis_scores(parsed), strict=True))
    assert thesis["p9.s2"] >= thesis["p8.s1"] > 0
