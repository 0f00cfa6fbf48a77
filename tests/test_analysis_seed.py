"""The seed article end to end (read -> segment -> analyze): what the issue promises a staffer."""

from pathlib import Path

import pytest

from briefgen.analysis import DEFAULT_KEY_POINTS
from briefgen.model import Brief
from briefgen.pipeline import extract

SEED = Path(__file__).parents[1] / "sources" / "north-korean-security.txt"

COINAGES = (
    "suspension for suspension",
    "phased and synchronized",
    "Libya-style",
    "new strategic line",
    "community of shared future",
    "legitimate security and development concerns",
)
ACTORS = {
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


@pytest.fixture(scope="module")
def brief() -> Brief:
    return extract(SEED)


def cited(brief: Brief):
    yield from ((k.text, k.cite) for k in brief.key_points)
    yield from ((p.text, p.cite) for a in brief.actors for p in a.positions)
    yield from ((f.term, f.cite) for f in brief.frameworks)
    yield from ((q.text, q.cite) for q in brief.open_questions)
    yield from ((e.text, e.cite) for e in brief.events)


def test_every_finding_cites_a_sentence_that_exists(brief):
    findings = list(cited(brief))
    assert findings
    for text, cite in findings:
        sentence = brief.sentence(cite.sentence)
        assert sentence is not None and sentence.paragraph == cite.paragraph, text


def test_named_actors_appear_once_with_the_right_kind(brief):
    kinds = {a.id: a.kind for a in brief.actors}
    assert len(kinds) == len(brief.actors)
    assert {i: kinds.get(i) for i in ACTORS} == ACTORS


def test_quoted_coinages_and_the_road_map_are_frameworks(brief):
    terms = {f.term for f in brief.frameworks}
    assert set(COINAGES) | {"China Road Map"} <= terms


def test_coinages_are_attributed_where_the_text_says_whose(brief):
    owner = {f.term: f.attributed_to for f in brief.frameworks}
    assert owner["phased and synchronized"] == "north-korea"
    assert owner["Libya-style"] == "united-states"


def test_both_body_questions_found_the_first_answered(brief):
    asked = [q for q in brief.open_questions if q.kind == "explicit" and q.text.startswith("What")]
    assert len(asked) == 2
    assert "legitimate security and development concerns" in asked[0].text
    assert "ending the state of war" in asked[0].answer


def test_reported_disagreement_is_contested(brief):
    contested = [q for q in brief.open_questions if q.kind == "contested"]
    assert any("Some believe" in brief.sentence(q.cite.sentence).text for q in contested)


def test_open_prospect_is_an_uncertainty(brief):
    texts = [q.text for q in brief.open_questions if q.kind == "uncertainty"]
    assert any(t.startswith("Will the prospect of reconciliation") for t in texts)


def test_relative_dates_resolved_against_june_2019(brief):
    dates = {e.date for e in brief.events}
    assert {"2019-02", "2019-06-11", "2019-06-20", "2018-06"} <= dates


def test_fourteen_years_is_not_an_event(brief):
    assert not any("14 years" in e.text for e in brief.events)


def test_default_number_of_key_points(brief):
    assert len(brief.key_points) == DEFAULT_KEY_POINTS


def test_brief_survives_json(brief):
    assert Brief.from_json(brief.to_json()) == brief
