"""Hyphenation for the PDF renderer that never breaks a word wrongly.

reportlab asks `style.hyphenationLang(word)` for (head, tail) splits when a word does not fit at
the end of a line and uses the first that fits; it adds a hyphen unless the head already ends
with one. pyphen (the LibreOffice/Hunspell patterns) finds the break points of plain words. The
rules, which a typesetter follows and which keep text copied out of the PDF faithful:

- a hyphenated compound ("Six-Party", "non-aggression", "China-DPRK") breaks only at its own
  hyphens, which stay: copying "Six-" + "Party" gives the source's word back;
- acronyms, capitalised words (names) and words with digits are never hyphenated;
- no more than two hyphenated lines in a row (`limit_runs` re-breaks a paragraph that has more).
"""

from __future__ import annotations

import functools
import re

_HYPHENS = "-\u2010"  # hyphen-minus and hyphen; the non-breaking hyphen U+2011 never breaks
_PLAIN_WORD = re.compile(r"^[^\W\d_]+$")
# reportlab strips these from a word before asking for splits (paragraph._hy_pfx_pat / _hy_sfx_pat).
_PREFIX = re.compile("^['\"([{\u00bf\u2018\u201a\u201c\u201e]+")
_SUFFIX = re.compile("[]'\")}?!.,;:\u2019\u201b\u201d\u201f]+$")
MAX_RUN = 2  # hyphenated lines in a row


@functools.cache
def _dictionary(lang: str):
    try:
        import pyphen
    except ImportError:  # hyphenation is a nicety: without pyphen compounds still break at hyphens
        return None
    # At least three letters on each side: "ac-", "-ed" breaks read badly.
    return pyphen.Pyphen(lang=lang, left=3, right=3)


class Hyphenator:
    """reportlab's hyphenationLang callable. `forbidden` holds words a re-break must leave whole."""

    def __init__(self, lang: str = "en_US") -> None:
        self.lang = lang
        self.forbidden: frozenset[str] = frozenset()
        self.enabled = True

    def __call__(self, word: str) -> list[tuple[str, str]]:
        if not self.enabled or word in self.forbidden:
            return []
        return splits(word, self.lang)


def splits(word: str, lang: str = "en_US") -> list[tuple[str, str]]:
    """Allowed (head, tail) breaks of a word, longest head first."""
    if any(h in word for h in _HYPHENS):
        out = []
        for i in range(len(word) - 1, 0, -1):
            if word[i] in _HYPHENS and _PLAIN_WORD.match(word[i - 1]) and word[i + 1 : i + 2].isalpha():
                out.append((word[: i + 1], word[i + 1 :]))
        return out
    # Only lower-case words: not "DPRK", "Pyongyang", "G20", "3,000".
    if not (_PLAIN_WORD.match(word) and word.islower()):
        return []
    dictionary = _dictionary(lang)
    if dictionary is None:
        return []
    return [(word[:i], word[i:]) for i in reversed(dictionary.positions(word))]


def _line_texts(bl_para) -> list[str]:
    if bl_para.kind == 0:
        return [" ".join(str(word) for word in line[1]) for line in bl_para.lines]
    return ["".join(getattr(frag, "text", "") for frag in line.words) for line in bl_para.lines]


def third_in_a_row(bl_para) -> set[str] | None:
    """The word broken at the end of the first line that is the third hyphenated one in a row, in
    the forms reportlab asks the hyphenator about (None when there is no such line)."""
    texts = _line_texts(bl_para)
    run = 0
    for i, text in enumerate(texts[:-1]):
        tokens = text.split()
        following = texts[i + 1].split()
        if not tokens or not following or not tokens[-1].endswith(tuple(_HYPHENS)):
            run = 0
            continue
        run += 1
        if run > MAX_RUN:
            head = _PREFIX.sub("", tokens[-1])
            tail = _SUFFIX.sub("", following[0])
            return {head[:-1] + tail, head + tail}  # a soft break (hyphen added) or a compound's
    return None
