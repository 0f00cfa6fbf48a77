"""Frameworks and terms of art: quoted coinages and named instruments, counted, attributed, defined."""

from briefgen.analysis.frameworks import find_frameworks
from briefgen.model import Actor
from scenarios import parsed_scenario

ACTORS = (
    Actor(id="north-korea", name="North Korea", kind="state", aliases=("DPRK", "Pyongyang")),
    Actor(id="united-states", name="United States", kind="state", aliases=("US", "America")),
    Actor(id="china", name="China", kind="state", aliases=("Beijing",)),
    Actor(id="european-union", name="European Union", kind="organization", aliases=("EU",)),
)


def frameworks(name: str, actors=ACTORS):
    parsed = parsed_scenario(name)
    return {f.term: f for f in find_frameworks(parsed, actors)}, parsed.sentences


def test_quoted_slogan_is_a_framework():
    found, _ = frameworks("frameworks_slogan_vs_sentence.txt")
    assert "dual suspension" in found


def test_quoted_sentence_of_speech_is_not_a_framework():
    found, _ = frameworks("frameworks_slogan_vs_sentence.txt")
    assert not any("never accept" in term for term in found)


def test_mentions_count_every_use():
    found, _ = frameworks("frameworks_slogan_vs_sentence.txt")
    assert found["dual suspension"].mentions == 2


def test_unquoted_repeat_is_counted():
    found, _ = frameworks("frameworks_attributed_and_defined.txt")
    assert found["new strategic line"].mentions == 2


def test_quoted_praise_said_once_is_not_a_term():
    found, _ = frameworks("frameworks_attributed_and_defined.txt")
    assert "good comrades and neighbors" not in found


def test_named_act_and_initiative_are_found():
    found, _ = frameworks("frameworks_named_instruments.txt")
    assert {"Critical Raw Materials Act", "Belt and Road Initiative"} <= set(found)


def test_acronym_of_a_named_act_counts_as_a_mention():
    found, _ = frameworks("frameworks_named_instruments.txt")
    assert found["Critical Raw Materials Act"].mentions == 2


def test_institution_named_after_a_strategy_is_not_an_instrument():
    found, _ = frameworks("frameworks_named_instruments.txt")
    assert not any(term.startswith("Center") for term in found)


def test_possessive_attributes_a_named_instrument():
    found, _ = frameworks("frameworks_named_instruments.txt")
    assert found["Belt and Road Initiative"].attributed_to == "china"


def test_possessive_attributes_a_coinage_to_its_owner():
    found, _ = frameworks("frameworks_attributed_and_defined.txt")
    assert found["phased and synchronized"].attributed_to == "north-korea"
    assert found["Libya-style"].attributed_to == "united-states"


def test_proposer_gets_the_attribution():
    found, _ = frameworks("frameworks_attributed_and_defined.txt")
    assert found["suspension for suspension"].attributed_to == "north-korea"


def test_no_actors_means_no_attribution():
    found, _ = frameworks("frameworks_attributed_and_defined.txt", actors=())
    assert all(f.attributed_to is None for f in found.values())


def test_calling_for_gives_the_definition():
    found, _ = frameworks("frameworks_attributed_and_defined.txt")
    assert found["suspension for suspension"].definition.startswith("a halt to missile tests")


def test_which_is_gives_the_definition():
    found, _ = frameworks("frameworks_attributed_and_defined.txt")
    assert found["new strategic line"].definition == "a commitment to put economic growth first"


def test_term_without_explanation_has_no_definition():
    found, _ = frameworks("frameworks_attributed_and_defined.txt")
    assert found["Libya-style"].definition is None


def test_question_answered_with_means_defines_the_term():
    found, _ = frameworks("frameworks_question_then_means.txt")
    assert found["legitimate security concerns"].definition.startswith("ending the state of war")


def test_every_framework_cites_a_sentence_containing_it():
    for name in ("frameworks_attributed_and_defined.txt", "frameworks_named_instruments.txt"):
        found, sentences = frameworks(name)
        by_id = {s.id: s for s in sentences}
        for f in found.values():
            assert f.term.lower() in by_id[f.cite.sentence].text.lower()


def test_two_instruments_joined_by_and_are_two_frameworks():
    found, _ = frameworks("frameworks_statute_names.txt")
    assert {"Value-Added Producer Grant Program", "Healthy Food Financing Initiative"} <= set(found)
    assert not any(" and the " in term for term in found)


def test_single_plain_word_in_quotes_is_not_a_term():
    found, _ = frameworks("frameworks_statute_names.txt")
    assert "grants" not in found


def test_a_name_the_text_says_an_actor_calls_itself_is_a_term():
    found, _ = frameworks("frameworks_attributed_and_defined.txt")
    assert found["near-Arctic state"].attributed_to == "china"


def test_quoted_term_the_text_calls_a_strategy_or_slogan_is_a_framework():
    found, _ = frameworks("frameworks_term_called_a_strategy.txt")
    assert "de-risking" in found
    assert found["de-risking"].cite.sentence == "p1.s2"


def test_quoted_word_predicated_of_nothing_conceptual_is_not_a_framework():
    found, _ = frameworks("frameworks_term_called_a_strategy.txt")
    assert "front-loading" not in found  # "becomes harder": no strategy, slogan or policy


def test_instrument_name_runs_on_through_its_subject():
    found, _ = frameworks("frameworks_long_instrument_names.txt")
    unclos = found["United Nations Convention on the Law of the Sea"]
    assert unclos.mentions == 3  # the name and two uses of the acronym it defines


def test_heading_wh_word_does_not_start_an_instrument_name():
    found, _ = frameworks("frameworks_long_instrument_names.txt")
    assert "National Quantum Initiative" in found
    assert not any("Which" in term or "Extent" in term for term in found)


def test_capitalised_name_running_past_the_head_word_is_not_cut_into_an_instrument():
    found, _ = frameworks("frameworks_long_instrument_names.txt")
    assert not any(term.endswith("Standardized Program") for term in found)


def test_quoted_cross_reference_to_a_section_is_not_a_framework():
    found, _ = frameworks("frameworks_quotes_not_terms.txt")
    assert not any(term.lower() == "cryptocurrency" for term in found)


def test_quoted_amount_is_not_a_framework():
    found, _ = frameworks("frameworks_quotes_not_terms.txt")
    assert "small number" not in found


def owned(name: str) -> dict[str, str | None]:
    """Term -> owner, with the actors and positions the analysis itself finds (speakers included)."""
    from briefgen.analysis.actors import analyse
    from briefgen.analysis.positions import find_positions

    parsed = parsed_scenario(name)
    cast = analyse(parsed)
    actors = find_positions(parsed, cast.actors, cast.mentions)
    return {f.term: f.attributed_to for f in find_frameworks(parsed, actors)}


def test_what_a_party_calls_itself_is_its_term():
    assert owned("frameworks_owners_and_coinages.txt")["Pacific gateway nation"] == "chile"


def test_a_term_a_leader_says_is_the_leaders_not_the_partys_the_sentence_is_about():
    assert owned("frameworks_owners_and_coinages.txt")["blue growth"] == "gabriel-boric"


def test_the_authors_quoted_coinage_has_no_owner_even_when_it_opens_with_a_state_name():
    assert owned("frameworks_owners_and_coinages.txt")["Chile Plan"] is None


def test_each_party_owns_the_name_it_gives_a_body():
    found = owned("frameworks_owners_and_coinages.txt")
    assert found["Andean Water Council"] == "peru"
    assert found["Altiplano Board"] == "bolivia"


def test_an_operation_belongs_to_the_party_that_launches_it():
    assert owned("frameworks_owners_and_coinages.txt")["Southern Lantern"] == "argentina"


def test_a_so_called_name_a_gloss_an_acronym_definition_and_a_numbered_instrument_are_terms():
    found = owned("frameworks_owners_and_coinages.txt")
    assert {"Sunset Date", "catch rights", "exclusive fishing zone", "Resolution 2799"} <= set(found)


def test_two_phrases_joined_in_quotes_are_speech_not_a_term():
    assert not any("prosperity" in term for term in owned("frameworks_owners_and_coinages.txt"))


def test_a_short_quoted_label_in_what_a_party_says_is_its_term_but_a_description_is_not():
    found = owned("frameworks_owners_and_coinages.txt")
    assert found["historic fishing rights"] == "peru"
    assert not any("incursion" in term for term in found)  # "described the patrol as an '...'"


def test_an_instrument_named_head_first_is_a_term():
    assert "Accord on the Sharing of Andean Rivers" in owned("frameworks_owners_and_coinages.txt")


def test_officials_such_as_a_named_person_call_it_in_that_persons_words():
    assert owned("frameworks_owners_and_coinages.txt")["green corridor"] == "carlos-mendoza"


def test_what_it_calls_goes_back_to_the_previous_sentences_speaker():
    assert owned("frameworks_owners_and_coinages.txt")["stock visibility"] == "andean-fisheries-agency"


def test_an_operation_a_pronoun_launches_belongs_to_the_speaker_of_that_sentence():
    # "Norway's defence ministry said ... that it had launched Operation ...": the pronoun is the
    # sentence's speaker. The lookup once took every sentence's speakers for one sentence's and
    # crashed (KeyError) when the first sentence had none.
    from briefgen.analysis import analyze
    from scenarios import scenario

    brief = analyze(*scenario("frameworks_pronoun_launcher.txt"))
    owners = {f.term: f.attributed_to for f in brief.frameworks}
    assert owners.get("Operation Polar Gate") == "norway"
