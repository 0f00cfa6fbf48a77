"""The same short article in all five formats gives the same Document, and the reader is
chosen by suffix, or by content when the suffix lies."""

import shutil
from pathlib import Path

import pytest

from briefgen.model import Author
from briefgen.readers import read_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
FORMATS = ("txt", "md", "html", "docx", "pdf")


@pytest.fixture(scope="module")
def documents():
    return {fmt: read_source(FIXTURES / f"same_article.{fmt}") for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
def test_title(documents, fmt):
    assert documents[fmt].meta.title == "Subsea Cables and the Security of Small Island States"


@pytest.mark.parametrize("fmt", FORMATS)
def test_date(documents, fmt):
    assert documents[fmt].meta.date == "2024-09-09"


@pytest.mark.parametrize("fmt", FORMATS)
def test_authors_come_from_the_byline(documents, fmt):
    assert documents[fmt].meta.authors == (Author(name="Mereana Tait", affiliation="Pacific Resilience Institute"),)


@pytest.mark.parametrize("fmt", FORMATS[1:])
def test_paragraphs_match_the_plain_text_version(documents, fmt):
    assert documents[fmt].paragraphs == documents["txt"].paragraphs


def test_paragraphs_carry_their_headings(documents):
    headings = [p.heading for p in documents["txt"].paragraphs]
    assert headings == [None, None, "Why cables matter", "Why cables matter",
                        "What small states can do", "What small states can do"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_is_recorded(documents, fmt):
    assert documents[fmt].source.format == fmt


def test_pdf_with_a_txt_suffix_is_read_as_pdf(tmp_path):
    path = tmp_path / "mislabelled.txt"
    shutil.copy(FIXTURES / "same_article.pdf", path)
    assert read_source(path).source.format == "pdf"


def test_html_with_an_md_suffix_is_read_as_html(tmp_path):
    path = tmp_path / "mislabelled.md"
    shutil.copy(FIXTURES / "same_article.html", path)
    document = read_source(path)
    assert document.source.format == "html"
    assert document.meta.title == "Subsea Cables and the Security of Small Island States"


def test_unknown_suffix_falls_back_to_text(tmp_path):
    path = tmp_path / "article.note"
    shutil.copy(FIXTURES / "same_article.txt", path)
    assert read_source(path).source.format == "txt"


def test_a_real_docx_named_pdf_is_read_as_docx(tmp_path):
    path = tmp_path / "mislabelled.pdf"
    shutil.copy(FIXTURES / "same_article.docx", path)
    document = read_source(path)
    assert document.source.format == "docx"
    assert document.meta.title == "Subsea Cables and the Security of Small Island States"


def test_a_real_pdf_named_docx_is_read_as_pdf(tmp_path):
    path = tmp_path / "mislabelled.docx"
    shutil.copy(FIXTURES / "same_article.pdf", path)
    assert read_source(path).source.format == "pdf"


def test_plain_text_named_html_is_read_as_text(tmp_path):
    path = tmp_path / "mislabelled.html"
    shutil.copy(FIXTURES / "same_article.txt", path)
    document = read_source(path)
    assert document.source.format == "txt"
    assert document.meta.title == "Subsea Cables and the Security of Small Island States"


def test_markdown_named_html_is_read_as_markdown(tmp_path):
    path = tmp_path / "mislabelled.html"
    shutil.copy(FIXTURES / "same_article.md", path)
    assert read_source(path).source.format == "md"


def test_binary_junk_named_html_is_refused_as_binary(tmp_path):
    from briefgen.errors import SourceError

    path = tmp_path / "junk.html"
    shutil.copy(FIXTURES / "binary_junk.txt", path)
    with pytest.raises(SourceError, match="binary"):
        read_source(path)


def test_an_html_fragment_without_an_html_element_is_still_html(tmp_path):
    path = tmp_path / "fragment.html"
    path.write_text("<h1>Ports and Power</h1>\n<p>" + "The new port gives the navy a base far from home. " * 6
                    + "</p>\n<p>" + "Local officials say the deal was signed in secret last year. " * 5 + "</p>\n",
                    encoding="utf-8")
    assert read_source(path).source.format == "html"
