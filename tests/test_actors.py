"""Actors: one entry per actor, the right kind, every alias mention counted."""

from pathlib import Path

import pytest

from briefgen.analysis.actors import actor_mentions, find_actors, find_mentions
from briefgen.analysis.parse import parse
from briefgen.model import Author, Document, Meta, Paragraph, Source
from briefgen.segment import segment

FIXTURES = Path(__file__).parent / "fixtures" / "analysis"
SEED = Path(__file__).parents[1] / "sources" / "north-korean-security.txt"


def scenario(name: str, authors: tuple[str, ...] = ()):
    """A Document whose paragraphs are the blank-line separated blocks of a fixture file."""
    path = FIXTURES / name
    blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    document = Document(
        source=Source(path=str(path), format="txt", sha256="0" * 64),
        meta=Meta(title=path.stem, authors=tuple(Author(name=a) for a in authors)),
        paragraphs=tuple(Paragraph(id=f"p{i}", text=t) for i, t in enumerate(blocks, 1)),
    )
    return parse(document, segment(document))


def by_id(actors):
    return {a.id: a for a in actors}


@pytest.fixture(scope="module")
def seed():
    from briefgen.readers import read_source

    document = read_source(SEED)
    sentences = segment(document)
    return document, sentences, find_actors(parse(document, sentences))


# ------------------------------------------------------------------------------------- scenarios


def test_title_possessive_and_surname_merge_into_the_full_name():
    actors = by_id(find_actors(scenario("actors_alias_merging.txt")))
    trump = actors["donald-trump"]
    assert trump.kind == "person"
    assert trump.mentions == 3  # "President Donald Trump", "Trump's", "Mr. Trump"
    assert not any(a.startswith("trump") for a in actors if a != "donald-trump")


def test_short_form_capital_and_demonym_on_a_state_organ_count_for_the_state():
    actors = by_id(find_actors(scenario("actors_alias_merging.txt")))
    korea = actors["south-korea"]
    assert korea.kind == "state"
    assert {"ROK", "Seoul", "South Korean"} <= set(korea.aliases)
    assert "seoul" not in actors and "rok" not in actors


def test_hyphenated_given_name_is_kept_whole():
    actors = by_id(find_actors(scenario("actors_alias_merging.txt")))
    assert actors["moon-jae-in"].name == "Moon Jae-in"


def test_two_people_sharing_a_surname_stay_apart():
    actors = by_id(find_actors(scenario("actors_kim_split.txt")))
    assert actors["kim-jong-il"].mentions == 2
    assert actors["kim-jong-un"].mentions == 3  # the bare "Kim" follows the Kim Jong-un sentence
    assert "kim" not in actors


def test_bare_surname_goes_to_one_person_only():
    parsed = scenario("actors_kim_split.txt")
    actors = find_actors(parsed)
    bare = [m for m in find_mentions(parsed) if m.text == "Kim"]
    assert [m.actor for m in bare] == ["kim-jong-un"]
    assert sum(a.mentions for a in actors if a.kind == "person") == 5


def test_acronym_defined_in_parentheses_merges_with_its_expansion():
    actors = by_id(find_actors(scenario("actors_acronym_defined.txt")))
    assert actors["mekong-river-commission"].mentions == 3
    council = actors["lower-basin-water-council"]  # not in the gazetteer: the text defines it
    assert council.kind == "organization"
    assert "LBWC" in council.aliases and council.mentions == 3
    assert "lbwc" not in actors


def test_capital_stands_for_its_state_only_when_the_state_acts_in_the_text():
    actors = by_id(find_actors(scenario("actors_capital_for_state.txt")))
    assert "Beijing" in actors["china"].aliases
    assert "japan" not in actors  # "analysts in Tokyo": a place, Japan is not named


def test_author_of_the_piece_is_not_an_actor():
    actors = by_id(find_actors(scenario("actors_author_excluded.txt", authors=("Jane Holloway",))))
    assert not any(a.kind == "person" for a in actors.values())
    assert "russia" in actors


def test_author_stays_an_actor_when_not_the_author():
    actors = by_id(find_actors(scenario("actors_author_excluded.txt")))
    assert actors["jane-holloway"].kind == "person"


def test_events_and_places_are_not_actors():
    actors = by_id(find_actors(scenario("actors_event_not_actor.txt")))
    assert set(actors) == {"xi-jinping", "trump"}


def test_demonym_counts_for_the_state_only_on_a_state_organ():
    actors = by_id(find_actors(scenario("actors_demonyms.txt")))
    assert actors["china"].mentions == 1  # "The Chinese President", not "Chinese pride"
    assert actors["north-korea"].mentions == 1  # "leadership", not "restaurants"


def test_longer_name_around_a_known_name_is_its_own_organisation():
    ids = set(by_id(find_actors(scenario("actors_longer_names.txt"))))
    assert {"new-democratic-party", "conservative-party-of-canada", "bank-of-china"} <= ids
    assert not ids & {"democratic-party", "conservative-party", "canada", "china"}


def test_capitalised_name_with_an_organisation_head_is_an_organisation():
    actors = by_id(find_actors(scenario("actors_organisation_names.txt")))
    assert actors["highland-farmers-party"].kind == "organization"
    assert actors["communist-party-of-greece"].name == "Communist Party of Greece"


def test_organ_of_a_known_party_counts_for_the_party():
    actors = by_id(find_actors(scenario("actors_organisation_names.txt")))
    assert actors["communist-party-of-china"].mentions == 1
    assert not any(a.startswith("central-committee") for a in actors)


def test_polities_the_gazetteer_does_not_list_are_states():
    actors = by_id(find_actors(scenario("actors_historical_states.txt")))
    assert actors["ottoman-empire"].kind == "state"
    assert actors["principality-of-serbia"].kind == "state"
    assert "serbia" not in actors  # the principality, not the present state


def test_known_state_under_its_formal_name_is_the_gazetteer_state():
    actors = by_id(find_actors(scenario("actors_historical_states.txt")))
    assert actors["south-korea"].mentions == 1  # "Republic of Korea"
    assert actors["soviet-union"].kind == "state"


def test_party_name_without_party_is_the_same_party():
    actors = by_id(find_actors(scenario("actors_short_party_name.txt")))
    assert actors["workers-unity-party"].mentions == 2
    assert "Workers Unity" in actors["workers-unity-party"].aliases
    assert "workers-unity" not in actors


def test_state_named_in_an_election_is_not_an_actor():
    ids = set(by_id(find_actors(scenario("actors_longer_names.txt"))))
    assert "united-kingdom" not in ids


def test_hyphenated_pair_of_known_people_counts_for_each():
    actors = by_id(find_actors(scenario("actors_pair_and_places.txt")))
    assert actors["donald-trump"].mentions == 2  # "Donald Trump", "Trump-Kim"
    assert actors["kim-jong-un"].mentions == 2


def test_name_after_a_place_preposition_is_a_place():
    actors = find_actors(scenario("actors_pair_and_places.txt"))
    assert not any(a.name in ("Raqqah", "Palmyra") for a in actors)


def test_title_case_heading_gives_no_new_actors():
    parsed = scenario("actors_heading_in_title_case.txt")
    assert not [m for m in find_mentions(parsed) if m.sentence == "p1.s1"]
    assert "nancy-pelosi" in by_id(find_actors(parsed))


def test_actor_mentions_maps_sentences_to_actor_ids():
    parsed = scenario("actors_capital_for_state.txt")
    actors = find_actors(parsed)
    mentions = actor_mentions(find_mentions(parsed), actors)
    assert set(mentions) <= {s.id for s in parsed.sentences}
    assert mentions["p2.s1"] == ("china",)
    assert mentions.get("p2.s2", ()) == ()


def test_mention_spans_point_into_the_sentence():
    parsed = scenario("actors_alias_merging.txt")
    text = {s.id: s.text for s in parsed.sentences}
    mentions = find_mentions(parsed)
    assert mentions
    for m in mentions:
        assert text[m.sentence][m.start : m.end].replace("\u2019", "'") == m.text


# ------------------------------------------------------------------------------------------- seed

SEED_ACTORS = {
    "xi-jinping": "person",
    "kim-jong-un": "person",
    "trump": "person",
    "li-zhanshu": "person",
    "wang-yi": "person",
    "song-tao": "person",
    "china": "state",
    "north-korea": "state",
    "united-states": "state",
    "south-korea": "state",
    "russia": "state",
    "workers-party-of-korea": "organization",
    "communist-party-of-china": "organization",
    "kcna": "organization",
}


@pytest.mark.parametrize("actor_id,kind", sorted(SEED_ACTORS.items()))
def test_seed_actor_appears_exactly_once_with_its_kind(seed, actor_id, kind):
    _, _, actors = seed
    assert [a.kind for a in actors if a.id == actor_id] == [kind]


def test_seed_names_are_unique(seed):
    _, _, actors = seed
    names = [a.name.lower() for a in actors]
    assert len(names) == len(set(names))
    aliases = [x.lower().replace("\u2019", "'") for a in actors for x in (a.name, *a.aliases)]
    assert len(aliases) == len(set(aliases))


def test_seed_keeps_kim_jong_il_apart(seed):
    _, _, actors = seed
    assert by_id(actors)["kim-jong-il"].mentions == 1


def test_seed_short_forms_and_capitals_join_their_states(seed):
    actors = by_id(seed[2])
    assert {"DPRK", "Pyongyang"} <= set(actors["north-korea"].aliases)
    assert "ROK" in actors["south-korea"].aliases
    assert "Washington" in actors["united-states"].aliases
    assert "Beijing" in actors["china"].aliases


def test_seed_author_is_not_an_actor(seed):
    _, _, actors = seed
    assert not any("gang" in a.id for a in actors)


def test_seed_state_media_are_organisations(seed):
    actors = by_id(seed[2])
    assert actors["rodong-sinmun"].kind == "organization"


def test_seed_places_and_events_are_not_actors(seed):
    ids = {a.id for a in seed[2]}
    assert not ids & {"vietnam", "japan", "hanoi", "osaka", "g20", "st-petersburg", "libya"}


def test_seed_order_puts_the_principal_actors_first(seed):
    top = [a.id for a in seed[2][:5]]
    assert {"china", "north-korea", "xi-jinping", "kim-jong-un"} <= set(top)


# ------------------------------------------------------------------------------------- gazetteer


def test_gazetteer_lists_the_un_members_and_observers():
    from briefgen.analysis import gazetteer

    states = [e for e in gazetteer.load().entries.values() if e.kind == "state"]
    assert len(states) >= 195
    ids = {e.id for e in states}
    assert {"holy-see", "palestine", "tuvalu", "eswatini", "north-korea", "south-korea"} <= ids


def test_gazetteer_short_forms_capitals_and_demonyms_point_to_their_state():
    from briefgen.analysis import gazetteer

    gaz = gazetteer.load()
    assert gaz.names["DPRK"] == "north-korea" and gaz.names["ROK"] == "south-korea"
    assert gaz.names["PRC"] == "china" and gaz.names["UK"] == "united-kingdom"
    assert gaz.capitals["Pyongyang"] == "north-korea" and gaz.capitals["Washington"] == "united-states"
    assert gaz.demonyms["Chinese"] == "china"
    assert "Congolese" not in gaz.demonyms  # two Congos: an ambiguous demonym names neither


def test_gazetteer_fixes_kinds_the_model_gets_wrong():
    from briefgen.analysis import gazetteer

    gaz = gazetteer.load()
    assert gaz.entries[gaz.names["Rodong Sinmun"]].kind == "organization"
    assert gaz.entries[gaz.names["KCNA"]].kind == "organization"
    assert gaz.entries[gaz.names["Daesh"]].kind == "group"


def test_capital_tagged_as_an_organisation_still_stands_for_its_state():
    actors = by_id(find_actors(scenario("actors_capital_tagged_org.txt")))
    assert "washington" not in actors
    assert "Washington" in actors["united-states"].aliases
    assert actors["united-states"].mentions == 2


def test_name_heading_a_natural_feature_is_a_place():
    actors = find_actors(scenario("actors_geographic_features.txt"))
    assert not any("Yamal" in a.name for a in actors)  # "the Yamal peninsula"


def test_name_the_text_gives_a_river_is_a_place_everywhere():
    actors = find_actors(scenario("actors_geographic_features.txt"))
    # "the upper river, which it calls the Lancang", then "the Lancang-Mekong Cooperation framework"
    assert not any("Lancang" in a.name for a in actors)


def test_state_inside_the_name_of_a_sea_is_not_mentioned():
    actors = by_id(find_actors(scenario("actors_geographic_features.txt")))
    assert actors["china"].mentions == 3  # not "the South China Sea"
    assert "japan" in actors


def test_entity_running_into_its_bracketed_acronym_is_one_actor():
    actors = by_id(find_actors(scenario("actors_acronym_after_name.txt")))
    opm = actors["office-of-personnel-management"]
    assert opm.name == "Office of Personnel Management" and "OPM" in opm.aliases
    assert "opm" not in actors and opm.mentions == 3


def test_acronym_the_text_defines_as_an_instrument_is_not_an_actor():
    actors = by_id(find_actors(scenario("actors_common_words.txt")))
    assert "bsa" not in actors and "bank-secrecy-act" not in actors  # "Bank Secrecy Act (BSA)"
    assert "international-seabed-authority" in actors and "treasury" in actors


def test_title_case_phrase_of_common_words_is_not_a_person():
    actors = find_actors(scenario("actors_common_words.txt"))
    assert not any(a.kind == "person" for a in actors)  # "Impossible Metals", a company


def test_capitalised_word_the_text_writes_in_lower_case_is_not_a_name():
    actors = by_id(find_actors(scenario("actors_common_words.txt")))
    assert "quantum" not in actors  # "quantum computers", "quantum sensors"


def test_bare_department_name_is_the_department_the_text_names():
    actors = by_id(find_actors(scenario("actors_department_short_name.txt")))
    assert "state" not in actors
    department = actors["state-department"]
    assert {"Department of State", "State"} <= set(department.aliases) and department.mentions == 2


def test_office_title_alone_is_not_a_person():
    actors = by_id(find_actors(scenario("actors_titles_and_works.txt")))
    assert "clerk" not in actors  # "the Clerk of the House presides"


def test_named_report_is_a_work_not_an_organisation():
    actors = by_id(find_actors(scenario("actors_titles_and_works.txt")))
    assert not any("update" in actor_id or "report" in actor_id for actor_id in actors)


def test_acronym_of_a_body_named_after_a_policy_is_an_actor():
    actors = by_id(find_actors(scenario("actors_common_words.txt")))
    ostp = actors["office-of-science-and-technology-policy"]
    assert "OSTP" in ostp.aliases and ostp.mentions == 3


def test_capitalised_name_headed_by_center_is_an_organisation():
    actors = by_id(find_actors(scenario("positions_members_of_a_body.txt")))
    assert actors["stimson-center"].kind == "organization"


# ----------------------------------------------------------------------------- bounded by design


def _text_document(text: str) -> Document:
    return Document(
        source=Source(path="hostile.txt", format="txt", sha256="0" * 64),
        meta=Meta(title="hostile"),
        paragraphs=(Paragraph(id="p1", text=text),),
    )


def _unbounded_token_runs(pattern) -> list[str]:
    """The repeats in a compiled pattern that have no upper bound and repeat a group matching
    whitespace: a run of words (`(?:[A-Z]\\w*\\s+)*`) that can backtrack over any number of tokens."""
    import re._constants as c
    import re._parser as p

    found: list[str] = []

    def matches_space(items) -> bool:
        for op, av in items:
            if op == c.LITERAL and chr(av).isspace():
                return True
            if op == c.IN and any(o == c.CATEGORY and a == c.CATEGORY_SPACE for o, a in av):
                return True
            if op in (c.SUBPATTERN, c.ATOMIC_GROUP) and matches_space(av[-1] if op == c.SUBPATTERN else av):
                return True
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and matches_space(av[2]):
                return True
            if op == c.BRANCH and any(matches_space(b) for b in av[1]):
                return True
        return False

    def is_run(items) -> bool:
        # A repeated group that holds whitespace and something else: words and the space between.
        items = list(items)
        if len(items) == 1 and items[0][0] == c.SUBPATTERN:
            return is_run(items[0][1][-1])
        if len(items) == 1 and items[0][0] == c.BRANCH:
            return any(is_run(b) for b in items[0][1][1])
        return len(items) > 1 and matches_space(items)

    def walk(items) -> None:
        for op, av in items:
            if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[1] == c.MAXREPEAT and is_run(av[2]):
                found.append(str(av[2])[:80])
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op == c.SUBPATTERN:
                walk(av[-1])
            elif op == c.ATOMIC_GROUP:
                walk(av)
            elif op == c.BRANCH:
                for b in av[1]:
                    walk(b)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                walk(av[1])

    walk(p.parse(pattern.pattern, pattern.flags))
    return found


def _module_patterns():
    import re

    from briefgen.analysis import actors, coinages, frameworks, gazetteer

    for module in (actors, frameworks, coinages):
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{module.__name__}.{name}", value
    gaz = gazetteer.load()
    yield "gazetteer.title_before_re", gaz.title_before_re


def test_no_pattern_of_the_actor_and_framework_finders_repeats_a_run_of_words_without_bound():
    offenders = {name: runs for name, p in _module_patterns() if (runs := _unbounded_token_runs(p))}
    # A title run before a name is searched only in a short window before it (see `_clean`).
    offenders.pop("gazetteer.title_before_re", None)
    assert offenders == {}


def test_the_unbounded_run_detector_catches_the_pattern_that_took_106_seconds():
    import re

    assert _unbounded_token_runs(re.compile(r"(?:[A-Z][\w'\-]*\s+)*Party"))
    assert not _unbounded_token_runs(re.compile(r"(?:[A-Z][\w'\-]*+\s++){0,12}Party"))


def test_a_60000_character_word_gives_no_actor():
    from briefgen.analysis.actors import analyse

    word = "A" * 60_000
    parsed = parse(_text_document(word), segment(_text_document(word)))
    assert analyse(parsed).actors == ()


def test_10000_capitalised_words_without_a_full_stop_are_bounded_name_runs():
    from briefgen.analysis import actors

    text = " ".join(["Council"] * 10_000)
    for pattern in (actors._POLITY, actors._ELECTION_NAME, actors._OF_NAME):
        # Each match covers at most MAX_NAME_WORDS words plus its head: no run is taken whole.
        assert all(len(m.group().split()) <= 2 * actors.MAX_NAME_WORDS + 2 for m in pattern.finditer(text))
    from briefgen.analysis import frameworks

    names = " ".join(["Ministry"] * 10_000) + " Act"
    assert all(
        len(m.group(1).split()) <= frameworks.MAX_NAME_WORDS + 1 for m in frameworks._NAMED_RE.finditer(names)
    )


class _CountingDoc:
    """A spaCy Doc that counts how often its whole text is read (each read joins every token)."""

    def __init__(self, doc) -> None:
        self._doc, self.text_reads = doc, 0

    @property
    def text(self) -> str:
        self.text_reads += 1
        return self._doc.text

    def __getattr__(self, name):
        return getattr(self._doc, name)

    def __getitem__(self, key):
        return self._doc[key]

    def __iter__(self):
        return iter(self._doc)

    def __len__(self) -> int:
        return len(self._doc)


def test_each_sentence_text_is_read_once_however_many_entities_it_has():
    import dataclasses

    from briefgen.analysis.actors import analyse

    names = ", ".join(
        f"Minister {n} of Ruritania" for n in ("Anna Berg", "Carl Dahl", "Eva Falk", "Gus Holm")
    )
    text = f"President Ivo Jansen met {names} and the Council of the League of Northern States in Oslo."
    parsed = parse(_text_document(text), segment(_text_document(text)))
    counting = tuple(_CountingDoc(d) for d in parsed.docs)
    analyse(dataclasses.replace(parsed, docs=counting))
    assert [d.text_reads for d in counting] == [1] * len(counting)


# ------------------------------------------------------------------------ junk and split actors


def test_ships_and_cables_named_after_a_vessel_noun_or_ship_prefix_are_not_actors():
    actors = by_id(find_actors(scenario("actors_things_not_actors.txt")))
    names = {a.name for a in actors.values()}
    assert not names & {"Aurora Bay", "Gotland Link", "USS Lexington", "Lexington"}


def test_an_operation_a_body_launches_or_activates_is_not_an_actor():
    actors = by_id(find_actors(scenario("actors_things_not_actors.txt")))
    assert "canada" in actors
    assert not {a.name for a in actors.values()} & {"Arctic Shield", "Polar Watch"}


def test_a_word_inside_an_instruments_name_is_not_an_actor():
    names = {a.name for a in find_actors(scenario("actors_things_not_actors.txt"))}
    assert not any("Safer Streets" in n or "Everyone" in n for n in names)


def test_a_title_after_a_comma_and_a_label_before_a_colon_are_not_part_of_a_name():
    actors = by_id(find_actors(scenario("actors_things_not_actors.txt")))
    assert actors["maria-lopez"].mentions == 2  # "Maria Lopez, Senior Policy Analyst" is Maria Lopez
    assert actors["environment-agency"].mentions == 2  # "Source:****Environment Agency"
    assert not any(":" in a.name or "," in a.name for a in actors.values())


def test_a_nickname_given_with_known_as_is_the_same_person():
    actors = by_id(find_actors(scenario("actors_split_names.txt")))
    assert "Segun" in actors["olusegun-adebayo-okafor"].aliases
    assert "segun" not in actors


def test_a_states_possessive_before_an_organisation_is_not_part_of_its_name():
    actors = by_id(find_actors(scenario("actors_split_names.txt")))
    assert actors["directorate-of-fisheries"].mentions == 2
    assert not any(a.name.startswith("Norway's") for a in actors.values())


def test_an_acronym_of_a_name_with_a_country_prefix_is_that_name():
    actors = by_id(find_actors(scenario("actors_split_names.txt")))
    survey = actors["u-s-geological-survey"]
    assert "USGS" in survey.aliases and survey.mentions == 3
    assert "usgs" not in actors


def test_a_surname_joins_a_full_name_that_ends_in_jr():
    actors = by_id(find_actors(scenario("actors_split_names.txt")))
    assert "Ortega" in actors["rafael-ortega-jr"].aliases
    assert "ortega" not in actors


def test_a_two_word_short_form_of_one_longer_company_name_is_that_company():
    actors = by_id(find_actors(scenario("actors_split_names.txt")))
    assert "harbor-link" not in actors and "harbor-link-logistics" in actors


def test_a_seat_of_government_stands_for_its_state():
    actors = by_id(find_actors(scenario("actors_split_names.txt")))
    assert "Kremlin" in actors["russia"].aliases and "kremlin" not in actors


def test_a_word_inside_an_instruments_name_after_an_article_is_not_an_actor():
    names = {a.name for a in find_actors(scenario("actors_things_not_actors.txt"))}
    assert not any("Fair Harbors" in n or "Fishermen" in n for n in names)


def test_acronym_the_text_defines_outranks_the_gazetteer_and_owner_possessive_is_stripped():
    actors = by_id(find_actors(scenario("actors_defined_acronyms_and_owners.txt")))
    audits = actors["institute-of-energy-audits"]  # "Transport's Institute ... (IEA)", not the agency
    assert "IEA" in audits.aliases and audits.mentions >= 3
    assert "iea" not in actors
    fund = actors["shipping-dues-fund"]  # "SDF (Shipping Dues Fund)": acronym first, then its name
    assert "SDF" in fund.aliases and fund.kind == "organization"
    assert "sdf" not in actors
    assert "bureau-of-marine-statistics" in actors
    assert not any(i.startswith("transport-s") for i in actors)
    office = actors["office-of-harbour-tariff-setting"]  # "Office of" need not give a letter
    assert "HTS" in office.aliases and "hts" not in actors


def test_coordinated_bodies_split_and_acknowledged_helpers_are_not_actors():
    actors = by_id(find_actors(scenario("actors_defined_acronyms_and_owners.txt")))
    assert {"office-of-fisheries-policy", "office-of-coastal-planning"} <= set(actors)
    assert not any(" and " in a.name for a in actors.values())
    assert "helen-marsh" not in actors and "tomas-okafor" not in actors
    assert "united-states" not in actors  # "the U.S. Constitution" names a law, not the state acting
    assert not any(a.name.startswith("II.") for a in actors.values())
