"""Blocks + Style -> DOCX bytes with python-docx.

Real Word styles (Title, Heading 1-3, List Bullet/List Number, Table Grid, Quote) so a staffer can
restyle the memo in Word; a reference.docx, when given, supplies those styles as pandoc's does (its
body is dropped, its styles, page setup, theme and numbering kept). The classification banner sits in
the header and footer, with "Page X of Y" from PAGE / NUMPAGES fields. Output bytes are reproducible:
core properties come from DocInfo and the zip is rewritten with fixed entry dates.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from briefgen.errors import RenderError
from briefgen.render import docx_notes
from briefgen.render.blocks import (
    Block,
    CodeBlock,
    Footnotes,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Runs,
    Table,
    clean,
)
from briefgen.render.ooxml import insert_in_order
from briefgen.render.style import DocInfo, Style

logger = logging.getLogger(__name__)

# Style fonts are generic names; Word needs families every Windows/Mac install has. These are the
# faces the PDF's Liberation fonts are metric-compatible with, so a line breaks at the same word in
# both and a memo fitted to one page as PDF is one page as DOCX (LibreOffice substitutes Liberation).
_WORD_FONTS = {
    "serif": "Times New Roman",
    "sans": "Arial",
    "sans-serif": "Arial",
    "mono": "Courier New",
}
_EAST_ASIAN_FONT = "SimSun"  # Word switches CJK characters to the eastAsia font by itself
_PAGE_SIZES = {"letter": (Inches(8.5), Inches(11)), "a4": (Emu(7560310), Emu(10692130))}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # earliest date a zip entry can hold
_GRID = "9AA3AE"
_HEX_COLOR = re.compile(r"^#?[0-9A-Fa-f]{6}$")
_STRIPE = "F5F6F8"


def render_docx(
    blocks: tuple[Block, ...],
    style: Style,
    info: DocInfo,
    *,
    reference: bytes | Path | str | None = None,
) -> bytes:
    """Render blocks to DOCX bytes; the same inputs always give the same bytes.

    `reference` (bytes or a path; else `style.reference_docx`) is a .docx whose styles are used instead
    of the ones derived from `style`, as with pandoc's --reference-doc.
    """
    if reference is None:
        reference = style.reference_docx
    if reference is None:
        document = docx.Document(io.BytesIO(_styled_template(style)))
    else:
        document = _open(reference)
    writer = _Writer(document, style)
    writer.chrome(info)
    notes = next((block for block in blocks if isinstance(block, Footnotes)), None)
    if notes is not None and notes.notes:
        writer.start_notes(notes)
    for block in blocks:
        writer.block(block)
    _core_properties(document, info)
    return _package_bytes(document)


@functools.lru_cache(maxsize=16)
def _styled_template(style: Style) -> bytes:
    """python-docx's default template with `style` applied, kept per Style: styling the template
    is a third of a render, and every memo of an audience shares it."""
    document = docx.Document()
    _drop_stale_parts(document)
    writer = _Writer(document, style)
    writer.apply_style()
    writer.page_setup()
    return _package_bytes(document)


def _drop_stale_parts(document: docx.document.Document) -> None:
    """Drop two parts of python-docx's template that would contradict the memo: the thumbnail (a
    picture of a blank page) and stylesWithEffects.xml (a Word 2010 copy of the *unstyled* styles,
    which Word 2010 may prefer over styles.xml). Also halves the bytes to compress per render."""
    stale = ("/metadata/thumbnail", "/stylesWithEffects")
    for rels in (document.part.package.rels, document.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith(stale)]:
            del rels[rid]


def _open(reference: bytes | Path | str) -> docx.document.Document:
    try:
        source = io.BytesIO(reference) if isinstance(reference, bytes) else str(reference)
        document = docx.Document(source)
    except Exception as exc:  # python-docx raises several kinds for a bad package
        name = "reference.docx" if isinstance(reference, bytes) else str(reference)
        raise RenderError(f"{name}: not a usable .docx ({exc.__class__.__name__})") from exc
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # keep the page setup, drop the sample content
            body.remove(child)
    return document


def _core_properties(document: docx.document.Document, info: DocInfo) -> None:
    props = document.core_properties
    stamp = _date(info.date)
    props.title = clean(info.title)
    props.author = clean(info.author)
    props.subject = clean(info.subject)
    props.last_modified_by = clean(info.author)
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.category = ""


def _date(value: str | None) -> dt.datetime:
    if value:
        try:
            return dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
        except ValueError:
            logger.warning("memo date %r is not YYYY-MM-DD; using 2000-01-01", value)
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class _FixedDateZip:
    """Stands in for python-docx's PhysPkgWriter: same entries, but fixed dates and attributes.

    python-docx stamps every entry with the current time, which alone breaks reproducibility;
    writing the package ourselves avoids compressing it twice (save, then rewrite).
    """

    def __init__(self, buf: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        entry = zipfile.ZipInfo(pack_uri.membername, date_time=_FIXED_ZIP_DATE)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        entry.create_system = 0
        self._zip.writestr(entry, blob)

    def close(self) -> None:
        self._zip.close()


def _package_bytes(document: docx.document.Document) -> bytes:
    """Serialise the package the way OpcPackage.save does, through _FixedDateZip."""
    package = document.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    buf = io.BytesIO()
    writer = _FixedDateZip(buf)
    # The content types come first, as Word writes them; then package rels, then parts in order.
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]  # same write() as PhysPkgWriter
    writer.close()
    return buf.getvalue()


def _hex(color: str) -> str:
    if not _HEX_COLOR.match(color or ""):
        raise RenderError(f"style colour {color!r} is not a #RRGGBB colour")
    return color.lstrip("#").upper()


def _tint(color: str, amount: float) -> str:
    """Mix a colour with white: amount 0 = colour, 1 = white."""
    value = _hex(color)
    parts = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in parts)


# WordprocessingML requires children in schema order (Word reports "unreadable content" otherwise);
# these list what must follow each element we add by hand.
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_TCBORDERS = (
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
)
_AFTER_SHD_TC = _AFTER_TCBORDERS[1:]
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")
_AFTER_TBLCELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription")


def _set_fonts(rpr_owner, name: str) -> None:
    """Set a run/style font and drop theme font references, which Word would otherwise prefer."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(1 if rpr.find(qn("w:rStyle")) is not None else 0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)
    fonts.set(qn("w:cs"), name)
    fonts.set(qn("w:eastAsia"), _EAST_ASIAN_FONT)


def _border(ppr, side: str, color: str, size_eighths: int, space: int = 4) -> None:
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        insert_in_order(ppr, borders, _AFTER_PBDR)
    for old in borders.findall(qn(f"w:{side}")):
        borders.remove(old)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    # pBdr children are ordered too: top, left, bottom, right, between, bar.
    order = ("top", "left", "bottom", "right", "between", "bar")
    insert_in_order(borders, edge, tuple(f"w:{later}" for later in order[order.index(side) + 1 :]))


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    insert_in_order(cell._tc.get_or_add_tcPr(), shd, _AFTER_SHD_TC)


def _cell_bottom_border(cell, color: str) -> None:
    borders = OxmlElement("w:tcBorders")
    edge = OxmlElement("w:bottom")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), "8")
    edge.set(qn("w:space"), "0")
    edge.set(qn("w:color"), color)
    borders.append(edge)
    insert_in_order(cell._tc.get_or_add_tcPr(), borders, _AFTER_TCBORDERS)


def _cell_margins(table, margins: tuple[tuple[str, int], ...]) -> None:
    element = OxmlElement("w:tblCellMar")
    for side, twips in margins:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(twips))
        edge.set(qn("w:type"), "dxa")
        element.append(edge)
    insert_in_order(table._tbl.tblPr, element, _AFTER_TBLCELLMAR)


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
    """A complex field (PAGE, NUMPAGES): Word and LibreOffice compute it when the page is laid out."""
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {text} "
            run._r.append(node)
        elif kind == "text":
            run.text = text or ""
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
            run._r.append(node)


class _Writer:
    """Appends blocks to a python-docx Document; one instance per render."""

    def __init__(self, document: docx.document.Document, style: Style) -> None:
        self.doc = document
        self.style = style
        self.body_font = _WORD_FONTS.get(style.body_font.lower(), style.body_font)
        self.heading_font = _WORD_FONTS.get(style.heading_font.lower(), style.heading_font)
        self.accent = _hex(style.accent_color)
        self._styles: dict[str, Any] = {}
        self._text_width: int | None = None
        self.notes: docx_notes.NoteWriter | None = None
        self._body = document._body
        self._sect_pr = document.element.body.find(qn("w:sectPr"))

    def start_notes(self, block: Footnotes) -> None:
        """Native Word notes: footnotes at the foot of the page, or endnotes when the style says so."""
        kind = docx_notes.ENDNOTES if self.style.notes == "endnotes" else docx_notes.FOOTNOTES
        self.notes = docx_notes.NoteWriter(
            self.doc, kind, block.notes, self.runs, self._style, self.style.body_size
        )

    # --- styles ---------------------------------------------------------------------------------

    def _style(self, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str = "Normal"):
        """The named style; created (based on `base`) when the template or reference lacks it."""
        cached = self._styles.get(name)
        if cached is not None:
            return cached
        styles = self.doc.styles
        try:
            found = styles[name]
        except KeyError:
            # Word names its built-in styles in lower case ("footnote text"): a reference.docx's style
            # of that name or id is the one to use (adding another would duplicate its style id).
            style_id = name.replace(" ", "")
            found = next(
                (
                    st
                    for st in styles
                    if st.name and (st.name.lower() == name.lower() or st.style_id == style_id)
                ),
                None,
            )
        if found is None:
            found = styles.add_style(name, kind)
            if kind == WD_STYLE_TYPE.PARAGRAPH:
                found.base_style = styles[base]
            found.quick_style = True
        self._styles[name] = found
        return found

    def _body_paragraph(self) -> DocxParagraph:
        """A new paragraph at the end of the body. python-docx's add_paragraph looks for the body's
        sectPr among all its children on every call, which made long memos quadratic."""
        p = OxmlElement("w:p")
        if self._sect_pr is not None:
            self._sect_pr.addprevious(p)  # the body's sectPr stays its last child
        else:
            self.doc.element.body.append(p)
        return DocxParagraph(p, self._body)

    def _para(self, style_name: str | None = None) -> DocxParagraph:
        """A new body paragraph. Sets w:pStyle by id: python-docx's style setter rescans every style
        in the document on each call, which made it the slowest part of a render."""
        para = self._body_paragraph()
        if style_name is not None:
            para._p.style = self._style(style_name).style_id
        return para

    def apply_style(self) -> None:
        st = self.style
        text = RGBColor.from_string(_hex(st.text_color))
        accent = RGBColor.from_string(self.accent)
        normal = self.doc.styles["Normal"]
        _set_fonts(normal.element, self.body_font)
        normal.font.size = Pt(st.body_size)
        normal.font.color.rgb = text
        fmt = normal.paragraph_format
        fmt.space_after = Pt(st.body_size * 0.55)
        fmt.line_spacing = st.line_spacing * 0.95  # Word's "single" is already ~1.15 em for most fonts

        title = self.doc.styles["Title"]
        _set_fonts(title.element, self.heading_font)
        title.font.size = Pt(st.title_size)
        title.font.bold = True
        title.font.color.rgb = accent
        title.paragraph_format.space_after = Pt(10)
        _border(title.element.get_or_add_pPr(), "bottom", self.accent, 12, space=4)
        # The template's Title has expanded letter spacing and kerning tuned for Calibri Light.
        for tag in ("w:spacing", "w:kern"):
            node = title.element.rPr.find(qn(tag))
            if node is not None:
                title.element.rPr.remove(node)

        for level, size in enumerate(st.heading_sizes, start=1):
            heading = self.doc.styles[f"Heading {level}"]
            _set_fonts(heading.element, self.heading_font)
            heading.font.size = Pt(size)
            heading.font.bold = True
            heading.font.italic = False
            heading.font.color.rgb = accent if level < 3 else text
            heading.paragraph_format.space_before = Pt(size * (1.1 if level == 1 else 0.8))
            heading.paragraph_format.space_after = Pt(size * 0.35)

        quote = self.doc.styles["Quote"]
        quote.font.color.rgb = RGBColor.from_string("333333")
        quote.paragraph_format.left_indent = Inches(0.3)
        _border(quote.element.get_or_add_pPr(), "left", _tint(st.accent_color, 0.55), 18, space=8)

        for name in ("Header", "Footer"):
            chrome = self.doc.styles[name]
            _set_fonts(chrome.element, self.heading_font)
            chrome.font.size = Pt(8.5)
            chrome.font.color.rgb = RGBColor.from_string("555555")

        for name in (
            "List Bullet",
            "List Bullet 2",
            "List Bullet 3",
            "List Number",
            "List Number 2",
            "List Number 3",
        ):
            self.doc.styles[name].paragraph_format.space_after = Pt(st.body_size * 0.25)

        table_text = self._style("Table Text")
        table_text.font.size = Pt(st.body_size * 0.9)
        table_text.paragraph_format.space_after = Pt(0)
        table_text.paragraph_format.line_spacing = 1.0
        footnote = self._style("Footnote Text")
        footnote.font.size = Pt(st.body_size * 0.82)
        footnote.paragraph_format.space_after = Pt(2)
        footnote.paragraph_format.left_indent = Inches(0.25)
        footnote.paragraph_format.first_line_indent = Inches(-0.25)

    def page_setup(self) -> None:
        st = self.style
        size = _PAGE_SIZES.get(st.page_size.lower())
        if size is None:
            raise RenderError(f"unknown page size {st.page_size!r} (use letter or a4)")
        top, right, bottom, left = st.margins_in
        for section in self.doc.sections:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = size
            section.top_margin, section.right_margin = Inches(top), Inches(right)
            section.bottom_margin, section.left_margin = Inches(bottom), Inches(left)
            section.header_distance = Inches(top * 0.4)
            section.footer_distance = Inches(bottom * 0.3)

    def text_width(self):
        if self._text_width is None:  # doc.sections runs an xpath on every access
            section = self.doc.sections[-1]
            self._text_width = (
                int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)
            )
        return self._text_width

    # --- header and footer ------------------------------------------------------------------------

    def chrome(self, info: DocInfo) -> None:
        st = self.style
        designation = tuple(clean(line) for line in st.designation if line.strip())
        for section in self.doc.sections:
            # Page 1 has a footer of its own when it carries the designation block.
            section.different_first_page_header_footer = bool(designation)
            pairs: list[tuple[Any, Any, tuple[str, ...]]] = [(section.header, section.footer, ())]
            if designation:
                pairs.append((section.first_page_header, section.first_page_footer, designation))
            for header, footer, block in pairs:
                header.is_linked_to_previous = False
                top = header.paragraphs[0]
                top.clear()  # a reference.docx may bring its own header text
                if st.banner:
                    self._banner(top, clean(st.banner))
                self._footer(footer, info, block)

    def _footer(self, footer, info: DocInfo, designation: tuple[str, ...]) -> None:
        st = self.style
        width = self.text_width()
        footer.is_linked_to_previous = False
        line = footer.paragraphs[0]
        line.clear()
        if designation:
            # The CUI designation indicator, boxed at the right above the footer line of page 1.
            box = line.insert_paragraph_before()
            box._p.style = self._style("Footer").style_id
            fmt = box.paragraph_format
            fmt.left_indent = Emu(int(width * 0.45))
            fmt.space_after = Pt(8)
            for side in ("top", "left", "bottom", "right"):
                _border(box._p.get_or_add_pPr(), side, "000000", 4, space=3)
            for i, text in enumerate(designation):
                run = box.add_run(text)
                run.font.color.rgb = RGBColor(0, 0, 0)
                if i:
                    run._r.addprevious(OxmlElement("w:br"))
        line._p.style = self._style("Footer").style_id
        tabs = line.paragraph_format.tab_stops
        # The Footer style's own tabs (a centre stop in Word's template) would catch the page number.
        for inherited in self._style("Footer").paragraph_format.tab_stops:
            if inherited.position != width:
                tabs.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
        tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        _border(line._p.get_or_add_pPr(), "top", _GRID, 4, space=4)
        left_text = st.footer_text if st.footer_text is not None else info.title
        if left_text:
            line.add_run(clean(left_text))
        line.add_run("\tPage ")
        _field(line, "PAGE", "1")
        line.add_run(" of ")
        _field(line, "NUMPAGES", "1")
        if st.banner:
            self._banner(footer.add_paragraph(), clean(st.banner), before=Pt(6))

    def _banner(self, paragraph: DocxParagraph, text: str, before=None) -> None:
        paragraph._p.style = self._style("Header").style_id
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if before is not None:
            paragraph.paragraph_format.space_before = before
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(10)
        run.font.color.rgb = RGBColor.from_string(_hex(self.style.banner_color))

    # --- blocks -----------------------------------------------------------------------------------

    def block(self, block: Block) -> None:
        if isinstance(block, Heading):
            name = "Title" if block.level == 1 else f"Heading {min(block.level - 1, 3)}"
            self.runs(self._para(name), block.runs)
        elif isinstance(block, Paragraph):
            self.runs(self._para(), block.runs)
        elif isinstance(block, ListBlock):
            self.listing(block, depth=0)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Quote):
            self.quote(block)
        elif isinstance(block, Rule):
            para = self._body_paragraph()
            _border(para._p.get_or_add_pPr(), "bottom", _GRID, 6, space=1)
        elif isinstance(block, PageBreak):
            self._para().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, CodeBlock):
            para = self._body_paragraph()
            for i, line in enumerate(block.text.split("\n")):
                run = para.add_run(line)
                _set_fonts(run._r, _WORD_FONTS["mono"])
                if i:
                    run._r.addprevious(OxmlElement("w:br"))
        elif isinstance(block, Footnotes):
            self.footnotes(block)
        else:
            raise RenderError(f"cannot render block {type(block).__name__}")

    def runs(self, paragraph: DocxParagraph, runs: Runs) -> None:
        for run in runs:
            target = paragraph
            hyperlink = None
            if run.link and run.link.lower().startswith(_SAFE_SCHEMES):
                rel = paragraph.part.relate_to(run.link, RT.HYPERLINK, is_external=True)
                hyperlink = OxmlElement("w:hyperlink")
                hyperlink.set(qn("r:id"), rel)
                paragraph._p.append(hyperlink)
            if run.note is not None and self.notes is not None:
                self.notes.reference(paragraph, run, hyperlink)
                continue
            pieces = run.text.split("\n")
            for i, piece in enumerate(pieces):
                if i:
                    breaker = target.add_run()
                    breaker.add_break()
                    if hyperlink is not None:
                        hyperlink.append(breaker._r)
                if not piece:
                    continue
                out = target.add_run(piece)
                if run.bold:
                    out.bold = True
                if run.italic:
                    out.italic = True
                if run.strike:
                    out.font.strike = True
                if run.superscript:
                    out.font.superscript = True
                if run.code:
                    _set_fonts(out._r, _WORD_FONTS["mono"])
                    out.font.size = Pt(self.style.body_size * 0.9)
                if hyperlink is not None:
                    out.font.color.rgb = RGBColor.from_string(self.accent)
                    out.font.underline = True
                    hyperlink.append(out._r)  # moves the run inside the hyperlink element

    def listing(self, block: ListBlock, depth: int) -> None:
        level = min(depth, 2)
        base = "List Number" if block.ordered else "List Bullet"
        name = base if level == 0 else f"{base} {level + 1}"
        num_id = self._restart_numbering(self._style(name), block.start) if block.ordered else None
        for item in block.items:
            first = True
            for sub in item:
                if isinstance(sub, Paragraph):
                    if first:
                        para = self._para(name)
                        if num_id is not None:
                            self._number(para, num_id)
                    else:
                        para = self._para("List Continue")
                    self.runs(para, sub.runs)
                    first = False
                elif isinstance(sub, ListBlock):
                    self.listing(sub, depth + 1)
                else:
                    self.block(sub)

    def _restart_numbering(self, style, start: int) -> int | None:
        """A fresh w:num for this list so it counts from `start` instead of continuing the last list.

        python-docx has no API for list numbering, so this edits numbering.xml directly.
        """
        ppr = style.element.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_el = num_pr.find(qn("w:numId")) if num_pr is not None else None
        if num_el is None:
            return None
        try:
            numbering = self.doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return None
        old_id = num_el.get(qn("w:val"))
        abstract = None
        for num in numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == old_id:
                abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        if abstract is None:
            return None
        new_id = 1 + max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num")))
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(new_id))
        abstract_ref = OxmlElement("w:abstractNumId")
        abstract_ref.set(qn("w:val"), abstract)
        num.append(abstract_ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start_el = OxmlElement("w:startOverride")
        start_el.set(qn("w:val"), str(start))
        override.append(start_el)
        num.append(override)
        numbering.append(num)
        return new_id

    @staticmethod
    def _number(paragraph: DocxParagraph, num_id: int) -> None:
        ppr = paragraph._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), "0")
        num = OxmlElement("w:numId")
        num.set(qn("w:val"), str(num_id))
        num_pr.append(ilvl)
        num_pr.append(num)
        ppr.insert(1 if ppr.find(qn("w:pStyle")) is not None else 0, num_pr)

    def table(self, block: Table) -> None:
        width = self.text_width()
        widths = [Emu(int(width * w)) for w in block.widths]
        has_header = block.has_header
        rows = ([block.header] if has_header else []) + list(block.rows)
        if not rows:
            return
        if not has_header and len(widths) == 2:
            # Key/value block (TO / FROM / DATE / SUBJECT): short keys, values take the rest.
            key = Emu(Inches(1.1))
            widths = [key, Emu(int(width - key))]
        table = self.doc.add_table(rows=len(rows), cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        if has_header:
            table.style = self._style("Table Grid", WD_STYLE_TYPE.TABLE)
        cell_style = self._style("Table Text")
        aligns = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        for col, w in zip(grid, widths, strict=False):
            col.set(qn("w:w"), str(w.twips))
        ncols = len(widths)
        cells = table._cells  # row-major; table.rows[r].cells recomputes the grid on every access
        for r, (row_runs, tr) in enumerate(zip(rows, table._tbl.tr_lst, strict=False)):
            header_row = has_header and r == 0
            # Keep each row on one page: a row split mid-cell is hard to read.
            tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            if header_row:
                tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat it on every page
            for c, runs in enumerate(row_runs):
                cell = cells[r * ncols + c]
                cell.width = widths[c]
                para = cell.paragraphs[0]
                if has_header:
                    para._p.style = cell_style.style_id
                    if c < len(block.aligns) and block.aligns[c] in aligns:
                        para.alignment = aligns[block.aligns[c]]
                self.runs(para, runs)
                if header_row:
                    _shade(cell, _tint(self.style.accent_color, 0.86))
                    for out in para.runs:
                        out.bold = True
                elif has_header and r % 2 == 0:
                    _shade(cell, _STRIPE)
                elif not has_header and c == 0:
                    for out in para.runs:
                        out.bold = True
        if has_header:
            self._table_borders(table, cells[:ncols])
        else:
            self._key_value_borders(table, cells, ncols)
        self._body_paragraph().paragraph_format.space_after = Pt(2)  # Word glues the next block to a table

    def _table_borders(self, table, header_cells) -> None:
        """Horizontal rules only, accent above/below the header: easier to read than a full grid."""
        borders = OxmlElement("w:tblBorders")
        for side, size, color in (
            ("top", 8, self.accent),
            ("left", 0, "auto"),
            ("bottom", 4, _GRID),
            ("right", 0, "auto"),
            ("insideH", 4, _GRID),
            ("insideV", 0, "auto"),
        ):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "single" if size else "nil")
            if size:
                edge.set(qn("w:sz"), str(size))
                edge.set(qn("w:space"), "0")
                edge.set(qn("w:color"), color)
            borders.append(edge)
        insert_in_order(table._tbl.tblPr, borders, _AFTER_TBLBORDERS)
        _cell_margins(table, (("top", 70), ("left", 100), ("bottom", 90), ("right", 100)))
        for cell in header_cells:
            _cell_bottom_border(cell, self.accent)

    def _key_value_borders(self, table, cells, ncols: int) -> None:
        """No grid; one accent rule under the block, like a printed memo header."""
        _cell_margins(table, (("left", 0), ("right", 100)))
        for cell in cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(2)
        for cell in cells[-ncols:]:
            _cell_bottom_border(cell, self.accent)
            cell.paragraphs[0].paragraph_format.space_after = Pt(6)

    def quote(self, block: Quote) -> None:
        for sub in block.blocks:
            if isinstance(sub, Paragraph):
                self.runs(self._para("Quote"), sub.runs)
            else:
                self.block(sub)

    def footnotes(self, block: Footnotes) -> None:
        if self.notes is not None:
            # The notes are in the notes part already; only a note nothing referred to is printed here.
            left = self.notes.unplaced()
            if not left:
                return
            block = Footnotes(notes=tuple(left))
        rule = self._body_paragraph()
        rule.paragraph_format.space_before = Pt(10)
        _border(rule._p.get_or_add_pPr(), "bottom", _GRID, 4, space=1)
        rule.paragraph_format.right_indent = Emu(int(self.text_width() * 0.7))
        for note in block.notes:
            first = True
            for sub in note.blocks:
                if isinstance(sub, Paragraph):
                    para = self._para("Footnote Text")
                    if first:
                        para.add_run(f"{note.number}.\t")
                    self.runs(para, sub.runs)
                    first = False
                else:
                    self.block(sub)
