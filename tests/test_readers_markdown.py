"""The Markdown reader: front matter, else the first heading and the lines under it."""

from pathlib import Path

from briefgen.model import Author
from briefgen.readers import read_source

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path, text, name="note.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BODY = (
    "The commission met twice this year and agreed on nothing, although both delegations "
    "said the talks had been useful."
)


def test_front_matter_supplies_title_authors_and_date(tmp_path):
    path = _write(
        tmp_path,
        "---\ntitle: Front Title\nauthors:\n  - name: Ola Nordmann\n"
        "    affiliation: Polar Institute\ndate: 2023-09-01\n---\n\n" + BODY + "\n",
    )
    meta = read_source(path).meta
    assert (meta.title, meta.authors, meta.date) == (
        "Front Title",
        (Author(name="Ola Nordmann", affiliation="Polar Institute"),),
        "2023-09-01",
    )


def test_front_matter_wins_over_the_first_heading(tmp_path):
    path = _write(tmp_path, "---\ntitle: Front Title\n---\n\n# Heading Title\n\n" + BODY + "\n")
    assert read_source(path).meta.title == "Front Title"


def test_without_front_matter_the_first_heading_is_the_title(tmp_path):
    path = _write(
        tmp_path, "# Heading Title\n\nBy Jane Doe, Some Institute  \n*March 3, 2022*\n\n" + BODY + "\n"
    )
    meta = read_source(path).meta
    assert meta.title == "Heading Title"
    assert meta.authors == (Author(name="Jane Doe", affiliation="Some Institute"),)
    assert meta.date == "2022-03-03"


def test_byline_and_date_lines_are_not_paragraphs(tmp_path):
    path = _write(tmp_path, "# Heading Title\n\nBy Jane Doe\n\nMarch 3, 2022\n\n" + BODY + "\n")
    assert [p.text for p in read_source(path).paragraphs] == [BODY]


def test_headings_label_the_paragraphs_below_them(tmp_path):
    path = _write(
        tmp_path, "# T\n\n" + BODY + "\n\n## Options\n\n" + BODY + "\n\n### Costs\n\n" + BODY + "\n"
    )
    assert [p.heading for p in read_source(path).paragraphs] == [None, "Options", "Costs"]


def test_inline_markup_is_removed_and_quotes_kept(tmp_path):
    path = _write(
        tmp_path,
        "# T\n\nThe *new* plan, in **bold** terms, is “phased and synchronized” "
        "according to [the agency](https://example.org) and `nobody` else.\n",
    )
    assert read_source(path).paragraphs[0].text == (
        "The new plan, in bold terms, is “phased and synchronized” according to the agency and nobody else."
    )


def test_list_items_become_paragraphs_and_code_is_skipped(tmp_path):
    path = _write(
        tmp_path,
        "# T\n\n" + BODY + "\n\n- First point of the list, stated fully.\n"
        "- Second point of the list, stated fully.\n\n```\ncode = 1\n```\n",
    )
    texts = [p.text for p in read_source(path).paragraphs]
    assert texts == [
        BODY,
        "First point of the list, stated fully.",
        "Second point of the list, stated fully.",
    ]


def test_broken_front_matter_is_ignored_not_fatal(tmp_path):
    path = _write(tmp_path, "---\ntitle: [unclosed\n---\n\n# Heading Title\n\n" + BODY + "\n")
    assert read_source(path).meta.title == "Heading Title"


def test_example_source_reads():
    document = read_source(ROOT / "sources" / "mekong-water-security.md")
    assert document.meta.publisher == "Mekong Policy Institute"
    assert "Upstream dams" in {p.heading for p in document.paragraphs}


def test_an_h1_over_the_text_is_not_a_section_label_when_front_matter_names_the_title(tmp_path):
    path = _write(tmp_path, "---\ntitle: Front Title\n---\n\n# A Different Heading\n\n" + BODY + "\n")
    document = read_source(path)
    assert document.meta.title == "Front Title"
    assert document.paragraphs[0].heading is None


def test_a_front_matter_affiliation_is_shared_by_every_author(tmp_path):
    path = _write(
        tmp_path,
        "---\ntitle: Shared Desk\nauthor:\n  - Ilse Berg\n  - Omar Said\n"
        "affiliation: Lake Policy Unit\n---\n\n" + BODY + "\n",
    )
    assert read_source(path).meta.authors == (
        Author(name="Ilse Berg", affiliation="Lake Policy Unit"),
        Author(name="Omar Said", affiliation="Lake Policy Unit"),
    )
