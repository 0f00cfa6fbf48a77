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
import threading

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


# The hyphenator's settings for the paragraph being broken, per thread: one hyphenator serves every
# render of the process, and reportlab copies styles (so the hyphenator must stay copyable).
_STATE = threading.local()


class Hyphenator:
    """reportlab's hyphenationLang callable. `forbidden` holds words a re-break must leave whole."""

    def __init__(self, lang: str = "en_US") -> None:
        self.lang = lang

    @property
    def forbidden(self) -> frozenset[str]:
        return getattr(_STATE, "forbidden", frozenset())

    @forbidden.setter
    def forbidden(self, words: frozenset[str]) -> None:
        _STATE.forbidden = words

    @property
    def enabled(self) -> bool:
        return getattr(_STATE, "enabled", True)

    @enabled.setter
    def enabled(self, value: bool) -> None:
        _STATE.enabled = value

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


def keep_compound_hyphens(frags: list) -> list:
    """Rejoin, keeping the hyphen, the compounds reportlab split at their own hyphen on an earlier
    line breaking of the same paragraph.

    Written by hand for a reportlab behaviour: when a paragraph with several fonts is broken again
    (a part split off at a page end, a second wrap) reportlab rejoins each word it split before with
    `str.rstrip("-")`, which turns "non-" + "proliferation" into "nonproliferation" and then
    hyphenates that wrongly. A word split only at its real hyphens is joined here first, so
    reportlab sees it whole, as written.
    """
    from reportlab.platypus import paragraph as rl

    if not frags or not rl._processed_frags(frags):
        return frags
    out: list = []
    run: list = []

    def flush() -> None:
        at_hyphen = any(
            type(piece) is rl._SplitFragH and piece[-1][1].endswith(tuple(_HYPHENS)) for piece in run[:-1]
        )
        if at_hyphen and not any(isinstance(piece, rl._SplitFragHY) for piece in run):
            items: list = []
            for piece in run:
                for frag, text in piece[1:]:
                    if items and items[-1][0] is frag:
                        items[-1] = (frag, items[-1][1] + text)
                    else:
                        items.append((frag, text))
            kind = rl._HSFrag if isinstance(run[-1], rl._HSFrag) else list
            out.append(kind([sum(piece[0] for piece in run), *items]))
        else:
            out.extend(run)
        run.clear()

    for frag in frags:
        if isinstance(frag, rl._InjectedFrag):  # line-end markers: reportlab drops them here too
            continue
        if isinstance(frag, rl._SplitFrag):
            run.append(frag)
            if isinstance(frag, rl._HSFrag):
                flush()
        else:
            flush()
            out.append(frag)
    flush()
    return out
