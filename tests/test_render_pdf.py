"""reportlab PDF renderer: content, literal escaping, CJK glyphs, page chrome, outline, reproducibility."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from briefgen.render import fonts
from briefgen.render import pdf as pdf_module
from briefgen.render.blocks import parse
from briefgen.render.pdf import page_count, render_pdf
from briefgen.render.style import DocInfo, Style

FIXTURES = Path(__file__).parent / "fixtures" / "render"
INFO = DocInfo(
    title="Beijing and Pyongyang", author="Policy Unit", subject="Information memo", date="2024-05-14"
)
STYLE = Style(banner="UNCLASSIFIED//FOR OFFICIAL USE ONLY")
LITERALS = ("<Notes>", "AT&T", "5 < 6", "*", "_", "[1]", "<b>not bold</b>")
_HYPHEN_BREAK = re.compile(r"-\n")
_SUBSET_SUFFIX = re.compile(r"-\d+$")  # reportlab numbers the subsets of one TrueType font


@pytest.fixture(scope="module")
def memo_blocks():
    return parse((FIXTURES / "full_memo.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def memo_pdf(memo_blocks) -> bytes:
    return render_pdf(memo_blocks, STYLE, INFO)


@pytest.fixture(scope="module")
def reader(memo_pdf) -> PdfReader:
    return PdfReader(io.BytesIO(memo_pdf))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def body_text(reader: PdfReader) -> str:
    # Hyphenation splits words across lines; join them back before searching.
    return _HYPHEN_BREAK.sub("", "\n".join(page_texts(reader))).replace("\n", " ")


def fonts_for(reader: PdfReader, needle: str) -> set[str]:
    """BaseFont names (subset prefix stripped) of the text chunks that contain `needle`."""
    names: set[str] = set()

    def visit(text, cm, tm, font_dict, font_size):
        if needle in text and font_dict is not None:
            name = str(font_dict["/BaseFont"]).lstrip("/").split("+")[-1]
            names.add(_SUBSET_SUFFIX.sub("", name))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return names


def expected_cjk_name() -> str:
    cjk = fonts.cjk_fonts()
    return pdfmetrics.getFont(cjk.han).face.name.decode() if cjk.embedded else cjk.han


def test_text_holds_title_headings_and_body(reader):
    text = body_text(reader)
    for phrase in (
        "Information Memo: Beijing and Pyongyang After the Summit",
        "Bottom line up front",
        "Actors and positions",
        "Seeks recognition as a nuclear state",
        "Treasury designates 14 entities",
        "The two leaders agreed to deepen strategic communication.",
    ):
        assert phrase in text


@pytest.mark.parametrize("literal", LITERALS)
def test_escaped_source_text_is_literal(reader, literal):
    assert literal in body_text(reader)


def test_cjk_names_are_extractable(reader):
    text = body_text(reader)
    assert "习近平" in text and "金正恩" in text


def test_cjk_runs_use_the_cjk_font(reader):
    used = fonts_for(reader, "习近平")
    assert used == {expected_cjk_name()}


def clear_font_caches():
    for cached in (fonts._font_index, fonts.family, fonts.cjk_fonts, fonts.fallback_font, pdf_module._sheet):
        cached.cache_clear()


@pytest.fixture
def bare_machine(monkeypatch):
    """No system fonts at all: only what ships inside reportlab."""
    monkeypatch.setattr(fonts, "_FONT_DIRS", ())
    clear_font_caches()
    yield
    monkeypatch.undo()
    clear_font_caches()


def test_cid_fallback_when_no_cjk_truetype_font(bare_machine):
    data = render_pdf(parse("Leaders 习近平 and 金正恩 met."), Style(), INFO)
    reader = PdfReader(io.BytesIO(data))
    assert "习近平 and 金正恩" in reader.pages[0].extract_text()
    assert fonts_for(reader, "习近平") == {"STSong-Light"}


def test_vera_inside_reportlab_on_a_bare_machine(bare_machine):
    data = render_pdf(parse("plain text"), Style(), INFO)
    assert fonts_for(PdfReader(io.BytesIO(data)), "plain text") == {"BitstreamVeraSans-Roman"}


def test_latin_fonts_are_embedded(reader):
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/TrueType":
                assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
            else:  # only the CID fonts may be referenced without embedding (viewers ship them)
                assert font["/Subtype"] == "/Type0", font["/BaseFont"]


def test_banner_and_page_x_of_y_on_every_page(reader):
    texts = page_texts(reader)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert text.count(STYLE.banner) == 2
        assert f"Page {number} of {len(texts)}" in text


def test_page_count_matches_pypdf(memo_pdf, reader):
    assert page_count(memo_pdf) == len(reader.pages)


def test_page_break_marker_starts_a_new_page():
    one = render_pdf(parse("first"), Style(), INFO)
    two = render_pdf(parse("first\n\n<!-- pagebreak -->\n\nsecond"), Style(), INFO)
    assert (page_count(one), page_count(two)) == (1, 2)


def test_outline_lists_the_headings_with_their_pages(reader):
    entries = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                entries[item.title] = reader.get_destination_page_number(item)

    walk(reader.outline)
    assert entries["Bottom line up front"] == 0
    assert "Timeline" in entries
    last_page_text = page_texts(reader)[entries["Timeline"]]
    assert "Timeline" in last_page_text


def test_metadata(reader):
    meta = reader.metadata
    assert (meta.title, meta.author, meta.subject) == (INFO.title, INFO.author, INFO.subject)


def test_two_renders_are_byte_identical(memo_blocks, memo_pdf):
    assert render_pdf(memo_blocks, STYLE, INFO) == memo_pdf


def test_no_banner_when_style_has_none(memo_blocks):
    reader = PdfReader(io.BytesIO(render_pdf(memo_blocks, Style(), INFO)))
    assert "UNCLASSIFIED" not in reader.pages[0].extract_text()
    assert "Page 1 of" in reader.pages[0].extract_text()


def test_a4_page_size(memo_blocks):
    reader = PdfReader(io.BytesIO(render_pdf(memo_blocks, Style(page_size="a4"), INFO)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_vera_is_used_when_a_family_is_missing():
    data = render_pdf(parse("plain text"), Style(body_font="No Such Family"), INFO)
    assert fonts_for(PdfReader(io.BytesIO(data)), "plain text") == {"BitstreamVeraSans-Roman"}


def test_empty_memo_is_one_blank_page():
    assert page_count(render_pdf((), Style(), INFO)) == 1


def test_table_cell_taller_than_a_page_continues_on_the_next():
    huge = "| Actor | Quote |\n|---|---|\n| A | " + "word " * 6000 + "|\n"
    assert page_count(render_pdf(parse(huge), Style(), INFO)) > 1


def test_control_characters_are_dropped():
    reader = PdfReader(io.BytesIO(render_pdf(parse("bad\x0b char\x01 here"), Style(), INFO)))
    assert "bad char here" in reader.pages[0].extract_text()


def test_bad_colour_is_a_render_error():
    from briefgen.errors import RenderError

    with pytest.raises(RenderError, match="accent_color"):
        render_pdf(parse("x"), Style(accent_color="navy"), INFO)


NESTED_PHRASES = (
    "level 4",
    "quoted inside a list",
    "And a second paragraph",
    "and a nested quote",
    "After the break.",
)


def test_nested_constructs_render_with_all_their_text():
    blocks = parse((FIXTURES / "nested_constructs.md").read_text(encoding="utf-8"))
    reader = PdfReader(io.BytesIO(render_pdf(blocks, Style(), INFO)))
    text = body_text(reader)
    for phrase in NESTED_PHRASES:
        assert phrase in text
    assert len(reader.pages) == 2  # the \pagebreak marker


def test_code_blocks_keep_their_line_breaks():
    reader = PdfReader(io.BytesIO(render_pdf(parse("```\nfirst <a> & b\n  second\n```"), Style(), INFO)))
    lines = [line.strip() for line in reader.pages[0].extract_text().splitlines()]
    assert "first <a> & b" in lines and "second" in lines
