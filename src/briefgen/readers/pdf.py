"""PDF: text per page with pypdf, lines re-flowed into paragraphs, de-hyphenated, and the
running headers, footers and page numbers (lines repeated across pages) removed.

pypdf gives text fragments with their position and font size; lines are grouped by
baseline, a paragraph ends where the gap to the next line is clearly wider than the
usual line spacing (or the font size changes), and larger type marks headings and
the title. Title and author come from the text first, then from the document info.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

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
    squash,
    strip_controls,
    title_from_path,
    word_count,
)

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
class _Line:
    text: str
    y: float
    size: float


@dataclass
class _Page:
    lines: list[_Line] = field(default_factory=list)
    damaged: str = ""  # what went wrong reading it, if anything


class _Collect(logging.Handler):
    """Keeps pypdf's complaints about one page, which it otherwise only logs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(squash(record.getMessage())[:100])


def _read_page(path: Path, number: int, page) -> _Page:
    """One page's lines. A page pypdf cannot decode (a corrupt content stream) is kept as
    damaged, with a warning naming it, rather than silently giving no text."""
    pypdf_logger = logging.getLogger("pypdf")
    collect = _Collect()
    level, propagate = pypdf_logger.level, pypdf_logger.propagate
    pypdf_logger.addHandler(collect)
    pypdf_logger.setLevel(logging.WARNING)
    pypdf_logger.propagate = False  # its own lines would break the one-line promise on stderr
    try:
        result = _page_lines(page)
    except _DAMAGED as err:
        result = _Page(damaged=f"{type(err).__name__}: {squash(str(err))[:100]}")
    finally:
        pypdf_logger.removeHandler(collect)
        pypdf_logger.setLevel(level)
        pypdf_logger.propagate = propagate
    if not result.damaged and collect.messages and not result.lines:
        result.damaged = collect.messages[0]
    if result.damaged:
        logger.warning("%s: page %d is damaged and its text is left out (%s)", path, number, result.damaged)
    elif collect.messages:
        logger.warning(
            "%s: page %d is damaged; some of its text may be missing (%s)", path, number, collect.messages[0]
        )
    return result


def read(path: Path, data: bytes, *, source: Source) -> Document:
    if b"%%EOF" not in data[-4096:]:
        raise SourceError(path, "truncated or damaged PDF: no end-of-file marker")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(path, reader)
        pages = [_read_page(path, number, page) for number, page in enumerate(reader.pages, start=1)]
        info = reader.metadata
    except SourceError:
        raise
    except FileNotDecryptedError:
        raise SourceError(path, "encrypted PDF: a password is needed to open it") from None
    except _DAMAGED as err:
        raise SourceError(path, f"damaged PDF: {type(err).__name__}: {squash(str(err))[:120]}") from None
    if not pages:
        raise SourceError(path, "PDF has no pages")
    if all(page.damaged for page in pages):
        raise SourceError(path, f"damaged PDF: no page could be read ({pages[0].damaged})")
    pages = [page for page in pages if not page.damaged]
    _drop_running_lines(pages)
    blocks = _blocks(pages)
    return assemble(blocks, source=source, hints=_hints(info), fallback_title=title_from_path(path))


def _decrypt(path: Path, reader: PdfReader) -> None:
    """Open PDFs that are only owner-locked (empty user password); refuse real encryption."""
    try:
        result = reader.decrypt("")
    except (PyPdfError, NotImplementedError) as err:
        raise SourceError(path, f"encrypted PDF: cannot decrypt ({squash(str(err))[:100]})") from None
    if not result:
        raise SourceError(path, "encrypted PDF: a password is needed to open it")


def _page_lines(page) -> _Page:
    """Lines of one page in reading order, each with its baseline and font size.

    Fragments are grouped by baseline, not by pypdf's newlines: some producers write
    every word as its own text object, which pypdf ends with a newline.
    """
    result = _Page()
    current: list = []  # [text parts, y, size]

    def finish() -> None:
        if current:
            text = strip_controls(" ".join(current[0]))
            if text.strip():
                result.lines.append(_Line(text=squash(text), y=current[1], size=current[2]))
            current.clear()

    def visit(text, cm, tm, _font, size) -> None:
        if not text or not text.strip():
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = round(size * (abs(tm[3] * cm[3]) or 1.0), 1)
        if current and abs(current[1] - y) > max(1.0, size * 0.5):
            finish()
        if not current:
            current.extend([[], y, size])
        # Pieces of one text object are already spaced; separate objects get a space.
        current[0].append(text.replace("\n", " "))
        current[2] = max(current[2], size)

    page.extract_text(visitor_text=visit)
    finish()
    return result


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
    edges = Counter()
    for page in pages:
        shapes = {_shape(l.text) for l in page.lines[:_EDGE_LINES] + page.lines[-_EDGE_LINES:]}
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
    sizes = Counter()
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
    """Paragraphs as blocks: larger type is a heading (the largest, before the body, the title)."""
    body = _body_size(pages)
    paragraphs = _paragraphs(pages, body, _line_gap(pages, body))
    words = _word_forms(paragraphs)
    blocks = []
    largest = max((p[0].size for p in paragraphs), default=0)
    title_given = False
    for lines in paragraphs:
        size = lines[0].size
        texts = tuple(l.text for l in lines)
        if size > body + 1:
            kind = "title" if size == largest and not title_given and not _has_body(blocks) else "heading"
            title_given = title_given or kind == "title"
            blocks.append(Block(text=squash(" ".join(texts)), kind=kind))
        else:
            blocks.append(Block(text=_reflow(texts, words), lines=texts))
    return blocks


def _paragraphs(pages: list[_Page], body: float, gap: float) -> list[list[_Line]]:
    """Group lines: a wider gap than usual, or a change of type size, starts a paragraph."""
    paragraphs: list[list[_Line]] = []
    for page_number, page in enumerate(pages):
        for index, line in enumerate(page.lines):
            previous = page.lines[index - 1] if index else None
            if previous is None:
                # A paragraph running on from the previous page continues here.
                last = paragraphs[-1] if paragraphs and page_number else None
                if last and last[-1].size == body == line.size and not is_sentence_like(last[-1].text):
                    last.append(line)
                else:
                    paragraphs.append([line])
                continue
            same_size = abs(previous.size - line.size) < 0.6
            distance = previous.y - line.y
            # Line spacing grows with type size: a two-line title is spaced wider than body text.
            if same_size and 0 < distance <= gap * max(1.0, line.size / body) * 1.3 + 0.5:
                paragraphs[-1].append(line)
            else:
                paragraphs.append([line])
    return paragraphs


def _has_body(blocks: list[Block]) -> bool:
    """Body text has started (a later large-type line is a heading, not the title)."""
    return any(b.kind == "text" and len(b.lines) > 2 for b in blocks)


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


def _hints(info) -> Hints:
    if not info:
        return Hints()
    return Hints(
        title=real_metadata(info.get("/Title")), authors=metadata_authors(info.get("/Author")), date=None
    )
