"""The shared rules: dates, bylines, and what counts as site chrome."""

import pytest

from briefgen.model import Author
from briefgen.readers.common import clean_affiliation, date_line, find_date, is_chrome, parse_byline


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jun 28, 2019", "2019-06-28"),
        ("June 28, 2019", "2019-06-28"),
        ("28 June 2019", "2019-06-28"),
        ("Sept. 3, 2021", "2021-09-03"),
        ("2019-06-28", "2019-06-28"),
    ],
)
def test_find_date_reads_common_spellings(text, expected):
    assert find_date(text) == expected


def test_find_date_ignores_impossible_dates():
    assert find_date("Feb 30, 2019") is None


def test_date_line_accepts_a_labelled_date():
    assert date_line("Published: 9 September 2024") == "2024-09-09"


def test_date_line_rejects_a_sentence_that_mentions_a_date():
    assert date_line("Talks resumed on June 28, 2019 in Hanoi.") is None


def test_byline_with_affiliation():
    assert parse_byline("By Linh Pham, Mekong Policy Institute") == (
        Author(name="Linh Pham", affiliation="Mekong Policy Institute"),
    )


def test_byline_with_two_authors():
    assert [a.name for a in parse_byline("By Jane Doe and John Roe")] == ["Jane Doe", "John Roe"]


def test_bullet_name_line_is_a_byline():
    assert parse_byline("  • An Gang") == (Author(name="An Gang"),)


def test_section_label_is_not_a_byline():
    assert parse_byline("Foreign Policy") == ()


def test_role_is_dropped_from_affiliation():
    assert (
        clean_affiliation(
            "Adjunct Fellow, Center for International Security and Strategy, Tsinghua University"
        )
        == "Center for International Security and Strategy, Tsinghua University"
    )


@pytest.mark.parametrize(
    "line",
    [
        "Language : English 简体 繁體",
        "You might also like",
        "Back to Top",
        "Share this article",
        "Home | Research | Pacific | Contact",
        "We use cookies to improve your experience on this site. "
        "By continuing you accept our privacy policy.",
        "© 2024 Harbour Policy Forum. All rights reserved.",
    ],
)
def test_chrome_lines_are_recognised(line):
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "North Korean Security: What Role for China?",
        "It has been 14 years since the last time a Chinese head of state visited the DPRK.",
        "Why cables matter",
        "The share of exports going to China rose, and cookies were not mentioned at all.",
    ],
)
def test_prose_and_headings_are_not_chrome(line):
    assert not is_chrome(line)


def test_role_before_at_is_dropped_from_affiliation():
    assert clean_affiliation("Senior Fellow at the Polar Institute") == "Polar Institute"


@pytest.mark.parametrize(
    "line",
    [
        "Read more: How Somalia's pastoralists are adapting to drought",
        "Related: The long road to a regional drought fund",
        "Subscribe to our newsletter for weekly updates from the region.",
        "Sign up for our free climate briefing",
        "Advertisement",
    ],
)
def test_mid_article_prompts_are_chrome(line):
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "Related research on drought insurance is scarce, and most of it was paid for by donors.",
        "Sign up for the militia was compulsory for men over eighteen until 1991.",
        "Subscribers to this view argue that the fund should be regional.",
    ],
)
def test_prose_opening_like_a_prompt_is_not_chrome(line):
    assert not is_chrome(line)


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "Maria Lopez, Senior Fellow at the Atlantic Council",
            (Author(name="Maria Lopez", affiliation="Atlantic Council"),),
        ),
        ("Carlos Mendoza · 30 Nov 2022", (Author(name="Carlos Mendoza"),)),
        (
            "Jonas Petraitis | Vilnius Energy Forum",
            (Author(name="Jonas Petraitis", affiliation="Vilnius Energy Forum"),),
        ),
    ],
)
def test_byline_shapes_without_a_by_prefix(line, expected):
    assert parse_byline(line) == expected


def test_a_name_followed_by_a_clause_is_not_a_byline():
    assert parse_byline("Jane Doe, who wrote the first report") == ()
