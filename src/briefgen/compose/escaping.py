"""Markdown escaping at the template boundary, and curly quotes for everything a memo prints.

Escaping works like HTML autoescape turned inside out: every string that comes from the source
(or from the command line) is escaped for Markdown once, on the way into the template, and
marked as `Md`. Whatever the template then writes around it - headings, `**bold**`, tables,
footnote references - is the template's own markup and formats; `<Notes>`, `AT&T`, `*`, `_` or
`[1]` in the source come out literally. Escaping at the boundary (rather than at output time)
keeps concatenation, `join` and macros safe without teaching Jinja's HTML-minded `Markup`
machinery a second language.
"""

from __future__ import annotations

import re
from typing import Any

from ..textutil import squash

# Characters that start Markdown inline syntax anywhere in a line (CommonMark + tables + footnotes).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~])")
# Block syntax only matters at the start of a line: headings, lists, quotes, setext underlines.
_BLOCK_START = re.compile(r"^([#>+=-]|\d{1,9}(?=[.)]))")
# Private-use characters compose() uses as invisible markers: never taken from the source.
_MARKERS = re.compile("[\ue000\ue001]")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

# Straight quotes -> typographic ones, by what stands before them (written by hand: the rule is
# four lines, and the libraries for it, e.g. smartypants, work on HTML rather than plain text).
# A double quote opens after the start, a space, an opening bracket or a dash, and closes elsewhere.
_OPENING_DOUBLE = re.compile(r'(^|[\s(\[{\u2014\u2013/-])"')
# A single quote opens before a letter when nothing but space or an opening mark precedes it
# ("the 'near-Arctic state'"); everywhere else (don't, states', '90s) it is an apostrophe.
_OPENING_SINGLE = re.compile(r"(^|[\s(\[{\u201c\u2014\u2013/-])'(?=[^\W\d_])")


class Md(str):
    """Text already escaped for Markdown: safe to place anywhere in the template's markup."""

    __slots__ = ()

    def plain(self) -> str:
        return unescape(self)


def curly_quotes(text: str) -> str:
    """ "He said "no" and 'won't'" -> “no” and ‘won’t’ (quotes already curly are kept)."""
    if '"' not in text and "'" not in text:
        return text
    text = _OPENING_DOUBLE.sub("\\1\u201c", text).replace('"', "\u201d")
    return _OPENING_SINGLE.sub("\\1\u2018", text).replace("'", "\u2019")


def balanced_quotes(text: str) -> str:
    """A sentence cut out of a longer quotation gets the missing mark as an editorial insertion:
    “the term is “most often used …” -> … [”]. The words stay the source's; the reader sees where
    the quotation opens or closes outside the sentence."""
    opened, closed = text.count("\u201c"), text.count("\u201d")
    if opened > closed:
        return text + " [\u201d]" * (opened - closed)
    if closed > opened:
        return "[\u201c] " * (closed - opened) + text
    return text


def escape(value: Any) -> Md:
    """Source text -> Markdown that renders as exactly that text (whitespace collapsed, quotes curly)."""
    if isinstance(value, Md):
        return value
    text = balanced_quotes(curly_quotes(squash(_MARKERS.sub("", str(value)))))
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    match = _BLOCK_START.match(text)
    if match:
        if match.group(1)[0].isdigit():  # "1999. ..." would start an ordered list: escape the dot
            end = match.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = "\\" + text
    return Md(text)


def escape_optional(value: str | None) -> Md | None:
    return None if value is None else escape(value)


def unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


def plain(value: Any) -> str:
    """The visible text of a value, escaped or not."""
    return unescape(value) if isinstance(value, Md) else str(value)
