"""Positions: what an actor supports, opposes, wants or is willing to do, each citing its sentence."""

import pytest

from briefgen.analysis.actors import analyse, find_actors
from briefgen.analysis.parse import parse
from briefgen.analysis.positions import find_positions
from briefgen.segment import segment
from test_actors import SEED, scenario


def positions_of(name: str):
    parsed = scenario(name)
    cast = analyse(parsed)
    actors = find_positions(parsed, cast.actors, cast.mentions)
    return {a.id: a for a in actors}, {s.id: s for s in parsed.sentences}


def cited(actor) -> list[str]:
    return [p.cite.sentence for p in actor.positions]


def test_support_and_oppose_are_positions_of_their_subjects():
    actors, _ = positions_of("positions_support_oppose.txt")
    assert cited(actors["france"]) == ["p1.s1"]
    assert cited(actors["germany"]) == ["p1.s2"]


def test_rejects_and_calls_for_in_one_sentence_give_each_actor_a_position():
    actors, _ = positions_of("positions_support_oppose.txt")
    assert cited(actors["european-union"]) == ["p2.s1"]
    assert cited(actors["italy"]) == ["p2.s1"]


def test_willing_to_is_a_position():
    actors, _ = positions_of("positions_willing.txt")
    assert "p1.s1" in cited(actors["japan"])


def test_pronoun_it_resolves_to_the_previous_sentence_state():
    actors, _ = positions_of("positions_willing.txt")
    assert "p1.s2" in cited(actors["japan"])  # "It hopes that..."


def test_pronoun_he_resolves_to_the_previous_sentence_person():
    actors, _ = positions_of("positions_willing.txt")
    assert cited(actors["shinzo-abe"]) == ["p2.s2"]  # "He stressed that..."


def test_pronoun_goes_to_the_subject_of_the_clause_that_governs_it():
    actors, _ = positions_of("positions_governing_subject.txt")
    assert cited(actors["tony-blair"]) == ["p1.s2"]  # "Blair said he wants", not Merkel
    assert cited(actors["angela-merkel"]) == []


def test_pronoun_skips_an_antecedent_of_the_other_gender():
    actors, _ = positions_of("positions_governing_subject.txt")
    assert cited(actors["thatcher"]) == ["p2.s3"]  # "She insisted": Mr Kinnock is the previous subject
    assert cited(actors["kinnock"]) == []


def test_sentence_without_a_stance_gives_no_position():
    actors, _ = positions_of("positions_willing.txt")
    assert "p3.s1" not in {c for a in actors.values() for c in cited(a)}


def test_position_text_is_the_cited_sentence():
    actors, sentences = positions_of("positions_support_oppose.txt")
    for actor in actors.values():
        for p in actor.positions:
            assert p.text == sentences[p.cite.sentence].text
            assert p.cite.paragraph == sentences[p.cite.sentence].paragraph


def test_actors_keep_their_order_and_fields():
    parsed = scenario("positions_support_oppose.txt")
    before = find_actors(parsed)
    after = find_positions(parsed, before, analyse(parsed).mentions)
    assert [(a.id, a.mentions, a.aliases) for a in after] == [(a.id, a.mentions, a.aliases) for a in before]


@pytest.fixture(scope="module")
def seed():
    from briefgen.readers import read_source

    document = read_source(SEED)
    sentences = segment(document)
    parsed = parse(document, sentences)
    cast = analyse(parsed)
    actors = find_positions(parsed, cast.actors, cast.mentions)
    return {a.id: a for a in actors}, {s.id: s for s in sentences}


def test_seed_positions_cite_sentences_that_exist(seed):
    actors, sentences = seed
    for actor in actors.values():
        for p in actor.positions:
            assert sentences[p.cite.sentence].text == p.text


def test_seed_xi_confirms_support(seed):
    actors, sentences = seed
    assert any("confirmed China" in sentences[c].text for c in cited(actors["xi-jinping"]))


def test_seed_dprk_is_willing_to_remain_patient(seed):
    actors, sentences = seed
    assert any("willing to remain patient" in sentences[c].text for c in cited(actors["north-korea"]))


def test_seed_what_xi_says_about_china_is_xis_position_not_chinas(seed):
    actors, sentences = seed
    assert any(
        "China supports a political settlement" in sentences[c].text for c in cited(actors["xi-jinping"])
    )
    assert not any(
        "China supports a political settlement" in sentences[c].text for c in cited(actors["china"])
    )


def test_seed_the_authors_charge_after_an_evaluative_colon_is_not_the_dprks_position(seed):
    actors, sentences = seed
    assert not any("The answer is obvious" in sentences[c].text for c in cited(actors["north-korea"]))


def test_object_controlled_verb_is_not_the_main_subjects_stance():
    actors, _ = positions_of("positions_not_stances.txt")
    # "It requires foreign ships to seek permission": the ships seek, not Russia; "Russia treats the
    # route as internal waters" is Russia's claim.
    assert cited(actors["russia"]) == ["p1.s1"]


def test_push_without_for_and_maintain_without_a_clause_are_not_stances():
    actors, _ = positions_of("positions_not_stances.txt")
    assert cited(actors["nato"]) == []  # "pushed the deadline to 2025"
    assert cited(actors["world-bank"]) == []  # "has maintained enough cash reserves"


def test_stance_in_an_inverted_condition_is_hypothetical():
    actors, _ = positions_of("positions_not_stances.txt")
    assert cited(actors["us-congress"]) == []  # "Should Congress choose not to legislate, ..."


def test_subject_of_a_passive_stance_verb_does_not_hold_it():
    actors, _ = positions_of("positions_not_stances.txt")
    assert cited(actors["arctic-council"]) == []  # "was originally intended to serve"
    assert cited(actors["france"]) == ["p6.s1"]


def test_researchers_at_a_named_body_state_its_position():
    actors, _ = positions_of("positions_members_of_a_body.txt")
    assert cited(actors["stimson-center"]) == ["p1.s1"]


def speaks(name: str) -> dict[str, list[str]]:
    """Actor id -> the texts of the sentences cited as its positions."""
    actors, sentences = positions_of(name)
    return {a.id: [sentences[c].text for c in cited(a)] for a in actors.values()}


def test_a_charge_by_critics_is_not_the_position_of_the_party_charged():
    assert not any("Critics say" in t for t in speaks("positions_who_speaks.txt")["norway"])


def test_a_finding_by_researchers_is_not_the_position_of_the_party_found_about():
    assert speaks("positions_who_speaks.txt")["brazil"] == []


def test_the_authors_inference_after_an_evaluative_lead_is_nobodys_position():
    assert speaks("positions_who_speaks.txt")["chile"] == []


def test_a_leaders_words_about_the_state_are_the_leaders_position():
    found = speaks("positions_who_speaks.txt")
    assert found["jonas-gahr-store"] == [
        "Prime Minister Jonas Gahr Store said that Norway supports the moratorium."
    ]
    assert found["norway"] == []


def test_a_capital_and_a_ministry_speak_for_their_state():
    found = speaks("positions_who_speaks.txt")
    assert found["australia"] == ["Canberra says its navy respects the rules of the sea."]
    assert found["japan"] == ["The Japanese foreign ministry rejected the claim."]


def test_a_dated_policy_act_is_its_agents_position_and_a_recommendation_is_not():
    found = speaks("positions_who_speaks.txt")
    assert found["canada"] == ["On 3 March 2024, Canada banned the export of uranium to Niger."]
    assert found["niger"] == []  # the object of the act holds nothing


def test_a_quotation_running_into_the_next_sentence_stays_with_its_speaker():
    assert speaks("positions_who_speaks.txt")["penny-wong"] == [
        'Penny Wong said: "We will not accept new tariffs.',
        'Our farmers need open markets."',
    ]


def test_treating_something_as_something_is_a_claim_of_the_subject():
    assert speaks("positions_who_speaks.txt")["mexico"] == ["Mexico treats the gulf as its own waters."]


def test_a_study_speaks_for_its_publisher_not_for_the_party_it_is_about():
    found = speaks("positions_who_speaks.txt")
    assert len(found["lowy-institute"]) == 1
    assert found["indonesia"] == []


def test_a_general_description_of_what_a_body_does_is_not_a_policy_act():
    assert not any("often funded" in t for t in speaks("positions_who_speaks.txt")["canada"])


def test_an_act_is_its_agents_even_when_its_relative_clause_is_parsed_as_the_main_one():
    found = speaks("positions_parse_repairs.txt")
    assert found["brazil"] == [
        "Brazil has circulated a draft text, backed by Argentina, that would cap emissions by 2030."
    ]


def test_backed_by_names_a_supporter():
    assert len(speaks("positions_parse_repairs.txt")["argentina"]) == 1


def test_a_subject_before_a_relative_clause_keeps_its_verb_when_the_parse_loses_it():
    assert len(speaks("positions_parse_repairs.txt")["mexico"]) == 1
    assert speaks("positions_parse_repairs.txt")["chile"] == []


def test_a_second_subject_misparsed_as_an_object_does_not_give_its_verb_to_the_first_subject():
    assert speaks("positions_parse_repairs.txt")["lula"] == []


def test_first_person_findings_of_a_report_are_the_publishing_institutions_positions():
    actors, sentences = positions_of("positions_report_we_voice.txt")
    nao = [sentences[s].text for s in cited(actors["nao"])]
    assert any(t.startswith("We recommend") for t in nao)
    assert not any("port manager" in t for t in nao)  # a quoted "we" is the speaker's, not the report's


def test_in_a_ministrys_readout_the_bare_minister_speaks_for_the_publishing_state():
    import dataclasses

    from briefgen.model import Meta

    base = scenario("positions_ministry_readout.txt")
    meta = Meta(title="readout", publisher="Ministry of Foreign Affairs of Chile, Press Office")
    document = dataclasses.replace(base.document, meta=meta)
    parsed = parse(document, segment(document))
    cast = analyse(parsed)
    actors = {a.id: a for a in find_positions(parsed, cast.actors, cast.mentions)}
    sentences = {s.id: s.text for s in parsed.sentences}
    assert any(sentences[s].startswith("The Minister stressed") for s in cited(actors["chile"]))
    assert "press-office" not in actors  # the office that issues the readout is its channel


def test_army_officials_named_by_demonym_speak_for_the_armed_forces_not_the_state():
    actors, sentences = positions_of("positions_army_officials.txt")
    army = [sentences[s].text for s in cited(actors["malian-armed-forces"])]
    assert any(t.startswith("Malian army officials") for t in army)
    assert not any(sentences[s].text.startswith("Malian army") for s in cited(actors["mali"]))
