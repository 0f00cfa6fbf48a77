"""The same short article in all five formats gives the same Document, and the reader is
chosen by suffix, or by content when the suffix lies."""

import shutil
from pathlib import Path

import pytest

from briefgen.model import Author
from briefgen.readers import read_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
TITLE = "Subsea Cables and the Security of Small Island States"
FORMATS = ("txt", "md", "html", "docx", "pdf")


@pytest.fixture(scope="module")
def documents():
    return {fmt: read_source(FIXTURES / f"same_article.{fmt}") for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_title(documents, fmt):
    assert documents[fmt].meta.title == TITLE


@pytest.mark.parametrize("fmt", FORMATS)
def test_date(documents, fmt):
    assert documents[fmt].meta.date == "2024-09-09"


@pytest.mark.parametrize("fmt", FORMATS)
def test_authors_come_from_the_byline(documents, fmt):
    assert documents[fmt].meta.authors == (
        Author(name="Mereana Tait", affiliation="Pacific Resilience Institute"),
    )


@pytest.mark.parametrize("fmt", FORMATS[1:])
def test_paragraphs_match_the_plain_text_version(documents, fmt):
    def text_and_heading(document):
        return [(p.id, p.text, p.heading) for p in document.paragraphs]

    assert text_and_heading(documents[fmt]) == text_and_heading(documents["txt"])


def test_pdf_paragraphs_know_the_page_they_start_on(documents):
    pages = [p.page for p in documents["pdf"].paragraphs]
    # The last paragraph runs over the page break: it starts, and is cited, on page 1.
    assert pages[0] == 1 and pages == sorted(pages) and set(pages) <= {1, 2}
    assert all(p.page is None for p in documents["txt"].paragraphs)


def test_paragraphs_carry_their_headings(documents):
    headings = [p.heading for p in documents["txt"].paragraphs]
    assert headings == [
        None,
        None,
        "Why cables matter",
        "Why cables matter",
        "What small states can do",
        "What small states can do",
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_is_recorded(documents, fmt):
    assert documents[fmt].source.format == fmt


# A file whose suffix lies is read as what its content is (the content sniffed, not the name).
@pytest.mark.parametrize(
    "fixture, name, fmt",
    [
        ("same_article.pdf", "mislabelled.txt", "pdf"),
        ("same_article.html", "mislabelled.md", "html"),
        ("same_article.txt", "article.note", "txt"),  # unknown suffix: plain text
        ("same_article.docx", "mislabelled.pdf", "docx"),
        ("same_article.pdf", "mislabelled.docx", "pdf"),
        ("same_article.txt", "mislabelled.html", "txt"),
        ("same_article.md", "mislabelled.html", "md"),
    ],
)
def test_content_wins_over_a_lying_suffix(tmp_path, fixture, name, fmt):
    path = tmp_path / name
    shutil.copy(FIXTURES / fixture, path)
    document = read_source(path)
    assert document.source.format == fmt
    assert document.meta.title == TITLE


def test_binary_junk_named_html_is_refused_as_binary(tmp_path):
    from briefgen.errors import SourceError

    path = tmp_path / "junk.html"
    shutil.copy(FIXTURES / "binary_junk.txt", path)
    with pytest.raises(SourceError, match="binary"):
        read_source(path)


def test_an_html_fragment_without_an_html_element_is_still_html(tmp_path):
    path = tmp_path / "fragment.html"
    path.write_text(
        "<h1>Ports and Power</h1>\n<p>"
        + "The new port gives the navy a base far from home. " * 6
        + "</p>\n<p>"
        + "Local officials say the deal was signed in secret last year. " * 5
        + "</p>\n",
        encoding="utf-8",
    )
    assert read_source(path).source.format == "html"
