"""Whether an acronym spells a name: one rule shared by the actor finder (an acronym defined for an
actor's name) and the coinages (an acronym defined for a lower-case phrase), kept apart from both
so neither imports the other."""

from __future__ import annotations

import functools
import re

from . import lexicon
from .gazetteer import normalize

_FUNCTION_WORDS = lexicon.words("function_words")


def initials_match(acronym: str, name: str) -> bool:
    """Whether the acronym spells the name's initials; function words may or may not contribute
    ("Republic of Korea" -> ROK, "Communist Party of China" -> CPC)."""
    raw_words = [w for w in re.split(r"[\s\-]+", normalize(name)) if w]
    letters = acronym.upper()
    # "U.S. Geological Survey (USGS)": a dotted abbreviation gives one letter per part; "U.S. Fish
    # and Wildlife Service (FWS)": or it is left out of the acronym.
    expanded = [p for w in raw_words for p in (w.split(".") if _DOTTED.fullmatch(w) else [w]) if p]
    if len(raw_words) > 1 and _DOTTED.fullmatch(raw_words[0]) and _spells(letters, raw_words[1:]):
        return True
    return _spells(letters, expanded)


_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")


def _spells(letters: str, words: list[str]) -> bool:
    """Whether the letters are the initials of the words, function words optional."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if j == len(letters):
            return all(w.lower() in _FUNCTION_WORDS for w in words[i:])
        if i == len(words):
            return False
        word = words[i]
        if word[:1].upper() == letters[j] and match(i + 1, j + 1):
            return True
        return word.lower() in _FUNCTION_WORDS and match(i + 1, j)

    return match(0, 0)
