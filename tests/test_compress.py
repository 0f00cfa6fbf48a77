"""compress: a source sentence cut to its main clause by deleting words, never adding any."""

from __future__ import annotations

import re

import pytest

from briefgen.analysis.compress import compress_doc, strip_opener
from briefgen.nlp import model


def compress(text: str, width: int) -> str:
    """What the analysis does for a cited sentence: parse it, then cut it (no cache: each test parses)."""
    text = " ".join(text.split())
    return compress_doc(model()(text), text, width) if text else text


APPOSITIVE = (
    "The Arctic Council, the main forum for the eight Arctic states, paused most of its "
    "work with Russia after the invasion of Ukraine in 2022."
)
PARTICIPLE_ASIDE = (
    "The River Commission, set up by the four lower basin states in 1995, has no power to stop a dam."
)
LONG_TAIL = (
    "Transit voyages remain few, but cargo volumes on the route reached a record in 2023, "
    "most of it liquefied natural gas and oil leaving Russian terminals."
)
COLON = (
    "Xi confirmed China's support for the DPRK in three aspects: China will support its "
    "socialist cause, its new strategic line, and its efforts to solve the issue politically."
)
MARKER_AND_ADVERBIAL = (
    "However, as the US election draws near and relations are ever changing, "
    "the administration is eager to close a nuclear deal with the DPRK."
)
PARENTHESIS = (
    "Kim Jong-un, Chairman of the Workers' Party of Korea (WPK), invited Xi Jinping to make a state visit."
)
LIST_OF_CLAUSES = (
    "Banks stop clearing payments, hospitals lose their links to specialists abroad, "
    "and governments struggle to tell citizens what is happening."
)
DATE_AT_END = "Kim Jong-un invited Xi Jinping to make a state visit to the DPRK from June 20 to 21, 2019."
EXAMPLES = (
    APPOSITIVE,
    PARTICIPLE_ASIDE,
    LONG_TAIL,
    COLON,
    MARKER_AND_ADVERBIAL,
    PARENTHESIS,
    LIST_OF_CLAUSES,
    DATE_AT_END,
)
WORD = re.compile(r"[\w'’-]+")


def in_order(short: str, long: str) -> bool:
    """Is every word of `short` a word of `long`, in the same order?"""
    words = iter(w.lower() for w in WORD.findall(long))
    return all(any(w.lower() == x for x in words) for w in WORD.findall(short))


def test_a_sentence_that_fits_is_left_alone():
    assert compress(APPOSITIVE, 200) == APPOSITIVE


@pytest.mark.parametrize("text", EXAMPLES)
@pytest.mark.parametrize("width", (60, 90, 120))
def test_only_source_words_in_source_order(text, width):
    assert in_order(compress(text, width), text)


@pytest.mark.parametrize("text", EXAMPLES)
def test_the_result_is_a_sentence(text):
    short = compress(text, 80)
    assert short[0].isupper() and short.endswith(".") and "…" not in short


def test_appositive_goes_with_both_commas():
    assert compress(APPOSITIVE, 100) == (
        "The Arctic Council paused most of its work with Russia after the invasion of Ukraine in 2022."
    )


def test_participle_aside_goes():
    assert compress(PARTICIPLE_ASIDE, 70) == "The River Commission has no power to stop a dam."


def test_a_long_tail_is_cut_at_its_comma():
    assert compress(LONG_TAIL, 90) == (
        "Transit voyages remain few, but cargo volumes on the route reached a record in 2023."
    )


def test_the_clause_before_a_colon_is_kept():
    assert compress(COLON, 80) == "Xi confirmed China's support for the DPRK in three aspects."


def test_marker_and_leading_adverbial_go_when_needed():
    short = compress(MARKER_AND_ADVERBIAL, 90)
    assert short == "The administration is eager to close a nuclear deal with the DPRK."


def test_parenthetical_goes_before_the_sense_does():
    assert "(WPK)" not in compress(PARENTHESIS, 95)
    assert compress(PARENTHESIS, 95).startswith("Kim Jong-un")


def test_a_list_of_clauses_is_not_cut_to_a_dangling_pair():
    short = compress(LIST_OF_CLAUSES, 60)
    assert not short.endswith("abroad.")


def test_an_as_well_as_addition_is_a_tail():
    text = (
        "This year celebrates the 70th anniversary of relations between the two countries, "
        "as well as the 70th anniversary of the founding of the People's Republic of China."
    )
    assert (
        compress(text, 100)
        == "This year celebrates the 70th anniversary of relations between the two countries."
    )


def test_a_year_after_a_comma_is_not_a_tail():
    assert "2019" in compress(DATE_AT_END, 70)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "However, this stance does not conform to the logic of either state.",
            "This stance does not conform to the logic of either state.",
        ),
        (
            "More importantly, China has chosen to play a more active role.",
            "China has chosen to play a more active role.",
        ),
        (
            "Yet these countries want processing and jobs at home.",
            "These countries want processing and jobs at home.",
        ),
        ("Still waters run deep.", "Still waters run deep."),
    ],
)
def test_strip_opener(text, expected):
    assert strip_opener(text) == expected
