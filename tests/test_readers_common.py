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


# Front-matter lists in other words than any source of the repository: a report's contents, its
# list of figures and its abbreviations, as a PDF or a pasted text gives them (one paragraph each).
CONTENTS = (
    "Chapter 1 Why the Coast Guard Budget Grew 3 Chapter 2 Cutter Readiness and Maintenance 11 "
    "Appendix I Scope and Methodology 40 Appendix II Comments from the Department 44"
)
FIGURES = (
    "Figure 1: Cutter Days Away from Port, 2015-2024 6 Figure 2: Maintenance Backlog by District 14 "
    "Figure 3: Crew Vacancies by Rating 22"
)
GLOSSARY = (
    "CBP U.S. Customs and Border Protection DHS Department of Homeland Security FEMA Federal "
    "Emergency Management Agency ICE U.S. Immigration and Customs Enforcement NOAA National Oceanic "
    "and Atmospheric Administration TSA Transportation Security Administration"
)


@pytest.mark.parametrize("text", [CONTENTS, FIGURES, GLOSSARY])
def test_front_matter_lists_are_listings(text):
    from briefgen.readers.common import is_listing

    assert is_listing(text)


@pytest.mark.parametrize(
    "text",
    [
        "DHS, FEMA and NOAA said the forecast models would be shared with state emergency managers "
        "before the hurricane season, while TSA and CBP declined to comment on the staffing plan.",
        "Table 2 shows that cutter readiness fell in 2023, and Figure 4 shows the backlog doubling "
        "since 2019 in the two largest districts, as the report notes on page 14.",
        "NATO, the EU, the OSCE and the UN each sent observers.",
    ],
)
def test_prose_about_agencies_and_tables_is_not_a_listing(text):
    from briefgen.readers.common import is_listing

    assert not is_listing(text)


def test_a_text_source_loses_its_contents_and_glossary_and_their_headings(tmp_path):
    from briefgen.readers import read_source

    source = tmp_path / "report.md"
    source.write_text(
        "# Coast Guard Readiness\n\n## Contents\n\n"
        + CONTENTS
        + "\n\n## Abbreviations\n\n"
        + GLOSSARY
        + "\n\nThe Coast Guard kept fewer cutters at sea in 2024 than in any year since 2015, the "
        "report finds, because maintenance now takes longer than planned.\n",
        encoding="utf-8",
    )
    document = read_source(source)
    assert [p.text[:20] for p in document.paragraphs] == ["The Coast Guard kept"]
    assert document.paragraphs[0].heading is None


def test_a_paragraph_of_prose_opening_on_by_is_no_byline(tmp_path):
    # "By widening the port, ..." starts a sentence, not a byline: the article before it is body,
    # not a standfirst, and the source is read (it was refused as having no article text).
    from briefgen.readers import read_source

    source = tmp_path / "port.md"
    source.write_text(
        "# Harbour plan wins council vote\n\n"
        "The city council approved the harbour expansion on Tuesday after a year of hearings.\n\n"
        "The mayor said the vote ended a long dispute with the fishing cooperative, which had feared "
        "losing its berths, and that construction would start in the spring if the state agreed.\n\n"
        "By widening the port, officials hope to attract larger container ships, although critics "
        "say the traffic will worsen congestion on the coastal road and raise costs for residents.\n",
        encoding="utf-8",
    )
    document = read_source(source)
    assert len(document.paragraphs) == 3
    assert document.meta.authors == ()


@pytest.mark.parametrize(
    "line",
    [
        "Correction, March 4, 2023: This story originally gave the wrong year for the treaty's signing.",
        "Clarification: An earlier version of this article said the tariff applied to all imports.",
        "Editor’s note: This report was updated to add the ministry's response.",
    ],
)
def test_an_editors_correction_notice_is_chrome(line):
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "Correction: the agency said the figures would be revised, and critics said it came too late.",
        "Update: The Senate passed the bill on Friday by a vote of 61 to 39.",
    ],
)
def test_prose_that_opens_on_correction_or_update_is_not_chrome(line):
    assert not is_chrome(line)


def _report_with_closing_pages(tmp_path, closing: str):
    from briefgen.readers import read_source

    body = "\n\n".join(
        f"Finding {n}: the port authority's inspections of cranes fell behind schedule in district {n}, "
        "the audit found, because inspectors were reassigned to new terminals."
        for n in range(1, 9)
    )
    source = tmp_path / "audit.md"
    source.write_text(f"# Crane Safety Audit\n\n{body}\n\n{closing}\n", encoding="utf-8")
    return read_source(source)


def test_a_public_domain_notice_near_the_end_starts_the_publishers_pages(tmp_path):
    document = _report_with_closing_pages(
        tmp_path,
        "This is a work of the U.S. government and is not subject to copyright protection in the "
        "United States.\n\n## Ordering\n\nPrinted copies cost $2 each; a check should be made out to "
        "the Treasurer.\n\n## Press office\n\nJ. Smith, (555) 010-2000, press@example.gov",
    )
    assert len(document.paragraphs) == 8
    assert all(p.text.startswith("Finding") for p in document.paragraphs)


def test_a_publishers_closing_heading_near_the_end_cuts_its_pages(tmp_path):
    document = _report_with_closing_pages(
        tmp_path, "## Contact us\n\nWrite to the audit office at 10 Main Street; calls are answered weekdays."
    )
    assert len(document.paragraphs) == 8


def test_a_copyright_notice_on_the_title_page_cuts_nothing(tmp_path):
    from briefgen.readers import read_source

    source = tmp_path / "early.md"
    source.write_text(
        "# Crane Safety Audit\n\nCopyright 2024 Harbour Institute.\n\n"
        + "\n\n".join(
            f"Finding {n}: inspections fell behind in district {n}, the audit found." for n in range(9)
        ),
        encoding="utf-8",
    )
    assert len(read_source(source).paragraphs) >= 9


def test_a_statutes_subsection_c_is_not_a_copyright_line():
    # "(c)" opens the third subsection of a bill's section; only "(c) 2024 ..." is a copyright.
    assert not is_chrome("(c) Definitions.—In this section, the term “port” means a harbor facility.")
    assert is_chrome("(c) 2024 Harbour Institute")


def test_a_photo_credit_with_a_copyright_sign_before_the_last_paragraphs_cuts_nothing(tmp_path):
    from briefgen.readers import read_source

    paragraphs = [
        f"Point {n}: the harbour board delayed the dredging contract again, the minutes show."
        for n in range(8)
    ]
    paragraphs.insert(
        7,
        "© Harbour Photo Agency 2024. Fishermen gathered outside the board's offices on Monday to protest "
        "the delay, holding signs that demanded the minutes of every closed meeting be published.",
    )
    source = tmp_path / "credit.md"
    source.write_text("# Dredging delayed\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    assert len(read_source(source).paragraphs) == 9
