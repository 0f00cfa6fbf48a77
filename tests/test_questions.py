"""Open questions: explicit (with the text's own answer), uncertainty and contested."""

from briefgen.analysis.parse import parse
from briefgen.analysis.questions import find_questions
from briefgen.model import Document, Meta, Paragraph, Source
from briefgen.segment import segment
from scenarios import parsed_scenario


def questions(name: str, kind: str | None = None):
    parsed = parsed_scenario(name)
    found = find_questions(parsed)
    return [q for q in found if kind is None or q.kind == kind], parsed.sentences


def test_every_question_sentence_is_explicit():
    found, _ = questions("questions_answered_next.txt", "explicit")
    assert [q.text for q in found] == [
        "What are the DPRK's security concerns?",
        "What, then, is the opposition to these concerns?",
    ]


def test_question_answered_by_the_next_sentence_carries_it():
    found, sentences = questions("questions_answered_next.txt", "explicit")
    assert found[0].answer == sentences[1].text


def test_answer_cue_counts_as_an_answer():
    found, sentences = questions("questions_answered_next.txt", "explicit")
    assert found[1].answer == sentences[3].text


def test_unrelated_next_sentence_is_not_an_answer():
    found, _ = questions("questions_left_open.txt", "explicit")
    assert len(found) == 1 and found[0].answer is None


def test_headline_question_is_explicit_and_cited_at_the_body_start():
    found, sentences = questions("questions_headline.txt", "explicit")
    assert [(q.text, q.cite.sentence) for q in found] == [
        ("North Korean Security: What Role for China?", sentences[0].id)
    ]


def test_modal_hedge_becomes_a_will_question():
    found, sentences = questions("questions_hedges.txt", "uncertainty")
    first = next(q for q in found if q.cite.sentence == sentences[0].id)
    assert first.text == "Will the letter contain specific proposals on guarantees?"


def test_a_likelihood_is_the_authors_hedge_not_a_question():
    found, sentences = questions("questions_hedges.txt", "uncertainty")
    assert not [q for q in found if q.cite.sentence == sentences[1].id]  # "It's very likely that ..."


def test_a_plain_hedge_is_not_a_question():
    found, _ = questions("questions_plain_hedge.txt")
    assert found == []


def test_a_hedge_the_text_marks_as_unknown_is_asked():
    found, sentences = questions("questions_hedges.txt", "uncertainty")
    first = next(q for q in found if q.cite.sentence == sentences[0].id)  # "kept secret, it might"
    assert first.text.startswith("Will the letter contain")


def test_still_open_prospect_asks_whether_it_materializes():
    found, sentences = questions("questions_hedges.txt", "uncertainty")
    third = next(q for q in found if q.cite.sentence == sentences[2].id)
    assert third.text == "Will the prospect of reconciliation between the two sides materialize?"


def test_plain_statement_raises_no_question():
    found, sentences = questions("questions_hedges.txt")
    assert all(q.cite.sentence != sentences[3].id for q in found)


def test_some_believe_is_contested():
    found, sentences = questions("questions_contested.txt", "contested")
    assert found[0].cite.sentence == sentences[0].id
    assert found[0].text.startswith("Will China distance itself from the DPRK")


def test_contested_view_answered_by_the_however_sentence():
    found, sentences = questions("questions_contested.txt", "contested")
    assert found[0].answer == sentences[2].text


def test_every_question_is_phrased_as_a_question():
    for name in ("questions_hedges.txt", "questions_contested.txt", "questions_answered_next.txt"):
        found, _ = questions(name)
        assert found and all(q.text.endswith("?") for q in found)


def test_may_of_permission_or_rule_is_not_an_uncertainty():
    found, sentences = questions("questions_rules_not_doubts.txt", "uncertainty")
    assert [q.cite.sentence for q in found] == [sentences[3].id]


def test_may_about_a_named_actor_is_an_uncertainty():
    found, _ = questions("questions_rules_not_doubts.txt", "uncertainty")
    assert found[0].text == "Will Congress consider whether to extend the program?"


def test_unknowns_become_the_questions_they_leave_open():
    found, _ = questions("questions_unknowns.txt", "uncertainty")
    assert [q.text for q in found] == [
        "Will the talks resume?",
        "How will the ministry fund the plan?",
        "Will Laos build more dams?",
        "What is the timing of the summit?",
    ]


def test_critics_argue_is_contested_and_asked_as_a_claim():
    found, sentences = questions("questions_contested.txt", "contested")
    assert [(q.cite.sentence, q.text) for q in found[1:]] == [
        (sentences[3].id, "Is it true that the port will never pay for itself?")
    ]


def test_section_heading_question_is_cited_at_its_first_sentence():
    text = "Laos plans more dams to sell power to Thailand."
    document = Document(
        source=Source(path="heading.md", format="md", sha256="0" * 64),
        meta=Meta(title="Dams"),
        paragraphs=(Paragraph(id="p1", text=text, heading="Who will buy the power from the dams?"),),
    )
    found = find_questions(parse(document, segment(document)))
    assert [(q.text, q.cite.sentence, q.answer) for q in found] == [
        ("Who will buy the power from the dams?", "p1.s1", text)
    ]


def test_them_becomes_the_people_the_sentence_names():
    found, _ = questions("questions_pronouns.txt", "uncertainty")
    (q,) = [q for q in found if q.cite.sentence == "p1.s1"]
    assert "them" not in q.text.split()
    assert "Trump and Kim Jong-un" in q.text


def test_it_becomes_the_subject_of_the_concessive_clause_before_it():
    found, _ = questions("questions_pronouns.txt", "uncertainty")
    (q,) = [q for q in found if q.cite.sentence == "p2.s1"]
    assert q.text.startswith("Will this “interesting content” contain")


def test_rephrased_question_keeps_the_source_apostrophes():
    found, _ = questions("questions_pronouns.txt", "uncertainty")
    (q,) = [q for q in found if q.cite.sentence == "p2.s1"]
    assert "DPRK’s" in q.text and "DPRK's" not in q.text


def test_they_becomes_the_plural_subject_of_the_sentence_before():
    found, _ = questions("questions_pronouns.txt", "uncertainty")
    (q,) = [q for q in found if q.cite.sentence == "p3.s2"]
    assert q.text.lower().startswith("will members vote")


def test_question_with_a_pronoun_that_cannot_be_resolved_is_dropped():
    found, _ = questions("questions_pronouns.txt", "uncertainty")
    assert not [q for q in found if q.cite.sentence == "p4.s2"]  # "It" after "Analysts met..."


def test_it_that_stands_for_no_thing_is_kept():
    found, _ = questions("questions_pronouns.txt", "uncertainty")
    assert any(q.text.startswith("Will it be long before") for q in found)


def _procedural():
    found, _ = questions("questions_procedural.txt")
    return {q.cite.sentence: q for q in found}


def test_conditional_permission_is_not_an_open_question():
    assert "p1.s1" not in _procedural()  # "If a claimant disagrees, the claimant may appeal it."


def test_prohibition_is_not_an_open_question():
    assert "p2.s1" not in _procedural()  # "The Secretary may not impose any charges"


def test_open_to_anyone_is_access_not_doubt():
    assert "p3.s1" not in _procedural()


def test_it_remains_unclear_if_asks_the_if_clause():
    assert _procedural()["p4.s1"].text == "Would the benefit-sharing mechanism apply to all nations?"


def test_a_quoted_rule_with_may_is_no_question():
    assert "p5.s1" not in _procedural()  # "the agency may issue an exploration license while ..."


def test_fronted_wh_phrase_that_cannot_be_rebuilt_drops_the_question():
    assert "p6.s1" not in _procedural()  # "what steps the claimant may take"


def test_cited_report_title_is_not_a_question_of_the_text():
    assert "p7.s1" not in _procedural()


def test_whether_clause_that_remains_an_open_question_is_asked():
    assert _procedural()["p8.s1"].text == (
        "Will larger partners fund that insurance, or only the cables that serve their own interests?"
    )


def test_tail_of_a_broken_sentence_gives_no_question():
    assert "p9.s1" not in _procedural()  # "matters we have made ... remain open."


def test_bare_demonstrative_subject_drops_the_question():
    found, _ = questions("questions_pronouns.txt", "uncertainty")
    assert not [q for q in found if q.cite.sentence == "p6.s2"]  # "This might inhibit parties ..."


def test_an_indirect_question_set_out_as_a_list_item_is_explicit():
    found, _ = questions("questions_listed.txt", "explicit")
    assert [q.text for q in found] == [
        "Whether new legislation on tank cars is needed",
        "How the federal inspectors would divide the work with the states",
    ]


def test_an_elliptical_reply_is_the_answer():
    found, sentences = questions("questions_elliptical_reply.txt", "explicit")
    by_text = {q.text: q.answer for q in found}
    assert by_text["Is the levy still in force?"] == sentences[1].text
    assert by_text["Can the ministry raise it again?"] == sentences[3].text


def test_a_sentence_saying_nobody_knows_leaves_the_question_open():
    found, _ = questions("questions_elliptical_reply.txt", "explicit")
    assert {q.text: q.answer for q in found}["Will the courts uphold it?"] is None


def test_a_headline_question_is_answered_by_the_judgment_that_takes_it_up():
    found, _ = questions("questions_headline_answered.txt", "explicit")
    assert found[0].text.endswith("Who Pays for the Flood Walls?")
    assert found[0].answer.startswith("Our view is that the cities")
