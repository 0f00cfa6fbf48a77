"""Footnotes as an office sends them: native Word notes in the DOCX, notes at the foot of the citing
page in the PDF (or endnotes when the audience says so)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from briefgen.render.blocks import parse
from briefgen.render.docx import render_docx
from briefgen.render.pdf import render_pdf
from briefgen.render.style import DocInfo, Style
from office import needs_libreoffice, to_pdf

INFO = DocInfo(title="Notes memo", author="Policy Unit", date="2025-02-03")
STYLE = Style(banner="UNCLASSIFIED")
FILLER = "The delegation reviewed the customs arrangements at the border crossing in detail. " * 5


def cited_memo(paragraphs: int = 12) -> str:
    """Paragraphs each citing its own note at its end ("Ending3."), the third citing the first note again."""
    body = []
    for i in range(1, paragraphs + 1):
        again = "[^n1]" if i == 3 else ""
        body.append(f"Paragraph {i}. {FILLER}Ending{i}.[^n{i}]{again}")
    notes = [
        f"[^n{i}]: Source ¶{i}: “Note number {i} quotes its sentence.”" for i in range(1, paragraphs + 1)
    ]
    return "# Notes memo\n\n" + "\n\n".join(body) + "\n\n" + "\n".join(notes) + "\n"


def notes_root(data: bytes, kind: str = "footnote"):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(f"word/{kind}s.xml"))


def real_notes(root, kind: str = "footnote"):
    return [n for n in root.findall(qn(f"w:{kind}")) if n.get(qn("w:type")) is None]


@pytest.fixture(scope="module")
def memo_docx() -> bytes:
    return render_docx(parse(cited_memo()), STYLE, INFO)


def test_docx_notes_live_in_a_footnotes_part_with_separators(memo_docx):
    root = notes_root(memo_docx)
    kinds = [n.get(qn("w:type")) for n in root.findall(qn("w:footnote"))]
    assert kinds[:2] == ["separator", "continuationSeparator"]
    assert len(real_notes(root)) == 12
    with zipfile.ZipFile(io.BytesIO(memo_docx)) as package:
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert "wordprocessingml.footnotes+xml" in types
    assert "relationships/footnotes" in rels


def test_docx_body_refers_to_each_note_once_and_cross_refers_a_repeated_citation(memo_docx):
    document = docx.Document(io.BytesIO(memo_docx))  # python-docx reads the package back
    body = document.element.body
    refs = [r.get(qn("w:id")) for r in body.iter(qn("w:footnoteReference"))]
    assert refs == [str(i) for i in range(1, 13)]
    fields = [t.text for t in body.iter(qn("w:instrText")) if "NOTEREF" in t.text]
    assert len(fields) == 1
    assert "Paragraph 3" in document.paragraphs[3].text


def test_docx_note_styles_exist_and_notes_use_them(memo_docx):
    document = docx.Document(io.BytesIO(memo_docx))
    names = {style.name for style in document.styles}
    assert {"Footnote Text", "Footnote Reference"} <= names
    first = real_notes(notes_root(memo_docx))[0]
    assert first.find(f".//{qn('w:pStyle')}").get(qn("w:val")) == "FootnoteText"
    assert first.find(f".//{qn('w:footnoteRef')}") is not None
    assert "Note number 1 quotes" in "".join(first.itertext())


def test_docx_endnotes_when_the_style_says_so():
    data = render_docx(parse(cited_memo(3)), replace(STYLE, notes="endnotes"), INFO)
    assert len(real_notes(notes_root(data, "endnote"), "endnote")) == 3
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "word/footnotes.xml" not in package.namelist()


def test_docx_with_notes_is_byte_reproducible(memo_docx):
    assert render_docx(parse(cited_memo()), STYLE, INFO) == memo_docx


@needs_libreoffice
def test_libreoffice_numbers_the_notes_at_the_foot_of_the_citing_page(memo_docx, tmp_path):
    source = tmp_path / "memo.docx"
    source.write_bytes(memo_docx)
    (converted,) = to_pdf([source], tmp_path)
    pages = [page.extract_text() for page in PdfReader(converted).pages]
    assert len(pages) >= 2
    for i in range(1, 13):
        page = next(text for text in pages if f"Ending{i}." in text)
        note = f"Note number {i} quotes"
        assert note in page  # the note is on the page where it is cited
        assert page.index(note) > page.index(f"Ending{i}.")  # below the text: at the foot


@pytest.fixture(scope="module")
def memo_pdf_pages() -> list[str]:
    data = render_pdf(parse(cited_memo()), STYLE, INFO)
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_pdf_notes_sit_at_the_foot_of_the_page_that_cites_them(memo_pdf_pages):
    assert len(memo_pdf_pages) >= 2
    for i in range(1, 13):
        page = next(text for text in memo_pdf_pages if f"Ending{i}." in text)
        note = f"{i}. Source ¶{i}: “Note number {i} quotes"
        assert note in page
        last_body = max(page.rfind(f"Ending{j}.") for j in range(1, 13))
        assert page.index(note) > last_body


def test_pdf_note_cited_twice_is_printed_once(memo_pdf_pages):
    assert sum(text.count("Note number 1 quotes") for text in memo_pdf_pages) == 1


def test_pdf_endnotes_follow_the_text_when_the_style_says_so():
    data = render_pdf(parse(cited_memo()), replace(STYLE, notes="endnotes"), INFO)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    text = "\n".join(pages)
    assert text.index("Note number 1 quotes") > text.index("Paragraph 12.")


@pytest.mark.parametrize("sentences", [120, 250, 600])
def test_pdf_notes_longer_than_half_a_page_continue_on_the_next_pages_and_lose_nothing(sentences):
    # 120 sentences fill half a page or more, 250 more than a page, 600 several pages: every one is printed.
    long_note = "A very long note sentence that goes on. " * sentences
    markdown = f"# Long\n\nShort text.[^a]\n\n[^a]: {long_note}Last9\n"
    data = render_pdf(parse(markdown), STYLE, INFO)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert "Short text." in pages[0]
    assert "Last9" in pages[-1]
    assert sum(" ".join(page.split()).count("goes on.") for page in pages) == sentences
    if sentences >= 250:
        assert len(pages) >= 3


def test_a_note_no_reference_points_at_is_still_printed():
    markdown = "# T\n\nText.[^a]\n\n[^a]: First.\n"
    blocks = parse(markdown)
    orphan = replace(blocks[-1], notes=(*blocks[-1].notes, replace(blocks[-1].notes[0], number=9)))
    data = render_pdf((*blocks[:-1], orphan), STYLE, INFO)
    assert "9." in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_a_reference_docx_with_words_own_note_styles_keeps_one_of_each(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    reference = docx.Document()
    theirs = reference.styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)  # as Word names it
    theirs.font.size = Pt(7)
    path = tmp_path / "reference.docx"
    reference.save(path)
    data = render_docx(parse(cited_memo(2)), replace(STYLE, reference_docx=str(path)), INFO)
    document = docx.Document(io.BytesIO(data))
    ids = [style.style_id for style in document.styles]
    assert len(ids) == len(set(ids))
    assert [s.name for s in document.styles if s.name.lower() == "footnote text"] == ["footnote text"]
    used = real_notes(notes_root(data))[0].find(f".//{qn('w:pStyle')}").get(qn("w:val"))
    assert used == theirs.style_id


def test_notes_that_fit_under_the_last_text_take_no_page_of_their_own():
    # About two thirds of a page of notes under two lines of text: one page, not a page of notes.
    notes = "\n".join(
        f"[^{i}]: Note {i} " + "quotes a longer passage of the source. " * 6 for i in range(1, 12)
    )
    refs = "".join(f"[^{i}]" for i in range(1, 12))
    data = render_pdf(parse(f"# Short\n\nShort text.{refs}\n\n{notes}\n"), STYLE, INFO)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) == 1
    assert "Note 11 quotes" in pages[0]
