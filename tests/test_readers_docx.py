"""The DOCX reader: heading styles, text before core properties, and hostile files."""

import datetime as dt
import time
from pathlib import Path

import docx
import pytest

from briefgen.errors import SourceError
from briefgen.model import Author
from briefgen.readers import read_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
BODY = (
    "The commission met twice this year and agreed on nothing, although both delegations said "
    "the talks had been useful."
)


def _save(document, tmp_path, name="note.docx"):
    path = tmp_path / name
    document.save(path)
    return path


def test_core_properties_fill_in_when_the_text_has_no_byline_or_date(tmp_path):
    document = docx.Document()
    document.add_heading("Quiet Talks", level=0)
    document.add_paragraph(BODY)
    document.core_properties.author = "Jane Doe"
    document.core_properties.created = dt.datetime(2023, 5, 6, 12, 0)
    meta = read_source(_save(document, tmp_path)).meta
    assert (meta.title, meta.authors, meta.date) == ("Quiet Talks", (Author(name="Jane Doe"),), "2023-05-06")


def test_text_date_wins_over_the_core_properties_date():
    # The fixture's core properties say 2025-01-02 (when the file was made).
    assert read_source(FIXTURES / "same_article.docx").meta.date == "2024-09-09"


def test_text_byline_wins_over_the_core_properties_author():
    # The fixture's core properties name "Office Admin".
    authors = read_source(FIXTURES / "same_article.docx").meta.authors
    assert [a.name for a in authors] == ["Mereana Tait"]


def test_heading_styles_become_headings(tmp_path):
    document = docx.Document()
    document.add_heading("Quiet Talks", level=0)
    document.add_paragraph(BODY)
    document.add_heading("Options", level=2)
    document.add_paragraph(BODY)
    paragraphs = read_source(_save(document, tmp_path)).paragraphs
    assert [p.heading for p in paragraphs] == [None, "Options"]


def test_tables_are_not_body_text(tmp_path):
    document = docx.Document()
    document.add_heading("Quiet Talks", level=0)
    document.add_paragraph(BODY)
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "cell text"
    assert all("cell text" not in p.text for p in read_source(_save(document, tmp_path)).paragraphs)


def test_fake_docx_is_refused():
    with pytest.raises(SourceError, match="not a zip archive"):
        read_source(FIXTURES / "fake_not_a_zip.docx")


def test_entity_bomb_is_refused_quickly():
    started = time.monotonic()
    with pytest.raises(SourceError, match="entity bomb"):
        read_source(FIXTURES / "entity_bomb.docx")
    assert time.monotonic() - started < 10  # a generous bound: expansion would take minutes and gigabytes


def test_zip_bomb_is_refused():
    with pytest.raises(SourceError, match="zip bomb"):
        read_source(FIXTURES / "zip_bomb.docx")


def test_zip_without_a_word_document_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a word document")
    with pytest.raises(SourceError, match=r"no word/document\.xml"):
        read_source(path)


def test_template_placeholders_in_core_properties_are_ignored(tmp_path):
    document = docx.Document()  # python-docx's template: creator "python-docx", created 2013
    document.add_heading("Quiet Talks", level=0)
    document.add_paragraph(BODY)
    meta = read_source(_save(document, tmp_path)).meta
    assert (meta.authors, meta.date) == ((), None)


def test_a_member_inflating_hundreds_of_times_its_size_is_a_zip_bomb():
    # 12 MiB of empty paragraphs from a few KB: under the flat cap, refused by the ratio cap.
    with pytest.raises(SourceError, match=r"looks like a zip bomb: word/document\.xml inflates over 100x"):
        read_source(FIXTURES / "empty_paragraphs_bomb.docx")


def test_xml_parts_together_are_capped(monkeypatch):
    from briefgen.readers import docx

    monkeypatch.setattr(docx, "XML_CAP", 4000)  # a cap the ordinary fixture's parts add up past
    with pytest.raises(SourceError, match=r"looks like a zip bomb: .* inflates past"):
        read_source(FIXTURES / "same_article.docx")
