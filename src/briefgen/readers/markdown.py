"""Markdown: front matter if present, else the first heading as title and the byline and
date lines under it; headings become the section labels of the paragraphs below them.
"""

from __future__ import annotations

import logging
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

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
from .text import check_length, decode

logger = logging.getLogger(__name__)

_PARSER = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)


def _inline_text(token) -> str:
    """Plain text of an inline token; line breaks kept so a byline block splits into lines."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


# Front matter holds a title, a byline and a date: a few hundred bytes. More is not metadata.
MAX_FRONT_MATTER_CHARS = 64 * 1024


def _load_yaml(path: Path, raw: str) -> object:
    """The front matter's YAML, or None (with a warning) when it is invalid, too big, or uses
    aliases. An alias (`*a`) can repeat a node a thousand times at every level: nine nested
    levels of an 847-byte file expand past 7 GB. Metadata never needs one, so the events are
    scanned first (linear in the text) and any alias refuses the whole block."""
    if len(raw) > MAX_FRONT_MATTER_CHARS:
        logger.warning(
            "%s: front matter is %s characters, over %s; ignoring it",
            path,
            f"{len(raw):,}",
            f"{MAX_FRONT_MATTER_CHARS:,}",
        )
        return None
    try:
        for event in yaml.parse(raw, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                logger.warning("%s: front matter uses YAML aliases (refused); ignoring it", path)
                return None
        return yaml.safe_load(raw)
    except yaml.YAMLError as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        logger.warning("%s: front matter is not valid YAML (%s); ignoring it", path, first)
        return None
    except (RecursionError, ValueError, OverflowError) as err:
        logger.warning("%s: front matter cannot be read (%s); ignoring it", path, type(err).__name__)
        return None


def _front_matter(path: Path, raw: str) -> Hints:
    data = _load_yaml(path, raw)
    if not isinstance(data, dict):
        return Hints()
    data = {str(k).lower(): v for k, v in data.items()}
    title = squash(str(data["title"])) if data.get("title") else None
    authors = _authors(data.get("authors", data.get("author")), data.get("affiliation"))
    date = parse_date_value(data.get("date") or data.get("published"))
    publisher = data.get("publisher") or data.get("site") or data.get("source")
    prefer = {name for name, value in (("title", title), ("authors", authors), ("date", date)) if value}
    return Hints(
        title=title,
        authors=authors,
        date=date,
        publisher=squash(str(publisher)) if publisher else None,
        language=str(data.get("language") or data.get("lang") or "en"),
        prefer=frozenset(prefer),
    )


def _authors(value, affiliation) -> tuple[Author, ...]:
    """`author: Jane Doe`, `authors: [A, B]`, or a list of `{name, affiliation}` mappings."""
    if not value:
        return ()
    items = value if isinstance(value, list) else [value]
    authors = []
    for item in items:
        if isinstance(item, dict) and item.get("name"):
            aff = item.get("affiliation")
            authors.append(
                Author(name=squash(str(item["name"])), affiliation=squash(str(aff)) if aff else None)
            )
        elif isinstance(item, str) and item.strip():
            parsed = parse_byline("By " + item)
            authors.extend(parsed or (Author(name=squash(item)),))
    if affiliation:
        # A document-level `affiliation:` key is shared by every author who has none of their own.
        shared = squash(str(affiliation))
        authors = [a if a.affiliation else Author(name=a.name, affiliation=shared) for a in authors]
    return tuple(authors)


def markdown_blocks(text: str) -> tuple[list[Block], str | None]:
    """Blocks in document order, and the raw front matter if there is any.

    Only headings and paragraphs (also inside lists and quotes) are prose; code blocks,
    raw HTML and tables (figures, not sentences) are left out.
    """
    tokens = _PARSER.parse(text)
    blocks: list[Block] = []
    front = None
    skip_until = None
    for index, token in enumerate(tokens):
        if skip_until is not None:
            if token.type == skip_until:
                skip_until = None
            continue
        if token.type == "front_matter":
            front = token.content
        elif token.type == "table_open":
            skip_until = "table_close"
        elif token.type == "inline":
            opener = tokens[index - 1]
            content = _inline_text(token)
            if opener.type == "heading_open":
                blocks.append(Block(text=squash(content), kind="heading:" + opener.tag))
            elif opener.type == "paragraph_open":
                lines = tuple(ln.strip() for ln in content.split("\n") if ln.strip())
                if lines:
                    blocks.append(Block(text=" ".join(lines), lines=lines))
    return blocks, front


def read(path: Path, data: bytes, *, source: Source) -> Document:
    text = decode(path, data)
    check_length(path, text)
    text = strip_controls(text)
    blocks, front = markdown_blocks(text)
    hints = _front_matter(path, front) if front is not None else Hints()
    blocks = _mark_title(blocks, hints)
    return assemble(blocks, source=source, hints=hints, fallback_title=title_from_path(path))


def _mark_title(blocks: list[Block], hints: Hints) -> list[Block]:
    """The front-matter title's heading, else the first H1, is the title."""
    headings = [i for i, b in enumerate(blocks) if b.kind.startswith("heading:")]
    title_at = None
    if hints.title:
        title_at = next((i for i in headings if blocks[i].text.casefold() == hints.title.casefold()), None)
    if title_at is None:
        # Only an H1 is taken as the title here; without one the shared head rules decide.
        # With a front-matter title, an H1 above all text is still the page's title line.
        title_at = next((i for i in headings if blocks[i].kind == "heading:h1"), None)
        if hints.title and title_at is not None and any(b.kind == "text" for b in blocks[:title_at]):
            title_at = None
    return [
        Block(text=b.text, kind="title" if i == title_at else "heading")
        if b.kind.startswith("heading:")
        else b
        for i, b in enumerate(blocks)
    ]
