"""HTML pages: trafilatura finds the main text and the metadata; `<meta>`, `<h1>` and
`<time>` fill in what it misses. Navigation, cookie banners, related-article lists and
footers are left out by trafilatura, and the shared chrome rules catch what slips through.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from pathlib import Path

import lxml.html
import trafilatura
from lxml import etree

from ..errors import SourceError
from ..model import Author, Document, Source
from .common import (
    Block,
    Hints,
    assemble,
    parse_byline,
    parse_date_value,
    squash,
    strip_controls,
    title_from_path,
)
from .limits import MAX_HTML_BYTES, over

logger = logging.getLogger(__name__)
# trafilatura logs errors ("empty HTML tree") for every page it finds no text in; the reader
# reports that itself as a SourceError, and the command line promises one line on stderr.
_TRAFILATURA_LOGGERS = ("trafilatura", "htmldate", "courlan")

_BYLINE_MARK = re.compile(r"byline|author", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*;\s*")
_SKIPPED_TAGS = {"table", "code", "graphic", "ref"}
# A byline element holds a line or two; anything longer is an author bio or a comment.
_MAX_BYLINE_CHARS = 200


def read(path: Path, data: bytes, *, source: Source) -> Document:
    if len(data) > MAX_HTML_BYTES:
        raise over(path, "the page", len(data), MAX_HTML_BYTES, "bytes of HTML")
    try:
        tree = lxml.html.fromstring(data)
    except (etree.ParserError, ValueError) as err:
        raise SourceError(path, f"cannot parse HTML: {err}") from None
    extracted = _extract(data, favor_precision=True)
    if extracted is None or extracted.body is None or not len(extracted.body):
        # Precision mode keeps chrome out but can drop a short article altogether.
        extracted = _extract(data, favor_precision=False)
    if extracted is None or extracted.body is None or not len(extracted.body):
        raise SourceError(path, "no article text found in this HTML page")
    hints = _hints(tree, extracted)
    blocks: list[Block] = []
    if hints.title:
        blocks.append(Block(text=hints.title, kind="title"))
    blocks.extend(_byline_blocks(tree))
    blocks.extend(_body_blocks(extracted.body, hints.title))
    return assemble(blocks, source=source, hints=hints, fallback_title=title_from_path(path))


@contextmanager
def _quiet_trafilatura():
    """Silence trafilatura's own loggers for the duration of one call, then restore them."""
    loggers = [logging.getLogger(name) for name in _TRAFILATURA_LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=False):
            lg.setLevel(level)


def _extract(data: bytes, *, favor_precision: bool):
    with _quiet_trafilatura():
        return trafilatura.bare_extraction(
            data,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=favor_precision,
            date_extraction_params={"extensive_search": False},
        )


def _text(element) -> str:
    """Text of an element with `<lb/>` line breaks kept as newlines."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in _SKIPPED_TAGS:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return strip_controls("".join(parts))


def _block(text: str, kind: str = "text") -> Block | None:
    lines = tuple(squash(l) for l in text.split("\n") if l.strip())
    if not lines:
        return None
    return Block(text=" ".join(lines), kind=kind, lines=lines)


def _body_blocks(body, title: str | None) -> list[Block]:
    blocks = []
    for child in body:
        if child.tag in _SKIPPED_TAGS:
            continue
        if child.tag == "list":
            items = [_block(_text(item)) for item in child.iter("item")]
            blocks.extend(b for b in items if b)
            continue
        kind = "heading" if child.tag == "head" else "text"
        block = _block(_text(child), kind)
        if block is None:
            continue
        if title and kind == "heading" and block.text.casefold() == title.casefold():
            continue  # the page's H1 repeats the title
        blocks.append(block)
    return blocks


def _byline_blocks(tree) -> list[Block]:
    """The first element marked as a byline/author whose text reads as one."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        marks = " ".join(
            filter(
                None, (element.get("class"), element.get("id"), element.get("rel"), element.get("itemprop"))
            )
        )
        if not _BYLINE_MARK.search(marks):
            continue
        text = squash(strip_controls(element.text_content()))
        if not text or len(text) > _MAX_BYLINE_CHARS:
            continue
        line = text if parse_byline(text) else "By " + text
        if parse_byline(line):
            return [Block(text=line, lines=(line,))]
    return []


def _meta(tree, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            if found and found[0].strip():
                return squash(strip_controls(found[0]))
    return None


def _hints(tree, extracted) -> Hints:
    title = extracted.title or _meta(tree, "og:title", "twitter:title")
    if not title:
        h1 = tree.xpath("//h1")
        title = squash(h1[0].text_content()) if h1 else None
    if not title:
        found = tree.xpath("//title")
        title = squash(found[0].text_content()) if found else None
    author_text = extracted.author or _meta(tree, "author", "article:author", "dc.creator")
    # trafilatura sometimes takes a byline's date for a second author ("Jane Doe; March 3").
    authors = tuple(
        Author(name=squash(n))
        for n in _AUTHOR_SPLIT.split(author_text or "")
        if n.strip() and not any(ch.isdigit() for ch in n)
    )
    date = parse_date_value(extracted.date)
    if date is None:
        date = parse_date_value(_meta(tree, "article:published_time", "datePublished", "date", "dc.date"))
    if date is None:
        stamps = tree.xpath("//time/@datetime") or [t.text_content() for t in tree.xpath("//time")]
        date = next((d for d in map(parse_date_value, stamps) if d), None)
    publisher = extracted.sitename or _meta(tree, "og:site_name", "publisher")
    language = (tree.get("lang") or "en").split("-")[0].lower() or "en"
    return Hints(
        title=squash(strip_controls(title)) if title else None,
        authors=authors,
        date=date,
        publisher=publisher,
        language=language,
    )
