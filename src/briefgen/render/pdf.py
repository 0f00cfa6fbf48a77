"""Blocks + Style -> PDF bytes with reportlab platypus.

Fonts are embedded (DejaVu where installed, else the Vera family inside reportlab), CJK runs switch to
a CJK font (see fonts.py), every page carries the classification banner top and bottom and
"Page X of Y", headings become the PDF outline, and `invariant=1` makes the bytes reproducible.
"""

from __future__ import annotations

import functools
import io
import logging
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageTemplate,
    Spacer,
    TableStyle,
    XPreformatted,
)
from reportlab.platypus import (
    PageBreak as PageBreakFlowable,
)
from reportlab.platypus import (
    Paragraph as PdfParagraph,
)
from reportlab.platypus import (
    Table as PdfTable,
)
from reportlab.platypus.doctemplate import LayoutError

from briefgen.errors import RenderError
from briefgen.render import fonts, hyphenation, pdf_notes
from briefgen.render.blocks import (
    Block,
    CodeBlock,
    Footnote,
    Footnotes,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Run,
    Runs,
    Table,
    clean,
    paragraph_runs,
    plain_text,
    split_runs,
    walk_runs,
)
from briefgen.render.style import DocInfo, Style

logger = logging.getLogger(__name__)

_PAGE_SIZES = {"letter": LETTER, "a4": A4}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}
_GRID = colors.HexColor("#9AA3AE")
_HEX_COLOR = re.compile(r"^#?[0-9A-Fa-f]{6}$")
_MUTED = colors.HexColor("#555555")
_PARAGRAPH_CHARS = 3000  # longer paragraphs are laid out in pieces of about this size


def page_count(pdf: bytes) -> int:
    """Number of pages; pypdf only reads the xref and page tree, so this is cheap. Imported here:
    only a page-limited audience counts pages, and pypdf's import is a tenth of a cold PDF."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def render_pdf(blocks: tuple[Block, ...], style: Style, info: DocInfo) -> bytes:
    """Render blocks to PDF bytes; the same inputs always give the same bytes."""
    sheet = _sheet(style)
    page = _PAGE_SIZES.get(style.page_size.lower())
    if page is None:
        raise RenderError(f"unknown page size {style.page_size!r} (use letter or a4)")
    top, right, bottom, left = (m * inch for m in style.margins_in)
    buf = io.BytesIO()
    _use_fonts(blocks, sheet, style, info)
    # The frame pads 6pt on each side: flowables get the width inside the padding.
    width = page[0] - left - right - 12
    builder = _Story(sheet, width)
    story = builder.build(blocks) or [Spacer(1, 1)]  # an empty memo is one blank page
    notes = pdf_notes.PageNotes(builder.page_notes, width, _GRID)
    # Notes no reference in the text points at (nothing is lost): print them after the text.
    cited = pdf_notes.note_refs(story)
    left_over = [builder.note_blocks[n] for n in sorted(builder.page_notes) if n not in cited]
    if left_over:
        story.extend(builder.footnotes(Footnotes(notes=tuple(left_over)), force=True))
    if builder.page_notes:
        story.append(pdf_notes.NotesFlush())
    chrome = _Chrome(style, sheet, info)
    doc = _MemoDoc(
        buf,
        notes=notes,
        first_page_reserve=chrome.designation_height,
        pagesize=page,
        topMargin=top,
        rightMargin=right,
        bottomMargin=bottom,
        leftMargin=left,
        title=clean(info.title),
        author=clean(info.author),
        subject=clean(info.subject),
        creator="briefgen",
        lang="en-US",  # lets screen readers and hyphenation-aware viewers pick the language
        invariant=1,
    )
    # Start the canvas in the body font so no unembedded Helvetica is referenced.
    doc.initialFontName = sheet.body_family.regular
    canvasmaker = functools.partial(_ChromeCanvas, chrome=chrome)
    try:
        doc.build(story, canvasmaker=canvasmaker)
    except LayoutError as exc:
        raise RenderError(
            f"{info.title}: content cannot be laid out on the page ({str(exc).splitlines()[0][:120]})"
        ) from exc
    return buf.getvalue()


def _use_fonts(blocks: tuple[Block, ...], sheet: _Sheet, style: Style, info: DocInfo) -> None:
    """Register the faces this memo sets text in, and warn about characters no font can show."""
    body, head, mono = sheet.body_family, sheet.heading_family, sheet.mono_family
    # Body text, headings, table heads and keys, the banner and the footer are always there.
    faces = {(body, body.regular), (head, head.regular), (head, head.bold)}
    text = [info.title, style.banner or "", style.footer_text or "", *style.designation]
    for run, inside in walk_runs(blocks):
        text.append(run.text)
        quoted = Quote in inside
        italic = run.italic or quoted
        if run.code:
            faces.update((mono, face) for face in (mono.regular, mono.bold, mono.italic, mono.bold_italic))
        if run.bold:
            faces.add((body, body.bold_italic if italic else body.bold))
        if italic:
            faces.add((body, body.italic))
        if italic and (Heading in inside or Table in inside):
            # An italic word in a heading or a table's head or key column is set in the heading face.
            faces.update(((head, head.italic), (head, head.bold_italic)))
        if run.bold and Heading not in inside:
            faces.add((body, body.bold))
    for family, face in sorted(faces, key=lambda pair: pair[1]):
        family.use(face)
    missing = fonts.missing_glyphs(" ".join(text), body.regular)
    if missing:
        shown = ", ".join(f"{c} U+{ord(c):04X}" for c in missing[:8])
        logger.warning(
            "%s: %d character(s) no installed font can show are printed as their names in the PDF: %s",
            info.title,
            len(missing),
            shown,
        )


# --- styles -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sheet:
    style: Style
    body_family: fonts.Family
    heading_family: fonts.Family
    mono_family: fonts.Family
    accent: colors.Color
    tint: colors.Color  # table header shading: the accent colour, mostly washed out
    quote_bar: colors.Color
    body: ParagraphStyle
    list_para: ParagraphStyle
    value: ParagraphStyle  # values of the headerless key/value (TO / FROM ...) block
    title: ParagraphStyle
    headings: tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]
    cell: ParagraphStyle
    head_cell: ParagraphStyle
    key_cell: ParagraphStyle
    quote: ParagraphStyle
    code: ParagraphStyle
    note: ParagraphStyle
    chrome: ParagraphStyle
    banner: ParagraphStyle


@functools.cache
def _hyphenator() -> hyphenation.Hyphenator:
    """One hyphenator per process; reportlab accepts a callable for hyphenationLang."""
    return hyphenation.Hyphenator("en_US")


class _Para(PdfParagraph):
    """A paragraph with at most two hyphenated lines in a row: a third is broken again with its
    word left whole (reportlab breaks lines greedily and has no such limit)."""

    frags: list  # set by reportlab's Paragraph: parsed fragments, or the words of an earlier breaking

    def breakLines(self, width):
        # reportlab wraps a paragraph again for every question the layout asks (will it fit here,
        # how tall are the notes it cites, does this group stay together), at the same width each
        # time: the breaking of one paragraph at one width is computed once.
        key = tuple(width) if isinstance(width, list) else width
        cached = self.__dict__.get("_broken")
        if cached is not None and cached[0] == key:
            self.frags = cached[1]
            return cached[2]
        lines = self._break_limited(width)
        self.__dict__["_broken"] = (key, self.frags, lines)
        return lines

    def _break_limited(self, width):
        hyphenator = self.style.hyphenationLang
        if not isinstance(hyphenator, hyphenation.Hyphenator):
            return self._break(width)
        forbidden: set[str] = set()
        for _ in range(8):
            hyphenator.forbidden = frozenset(forbidden)
            try:
                lines = self._break(width)
            finally:
                hyphenator.forbidden = frozenset()
            word = hyphenation.third_in_a_row(lines)
            if word is None or word <= forbidden:
                return lines
            forbidden |= word
        hyphenator.enabled = False  # still too many: this paragraph goes without hyphenation
        try:
            return self._break(width)
        finally:
            hyphenator.enabled = True

    def _break(self, width):
        # Every breaking starts from words whole: see hyphenation.keep_compound_hyphens.
        self.frags = hyphenation.keep_compound_hyphens(self.frags)
        return super().breakLines(width)


def _color(value: str, name: str) -> colors.Color:
    if not _HEX_COLOR.match(value or ""):
        raise RenderError(f"style {name} {value!r} is not a #RRGGBB colour")
    return colors.HexColor(value if value.startswith("#") else f"#{value}")


@functools.lru_cache(maxsize=16)
def _sheet(style: Style) -> _Sheet:
    """Paragraph styles for a Style; cached because every memo of an audience shares them."""
    body_f = fonts.family(style.body_font)
    head_f = fonts.family(style.heading_font)
    mono_f = fonts.family("mono")
    accent = _color(style.accent_color, "accent_color")
    text = _color(style.text_color, "text_color")
    banner_color = _color(style.banner_color, "banner_color")
    size = style.body_size
    lead = size * style.line_spacing
    tint = colors.Color(*(c + (1 - c) * 0.86 for c in (accent.red, accent.green, accent.blue)))
    body = ParagraphStyle(
        "Body",
        fontName=body_f.regular,
        bulletFontName=body_f.regular,
        fontSize=size,
        leading=lead,
        textColor=text,
        spaceAfter=size * 0.55,
        allowWidows=0,  # never strand a paragraph's last line at the top of a page
        allowOrphans=0,
        hyphenationLang=_hyphenator(),
        embeddedHyphenation=1,
        uriWasteReduce=0.3,
    )
    h_sizes = style.heading_sizes

    def heading(level: int) -> ParagraphStyle:
        hsize = h_sizes[level]
        return ParagraphStyle(
            f"Heading{level + 1}",
            parent=body,
            fontName=head_f.bold,
            fontSize=hsize,
            leading=hsize * 1.25,
            textColor=accent if level < 2 else text,
            spaceBefore=hsize * (1.1 if level == 0 else 0.8),
            spaceAfter=hsize * 0.35,
            keepWithNext=1,
            hyphenationLang="",
        )

    small = size * 0.9
    cell = ParagraphStyle("Cell", parent=body, fontSize=small, leading=small * 1.22, spaceAfter=0)
    return _Sheet(
        style=style,
        body_family=body_f,
        heading_family=head_f,
        mono_family=mono_f,
        accent=accent,
        tint=tint,
        quote_bar=colors.Color(*(c + (1 - c) * 0.55 for c in (accent.red, accent.green, accent.blue))),
        body=body,
        list_para=ParagraphStyle("ListPara", parent=body, spaceAfter=size * 0.25),
        # No hyphenation in the memo's address block: names and subjects should read whole.
        value=ParagraphStyle("Value", parent=body, spaceAfter=0, hyphenationLang=""),
        title=ParagraphStyle(
            "Title",
            parent=body,
            fontName=head_f.bold,
            fontSize=style.title_size,
            leading=style.title_size * 1.2,
            textColor=accent,
            spaceAfter=style.title_size * 0.3,
            hyphenationLang="",
        ),
        headings=(heading(0), heading(1), heading(2)),
        cell=cell,
        head_cell=ParagraphStyle("HeadCell", parent=cell, fontName=head_f.bold, textColor=text),
        key_cell=ParagraphStyle("KeyCell", parent=cell, fontSize=size, leading=lead, fontName=head_f.bold),
        quote=ParagraphStyle(
            "Quote", parent=body, fontName=body_f.italic, textColor=colors.HexColor("#333333")
        ),
        code=ParagraphStyle(
            "Code",
            parent=body,
            fontName=mono_f.regular,
            fontSize=size * 0.85,
            leading=size * 1.1,
            backColor=colors.HexColor("#F3F4F6"),
            borderPadding=(4, 6, 4, 6),
            leftIndent=6,
            rightIndent=6,
            spaceBefore=6,
            spaceAfter=10,
            hyphenationLang="",
        ),
        note=ParagraphStyle(
            "Footnote",
            parent=body,
            fontSize=size * 0.82,
            bulletFontSize=size * 0.82,
            leading=size * 1.05,
            leftIndent=size * 1.4,
            bulletIndent=0,
            spaceAfter=size * 0.25,
        ),
        chrome=ParagraphStyle("Chrome", parent=body, fontName=head_f.regular, fontSize=8.5, textColor=_MUTED),
        banner=ParagraphStyle(
            "Banner",
            parent=body,
            fontName=head_f.bold,
            fontSize=10,
            textColor=banner_color,
            alignment=TA_CENTER,
        ),
    )


# --- inline markup ------------------------------------------------------------------------------


def markup(runs: Runs, sheet: _Sheet) -> str:
    """Runs -> reportlab Paragraph markup. All text is XML-escaped: the source never injects tags."""
    return "".join(_run_markup(run, sheet) for run in runs)


def _text_markup(text: str, base: str, *, preformatted: bool = False) -> str:
    """Escaped text with CJK runs switched to a CJK font and symbols the base font lacks to the
    fallback font (or a visible replacement); newlines become <br/> unless the flowable keeps line
    breaks itself (XPreformatted)."""
    parts = []
    for chunk, cjk in fonts.split_script(clean(text)):
        if cjk:
            parts.append(f'<font name="{fonts.cjk_font_for(chunk)}">{escape(chunk)}</font>')
            continue
        for piece, font in fonts.glyph_runs(chunk, base):
            piece = escape(piece)
            if not preformatted:
                piece = piece.replace("\n", "<br/>")
            parts.append(f'<font name="{font}">{piece}</font>' if font else piece)
    return "".join(parts)


def _run_markup(run: Run, sheet: _Sheet) -> str:
    out = _text_markup(run.text, sheet.mono_family.regular if run.code else sheet.body_family.regular)
    if run.code:
        out = (
            f'<font name="{sheet.mono_family.regular}" size="{sheet.style.body_size * 0.9:.1f}">{out}</font>'
        )
    if run.superscript:
        out = f"<super>{out}</super>"
    if run.note is not None and sheet.style.notes != "endnotes":
        # Invisible marker the notes frame looks for to keep the note on this page (pdf_notes.py).
        out = f'<onDraw name="{pdf_notes.MARKER}" label="{run.note}"/>{out}'

    if run.strike:
        out = f"<strike>{out}</strike>"
    if run.italic:
        out = f"<i>{out}</i>"
    if run.bold:
        out = f"<b>{out}</b>"
    if run.link and run.link.lower().startswith(_SAFE_SCHEMES):
        out = f'<a href={quoteattr(run.link)} color="{sheet.style.accent_color}">{out}</a>'
    return out


# --- story --------------------------------------------------------------------------------------


class _HeadingParagraph(_Para):
    """A paragraph that also becomes an outline entry (see _MemoDoc.afterFlowable)."""

    def __init__(self, text: str, style: ParagraphStyle, *, outline_title: str, level: int) -> None:
        super().__init__(text, style)
        self.outline_title = outline_title
        self.outline_level = level


class _Story:
    def __init__(self, sheet: _Sheet, width: float) -> None:
        self.sheet = sheet
        self.width = width
        # Footnote mode: each note's paragraphs, printed at the foot of the page that cites it.
        self.page_notes: dict[int, list[PdfParagraph]] = {}
        self.note_blocks: dict[int, Footnote] = {}

    def build(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        story: list[Flowable] = []
        for block in blocks:
            story.extend(self.block(block, self.width))
        return story

    def block(self, block: Block, width: float) -> list[Flowable]:
        sheet = self.sheet
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Paragraph):
            return self.paragraph(block.runs, sheet.body)
        if isinstance(block, ListBlock):
            return [self.listing(block, width, depth=0)]
        if isinstance(block, Table):
            return [self.table(block, width)]
        if isinstance(block, Quote):
            return [self.quote(block, width)]
        if isinstance(block, Rule):
            return [HRFlowable(width="100%", thickness=0.6, color=_GRID, spaceBefore=4, spaceAfter=8)]
        if isinstance(block, PageBreak):
            return [PageBreakFlowable()]
        if isinstance(block, CodeBlock):
            return [
                XPreformatted(
                    _text_markup(block.text, sheet.mono_family.regular, preformatted=True), sheet.code
                )
            ]
        if isinstance(block, Footnotes):
            return self.footnotes(block)
        raise RenderError(f"cannot render block {type(block).__name__}")

    def paragraph(self, runs: Runs, style: ParagraphStyle) -> list[Flowable]:
        """A paragraph; a very long one becomes several flowables that read as one: reportlab's line
        breaking is quadratic in a paragraph's length (a 448 KB paragraph took 32 s)."""
        chunks = split_runs(runs, _PARAGRAPH_CHARS)
        if len(chunks) == 1:
            return [_Para(markup(runs, self.sheet), style)]
        inner = ParagraphStyle(f"{style.name}-cont", parent=style, spaceBefore=0, spaceAfter=0)
        last = ParagraphStyle(f"{style.name}-last", parent=style, spaceBefore=0)
        styles = [inner] * (len(chunks) - 1) + [last]
        styles[0] = ParagraphStyle(f"{style.name}-first", parent=style, spaceAfter=0)
        return [_Para(markup(chunk, self.sheet), st) for chunk, st in zip(chunks, styles, strict=True)]

    def heading(self, block: Heading) -> list[Flowable]:
        sheet = self.sheet
        text = markup(block.runs, sheet)
        title = plain_text(block.runs).replace("\n", " ").strip()
        if block.level == 1:
            return [
                _HeadingParagraph(text, sheet.title, outline_title=title, level=0),
                HRFlowable(width="100%", thickness=1.6, color=sheet.accent, spaceBefore=2, spaceAfter=10),
            ]
        index = min(block.level - 2, 2)
        style = sheet.headings[index]
        # Keep a heading off the bottom of a page: ask for room for it plus a couple of lines.
        return [
            CondPageBreak(style.fontSize * 1.4 + sheet.body.leading * 3),
            _HeadingParagraph(text, style, outline_title=title, level=block.level - 1),
        ]

    def item_flowables(self, item: tuple[Block, ...], width: float, depth: int) -> list[Flowable]:
        out: list[Flowable] = []
        for sub in item:
            if isinstance(sub, Paragraph):
                out.extend(self.paragraph(sub.runs, self.sheet.list_para))
            elif isinstance(sub, ListBlock):
                out.append(self.listing(sub, width, depth + 1))
            else:
                out.extend(self.block(sub, width))
        return out

    def listing(self, block: ListBlock, width: float, depth: int) -> ListFlowable:
        sheet = self.sheet
        indent = sheet.style.body_size * 1.6
        items = [ListItem(self.item_flowables(item, width - indent, depth)) for item in block.items]
        common = {
            "leftIndent": indent,
            "bulletFontName": sheet.body_family.regular,
            "bulletFontSize": sheet.style.body_size,
            "bulletColor": sheet.accent,
            "spaceBefore": 0,
            "spaceAfter": sheet.body.spaceAfter * 0.5,
        }
        if block.ordered:
            return ListFlowable(items, bulletType="1", start=block.start, bulletFormat="%s.", **common)
        bullet = ("\u2022", "\u2013", "\u25e6")[depth % 3]
        return ListFlowable(items, bulletType="bullet", start=bullet, **common)

    def table(self, block: Table, width: float) -> PdfTable:
        sheet = self.sheet
        widths = [w * width for w in block.widths]
        aligns = [_ALIGN.get(a, TA_LEFT) for a in block.aligns] or [TA_LEFT] * len(widths)

        def cell(runs: Runs, style: ParagraphStyle, col: int) -> list[Flowable]:
            if aligns[col] != TA_LEFT:
                style = ParagraphStyle(f"{style.name}-{col}", parent=style, alignment=aligns[col])
            return self.paragraph(runs, style)  # a very long cell is laid out in pieces too

        if not block.has_header:
            return self.key_value_table(block, widths)
        data = [[cell(runs, sheet.head_cell, i) for i, runs in enumerate(block.header)]]
        data += [[cell(runs, sheet.cell, i) for i, runs in enumerate(row)] for row in block.rows]
        # splitInRow: a cell taller than a page (a long quoted passage) continues on the next page
        # instead of failing the whole render.
        table = PdfTable(
            data, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT", spaceBefore=4, spaceAfter=10
        )
        commands = [
            ("BACKGROUND", (0, 0), (-1, 0), sheet.tint),
            ("LINEBELOW", (0, 0), (-1, 0), 1.0, sheet.accent),
            ("LINEABOVE", (0, 0), (-1, 0), 1.0, sheet.accent),
            ("LINEBELOW", (0, 1), (-1, -1), 0.4, _GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), sheet.body_family.regular),  # else Table selects Helvetica
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ]
        for row in range(2, len(data), 2):  # faint zebra striping helps the eye across long rows
            commands.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor("#F5F6F8")))
        table.setStyle(TableStyle(commands))
        return table

    def key_value_table(self, block: Table, widths: list[float]) -> Flowable:
        """A headerless table (e.g. TO / FROM / DATE / SUBJECT): no grid, bold keys, a rule under it."""
        sheet = self.sheet
        data = [
            [
                _Para(markup(runs, sheet), sheet.key_cell if i == 0 else sheet.value)
                for i, runs in enumerate(row)
            ]
            for row in block.rows
        ]
        if len(widths) == 2:
            # Keys are short labels: give them just what they need, values take the rest.
            key_w = min(max(widths[0], 1.0 * inch), 1.4 * inch)
            widths = [key_w, sum(widths) - key_w]
        table = PdfTable(data, colWidths=widths, splitInRow=1, hAlign="LEFT", spaceBefore=2, spaceAfter=4)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), sheet.body_family.regular),  # else Table selects Helvetica
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LINEBELOW", (0, -1), (-1, -1), 1.0, sheet.accent),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
                ]
            )
        )
        return KeepTogether([table, Spacer(1, 8)])

    def quote(self, block: Quote, width: float) -> Flowable:
        sheet = self.sheet
        inner: list[Flowable] = []
        for sub in block.blocks:
            if isinstance(sub, Paragraph):
                inner.extend(self.paragraph(sub.runs, sheet.quote))
            else:
                inner.extend(self.block(sub, width - 24))
        table = PdfTable([[inner]], colWidths=[width - 12], hAlign="RIGHT", spaceBefore=2, spaceAfter=8)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBEFORE", (0, 0), (0, -1), 2.5, sheet.quote_bar),
                    ("FONTNAME", (0, 0), (-1, -1), sheet.body_family.regular),
                    ("LEFTPADDING", (0, 0), (-1, -1), 12),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def note_paragraphs(self, note: Footnote) -> list[PdfParagraph]:
        sheet = self.sheet
        out: list[PdfParagraph] = []
        for runs in paragraph_runs(note.blocks):
            bullet = f"{note.number}." if not out else None
            out.append(_Para(markup(runs, sheet), sheet.note, bulletText=bullet))
        return out or [PdfParagraph("", sheet.note, bulletText=f"{note.number}.")]

    def footnotes(self, block: Footnotes, *, force: bool = False) -> list[Flowable]:
        sheet = self.sheet
        if sheet.style.notes != "endnotes" and not force:
            for note in block.notes:
                self.page_notes[note.number] = self.note_paragraphs(note)
                self.note_blocks[note.number] = note
            return []
        out: list[Flowable] = [
            Spacer(1, 6),
            HRFlowable(width="30%", thickness=0.6, color=_GRID, hAlign="LEFT", spaceBefore=6, spaceAfter=6),
        ]
        for note in block.notes:
            first = True
            for sub in note.blocks:
                if isinstance(sub, Paragraph):
                    bullet = f"{note.number}." if first else None
                    out.append(_Para(markup(sub.runs, sheet), sheet.note, bulletText=bullet))
                    first = False
                else:
                    out.extend(self.block(sub, self.width))
        return out


# --- page chrome, page numbers, outline ---------------------------------------------------------


class _MemoDoc(BaseDocTemplate):
    """Page 1 leaves room for a designation block; every page's frame makes room for its notes."""

    def __init__(self, buf, *, notes: pdf_notes.PageNotes, first_page_reserve: float, **kwargs) -> None:
        super().__init__(buf, **kwargs)
        self.page_notes = notes
        x, y, w, h = self.leftMargin, self.bottomMargin, self.width, self.height
        first = pdf_notes.NotesFrame(notes, x, y + first_page_reserve, w, h - first_page_reserve, id="first")
        later = pdf_notes.NotesFrame(notes, x, y, w, h, id="later")
        self.addPageTemplates(
            [
                PageTemplate(
                    id="First", frames=[first], pagesize=self.pagesize, autoNextPageTemplate="Later"
                ),
                PageTemplate(id="Later", frames=[later], pagesize=self.pagesize),
            ]
        )

    def afterPage(self) -> None:
        self.page_notes.draw(self.canv, self.frame, self.frame._aH)

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, _HeadingParagraph) and flowable.outline_title:
            top = self.frame._y + flowable.height + flowable.style.spaceBefore  # where the heading starts
            self.canv.mark_heading(flowable.outline_title, flowable.outline_level, top)


class _Chrome:
    """Draws the banner (top and bottom), the footer text and "Page X of Y"."""

    def __init__(self, style: Style, sheet: _Sheet, info: DocInfo) -> None:
        self.style = style
        top, right, bottom, left = (m * inch for m in style.margins_in)
        self.margins = (top, right, bottom, left)
        self.page_style = ParagraphStyle("PageNo", parent=sheet.chrome, alignment=TA_RIGHT)
        self.banner = (
            PdfParagraph(_text_markup(style.banner, sheet.heading_family.bold), sheet.banner)
            if style.banner
            else None
        )
        page_width = _PAGE_SIZES.get(style.page_size.lower(), LETTER)[0]
        text = style.footer_text if style.footer_text is not None else info.title
        self.footer = _one_line(text, sheet.chrome, (page_width - left - right) * 0.7) if text else None
        self.designation = _designation_block(style.designation, sheet, (page_width - left - right) * 0.55)
        # Room page 1 leaves under its text for the block (it sits just above the footer, at the right).
        self.designation_height = self.designation.wrap(page_width, 1000)[1] + 10 if self.designation else 0.0

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        width, height = canvas._pagesize
        top, right, bottom, left = self.margins
        inner = width - left - right
        canvas.saveState()
        if self.banner is not None:
            _place(canvas, self.banner, left, inner, height - top * 0.42)
            _place(canvas, self.banner, left, inner, bottom * 0.36)
        footer_y = bottom * 0.66
        canvas.setStrokeColor(_GRID)
        canvas.setLineWidth(0.4)
        canvas.line(left, footer_y + 4, width - right, footer_y + 4)
        _place(canvas, PdfParagraph(f"Page {page} of {total}", self.page_style), left, inner, footer_y)
        if self.footer is not None:
            text, style = self.footer
            _place(canvas, PdfParagraph(text, style), left, inner * 0.7, footer_y)
        if page == 1 and self.designation is not None:
            w, _h = self.designation.wrap(inner, 1000)
            self.designation.drawOn(canvas, width - right - w, bottom + 4)
        canvas.restoreState()


def _designation_block(lines: tuple[str, ...], sheet: _Sheet, width: float) -> PdfTable | None:
    """The CUI designation indicator ("Controlled by: ...", "Category: ..."): a boxed block of lines."""
    lines = tuple(line for line in lines if line.strip())
    if not lines:
        return None
    style = ParagraphStyle(
        "Designation", parent=sheet.chrome, textColor=colors.black, fontSize=8.5, leading=10.5
    )
    rows = [[PdfParagraph(_text_markup(line, style.fontName), style)] for line in lines]
    table = PdfTable(rows, colWidths=[width], hAlign="RIGHT")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                ("FONTNAME", (0, 0), (-1, -1), sheet.heading_family.regular),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, 0), 4),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return table


def _one_line(text: str, style: ParagraphStyle, width: float) -> tuple[str, ParagraphStyle]:
    """Markup for footer text cut with an ellipsis so it stays on one line (chrome never grows)."""
    words = text.split()
    for keep in range(len(words), 0, -1):
        candidate = " ".join(words[:keep]) + ("" if keep == len(words) else " \u2026")
        para = PdfParagraph(_text_markup(candidate, style.fontName), style)
        para.wrap(width, 100)
        if len(para.blPara.lines) <= 1:
            return _text_markup(candidate, style.fontName), style
    return _text_markup(text[:40], style.fontName), style


def _place(canvas: Canvas, para: PdfParagraph, x: float, width: float, top: float) -> None:
    _, h = para.wrap(width, 100)
    para.drawOn(canvas, x, top - h)


class _ChromeCanvas(Canvas):
    """Defers every page until the end so "Page X of Y" knows Y (the classic NumberedCanvas recipe).

    Because pages are emitted late, outline bookmarks are also deferred: reportlab ties a bookmark to
    the page being emitted, so they are added while each saved page is replayed.
    """

    def __init__(self, *args, chrome: _Chrome, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._chrome = chrome
        self._pages: list[dict] = []
        self._marks: list[tuple[str, int, float]] = []
        # Footnote markers (see pdf_notes) are found by the notes frame; drawing them does nothing.
        self.setNamedCB(pdf_notes.MARKER, lambda canvas, kind, label: None)

    def mark_heading(self, title: str, level: int, top: float) -> None:
        self._marks.append((title, level, top))

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._marks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        outline_level = -1
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._chrome.draw(self, number, total)
            for index, (title, level, top) in enumerate(state["_marks"]):
                key = f"h{number}.{index}"
                self.bookmarkPage(key, fit="XYZ", left=0, top=top + 4)
                # reportlab refuses outline levels that jump by more than one.
                level = min(level, outline_level + 1)
                outline_level = level
                self.addOutlineEntry(title, key, level=level, closed=False)
            Canvas.showPage(self)
        if outline_level >= 0:
            self.showOutline()  # open the bookmarks pane: a memo is navigated by its sections
        self.setViewerPreference("DisplayDocTitle", "true")  # window title = memo title, not file name
        Canvas.save(self)
