"""PDF: text per page with pypdf, lines re-flowed into paragraphs, de-hyphenated, and the
running headers, footers and page numbers (lines repeated across pages) removed.

pypdf gives text fragments with their position and font size; lines are grouped by
baseline, a paragraph ends where the gap to the next line is clearly wider than the
usual line spacing (or the font size changes), and larger type marks headings and
the title. Title and author come from the text first, then from the document info.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from ..dates import MONTHS, month_number
from ..errors import SourceError
from ..model import Document, Source
from .common import (
    Block,
    Hints,
    assemble,
    date_line,
    is_sentence_like,
    metadata_authors,
    parse_byline,
    real_metadata,
    split_organisations,
    squash,
    strip_controls,
    title_from_path,
    word_count,
)
from .limits import MAX_PDF_PAGES, MAX_SOURCE_CHARS, over

logger = logging.getLogger(__name__)
# pypdf logs every repair it makes to a damaged file; the reader reports failures itself,
# and the command line promises one line on stderr.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—(]?\s*\d{1,4}\s*[-–—)]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
_DIGITS = re.compile(r"\d+")
_HYPHEN_BREAK = re.compile(r"(\w)-$")
_WORD = re.compile(r"[\w’'-]+")
_DAMAGED = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    ZeroDivisionError,
    OverflowError,
    RecursionError,
)
_EDGE_LINES = 2  # how many lines at the top and bottom of a page may be running headers/footers


@dataclass
class _Fragment:
    """One piece of text as the content stream draws it: where it starts and how wide it is."""

    text: str
    x: float
    y: float
    size: float
    width: float


@dataclass
class _Line:
    text: str
    y: float
    size: float
    x0: float = 0.0
    x1: float = 0.0
    page: int = 0
    gap_right: bool = False  # a wide gap splits this baseline here (a column or a TOC page number)


@dataclass
class _Page:
    lines: list[_Line] = field(default_factory=list)
    damaged: str = ""  # what went wrong reading it, if anything
    fragments: list[_Fragment] = field(default_factory=list)
    width: float = 612.0
    number: int = 0


class _Collect(logging.Handler):
    """Keeps pypdf's complaints about one page, which it otherwise only logs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(squash(record.getMessage())[:100])


def _read_page(path: Path, number: int, page, widths: dict) -> _Page:
    """One page's text fragments. A page pypdf cannot decode (a corrupt content stream) is kept
    as damaged, with a warning naming it, rather than silently giving no text. pypdf's own
    notes about a page whose text it did read (a font it had to guess) are not damage."""
    pypdf_logger = logging.getLogger("pypdf")
    collect = _Collect()
    level, propagate = pypdf_logger.level, pypdf_logger.propagate
    pypdf_logger.addHandler(collect)
    pypdf_logger.setLevel(logging.WARNING)
    pypdf_logger.propagate = False  # its own lines would break the one-line promise on stderr
    try:
        result = _page_fragments(page, widths)
    except (*_DAMAGED, NotImplementedError) as err:
        result = _Page(damaged=f"{type(err).__name__}: {squash(str(err))[:100]}")
    finally:
        pypdf_logger.removeHandler(collect)
        pypdf_logger.setLevel(level)
        pypdf_logger.propagate = propagate
    result.number = number
    if not result.damaged and collect.messages and not result.fragments:
        result.damaged = collect.messages[0]
    if result.damaged:
        logger.warning("%s: page %d is damaged and its text is left out (%s)", path, number, result.damaged)
    return result


def read(path: Path, data: bytes, *, source: Source) -> Document:
    if b"%%EOF" not in data[-4096:]:
        raise SourceError(path, "truncated or damaged PDF: no end-of-file marker")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(path, reader)
        count = len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise over(path, "the PDF", count, MAX_PDF_PAGES, "pages")
        pages: list[_Page] = []
        widths: dict = {}  # font widths, for this document only
        chars = 0
        for number, pdf_page in enumerate(reader.pages, start=1):
            pages.append(_read_page(path, number, pdf_page, widths))
            chars += sum(len(f.text) for f in pages[-1].fragments)
            if chars > MAX_SOURCE_CHARS:
                raise over(path, "the PDF's text", chars, MAX_SOURCE_CHARS, "characters")
        info = reader.metadata
    except SourceError:
        raise
    except FileNotDecryptedError:
        raise SourceError(path, "encrypted PDF: a password is needed to open it") from None
    except (*_DAMAGED, NotImplementedError) as err:
        raise SourceError(path, f"damaged PDF: {type(err).__name__}: {squash(str(err))[:120]}") from None
    if not pages:
        raise SourceError(path, "PDF has no pages")
    if all(page.damaged for page in pages):
        raise SourceError(path, f"damaged PDF: no page could be read ({pages[0].damaged})")
    pages = [page for page in pages if not page.damaged]
    body = _fragment_body_size(pages)
    for page in pages:
        page.lines = _order(_lines(page, body), page.width, body)
        page.fragments = []
    _drop_running_lines(pages)
    _drop_contents_pages(pages)
    notes = _drop_footnotes(pages, body)
    if notes:
        logger.info("%s: %d footnote line(s) kept out of the body text", path, notes)
    blocks = _blocks(pages)
    hints = _hints(info, pages)
    return assemble(blocks, source=source, hints=hints, fallback_title=title_from_path(path))


def _decrypt(path: Path, reader: PdfReader) -> None:
    """Open PDFs that are only owner-locked (empty user password); refuse real encryption."""
    try:
        result = reader.decrypt("")
    except (PyPdfError, NotImplementedError) as err:
        raise SourceError(path, f"encrypted PDF: cannot decrypt ({squash(str(err))[:100]})") from None
    if not result:
        raise SourceError(path, "encrypted PDF: a password is needed to open it")


def _font_width(font, text: str, size: float, widths: dict) -> float:
    """The drawn width of `text`: from the font's /Widths (simple fonts), reportlab's metrics
    (the standard 14 fonts, which carry none), else half an em per character."""
    key = id(font)
    if key not in widths:
        table: dict[int, float] = {}
        base = ""
        try:
            if font is not None:
                base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
                first = int(font.get("/FirstChar", 0))
                for offset, value in enumerate(font.get("/Widths") or ()):
                    number = float(value)
                    if number > 0:
                        table[first + offset] = number / 1000
        except (TypeError, ValueError, AttributeError, KeyError, PyPdfError):
            table = {}
        widths[key] = (table, base, (sum(table.values()) / len(table)) if table else 0.5)
    table, base, average = widths[key]
    if not table and base in _STANDARD_FONTS:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        try:
            return stringWidth(text, base, size)
        except (KeyError, ValueError, UnicodeError):
            pass
    return sum(table.get(ord(ch), average) for ch in text) * size


_STANDARD_FONTS = frozenset(
    f"{family}{style}"
    for family, styles in (
        ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
    )
    for style in styles
) | {"Symbol", "ZapfDingbats"}


def _page_fragments(page, widths: dict) -> _Page:
    """The page's text fragments with their baseline, start, width and type size."""
    result = _Page()
    try:
        result.width = float(page.mediabox.width) or 612.0
    except (TypeError, ValueError, KeyError, AttributeError, PyPdfError):
        result.width = 612.0

    def visit(text, cm, tm, font, size) -> None:
        if not text or not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
        size = round(size * scale, 1)
        clean = strip_controls(text.replace("\n", " "))
        if not clean.strip():
            return
        result.fragments.append(
            _Fragment(text=clean, x=x, y=y, size=size, width=_font_width(font, clean, size, widths))
        )

    page.extract_text(visitor_text=visit)
    return result


def _fragment_body_size(pages: list[_Page]) -> float:
    """The type size most of the text is set in (weighted by characters)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for fragment in page.fragments:
            sizes[fragment.size] += len(fragment.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


_NOTE_MARK = re.compile(r"^[\d,\s*†‡§]+$")


def _lines(page: _Page, body: float) -> list[_Line]:
    """Fragments grouped into lines: the same baseline and no wide gap between them.

    A superscript note mark (a few digits in small type) is dropped from the line it sits in;
    a gap wider than two ems on one baseline separates two columns (or a contents entry from
    its page number), so the pieces become separate lines.
    """
    rows: list[list[_Fragment]] = []
    for fragment in sorted(page.fragments, key=lambda f: (-round(f.y, 0), f.x)):
        if rows and abs(rows[-1][0].y - fragment.y) <= max(1.0, min(rows[-1][0].size, fragment.size) * 0.3):
            rows[-1].append(fragment)
        else:
            rows.append([fragment])
    rows = _attach_marks(rows, body)
    column = _column_edge(rows, body)
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda f: f.x)
        size = max(f.size for f in row)
        # A mark after text refers to a note ("rules.7 The"); a leading one numbers the note itself.
        marks = [f for f in row[1:] if f.size <= min(0.75 * size, 0.75 * body) and _NOTE_MARK.match(f.text)]
        if marks:
            row = [f for f in row if f not in marks]
            size = max(f.size for f in row)
        current: list[_Fragment] = []
        for fragment in row:
            if current:
                end = current[-1].x + current[-1].width
                # A line never crosses the left edge of the text column: what starts left of
                # it on the same baseline is a margin heading (or another column).
                crosses = column is not None and current[-1].x < column - 8 <= fragment.x - 6
                if crosses or fragment.x - end > 2.0 * max(size, body):
                    lines.append(_make_line(current, page.number, gap_right=True))
                    current = []
            current.append(fragment)
        if current:
            lines.append(_make_line(current, page.number))
    return [line for line in lines if line.text]


def _column_edge(rows: list[list[_Fragment]], body: float) -> float | None:
    """The x where most lines of body text start (the text column's left edge)."""
    starts: Counter[float] = Counter()
    for row in rows:
        first = min(row, key=lambda f: f.x)
        if abs(first.size - body) < 0.6:
            starts[round(first.x)] += 1
    return float(starts.most_common(1)[0][0]) if starts else None


def _is_mark(fragment: _Fragment, body: float) -> bool:
    return fragment.size <= 0.75 * body and bool(_NOTE_MARK.match(fragment.text))


def _attach_marks(rows: list[list[_Fragment]], body: float) -> list[list[_Fragment]]:
    """A row holding only superscript note marks belongs to the line it is raised above."""
    out: list[list[_Fragment]] = []
    pending: list[_Fragment] = []
    for row in rows:
        if all(_is_mark(f, body) for f in row):
            pending.extend(row)
            continue
        if pending and all(0 < f.y - row[0].y <= body * 0.8 for f in pending):
            row = row + pending
        elif pending:
            out.append(pending)
        pending = []
        out.append(row)
    if pending:
        out.append(pending)
    return out


def _make_line(fragments: list[_Fragment], page: int, *, gap_right: bool = False) -> _Line:
    parts: list[str] = []
    for index, fragment in enumerate(fragments):
        if index:
            before = fragments[index - 1]
            gap = fragment.x - (before.x + before.width)
            # A space where the pieces are apart (a fifth of an em), none inside a kerned word.
            # A piece starting well inside the one before means the width estimate failed: the
            # pieces are separate words (a heading beside a column), not one kerned word.
            apart = gap > 0.18 * fragment.size or gap < -0.3 * fragment.size
            if apart and not parts[-1].endswith(" ") and not fragment.text.startswith(" "):
                parts.append(" ")
        parts.append(fragment.text)
    text = squash("".join(parts))
    return _Line(
        text=_unspaced(text),
        y=fragments[0].y,
        size=max(f.size for f in fragments),
        x0=fragments[0].x,
        x1=fragments[-1].x + fragments[-1].width,
        page=page,
        gap_right=gap_right,
    )


def _unspaced(text: str) -> str:
    """Letter-spaced display type ("G A O", "H I G H L I G H T S") drawn letter by letter is a
    logo or a cover label, not prose: it is emptied (and the line dropped)."""
    tokens = text.split()
    singles = sum(1 for t in tokens if len(t.strip(".-,")) <= 1)
    return "" if len(tokens) >= 3 and singles >= 0.7 * len(tokens) else text


def _order(lines: list[_Line], width: float, body: float) -> list[_Line]:
    """Lines in reading order: a page set in two columns is read column by column (lines that
    span both, such as a title, keep their place above or between them); a one-column page
    top to bottom, with headings set in the left margin placed before the line they face.

    Two columns: a vertical gutter that no more than a few lines cross, with prose on both
    sides, neither side much thinner than the other (a margin of side headings is thin); the
    lines crossing it (a title, full-width footnotes) are few.
    """
    if not lines:
        return lines
    prose = [ln for ln in lines if word_count(ln.text) >= 5]
    best: tuple[int, float] | None = None
    for gutter in sorted({round(ln.x0 - 1.0, 0) for ln in prose}):
        if not width * 0.2 < gutter < width * 0.8:
            continue
        left = sum(1 for ln in prose if ln.x1 <= gutter + 1)
        right = sum(1 for ln in prose if ln.x0 >= gutter)
        crossing = len(prose) - left - right
        if (
            left >= 5
            and right >= 5
            and crossing <= max(3, 0.2 * (left + right))
            and min(left, right) >= 0.25 * max(left, right)
        ):
            score = left + right - 5 * crossing
            if best is None or score > best[0]:
                best = (score, gutter)
    if best is not None:
        return _two_columns(lines, best[1])
    return _one_column(lines, body)


def _two_columns(lines: list[_Line], split: float) -> list[_Line]:
    """Bands separated by lines crossing the gutter; in each band the left column, then the right."""
    out: list[_Line] = []
    band: list[_Line] = []

    def flush() -> None:
        out.extend(sorted((ln for ln in band if ln.x0 < split), key=lambda ln: -ln.y))
        out.extend(sorted((ln for ln in band if ln.x0 >= split), key=lambda ln: -ln.y))
        band.clear()

    for line in sorted(lines, key=lambda ln: -ln.y):
        if line.x0 < split - 1 and line.x1 > split + 1 and word_count(line.text) >= 2:
            flush()
            out.append(line)
        else:
            band.append(line)
    flush()
    return out


def _one_column(lines: list[_Line], body: float) -> list[_Line]:
    """Top to bottom; a margin heading (left of the text column, beside its first line) goes,
    with the rest of its lines, right before the highest text line level with its top."""
    ordered = sorted(lines, key=lambda ln: (-ln.y, ln.x0))
    prose = [ln for ln in ordered if word_count(ln.text) >= 5]
    if len(prose) < 5:
        return ordered
    column = statistics.median(ln.x0 for ln in prose)
    text = [ln for ln in ordered if ln.x0 >= column - 8]
    margin = [ln for ln in ordered if ln.x0 < column - 8 and ln.x1 < column + 2]
    if not margin:
        return ordered
    others = [ln for ln in ordered if ln not in text and ln not in margin]
    keyed: list[tuple[float, int, _Line]] = [(ln.y, 0, ln) for ln in text + others]
    group: list[_Line] = []
    for line in [*margin, None]:
        if (
            line is not None
            and group
            and group[-1].y - line.y <= line.size * 1.6
            and line.size == group[0].size
        ):
            group.append(line)
            continue
        if group:
            # The heading's top (its baseline plus the height of its capitals) faces the first
            # text line at or just below it.
            top = group[0].y + 0.75 * group[0].size
            level = [ln.y for ln in text if top - body * 1.8 <= ln.y <= top + 2]
            key = max(level) + 0.01 if level else top
            keyed.extend((key, rank, ln) for rank, ln in enumerate(group, start=1))
        group = [line] if line is not None else []
    keyed.sort(key=lambda item: (-item[0], item[1]))
    return [line for _, _, line in keyed]


def _shape(text: str) -> str:
    """A line with its numbers blanked, so "Page 3" and "Page 4" count as the same line."""
    return _DIGITS.sub("#", text.casefold())


def _is_furniture(line: _Line, body: float) -> bool:
    """A short non-sentence set smaller than the body text at a page's edge: a running header
    or footer, even where it cannot be seen to repeat (a damaged page left only one copy, or
    the PDF has one page). A small date or byline above the title is kept."""
    return (
        line.size < body - 1
        and word_count(line.text) <= 12
        and not is_sentence_like(line.text)
        and not date_line(line.text)
        and not parse_byline(line.text)
    )


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove page numbers, lines repeated at the top or bottom of several pages, and small-type
    furniture at the edges (so a running header never becomes the title)."""
    body = _body_size(pages)
    edges: Counter[str] = Counter()
    for page in pages:
        shapes = {_shape(ln.text) for ln in page.lines[:_EDGE_LINES] + page.lines[-_EDGE_LINES:]}
        edges.update(shapes)
    needed = max(2, (len(pages) + 1) // 2)
    running = {shape for shape, count in edges.items() if count >= needed}
    for page in pages:
        top_and_bottom = set(range(min(_EDGE_LINES, len(page.lines)))) | set(
            range(max(0, len(page.lines) - _EDGE_LINES), len(page.lines))
        )
        page.lines = [
            line
            for index, line in enumerate(page.lines)
            if not (
                index in top_and_bottom
                and (
                    _shape(line.text) in running or _PAGE_NUMBER.match(line.text) or _is_furniture(line, body)
                )
            )
        ]


def _body_size(pages: list[_Page]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _line_gap(pages: list[_Page], body: float) -> float:
    gaps = [
        a.y - b.y
        for page in pages
        for a, b in zip(page.lines, page.lines[1:], strict=False)
        if a.size == b.size == body and a.y > b.y
    ]
    return statistics.median(gaps) if gaps else body * 1.2


def _blocks(pages: list[_Page]) -> list[Block]:
    """Paragraphs as blocks: larger type is a heading; the title is the largest real line
    (not a logo letter or a one-word wordmark) on the first page that has one."""
    body = _body_size(pages)
    paragraphs = _paragraphs(pages, body, _line_gap(pages, body))
    words = _word_forms(paragraphs)
    title_at = _title_paragraph(paragraphs, body)
    blocks = []
    for index, lines in enumerate(paragraphs):
        size = lines[0].size
        texts = tuple(ln.text for ln in lines)
        if size > body + 1:
            if _is_logo(" ".join(texts)):
                continue
            if _BYLINE_START.match(texts[0]) and parse_byline(" ".join(texts)):
                # "Statement of Jane Doe, ..." in display type is the byline, not a heading.
                joined = squash(" ".join(texts))
                blocks.append(Block(text=joined, lines=(joined,), page=lines[0].page))
                continue
            kind = "title" if index == title_at else "heading"
            blocks.append(Block(text=squash(" ".join(texts)), kind=kind, page=lines[0].page))
        elif sum(ch.isalpha() for ch in "".join(texts)) >= 3:
            # (a lone letter or two is a table's note key, not a paragraph)
            blocks.append(Block(text=_reflow(texts, words), lines=texts, page=lines[0].page))
    return blocks


_BYLINE_START = re.compile(r"^(?:by|statement of|testimony of|prepared by)\s", re.IGNORECASE)


def _is_logo(text: str) -> bool:
    """Display type that is no title: a letter or two (a logo glyph), or one short word."""
    letters = sum(ch.isalpha() for ch in text)
    return letters <= 2 or (len(text.split()) == 1 and letters <= 5)


def _title_paragraph(paragraphs: list[list[_Line]], body: float) -> int | None:
    """The first page with large type before any body text: its largest real line is the title."""
    first_page = None
    best: tuple[float, int] | None = None
    for index, lines in enumerate(paragraphs):
        page, size = lines[0].page, lines[0].size
        if first_page is not None and page != first_page:
            break
        if size <= body + 1:
            if len(lines) > 2 and best is not None:
                break
            continue
        if _is_logo(" ".join(ln.text for ln in lines)):
            continue
        first_page = page
        if best is None or size > best[0]:
            best = (size, index)
    return best[1] if best else None


def _paragraphs(pages: list[_Page], body: float, gap: float) -> list[list[_Line]]:
    """Group lines: a wider gap than usual, or a change of type size, starts a paragraph.

    At a page break or a column break (the next line sits higher than the last one), a body
    paragraph whose last line does not end a sentence runs on into the next body line.
    """
    paragraphs: list[list[_Line]] = []
    previous: _Line | None = None
    for page in pages:
        for line in page.lines:
            if previous is None:
                paragraphs.append([line])
                previous = line
                continue
            same_size = abs(previous.size - line.size) < 0.6
            distance = previous.y - line.y
            flow_break = line.page != previous.page or distance < -gap
            # Line spacing grows with type size: a two-line title is spaced wider than body text.
            if (same_size and 0 < distance <= gap * max(1.0, line.size / body) * 1.3 + 0.5) or (
                flow_break
                and same_size
                and abs(line.size - body) < 0.6
                and not is_sentence_like(previous.text)
                and not _looks_like_heading_line(previous, paragraphs[-1])
            ):
                paragraphs[-1].append(line)
            else:
                paragraphs.append([line])
            previous = line
    return paragraphs


def _looks_like_heading_line(line: _Line, paragraph: list[_Line]) -> bool:
    """A one-line paragraph in body type that reads like a heading does not run on."""
    return len(paragraph) == 1 and word_count(line.text) <= 8 and line.text[:1].isupper()


_LEADER = re.compile(r"(?:\.\s*){4,}\s*(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
_PAGE_REF = re.compile(r"^(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)


_ENTRY = re.compile(r"^(?P<entry>\D.*?)\s+(?P<page>\d{1,4}|[ivx]{1,5})$")


def _drop_contents_pages(pages: list[_Page]) -> None:
    """A table of contents is no prose: a page where many lines end in a page number (set
    apart, or behind dot leaders) and the numbers run upwards is dropped; so is any dot-leader
    line elsewhere."""
    for page in pages:
        numbers: list[int] = []
        for line, after in zip(page.lines, [*page.lines[1:], None], strict=False):
            if after is not None and line.gap_right and _PAGE_REF.match(after.text) and after.y == line.y:
                numbers.append(_page_value(after.text))
                continue
            match = _ENTRY.match(_LEADER.sub(" 0", line.text) if _LEADER.search(line.text) else line.text)
            if match and not is_sentence_like(match.group("entry")):
                numbers.append(_page_value(match.group("page")))
        rising = sum(1 for a, b in itertools.pairwise(numbers) if b >= a)
        if len(numbers) >= 5 and len(numbers) >= 0.3 * len(page.lines) and rising >= 0.7 * (len(numbers) - 1):
            page.lines = []
        else:
            page.lines = [line for line in page.lines if not _LEADER.search(line.text)]


def _page_value(text: str) -> int:
    return int(text) if text.isdigit() else 0


_NOTE_START = re.compile(r"^(?:\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+)(?:\s|[A-Z(“\"]|$)")


def _drop_footnotes(pages: list[_Page], body: float) -> int:
    """Footnotes (small type below the last line of body text, starting with a note number)
    are notes, not body sentences: they are left out. Returns how many lines went."""
    dropped = 0
    for page in pages:
        body_lines = [ln.y for ln in page.lines if abs(ln.size - body) < 0.6 and word_count(ln.text) >= 3]
        if not body_lines:
            continue
        lowest = min(body_lines)
        zone = [ln for ln in page.lines if ln.y < lowest - 0.5 and ln.size <= body * 0.92]
        if not zone:
            continue
        top = max(zone, key=lambda ln: ln.y)
        if not _NOTE_START.match(top.text):
            continue
        gone = {id(ln) for ln in zone}
        page.lines = [ln for ln in page.lines if id(ln) not in gone]
        dropped += len(gone)
    return dropped


def _word_forms(paragraphs: list[list[_Line]]) -> set[str]:
    return {w.casefold() for lines in paragraphs for line in lines for w in _WORD.findall(line.text)}


# De-hyphenation. A hyphen at a line end is either a typesetter's break inside one word
# ("secu-/rity") or the hyphen of a real compound ("well-/known"). No word list ships with
# the installed packages (pyphen's patterns hyphenate any string, and the spaCy model's
# strings include fragments like "ment"), so the rule is, in order:
#   1. the text itself decides when it spells the word elsewhere, joined or hyphenated;
#   2. keep the hyphen when the second part is a word, not a suffix ("state-/ment"), and
#      either the first part is a word that commonly starts a compound ("well", "long",
#      "self", "state", "decision") or the second part commonly ends one ("based", "led",
#      "term") after a real word (not a closed prefix: "un-/known", "mis-/led");
#   3. otherwise the fragments are not words themselves: join them.
# Prefixes such as "non", "co", "pre", "pro", "inter" are left out of the heads on purpose:
# checked against every pyphen break point of a 49k-word English dictionary they wrongly
# kept hundreds of hyphens ("pro-/bation"); the lists below keep 37 of about 105,000.
_COMPOUND_HEADS = frozenset(["well", "ill", "self", "long", "state", "decision"])
_COMPOUND_TAILS = frozenset(
    [
        "based",
        "led",
        "owned",
        "backed",
        "level",
        "term",
        "related",
        "oriented",
        "driven",
        "specific",
        "sponsored",
        "funded",
        "linked",
        "known",
        "designed",
        "controlled",
        "dependent",
    ]
)
# Endings that are never a word on their own: a first part joined to one of these is one word.
_SUFFIXES = frozenset(
    [
        "ment",
        "ments",
        "tion",
        "tions",
        "sion",
        "sions",
        "ness",
        "ing",
        "ings",
        "ed",
        "er",
        "ers",
        "est",
        "ly",
        "ity",
        "ities",
        "ance",
        "ence",
        "able",
        "ible",
        "ful",
        "less",
        "ous",
        "ive",
        "ives",
        "al",
        "ally",
        "ic",
        "ical",
        "ism",
        "ist",
        "ists",
        "ize",
        "ized",
        "ise",
        "ised",
        "ship",
        "hood",
        "ward",
        "wards",
        "ish",
        "en",
        "age",
    ]
)
# Prefixes that make closed words ("unknown", "misled", "overrun"): never a compound head.
_CLOSED_PREFIXES = frozenset(
    ["un", "dis", "mis", "re", "de", "over", "out", "fore", "up", "down", "con", "cor", "in", "im"]
)


def _keeps_hyphen(head: str, tail: str, words: set[str]) -> bool:
    """Whether a hyphen at a line end between `head` and `tail` belongs to a compound."""
    head_key, tail_key = head.casefold(), tail.casefold().rstrip(".,;:!?)’”'\"")
    joined, kept = head_key + tail_key, head_key + "-" + tail_key
    if kept in words and joined not in words:
        return True
    if joined in words:
        return False
    if tail_key in _SUFFIXES or len(tail_key) < 2 or not tail_key.isalpha():
        return False
    head_word = head_key.rsplit("-", 1)[-1]
    if head_word in _COMPOUND_HEADS:
        return True
    return tail_key in _COMPOUND_TAILS and len(head_word) >= 3 and head_word not in _CLOSED_PREFIXES


def _reflow(lines: tuple[str, ...], words: set[str]) -> str:
    """Join a paragraph's lines; a word hyphenated across a line break is rejoined,
    unless it is a compound (see `_keeps_hyphen`)."""
    out = lines[0]
    for line in lines[1:]:
        match = _HYPHEN_BREAK.search(out)
        first = line.split(" ", 1)[0]
        if match and line[:1].islower():
            head = out.rsplit(" ", 1)[-1][:-1]
            out = out + line if _keeps_hyphen(head, first, words) else out[:-1] + line
        else:
            out = out + " " + line
    return squash(out)


# A report number leading the document title: "GAO-05-927, ...", "CRS R41234 ...", "RL-33 ...".
_REPORT_NUMBER = re.compile(r"^(?P<number>[A-Z]{2,6}[- ]?[A-Z]?\d[\w.-]*\d[A-Z]?)\s*[,:;–—-]?\s+(?=\S)")
_CAPS_RUN = re.compile(r"\b(?:[A-Z][A-Z'’&-]+\b[\s,]*){2,}")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
_MONTH_YEAR = re.compile(
    rf"^(?P<month>{'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?,?\s+(?P<year>(?:19|20)\d\d)$",
    re.IGNORECASE,
)


def _hints(info, pages: list[_Page]) -> Hints:
    """What the document info says, checked against what the first pages print.

    The /Title wins over the largest type when the first pages print its words (a cover sets
    the title in pieces, around a logo); a report number before it is not part of the title.
    An /Author that is an organisation is the publisher, never an author. The date: a full
    date printed on the first page, else a month and year printed there, with the day taken
    from the file's creation date when that falls in the same month.
    """
    info = info or {}
    first_lines = [ln.text for page in pages[:2] for ln in page.lines]
    printed = {w.casefold() for line in first_lines for w in _WORD.findall(line)}
    title = real_metadata(_text_value(info.get("/Title")))
    prefer = set()
    if title:
        title = _REPORT_NUMBER.sub("", title, count=1)
        title_words = [w.casefold() for w in _WORD.findall(title)]
        if len(title_words) >= 2 and sum(w in printed for w in title_words) >= 0.8 * len(title_words):
            prefer.add("title")
            title = _CAPS_RUN.sub(lambda m: _title_case(m.group(0)), title)
    authors, publisher = split_organisations(metadata_authors(_text_value(info.get("/Author"))))
    date = _cover_date(pages, _text_value(info.get("/CreationDate")))
    if date:
        prefer.add("date")
    return Hints(title=title, authors=authors, date=date, publisher=publisher, prefer=frozenset(prefer))


def _text_value(value) -> str | None:
    return str(value) if value is not None else None


def _title_case(run: str) -> str:
    """ "MANAGING FOR RESULTS" -> "Managing for Results" (a run of words in capitals)."""
    words = run.split(" ")
    out = []
    for index, word in enumerate(words):
        low = word.lower()
        out.append(low if index and low.strip(",") in _SMALL_WORDS else low[:1].upper() + low[1:])
    return " ".join(out)


def _cover_date(pages: list[_Page], created: str | None) -> str | None:
    lines = [ln.text for ln in pages[0].lines] if pages else []
    for line in lines:
        if date := date_line(line):
            return date
    made = re.match(r"^D:(\d{4})(\d\d)(\d\d)", created or "")
    for line in lines:
        match = _MONTH_YEAR.match(line.strip())
        if match and made:
            year, month = int(match.group("year")), month_number(match.group("month"))
            if (int(made.group(1)), int(made.group(2))) == (year, month):
                return f"{year:04d}-{month:02d}-{made.group(3)}"
    return None
