"""HTML pages: trafilatura finds the main text and the metadata; `<meta>`, `<h1>` and
`<time>` fill in what it misses. Navigation, cookie banners, related-article lists and
footers are left out by trafilatura, and the shared chrome rules catch what slips through.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from lxml import etree

from ..errors import SourceError
from ..model import Author, Document, Source
from .common import (
    Block,
    Hints,
    assemble,
    clean_author_name,
    date_line,
    is_chrome,
    is_organisation,
    is_sentence_like,
    line_meta,
    parse_byline,
    parse_date_value,
    squash,
    strip_controls,
    title_from_path,
    word_count,
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
    if _too_little(extracted):
        # Precision mode keeps chrome out but can drop a short article, or keep only a reprint
        # notice: the default extraction is taken when it finds clearly more text.
        fallback = _extract(data, favor_precision=False)
        if _body_chars(fallback) > 2 * _body_chars(extracted):
            extracted = fallback
    if extracted is None or extracted.body is None or not len(extracted.body):
        raise SourceError(path, "no article text found in this HTML page")
    hints = _hints(tree, extracted, data)
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
        )


# Below this much text the precision-first extraction may have kept only a fragment.
_SHORT_BODY_CHARS = 1500


def _body_chars(extracted) -> int:
    if extracted is None or extracted.body is None:
        return 0
    return sum(len(t) for t in extracted.body.itertext())


def _too_little(extracted) -> bool:
    return _body_chars(extracted) < _SHORT_BODY_CHARS


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
    lines = tuple(squash(ln) for ln in text.split("\n") if ln.strip())
    if not lines:
        return None
    return Block(text=" ".join(lines), kind=kind, lines=lines)


_CONTAINERS = {"div", "section", "article", "main"}
_BLOCK_TAGS = {"p", "head", "list", "quote", "div", "section", "article", "main", "table", "code"}


def _body_blocks(body, title: str | None) -> list[Block]:
    """Blocks of trafilatura's body in order, losing no text it returned: loose text and the
    tails after child elements are read too, a wrapper <div> is walked into rather than
    flattened, and the items of a list of real sentences are body text wherever it stands."""
    blocks: list[Block] = []
    _walk(body, title, blocks)
    return blocks


def _walk(element, title: str | None, blocks: list[Block]) -> None:
    _loose(element.text, blocks)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIPPED_TAGS:
            pass
        elif tag in _CONTAINERS and any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS for c in child):
            _walk(child, title, blocks)
        elif tag == "list":
            items = [b for b in (_block(_text(item)) for item in child.iter("item")) if b]
            # Sentences, not headlines: a list of links to other articles stays for the shared rules.
            sentences = sum(1 for b in items if is_sentence_like(b.text))
            prose = (
                len(items) >= 2
                and sentences * 2 >= len(items)
                and sum(word_count(b.text) for b in items) >= 6 * len(items)
            )
            kind = "para" if prose else "text"
            blocks.extend(Block(text=b.text, kind=kind, lines=b.lines) for b in items)
        else:
            kind = "heading" if tag == "head" else "text"
            block = _block(_text(child), kind)
            if block is not None and kind == "text" and _is_article_text(block):
                block = Block(text=block.text, kind="para", lines=block.lines)
            if block is not None and not (
                title and kind == "heading" and block.text.casefold() == title.casefold()
            ):  # the page's H1 repeats the title
                blocks.append(block)
        _loose(child.tail, blocks)


def _is_article_text(block: Block) -> bool:
    """trafilatura already chose the article: a block of it is body text unless it is shaped
    like a byline, a date line or site chrome, which the shared rules then judge."""
    return not any(is_chrome(line) or line_meta(line) != ((), None) for line in block.lines)


def _loose(text: str | None, blocks: list[Block]) -> None:
    block = _block(strip_controls(text or ""))
    if block is not None:
        blocks.append(block)


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
        full = squash(strip_controls(element.text_content()))
        if not full or len(full) > _MAX_BYLINE_CHARS:
            continue
        # The name and, where it follows, the date; the rest (a role, "Follow", a share bar) is
        # left out, so the byline never grows into a body paragraph.
        pieces = _byline_text(element).split(" · ")
        text = pieces[0] + (f" · {pieces[1]}" if len(pieces) > 1 and date_line(pieces[1]) else "")
        line = text if parse_byline(text) else "By " + text
        if parse_byline(line):
            return [Block(text=line, lines=(line,))]
    return []


_TITLE_SEPARATOR = re.compile(r"\s+[|–—:-]\s+|\s+[|–—-]\s*$|\s*\|\s+")


def _without_site_name(title: str, site: str | None, tree) -> str:
    """ "Startup raises $5m – TechCrunch" -> "Startup raises $5m": a last part after a separator
    goes when it names the site (og:site_name, trafilatura's site name, the host name) or when
    the page's <h1> is the title without it."""
    if site and len(title) > len(site) + 10:
        # The site's name leading or closing the title ("Site | Tagline: Headline").
        # A closing site name is the usual place; only without one does a leading one go.
        if title.casefold().endswith(site.casefold()):
            return title[: -len(site)].rstrip(" |:–—-")
        if title.casefold().startswith(site.casefold()):
            return title[len(site) :].lstrip(" |:–—-")
    parts = re.split(r"\s+[|–—-]\s+|\s*\|\s*", title)
    if len(parts) < 2:
        return title
    headings = {squash(h.text_content()).casefold() for h in tree.xpath("//h1")}
    for part in parts:
        if word_count(part) >= 3 and part.strip().casefold() in headings:
            return part.strip()  # the part the page sets as its <h1> is the headline
    first = re.sub(r"\W", "", parts[0]).casefold()
    if first and first == re.sub(r"\W", "", site or "").casefold() and "|" in title:
        # "Site | Headline" (or "Site | Tagline: Headline"): the site name leads instead.
        rest = title.split("|", 1)[1].strip()
        tagline, _, headline = rest.partition(": ")
        return (
            headline.strip() if headline and word_count(tagline) <= 6 and word_count(headline) >= 3 else rest
        )
    head, last = " ".join(title.split()[: len(title.split())]), parts[-1].strip()
    stem = title[: title.rfind(last)].rstrip(" |–—-")
    key = re.sub(r"\W", "", last).casefold()
    site_key = re.sub(r"\W", "", site or "").casefold()
    hosts = " ".join(
        urlsplit(url).netloc
        for url in tree.xpath("//link[@rel='canonical']/@href")
        + tree.xpath("//meta[@property='og:url']/@content")
    )
    names_site = bool(key) and (
        key == site_key
        or (site_key and (key in site_key or site_key in key))
        or key in re.sub(r"\W", "", hosts).casefold()
    )
    h1 = tree.xpath("//h1")
    h1_text = squash(h1[0].text_content()) if h1 else ""
    if (names_site or h1_text.casefold() == stem.casefold()) and word_count(last) <= 5 and stem:
        return stem
    return head


def _byline_text(element) -> str:
    """A byline element's text with its child elements kept apart ("Jane Doe · Business
    Columnist", not "Jane DoeBusiness Columnist"); a lone "By" stays with the name after it."""
    pieces = [squash(strip_controls(t)) for t in element.itertext()]
    parts: list[str] = []
    for piece in (p for p in pieces if p):
        if parts and (parts[-1].lower() in ("by", "by:") or piece[:1] in ",.;:"):
            parts[-1] = f"{parts[-1]} {piece}" if piece[:1] not in ",.;:" else parts[-1] + piece
        else:
            parts.append(piece)
    return " · ".join(parts)


def _meta(tree, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = tree.xpath(f"//meta[@{attr}=$n]/@content", n=name)
            if found and found[0].strip():
                return squash(strip_controls(found[0]))
    return None


def _hints(tree, extracted, raw: bytes = b"") -> Hints:
    title = extracted.title or _meta(tree, "og:title", "twitter:title")
    if not title:
        h1 = tree.xpath("//h1")
        title = squash(h1[0].text_content()) if h1 else None
    if not title:
        found = tree.xpath("//title")
        title = squash(found[0].text_content()) if found else None
    site_name = extracted.sitename or _meta(tree, "og:site_name")
    if title and (word_count(title) <= 1 or title.casefold() in (site_name or "").casefold()):
        # A one-word title is a section label ("Opinion"), and the site's name is no title: the
        # headline the page declares, sets as its <h1>, or puts in its <title> is the evidence.
        h1 = tree.xpath("//h1")
        titles = tree.xpath("//title")
        better = [
            t
            for t in (
                _meta(tree, "og:title", "twitter:title"),
                squash(h1[0].text_content()) if h1 else None,
                squash(titles[0].text_content()) if titles else None,
            )
            if t and word_count(t) >= 3 and t.casefold() != title.casefold()
        ]
        title = better[0] if better else title
    author_text = extracted.author or _meta(tree, "author", "article:author", "dc.creator")
    # trafilatura sometimes takes a byline's date for a second author ("Jane Doe; March 3"),
    # glues two elements ("Jane DoeNEWS") or gives a profile URL: only real names are kept,
    # and an organisation named as author is the publisher.
    names = [n for n in _AUTHOR_SPLIT.split(author_text or "") if n.strip()]
    organisations = [squash(n) for n in names if is_organisation(squash(n))]
    cleaned = [clean_author_name(n) for n in names if not is_organisation(squash(n))]
    authors = tuple(Author(name=n) for n in dict.fromkeys(c for c in cleaned if c))
    date = parse_date_value(extracted.date)
    if (
        date
        and date.endswith("-01-01")
        and date.encode() not in raw
        and date.replace("-", "/").encode() not in raw
    ):
        date = None  # htmldate pads a bare year ("2023年") to 1 January: that is no date
    if date is None:
        date = parse_date_value(_meta(tree, "article:published_time", "datePublished", "date", "dc.date"))
    if date is None:
        stamps = tree.xpath("//time/@datetime") or [t.text_content() for t in tree.xpath("//time")]
        date = next((d for d in map(parse_date_value, stamps) if d), None)
    publisher = (
        extracted.sitename
        or _meta(tree, "og:site_name", "publisher")
        or (organisations[0] if organisations else None)
    )
    if title:
        title = _without_site_name(squash(strip_controls(title)), publisher, tree)
    language = (tree.get("lang") or "en").split("-")[0].lower() or "en"
    return Hints(
        title=title or None,
        authors=authors,
        date=date,
        publisher=publisher,
        language=language,
        # Authors the page declares (JSON-LD, <meta>) are explicit; a byline found in the text is
        # a guess, used only when the page declares none.
        # The same for the date htmldate finds (the original publication date, from the markup).
        prefer=frozenset(
            ({"authors"} if authors else set()) | ({"date"} if extracted.date and date else set())
        ),
    )
