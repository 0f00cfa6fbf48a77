"""Every example memo (each source in sources/ for every built-in audience), read as a staffer would:
no word broken wrongly in the PDF's text, and a DOCX that LibreOffice lays out within a page of the PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.build import render_formats
from briefgen.compose import compose, known_names, load_audience
from briefgen.options import BuildOptions
from briefgen.pipeline import extract
from office import needs_libreoffice, to_pdf

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for p in (ROOT / "sources").iterdir() if p.suffix != ".toml")
OPTIONS = BuildOptions(classification="UNCLASSIFIED", from_="Policy Planning Staff", date="2026-01-05")


def words(text: str) -> set[str]:
    return set(re.findall(r"[\w’']+(?:-[\w’']+)*", text))


@pytest.fixture(scope="module")
def memos() -> list[dict]:
    """name, source words, PDF and DOCX bytes of every example memo (the analysis runs once per source)."""
    out = []
    for source in SOURCES:
        brief = extract(source)
        text = " ".join(p.text for p in brief.paragraphs)
        for name in known_names(None):
            audience = load_audience(name)
            rendered = render_formats(brief, audience, ("pdf", "docx"), OPTIONS)
            known = words(text) | words(compose(brief, audience, OPTIONS))
            out.append({"name": f"{source.stem}/{name}", "words": known, **rendered})
    return out


_NOTE_START = re.compile(r"^\d+\.\s")


def pdf_pages(data: bytes) -> list[list[str]]:
    """Each page's text lines without the page chrome (banner, footer with the title, page number)."""
    reader = PdfReader(io.BytesIO(data))
    title = str(reader.metadata.title or "")[:24]
    pages = []
    for page in reader.pages:
        lines = []
        for line in page.extract_text().split("\n"):
            text = line.strip()
            if text in ("UNCLASSIFIED", "") or re.search(r"Page \d+ of \d+", text):
                continue
            if title and text.startswith(title):
                continue
            lines.append(line)
        pages.append(lines)
    return pages


def line_breaks(pages: list[list[str]]):
    """(line, the line it continues on): the next line, or the first of the next page when the line
    is the last of the page's text (what follows it is the page's notes)."""
    for i, lines in enumerate(pages):
        following_page = pages[i + 1][0] if i + 1 < len(pages) and pages[i + 1] else ""
        for j, line in enumerate(lines):
            following = lines[j + 1] if j + 1 < len(lines) else following_page
            if _NOTE_START.match(following) and not _NOTE_START.match(line):
                following = following_page
            yield line, following


def test_no_word_is_broken_wrongly_in_any_example_pdf(memos):
    wrong = []
    for memo in memos:
        for line, following in line_breaks(pdf_pages(memo["pdf"])):
            end = re.search(r"([\w’'-]*\w)-$", line.rstrip())
            start = re.match(r"\s*([\w’'-]+)", following)
            if not end or not start:
                continue
            head, tail = end.group(1), start.group(1)
            if f"{head}-{tail}" not in memo["words"] and f"{head}{tail}" not in memo["words"]:
                wrong.append(f"{memo['name']}: {head}-|{tail}")
    assert wrong == []


def test_every_example_memo_with_notes_has_native_word_notes(memos):
    import zipfile

    for memo in memos:
        with zipfile.ZipFile(io.BytesIO(memo["docx"])) as package:
            body = package.read("word/document.xml").decode()
            names = package.namelist()
        if "<w:footnoteReference" in body:
            assert "word/footnotes.xml" in names, memo["name"]
        assert ">[^" not in body, memo["name"]  # no raw Markdown note left in the text


@needs_libreoffice
def test_docx_and_pdf_page_counts_are_within_one_for_every_example(memos, tmp_path):
    files = []
    for i, memo in enumerate(memos):
        path = tmp_path / f"memo{i}.docx"
        path.write_bytes(memo["docx"])
        files.append(path)
    converted = to_pdf(files, tmp_path / "lo")
    counts = []
    for memo, office_pdf in zip(memos, converted, strict=True):
        docx_pages = len(PdfReader(office_pdf).pages)
        pdf_pages = len(PdfReader(io.BytesIO(memo["pdf"])).pages)
        counts.append((memo["name"], docx_pages, pdf_pages))
    assert [c for c in counts if abs(c[1] - c[2]) > 1] == []
