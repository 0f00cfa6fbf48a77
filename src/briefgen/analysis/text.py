"""Shared helpers for the analysers: quotes, citations, whitespace.

The parse itself is `parse.Parsed`, made once by `analyze()` and handed to every analyser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Cite, Sentence

# Straight and curly double quotes, and curly single quotes. A straight single quote is
# too often an apostrophe (DPRK's, '90s) to open a quotation, so it only counts when it
# stands after a space or bracket and closes before a space or punctuation.
_QUOTE_RE = re.compile(
    r"“(?P<c>[^“”]{1,400}?)”"
    r"|\"(?P<s>[^\"]{1,400}?)\""
    r"|(?<![\w’])‘(?P<cs>[^‘’]{1,200}?)’(?!\w)"
    r"|(?<![\w'])'(?P<ss>[^'\n]{1,200}?)'(?![\w'])"
)


@dataclass(frozen=True)
class Quote:
    start: int  # offsets of the inner text (without the marks) into the sentence
    end: int
    text: str


def quotes(text: str) -> tuple[Quote, ...]:
    """The quoted spans of one sentence, inner text only, in order."""
    found = []
    for m in _QUOTE_RE.finditer(text):
        group = next(g for g in ("c", "s", "cs", "ss") if m.group(g) is not None)
        inner = m.group(group)
        stripped = inner.strip()
        if not stripped:
            continue
        start = m.start(group) + (len(inner) - len(inner.lstrip()))
        found.append(Quote(start=start, end=start + len(stripped), text=stripped))
    return tuple(found)


def cite(sentence: Sentence) -> Cite:
    return Cite(paragraph=sentence.paragraph, sentence=sentence.id)


def normalise_marks(text: str) -> str:
    """Curly quotes and apostrophes as straight ones, for matching terms written either way."""
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def opens_in_lower_case(text: str) -> bool:
    """The text starts, past quotes and brackets, on a lower-case letter: the tail of a sentence
    broken at a page or column end, not a sentence."""
    return text.lstrip(" “\"'‘([")[:1].islower()
