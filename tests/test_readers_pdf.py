"""The PDF reader: reflowed paragraphs, no running headers or page numbers, document info
as a fallback, and clear errors for encrypted or truncated files."""

import io
import logging
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.errors import SourceError
from briefgen.model import Author
from briefgen.readers import read_source
from briefgen.readers.pdf import _reflow

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"
SAME = FIXTURES / "same_article.pdf"


@pytest.fixture(scope="module")
def document():
    return read_source(SAME)


def test_fixture_really_has_two_pages_and_hyphenated_lines():
    reader = PdfReader(SAME)
    lines = [line for page in reader.pages for line in page.extract_text().splitlines()]
    assert len(reader.pages) >= 2
    assert any(line.rstrip().endswith(("re-", "hostili-")) for line in lines)


@pytest.mark.parametrize("furniture", ["Harbour Policy Forum", "Briefing No. 12", "Page 1", "Page 2"])
def test_running_header_and_page_numbers_are_removed(document, furniture):
    assert not any(furniture in p.text for p in document.paragraphs)


def test_hyphenated_words_are_mended(document):
    text = " ".join(p.text for p in document.paragraphs)
    assert "the repair queue" in text and "act of hostility" in text


def test_paragraph_split_by_a_page_break_is_one_paragraph(document):
    assert len(document.paragraphs) == 6
    assert all(p.text.endswith((".", "?", "”")) for p in document.paragraphs)


def test_reflow_keeps_a_compound_the_text_spells_elsewhere():
    words = {"dry-season", "the", "flow"}
    assert _reflow(("the dry-", "season flow"), words) == "the dry-season flow"


def test_reflow_rejoins_a_hyphenated_word():
    assert _reflow(("the secu-", "rity council"), set()) == "the security council"


def test_document_info_author_is_used_without_a_byline(tmp_path):
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    sheet = getSampleStyleSheet()
    out = io.BytesIO()
    SimpleDocTemplate(out, title="Info Title", author="Jane Doe", invariant=1).build(
        [
            Paragraph("Quiet Talks", sheet["Title"]),
            Paragraph(
                "The commission met twice this year and agreed on nothing, although both delegations said "
                "the talks had been useful.",
                sheet["BodyText"],
            ),
        ]
    )
    path = tmp_path / "info.pdf"
    path.write_bytes(out.getvalue())
    meta = read_source(path).meta
    assert meta.title == "Quiet Talks"  # from the text first
    assert meta.authors == (Author(name="Jane Doe"),)


def test_encrypted_pdf_is_refused():
    with pytest.raises(SourceError, match="encrypted"):
        read_source(FIXTURES / "encrypted.pdf")


def test_truncated_pdf_is_refused():
    with pytest.raises(SourceError, match="truncated"):
        read_source(FIXTURES / "truncated.pdf")


def test_words_drawn_one_by_one_are_joined_into_lines(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "words.pdf"
    page = canvas.Canvas(str(path), invariant=1)
    page.setFont("Helvetica-Bold", 16)
    page.drawString(72, 780, "Word By Word Title")
    page.setFont("Helvetica", 10)
    y = 740
    for line in (
        "The delegations met again in Geneva and agreed to keep talking about",
        "the border, although neither side moved on the central question.",
    ):
        x = 72
        for word in line.split():
            page.drawString(x, y, word)
            x += page.stringWidth(word + " ", "Helvetica", 10)
        y -= 13
    page.save()
    document = read_source(path)
    assert document.meta.title == "Word By Word Title"
    assert [p.text for p in document.paragraphs] == [
        "The delegations met again in Geneva and agreed to keep talking about the border, although "
        "neither side moved on the central question."
    ]


DAMAGED = FIXTURES / "damaged_first_page_of_two.pdf"


def test_a_damaged_page_is_named_in_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        read_source(DAMAGED)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("page 1 is damaged" in w and str(DAMAGED) in w for w in warnings), warnings
    assert all("\n" not in w for w in warnings)


def test_the_readable_pages_of_a_damaged_pdf_are_kept():
    document = read_source(DAMAGED)
    assert document.paragraphs and document.paragraphs[0].text.startswith("Cables are cheap to damage")


def test_a_running_header_left_alone_by_a_damaged_page_is_not_the_title():
    document = read_source(DAMAGED)
    assert "Maritime Security Quarterly" not in document.meta.title
    assert document.meta.title != "question."
    assert all("Maritime Security Quarterly" not in p.text for p in document.paragraphs)


def test_the_cli_shows_the_damaged_page_warning_as_one_line():
    # A real process: the CLI's own logging set-up (not pytest's capture) must print it.
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "from briefgen.cli import main; main()", "extract", str(DAMAGED)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "page 1 is damaged" in lines[0], lines


@pytest.mark.parametrize(
    "lines, expected",
    [
        (("with well-", "known allies"), "with well-known allies"),
        (("a long-", "term plan"), "a long-term plan"),
        (("a China-", "led bank"), "a China-led bank"),
        (("the decision-", "making process"), "the decision-making process"),
    ],
)
def test_reflow_keeps_the_hyphen_of_a_real_compound(lines, expected):
    assert _reflow(lines, set()) == expected


@pytest.mark.parametrize(
    "lines, expected",
    [
        (("the state-", "ment said"), "the statement said"),
        (("an un-", "known actor"), "an unknown actor"),
        (("the re-", "pair queue"), "the repair queue"),
        (("the well-", "ness plan"), "the wellness plan"),
    ],
)
def test_reflow_joins_a_word_broken_before_a_suffix_or_after_a_prefix(lines, expected):
    assert _reflow(lines, set()) == expected
