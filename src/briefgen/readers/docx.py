"""Word documents (.docx): body paragraphs with their heading styles, and title, author
and date from the text first, then from the core properties (a core-properties date is
when the file was made, not when the piece was written).

The package is read with zipfile and defusedxml rather than python-docx so that both
attacks on a .docx fail fast: every member is decompressed under a size cap (a zip
bomb stops at the cap), and XML with a DTD is refused outright (an entity bomb never
expands; Word itself never writes a DTD).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..errors import SourceError
from ..model import Document, Source
from .common import (
    Block,
    Hints,
    assemble,
    metadata_authors,
    parse_date_value,
    real_metadata,
    squash,
    strip_controls,
    title_from_path,
)

logger = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORE = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "creator": "{http://purl.org/dc/elements/1.1/}creator",
    "created": "{http://purl.org/dc/terms/}created",
}
# Caps on what the XML parts may inflate to. A long report's document.xml is a few MB;
# 20 MiB of XML is plenty for any memo source, and parsing more takes seconds and
# gigabytes (an 88 MB document.xml of empty paragraphs took 25 s and 1.5 GB).
XML_CAP = 20 * 1024 * 1024
# Real WordprocessingML compresses about 5-20x; a member inflating over 100x its packed
# size is a bomb once it is big enough to matter (tiny parts may compress better).
MAX_RATIO = 100
RATIO_FLOOR = 4 * 1024 * 1024
_CHUNK = 1 << 20
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
# Parts of a paragraph that are not its visible text: deleted revisions, field codes,
# text boxes (their own paragraphs), footnote marks.
_SKIP = {
    W + "del",
    W + "delText",
    W + "instrText",
    W + "txbxContent",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "commentReference",
}


def read(path: Path, data: bytes, *, source: Source) -> Document:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise SourceError(path, "not a valid DOCX file: not a zip archive (or a damaged one)") from None
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise SourceError(path, "not a Word document: the zip has no word/document.xml")
        budget = [XML_CAP]  # shared by every part read, so three big parts cannot add up
        document = _parse(path, archive, "word/document.xml", budget)
        styles = (
            _style_names(_parse(path, archive, "word/styles.xml", budget))
            if "word/styles.xml" in names
            else {}
        )
        core = _parse(path, archive, "docProps/core.xml", budget) if "docProps/core.xml" in names else None
    body = document.find(W + "body")
    if body is None:
        raise SourceError(path, "no document body in word/document.xml")
    blocks = list(_blocks(body, styles))
    return assemble(blocks, source=source, hints=_hints(core), fallback_title=title_from_path(path))


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _member(path: Path, archive: zipfile.ZipFile, name: str, budget: list[int]) -> bytes:
    """A member's bytes, decompressed in chunks and refused once it inflates past the caps:
    more than `budget[0]` bytes (what is left of `XML_CAP` for all parts together), or more
    than `MAX_RATIO` times its compressed size once over `RATIO_FLOOR`. The sizes are
    checked while inflating, since the sizes a zip declares can lie."""
    packed = max(1, archive.getinfo(name).compress_size)
    out = bytearray()
    try:
        with archive.open(name) as handle:
            while chunk := handle.read(_CHUNK):
                out += chunk
                if len(out) > budget[0]:
                    raise SourceError(
                        path, f"looks like a zip bomb: {name} inflates past {_mib(XML_CAP)} of XML"
                    )
                if len(out) > RATIO_FLOOR and len(out) > MAX_RATIO * packed:
                    raise SourceError(
                        path,
                        f"looks like a zip bomb: {name} inflates over {MAX_RATIO}x "
                        f"its {packed:,} compressed bytes (past {_mib(len(out))})",
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as err:
        raise SourceError(path, f"damaged DOCX: cannot decompress {name} ({err})") from None
    except NotImplementedError:
        raise SourceError(path, f"damaged DOCX: {name} uses an unsupported compression method") from None
    budget[0] -= len(out)
    return bytes(out)


def _parse(path: Path, archive: zipfile.ZipFile, name: str, budget: list[int]):
    raw = _member(path, archive, name, budget)
    try:
        return SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise SourceError(
            path, f"{name} declares a DTD or entities (refused: possible entity bomb)"
        ) from None
    except ParseError as err:
        raise SourceError(path, f"damaged DOCX: {name} is not well-formed XML ({err})") from None


def _style_names(styles) -> dict[str, str]:
    """styleId -> the name of the built-in style it is (or is based on), lower-cased."""
    names: dict[str, str] = {}
    based_on: dict[str, str] = {}
    for style in styles.iter(W + "style"):
        style_id = style.get(W + "styleId")
        name = style.find(W + "name")
        if style_id is None:
            continue
        names[style_id] = (name.get(W + "val") if name is not None else style_id).lower()
        parent = style.find(W + "basedOn")
        if parent is not None:
            based_on[style_id] = parent.get(W + "val")
    resolved = {}
    for style_id, name in names.items():
        seen = {style_id}
        current = style_id
        # A custom "My Heading" based on "Heading 1" is still a heading.
        while not (_HEADING_STYLE.match(name) or name in ("title", "subtitle")) and current in based_on:
            current = based_on[current]
            if current in seen or current not in names:
                break
            seen.add(current)
            name = names[current]
        resolved[style_id] = (
            name if (_HEADING_STYLE.match(name) or name in ("title", "subtitle")) else names[style_id]
        )
    return resolved


def _run_text(element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag == W + "tab":
            parts.append(" ")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            _run_text(child, parts)


def _kind(paragraph, styles: dict[str, str]) -> str:
    props = paragraph.find(W + "pPr")
    if props is None:
        return "text"
    style = props.find(W + "pStyle")
    name = styles.get(style.get(W + "val"), style.get(W + "val", "").lower()) if style is not None else ""
    if name == "title":
        return "title"
    outline = props.find(W + "outlineLvl")
    if _HEADING_STYLE.match(name) or (outline is not None and outline.get(W + "val", "9") != "9"):
        return "heading"
    return "text"


# A contents entry typed by hand: a heading, dot leaders or a tab, then the page number.
_TOC_ENTRY = re.compile(r"^\D.{2,120}?(?:\s*\.{4,}\s*|\s{2,})(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
_TOC_STYLE = re.compile(r"^(?:toc\s*\d*|toc heading|table of figures)$", re.IGNORECASE)


def _is_contents(child) -> bool:
    """A table of contents: a content control Word marks as one, or a TOC field's block."""
    gallery = child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(W + "val") or "").lower()


def _style_name(paragraph, styles: dict[str, str]) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    if style is None:
        return ""
    value = style.get(W + "val", "")
    return styles.get(value, value.lower())


def _blocks(element, styles: dict[str, str]):
    """Paragraphs of the body in order; tables are skipped (figures, not prose), and so are a
    table of contents (its entries repeat the headings, with page numbers). Headers and
    footers live in their own parts of the package and are never read."""
    for child in element:
        if child.tag == W + "sdt" and _is_contents(child):
            continue
        if child.tag == W + "p" and _TOC_STYLE.match(_style_name(child, styles)):
            continue
        if child.tag == W + "p":
            parts: list[str] = []
            _run_text(child, parts)
            text = strip_controls("".join(parts))
            lines = tuple(squash(ln) for ln in text.split("\n") if ln.strip())
            if (lines and len(lines) > 1) or (lines and not _TOC_ENTRY.match(lines[0])):
                yield Block(text=" ".join(lines), kind=_kind(child, styles), lines=lines)
        elif child.tag != W + "tbl":
            yield from _blocks(child, styles)


def _hints(core) -> Hints:
    if core is None:
        return Hints()

    def value(key: str) -> str | None:
        found = core.find(_CORE[key])
        return found.text if found is not None else None

    raw_creator = (value("creator") or "").strip()
    authors = metadata_authors(raw_creator)
    # python-docx's template carries its own 2013 creation date; it says nothing about the piece.
    date = None if raw_creator == "python-docx" else parse_date_value(value("created"))
    return Hints(title=real_metadata(value("title")), authors=authors, date=date)
