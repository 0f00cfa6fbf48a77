"""Faithful text: every cited sentence stands alone, says when it was written, and is shortened
only in ways that keep its meaning."""

import pytest

from briefgen.analysis import analyze
from briefgen.analysis.faithful import is_faithful, shortenings, with_memo_text
from briefgen.analysis.staletime import resolve
from briefgen.analysis.standalone import opening
from scenarios import parsed_scenario, scenario


@pytest.fixture(scope="module")
def parsed():
    return parsed_scenario("memo_text_cases.txt")


@pytest.fixture(scope="module")
def memo(parsed):
    return {s.id: s for s in with_memo_text(parsed, [s.id for s in parsed.sentences])}


def index(parsed, sentence_id):
    return next(i for i, s in enumerate(parsed.sentences) if s.id == sentence_id)


def test_a_pronoun_initial_sentence_gets_its_referent_in_brackets(memo):
    assert memo["p1.s2"].memo_text.startswith("[The Harbour Authority] charges foreign ships")


def test_a_plural_pronoun_takes_the_plural_subject_before_it(memo):
    assert memo["p4.s2"].memo_text.startswith("[The shipping lines] have not received")


def test_a_demonstrative_pointing_at_a_whole_clause_does_not_stand_alone(parsed):
    assert opening(parsed, index(parsed, "p5.s1")).stands is False


def test_a_demonstrative_on_a_time_word_is_no_reference(parsed):
    assert opening(parsed, index(parsed, "p2.s1")).stands is True


def test_relative_times_get_the_source_year_in_brackets(memo):
    text = memo["p2.s1"].memo_text
    assert text.startswith("This year [in 2021] the authority")
    assert "last year [in 2020] two shipping lines" in text


def test_a_sentence_that_stands_as_it_is_has_no_memo_text(memo):
    assert memo["p1.s1"].memo_text is None


def test_no_shortening_drops_a_contrast(memo):
    for cut in memo["p1.s2"].shorter + memo["p4.s2"].shorter:
        assert "but" in cut.split() or "although" in cut.split(), cut


def test_a_colon_list_is_never_cut(memo):
    for cut in memo["p3.s1"].shorter:
        assert "shallow channels, old cranes and a shortage of pilots" in cut


def test_a_cut_that_stops_at_the_colon_is_unfaithful():
    sentence = "The report names three causes: drought, dams and dredging."
    assert not is_faithful("The report names three causes.", sentence)


def test_a_cut_that_drops_a_negation_is_unfaithful():
    sentence = "The council did not approve the budget, which was late again this spring."
    assert not is_faithful("The council did approve the budget.", sentence)
    assert is_faithful("The council did not approve the budget.", sentence)


def test_a_cut_leaving_a_quotation_open_is_unfaithful():
    sentence = "The envoy called it “a step back, not a step forward” and left the talks early."
    assert not is_faithful("The envoy called it “a step back.", sentence)


def test_shorter_forms_come_longest_first_and_are_shorter(parsed):
    i = index(parsed, "p1.s2")
    cuts = shortenings(parsed.docs[i], parsed.sentences[i].text)
    assert list(cuts) == sorted(cuts, key=len, reverse=True)
    assert all(len(c) < len(parsed.sentences[i].text) for c in cuts)


def test_without_a_source_date_the_first_relative_time_is_marked_undated():
    assert resolve("This year the port closed, and last month it reopened.", None) == (
        "This year [undated source] the port closed, and last month it reopened."
    )


def test_a_bare_year_is_never_bracketed_like_a_note_number():
    assert resolve("Tolls rose this year.", "2018-06-01") == "Tolls rose this year [in 2018]."


def test_a_possessive_anchor_is_replaced_whole():
    assert resolve("before this year's harvest", "2018-06-01") == "before [2018's] harvest"


def test_a_span_over_the_next_year_starts_at_the_source_date():
    assert resolve("Over the next year, the mill will hire.", "2018-06-01") == (
        "Over the next year [from June 2018], the mill will hire."
    )


def test_now_and_today_are_dated_but_a_leading_now_marker_is_not():
    assert resolve("Now, the yard is now idle today.", "2018-06-01") == (
        "Now, the yard is now [as of June 2018] idle today [1 June 2018]."
    )


def test_last_month_name_is_the_one_before_the_source_date():
    assert resolve("last March", "2021-03-15") == "last March [March 2020]"
    assert resolve("next May", "2021-03-15") == "next May [May 2021]"


def test_analyze_gives_shorter_forms_only_to_cited_sentences():
    brief = analyze(*scenario("memo_text_cases.txt"))
    cited = {p.cite.sentence for p in brief.key_points} | {b.cite.sentence for b in brief.bottom_line}
    cited |= {p.cite.sentence for a in brief.actors for p in a.positions}
    cited |= {x.cite.sentence for x in (*brief.events, *brief.open_questions, *brief.frameworks)}
    assert all(s.id in cited for s in brief.sentences if s.shorter)


def test_analyze_resolves_relative_time_in_every_sentence():
    brief = analyze(*scenario("memo_text_cases.txt"))
    assert brief.sentence("p2.s1").memo_text.startswith("This year [in 2021]")


def test_no_key_point_opens_on_an_unresolved_reference():
    brief = analyze(*scenario("memo_text_cases.txt"), key_points=10)
    by_id = {s.id: s for s in brief.sentences}
    for point in brief.key_points:
        printed = by_id[point.cite.sentence].memo_text or point.text
        assert not printed.startswith(("This was", "They ", "It "))


def test_reselecting_key_points_gives_what_a_fresh_analysis_gives():
    from briefgen.analysis import with_key_points

    document, sentences = scenario("memo_text_cases.txt")
    assert with_key_points(analyze(document, sentences, key_points=2), 5) == analyze(
        document, sentences, key_points=5
    )


@pytest.fixture(scope="module")
def leaning():
    parsed = parsed_scenario("leaning_sentences.txt")
    return {s.id: s for s in with_memo_text(parsed, [s.id for s in parsed.sentences])}


def test_a_sentence_pointing_back_through_the_charge_is_joined_to_the_accusation(leaning):
    memo = leaning["p1.s2"]
    assert memo.memo_text.startswith("The port union has accused the shipping ministry")
    assert memo.memo_text.endswith("Ministry officials have rejected the charge.")
    assert memo.shorter == ()  # no cut of it stands alone


def test_a_sentence_opening_on_therefore_is_joined_to_its_reason(leaning):
    assert leaning["p2.s2"].memo_text.startswith("Inspectors found cracks in four loading cranes")


def test_a_however_is_never_cut_away_from_its_contrast(leaning):
    memo = leaning["p3.s2"]
    assert memo.memo_text.startswith("The ministry says the corridor can reopen within weeks. However,")
    assert all("however" in cut.lower() for cut in memo.shorter)


def test_a_cut_that_only_lost_a_connective_stands_alone(leaning):
    for cut in leaning["p4.s2"].shorter:
        assert not cut.lower().startswith(("specifically", "therefore", "however"))


def test_a_sentence_that_leans_on_nothing_is_not_joined(leaning):
    assert leaning["p1.s1"].memo_text is None


def cuts_of(text: str) -> tuple[str, ...]:
    from briefgen.nlp import model

    return shortenings(model()(text), text)


def test_no_cut_drops_the_phrase_that_says_for_whom():
    text = (
        "The river fund wants a fixed share of water, at least a third of each release, "
        "reserved for downstream farmers in a drought."
    )
    assert cuts_of(text)
    for cut in cuts_of(text):
        assert "reserved for downstream farmers" in cut, cut


def test_a_second_judgment_after_and_is_kept():
    text = (
        "A shared flood register, even a partial one, is the first step, and basin states "
        "that want one should say so before the summit."
    )
    for cut in cuts_of(text):
        assert "should say so before the summit" in cut, cut
    assert not is_faithful("A shared flood register is the first step.", text)


def test_a_subordinate_clause_never_stands_without_its_main_clause():
    sentence = "Although the charter does not oblige members to attend, every member has attended."
    assert not is_faithful("Although the charter does not oblige members to attend.", sentence)


def test_a_connective_after_a_connective_is_not_joined_into_a_bullet_that_opens_on_one():
    from briefgen.analysis.standalone import antecedent

    parsed = parsed_scenario("leaning_sentences.txt")
    assert antecedent(parsed, index(parsed, "p2.s2")) == index(parsed, "p2.s1")
    assert antecedent(parsed, index(parsed, "p5.s2")) is None  # "Moreover, ..." before it


def test_an_opening_phrase_pointing_back_through_a_demonstrative_is_joined_to_its_antecedent(leaning):
    # "From these two agreements, ..." says nothing alone: the agreements are in the sentence before.
    memo = leaning["p6.s2"]
    assert memo.memo_text.startswith("The two river states signed a water-sharing charter")
    assert all(not cut.lower().startswith("from these") for cut in memo.shorter)


def test_an_opening_this_year_points_at_the_calendar_and_is_not_joined(leaning):
    memo = leaning["p7.s1"]
    assert memo.memo_text is not None and "[" in memo.memo_text  # the year is resolved, not joined
    assert not memo.memo_text.startswith("The two river states")


def test_a_referent_phrase_whose_head_is_left_out_is_none_not_a_crash():
    # The noun phrase of a punctuation head keeps no token: there is no referent to offer (a real
    # GAO report once crashed the analysis here with min() of an empty sequence).
    from briefgen import nlp
    from briefgen.analysis.standalone import _phrase

    doc = nlp.model()("The agencies, in turn, reviewed the rules.")
    comma = next(t for t in doc if t.text == ",")
    assert _phrase(doc, comma, doc.text) is None


def test_the_tail_of_a_broken_sentence_carries_no_sentence_that_leans_on_it():
    from briefgen.analysis.standalone import antecedent

    parsed = parsed_scenario("keypoints_fragments.txt")
    assert parsed.sentences[1].text.startswith("records that")
    assert antecedent(parsed, 1) == 0  # a whole sentence before: it can be joined
    assert antecedent(parsed, 2) is None  # "records that ...": a fragment, never joined
