"""python-docx renderer: content, Word styles, header/footer chrome, reference.docx, reproducibility."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from lxml import etree

from briefgen.render.blocks import parse
from briefgen.render.docx import render_docx
from briefgen.render.style import DocInfo, Style

FIXTURES = Path(__file__).parent / "fixtures" / "render"
INFO = DocInfo(
    title="Beijing and Pyongyang", author="Policy Unit", subject="Information memo", date="2024-05-14"
)
STYLE = Style(banner="UNCLASSIFIED")
LITERALS = ("<Notes>", "AT&T", "5 < 6", "*", "_", "[1]", "<b>not bold</b>")


@pytest.fixture(scope="module")
def memo_blocks():
    return parse((FIXTURES / "full_memo.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def memo_docx(memo_blocks) -> bytes:
    return render_docx(memo_blocks, STYLE, INFO)


@pytest.fixture(scope="module")
def document(memo_docx):
    return docx.Document(io.BytesIO(memo_docx))


def note_texts(document, kind: str = "footnote") -> list[str]:
    """The text of each note in the document's native notes part (separators left out)."""
    parts = [rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith(f"/{kind}s")]
    if not parts:
        return []
    root = etree.fromstring(parts[0].blob)
    return [
        "".join(node.itertext()).strip()
        for node in root.findall(qn(f"w:{kind}"))
        if node.get(qn("w:type")) is None
    ]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts + note_texts(document))


@pytest.fixture
def reference_docx(tmp_path) -> Path:
    """A reference document with a distinctive Heading 1 and some sample body text to be dropped."""
    ref = docx.Document()
    heading = ref.styles["Heading 1"]
    heading.font.name = "Garamond"
    heading.font.size = Pt(23)
    heading.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    ref.add_paragraph("SAMPLE CONTENT FROM THE REFERENCE")
    path = tmp_path / "reference.docx"
    ref.save(path)
    return path


def test_text_holds_title_sections_and_table_cells(document):
    text = all_text(document)
    for phrase in (
        "Information Memo: Beijing and Pyongyang After the Summit",
        "Bottom line up front",
        "Seeks recognition as a nuclear state",
        "Treasury designates 14 entities",
        "The two leaders agreed to deepen strategic communication.",
        "习近平",
        "金正恩",
    ):
        assert phrase in text


@pytest.mark.parametrize("literal", LITERALS)
def test_escaped_source_text_is_literal(document, literal):
    assert literal in all_text(document)


def test_named_word_styles_are_used(document):
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "List Bullet", "List Bullet 2", "List Number", "Quote"} <= used
    assert any(t.style is not None and t.style.name == "Table Grid" for t in document.tables)


def test_title_and_headings_take_style_fonts_and_colours(document):
    heading = document.styles["Heading 1"]
    assert heading.font.size == Pt(STYLE.heading_sizes[0])
    assert heading.font.color.rgb == RGBColor.from_string(STYLE.accent_color.lstrip("#"))
    assert heading.font.name == "Arial"  # Style.heading_font "sans"


def test_header_and_footer_carry_banner_and_page_fields(document):
    section = document.sections[0]
    assert STYLE.banner in [p.text for p in section.header.paragraphs]
    footer = section.footer
    assert STYLE.banner in [p.text for p in footer.paragraphs]
    instructions = [node.text.strip() for node in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Page 1 of 1" in footer.paragraphs[0].text  # field placeholders before Word updates them


def test_table_column_widths_follow_the_hint(document, memo_blocks):
    table = document.tables[1]  # the actors table (the first is the TO/FROM block)
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    hint = [b for b in memo_blocks if type(b).__name__ == "Table"][1].widths
    total = sum(grid)
    assert total == pytest.approx(6.5 * 1440, rel=0.01)
    assert [round(g / total, 2) for g in grid] == [round(h, 2) for h in hint]


def test_header_row_is_shaded_and_repeats(document):
    table = document.tables[1]
    first = table.rows[0]
    assert first._tr.trPr.find(qn("w:tblHeader")) is not None
    assert first.cells[0]._tc.tcPr.find(qn("w:shd")) is not None


def test_ordered_lists_restart_numbering():
    blocks = parse("1. a\n2. b\n\ntext\n\n1. c\n")
    document = docx.Document(io.BytesIO(render_docx(blocks, Style(), INFO)))
    num_ids = [p._p.pPr.numPr.numId.val for p in document.paragraphs if p.style.name == "List Number"]
    assert num_ids[0] == num_ids[1] != num_ids[2]


def test_core_properties_come_from_info(document):
    props = document.core_properties
    assert (props.title, props.author, props.subject) == (INFO.title, INFO.author, INFO.subject)
    assert props.created.date().isoformat() == INFO.date
    assert props.modified == props.created


def test_two_renders_are_byte_identical(memo_blocks, memo_docx):
    assert render_docx(memo_blocks, STYLE, INFO) == memo_docx


def test_zip_entries_have_fixed_dates(memo_docx):
    infos = zipfile.ZipFile(io.BytesIO(memo_docx)).infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_reference_docx_supplies_styles_and_drops_its_body(memo_blocks, reference_docx):
    out = docx.Document(io.BytesIO(render_docx(memo_blocks, STYLE, INFO, reference=reference_docx)))
    heading = out.styles["Heading 1"]
    assert heading.font.name == "Garamond"
    assert heading.font.size == Pt(23)
    assert "SAMPLE CONTENT FROM THE REFERENCE" not in all_text(out)
    assert "Bottom line up front" in all_text(out)


def test_reference_docx_as_bytes_and_via_style(memo_blocks, reference_docx):
    as_bytes = render_docx(memo_blocks, STYLE, INFO, reference=reference_docx.read_bytes())
    via_style = render_docx(
        memo_blocks, Style(banner="UNCLASSIFIED", reference_docx=str(reference_docx)), INFO
    )
    assert as_bytes == via_style
    assert docx.Document(io.BytesIO(as_bytes)).styles["Heading 1"].font.name == "Garamond"


def test_unusable_reference_is_a_render_error(memo_blocks, tmp_path):
    from briefgen.errors import RenderError

    bad = tmp_path / "reference.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(RenderError, match=r"reference\.docx"):
        render_docx(memo_blocks, STYLE, INFO, reference=bad)


def test_hyperlinks_are_real_links(document):
    rels = [rel.target_ref for rel in document.part.rels.values() if rel.is_external]
    assert "https://www.un.org/securitycouncil/sanctions/1718/panel_experts/reports" in rels


def test_control_characters_do_not_break_the_package():
    out = docx.Document(io.BytesIO(render_docx(parse("bad\x0b char\x01 here"), Style(), INFO)))
    assert "bad char here" in all_text(out)


def test_template_thumbnail_and_stale_styles_are_dropped(memo_docx):
    names = zipfile.ZipFile(io.BytesIO(memo_docx)).namelist()
    assert not any("thumbnail" in n or "stylesWithEffects" in n for n in names)


def test_cjk_text_has_an_east_asian_font(document):
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia"))  # Word sets CJK characters in this font
    assert fonts.get(qn("w:asciiTheme")) is None  # theme fonts would override the Style's font


def test_bad_colour_is_a_render_error():
    from briefgen.errors import RenderError

    with pytest.raises(RenderError, match="colour"):
        render_docx(parse("x"), Style(banner="CUI", banner_color="green!"), INFO)


def test_nested_constructs_render_with_all_their_text():
    blocks = parse((FIXTURES / "nested_constructs.md").read_text(encoding="utf-8"))
    text = all_text(docx.Document(io.BytesIO(render_docx(blocks, Style(), INFO))))
    for phrase in (
        "level 4",
        "quoted inside a list",
        "And a second paragraph",
        "and a nested quote",
        "After the break.",
    ):
        assert phrase in text
