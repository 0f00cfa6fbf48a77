"""Markdown -> a small frozen block model that both renderers (DOCX, PDF) walk.

One parse feeds both formats so they say the same thing. markdown-it-py does the parsing
(CommonMark + tables + strikethrough + footnotes); this module only folds its token stream
into blocks.

Conventions the templates can rely on:
- `# Title` is the memo title (Word "Title" style); `##`, `###`, `####` are Heading 1-3.
- Raw HTML is never interpreted: markdown-it runs with ``html=False`` so `<b>` stays literal text.
- A paragraph holding only `<!-- pagebreak -->`, `\\pagebreak` or `\\newpage` is a page break.
- A table whose header cells are all empty (`| | |`) is a headerless key/value table, e.g. the
  TO / FROM / DATE / SUBJECT block of a memo; renderers draw it without grid or header shading.
- Footnote references become superscript runs numbered 1, 2, ... in order of first reference
  (`Run.note` holds the number, so a renderer can make a real footnote of it); the definitions are
  gathered into one trailing `Footnotes` block.
- Bidirectional embedding/override/isolate controls are removed from all text (`clean`): a source
  must not be able to make a memo display reversed text.
- Lists and quotes nest at most `MAX_NESTING` levels and tables have at most `MAX_TABLE_ROWS` rows;
  bigger Markdown is refused with one line before anything is rendered (the renderers' layout of
  deep nesting fails, and of very long tables takes very long).
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.errors import RenderError

logger = logging.getLogger(__name__)

_PAGEBREAK = re.compile(r"^\s*(?:<!--\s*pagebreak\s*-->|\\pagebreak|\\newpage)\s*$", re.IGNORECASE)
_ALIGN = re.compile(r"text-align:\s*(left|right|center)")
# Control characters are not allowed in XML (DOCX refuses them) and print as nothing useful in PDF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI: they reorder how text displays (the "Trojan source"
# trick), so removing them is the safe way to neutralise them. Marks (LRM, RLM) are harmless, kept.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Lists and quotes nest at most this deep: a memo never needs more, and each level costs the
# renderers indentation (PDF) and time; markdown-it is allowed a little more so deeper input shows.
MAX_NESTING = 12
_MD_NESTING = 2 * MAX_NESTING + 8
# A table longer than this is refused before rendering: reportlab measures the rest of a table again
# on every page (2,000 rows take some 10 s), and no memo needs such a table (a timeline has dozens).
MAX_TABLE_ROWS = 2000


def clean(text: str) -> str:
    """Text safe to render: no XML-illegal control characters, no bidirectional controls."""
    return _BIDI_CONTROL.sub("", _CONTROL.sub("", text))


@dataclass(frozen=True, kw_only=True)
class Run:
    """A stretch of inline text with one set of formatting flags. `text` is literal, never markup."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    superscript: bool = False
    link: str | None = None
    note: int | None = None  # a footnote reference: the note's number (text is that number too)


Runs = tuple[Run, ...]


@dataclass(frozen=True, kw_only=True)
class Heading:
    level: int  # 1 = memo title, 2..4 = Heading 1..3
    runs: Runs


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    runs: Runs


@dataclass(frozen=True, kw_only=True)
class CodeBlock:
    text: str


@dataclass(frozen=True, kw_only=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]  # each item is its own blocks (paragraphs, nested lists)
    start: int = 1


@dataclass(frozen=True, kw_only=True)
class Table:
    header: tuple[Runs, ...]  # one Runs per column; all empty for a headerless key/value table
    rows: tuple[tuple[Runs, ...], ...]
    widths: tuple[float, ...]  # column width hints, fractions summing to 1
    aligns: tuple[str, ...] = ()  # "left" | "right" | "center" per column

    @property
    def has_header(self) -> bool:
        return any(plain_text(cell).strip() for cell in self.header)


@dataclass(frozen=True, kw_only=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, kw_only=True)
class Rule:
    pass


@dataclass(frozen=True, kw_only=True)
class PageBreak:
    pass


@dataclass(frozen=True, kw_only=True)
class Footnote:
    number: int
    label: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, kw_only=True)
class Footnotes:
    notes: tuple[Footnote, ...] = field(default_factory=tuple)


Block = Heading | Paragraph | CodeBlock | ListBlock | Table | Quote | Rule | PageBreak | Footnotes


def plain_text(runs: Runs) -> str:
    return "".join(run.text for run in runs)


def paragraph_runs(blocks: tuple[Block, ...]) -> Iterator[Runs]:
    """The runs of each paragraph in a note; lists, quotes and tables flattened to their paragraphs
    (a note is a line of text; Word's note area has no room for structure)."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.runs
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from paragraph_runs(item)
        elif isinstance(block, Quote):
            yield from paragraph_runs(block.blocks)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [cell for cell in row if cell]
                joined: list[Run] = []
                for i, cell in enumerate(cells):
                    if i:
                        joined.append(Run(text=" \u2014 "))
                    joined.extend(cell)
                yield tuple(joined)


def walk_runs(
    blocks: tuple[Block, ...], inside: tuple[type, ...] = ()
) -> Iterator[tuple[Run, tuple[type, ...]]]:
    """Every run of the blocks with the kinds of blocks it sits in (outermost first)."""
    for block in blocks:
        here = (*inside, type(block))
        if isinstance(block, (Heading, Paragraph)):
            for run in block.runs:
                yield run, here
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from walk_runs(item, here)
        elif isinstance(block, Quote):
            yield from walk_runs(block.blocks, here)
        elif isinstance(block, Table):
            for cells in (block.header, *block.rows):
                for cell in cells:
                    for run in cell:
                        yield run, here
        elif isinstance(block, CodeBlock):
            yield Run(text=block.text, code=True), here
        elif isinstance(block, Footnotes):
            for note in block.notes:
                yield from walk_runs(note.blocks, here)


_SENTENCE_END = re.compile(r"[.!?\u3002][\"')\u201d\u2019]*\s+")


def split_runs(runs: Runs, limit: int) -> list[Runs]:
    """Cut a paragraph's runs into pieces of at most about `limit` characters, each ending at a
    sentence end where there is one (else at a space, else anywhere), keeping every character."""
    if sum(len(run.text) for run in runs) <= limit:
        return [runs]
    pieces: list[Runs] = []
    current: list[Run] = []
    size = 0
    for run in runs:
        text = run.text
        while size + len(text) > limit:
            room = limit - size
            cut = _cut_point(text, room)
            if cut == 0 and current:  # nothing of this run fits well: close the piece before it
                pieces.append(tuple(current))
                current, size = [], 0
                continue
            cut = cut or room
            current.append(replace(run, text=text[:cut]))
            pieces.append(tuple(current))
            current, size = [], 0
            text = text[cut:]
        if text:
            current.append(replace(run, text=text))
            size += len(text)
    if current:
        pieces.append(tuple(current))
    return pieces


def _cut_point(text: str, room: int) -> int:
    """Where to end a piece within text[:room]: after the last sentence end, else the last space
    (only in the second half, so pieces stay large); 0 when neither is there."""
    window = text[: room + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() <= room]
    if ends and ends[-1] > room // 2:
        return ends[-1]
    space = window.rfind(" ", room // 2, room)
    return space + 1 if space > 0 else 0


def _markdown() -> MarkdownIt:
    # html=False: raw HTML in a source must show as text, never be interpreted.
    return (
        MarkdownIt("commonmark", {"html": False, "maxNesting": _MD_NESTING})
        .enable("table")
        .enable("strikethrough")
        .use(footnote_plugin)
    )


_MD = _markdown()


def parse(markdown: str) -> tuple[Block, ...]:
    """Parse Markdown into blocks; footnote definitions end up in one trailing `Footnotes` block."""
    tokens = _MD.parse(clean(markdown))
    _check_nesting(tokens)
    blocks, notes = _Folder(tokens).fold()
    if notes:
        blocks.append(Footnotes(notes=tuple(notes)))
    return tuple(blocks)


_NESTS = {"bullet_list_open", "ordered_list_open", "blockquote_open"}
_UNNESTS = {"bullet_list_close", "ordered_list_close", "blockquote_close"}


def _check_nesting(tokens: list[Token]) -> None:
    depth = deepest = 0
    for tok in tokens:
        if tok.type in _NESTS:
            depth += 1
            deepest = max(deepest, depth)
        elif tok.type in _UNNESTS:
            depth -= 1
    # markdown-it stops nesting at its own limit, so reaching it means the input goes deeper still.
    capped = any(tok.level >= _MD_NESTING - 1 for tok in tokens)
    if deepest > MAX_NESTING or capped:
        levels = f"more than {deepest}" if capped else str(deepest)
        raise RenderError(f"the memo nests lists or quotes {levels} levels deep (the limit is {MAX_NESTING})")


def inline_runs(children: list[Token]) -> Runs:
    """Fold an inline token stream into runs, merging neighbours with equal flags."""
    runs: list[Run] = []
    flags = {"bold": 0, "italic": 0, "strike": 0}
    links: list[str] = []

    def emit(text: str, **extra: bool) -> None:
        if not text:
            return
        run = Run(
            text=text,
            bold=flags["bold"] > 0,
            italic=flags["italic"] > 0,
            strike=flags["strike"] > 0,
            link=links[-1] if links else None,
            **extra,
        )
        if runs and replace(runs[-1], text=text) == run:
            runs[-1] = replace(run, text=runs[-1].text + text)
        else:
            runs.append(run)

    def emit_note(number: int) -> None:
        runs.append(Run(text=str(number), superscript=True, note=number, link=links[-1] if links else None))

    for tok in children:
        kind = tok.type
        if kind == "text":
            emit(tok.content)
        elif kind == "softbreak":
            emit(" ")
        elif kind == "hardbreak":
            emit("\n")
        elif kind == "code_inline":
            emit(tok.content, code=True)
        elif kind in ("strong_open", "strong_close"):
            flags["bold"] += 1 if kind.endswith("open") else -1
        elif kind in ("em_open", "em_close"):
            flags["italic"] += 1 if kind.endswith("open") else -1
        elif kind in ("s_open", "s_close"):
            flags["strike"] += 1 if kind.endswith("open") else -1
        elif kind == "link_open":
            links.append(str(tok.attrs.get("href", "")))
        elif kind == "link_close":
            if links:
                links.pop()
        elif kind == "image":
            # No images in memos: keep the alt text so nothing silently disappears.
            emit(tok.content or "".join(c.content for c in tok.children or []))
        elif kind == "footnote_ref":
            emit_note(tok.meta["id"] + 1)
        elif kind in ("html_inline",):  # unreachable with html=False; kept literal for safety
            emit(tok.content)
        else:
            logger.debug("ignoring inline token %s", kind)
    return tuple(runs)


class _Folder:
    """Walks the flat token list once, building nested blocks with an index cursor."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.notes: list[Footnote] = []

    def fold(self) -> tuple[list[Block], list[Footnote]]:
        blocks = self._blocks(until=None)
        self.notes.sort(key=lambda note: note.number)
        return blocks, self.notes

    def _blocks(self, until: str | None) -> list[Block]:
        out: list[Block] = []
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            if until is not None and tok.type == until:
                self.pos += 1
                return out
            block = self._block(tok)
            if block is not None:
                out.append(block)
        return out

    def _block(self, tok: Token) -> Block | None:
        kind = tok.type
        self.pos += 1
        if kind == "heading_open":
            runs = inline_runs(self.tokens[self.pos].children or [])
            self.pos += 2  # inline, heading_close
            return Heading(level=int(tok.tag[1:]), runs=runs)
        if kind == "paragraph_open":
            inline = self.tokens[self.pos]
            self.pos += 2  # inline, paragraph_close
            if _PAGEBREAK.match(inline.content):
                return PageBreak()
            return Paragraph(runs=inline_runs(inline.children or []))
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self._list(tok)
        if kind == "blockquote_open":
            return Quote(blocks=tuple(self._blocks(until="blockquote_close")))
        if kind == "table_open":
            return self._table()
        if kind == "hr":
            return Rule()
        if kind in ("fence", "code_block"):
            return CodeBlock(text=tok.content.rstrip("\n"))
        if kind in ("html_block",):  # unreachable with html=False; kept literal for safety
            if _PAGEBREAK.match(tok.content):
                return PageBreak()
            return Paragraph(runs=(Run(text=tok.content.rstrip("\n")),))
        if kind == "footnote_block_open":
            self._footnotes()
            return None
        logger.debug("ignoring block token %s", kind)
        return None

    def _list(self, tok: Token) -> ListBlock:
        ordered = tok.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        start = int(tok.attrs.get("start", 1)) if ordered else 1
        items: list[tuple[Block, ...]] = []
        while self.pos < len(self.tokens):
            cur = self.tokens[self.pos]
            self.pos += 1
            if cur.type == close:
                break
            if cur.type == "list_item_open":
                items.append(tuple(self._blocks(until="list_item_close")))
        return ListBlock(ordered=ordered, items=tuple(items), start=start)

    def _table(self) -> Table:
        header: list[Runs] = []
        rows: list[list[Runs]] = []
        aligns: list[str] = []
        in_head = False
        while self.pos < len(self.tokens):
            cur = self.tokens[self.pos]
            self.pos += 1
            if cur.type == "table_close":
                break
            if cur.type == "thead_open":
                in_head = True
            elif cur.type == "thead_close":
                in_head = False
            elif cur.type == "tr_open" and not in_head:
                rows.append([])
            elif cur.type in ("th_open", "td_open"):
                inline = self.tokens[self.pos]
                runs = inline_runs(inline.children or []) if inline.type == "inline" else ()
                if in_head:
                    header.append(runs)
                    match = _ALIGN.search(str(cur.attrs.get("style", "")))
                    aligns.append(match.group(1) if match else "left")
                else:
                    rows[-1].append(runs)
        if len(rows) > MAX_TABLE_ROWS:
            raise RenderError(
                f"the memo has a table of {len(rows):,} rows, more than the renderers lay out "
                f"(the limit is {MAX_TABLE_ROWS:,})"
            )
        ncols = len(header)
        body = tuple(tuple((row + [()] * ncols)[:ncols]) for row in rows)
        return Table(
            header=tuple(header),
            rows=body,
            widths=_width_hint(tuple(header), body),
            aligns=tuple(aligns),
        )

    def _footnotes(self) -> None:
        while self.pos < len(self.tokens):
            cur = self.tokens[self.pos]
            self.pos += 1
            if cur.type == "footnote_block_close":
                return
            if cur.type == "footnote_open":
                blocks = self._blocks(until="footnote_close")
                self.notes.append(
                    Footnote(
                        number=cur.meta["id"] + 1, label=str(cur.meta.get("label", "")), blocks=tuple(blocks)
                    )
                )


def _width_hint(header: tuple[Runs, ...], rows: tuple[tuple[Runs, ...], ...]) -> tuple[float, ...]:
    """Column widths as fractions: by content length, damped so one long column can't starve the rest.

    Uses the square root of each column's longest cell (words never split: the longest word is a floor),
    the same idea as browsers' auto table layout, but cheap and deterministic.
    """
    ncols = len(header)
    if ncols == 0:
        return ()
    weights = []
    label_floors = []
    for col in range(ncols):
        cells = [plain_text(header[col])] + [plain_text(row[col]) for row in rows]
        longest = max((len(c) for c in cells), default=1)
        word = max((len(w) for c in cells for w in c.split()), default=1)
        weights.append(max(math.sqrt(max(longest, 1)), word / 3.0, 2.0))
        # A column of short labels (names, dates) gets room for its longest one on one line:
        # "North Korea" hyphenated as "North Ko-rea" reads badly. ~80 characters span a table.
        label_floors.append(min(0.3, (longest + 4) / 80) if longest <= 20 else 0.0)
    total = sum(weights)
    fractions = [w / total for w in weights]
    # A floor keeps short columns (dates, numbers) from collapsing below a readable width.
    floor = min(0.5 / ncols, 0.12)
    fractions = [max(f, floor, label) for f, label in zip(fractions, label_floors, strict=False)]
    total = sum(fractions)
    return tuple(round(f / total, 4) for f in fractions)
