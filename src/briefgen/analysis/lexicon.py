"""The curated word lists and patterns of the analysis, read from `analysis/data/`.

Each data file says in its header where its entries come from and what they cover. Lines starting
with "#" and blank lines are comments. The files are read once per process (data, not documents).
A name without an extension is a `.txt` word list.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

_DATA = "briefgen.analysis.data"


def _lines(filename: str) -> list[str]:
    if "." not in filename:
        filename += ".txt"
    text = resources.files(_DATA).joinpath(filename).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.cache
def words(filename: str) -> frozenset[str]:
    """A word list, one lower-case entry per line."""
    return frozenset(line.strip().lower() for line in _lines(filename))


@functools.cache
def entries(filename: str) -> frozenset[str]:
    """A word list with its entries as written (title-case names: "Act", "USS", "LLC")."""
    return frozenset(line.strip() for line in _lines(filename))


def lower(filename: str) -> frozenset[str]:
    """The entries in lower case (the same as `words`; named for the callers that compare so)."""
    return words(filename)


def alternation(filename: str) -> str:
    """The entries as a regex alternation, as written, longest first ("Grand Duchy" before "Duchy")."""
    return "|".join(re.escape(w) for w in sorted(entries(filename), key=lambda w: (-len(w), w)))


@functools.cache
def weighted_patterns(filename: str) -> tuple[tuple[float, re.Pattern[str]], ...]:
    """Rows of `weight <TAB> regex`, compiled case-insensitive."""
    rows = []
    for line in _lines(filename):
        weight, pattern = line.split("\t", 1)
        rows.append((float(weight), re.compile(pattern.strip(), re.I)))
    return tuple(rows)


@functools.cache
def heading_pattern(filename: str) -> re.Pattern[str]:
    """One pattern matching a heading that starts with any of the file's alternatives."""
    alternatives = "|".join(f"(?:{line.strip()})" for line in _lines(filename))
    return re.compile(rf"^\W*(?:{alternatives})", re.I)


@functools.cache
def table(filename: str) -> tuple[tuple[str, ...], ...]:
    """Tab-separated rows, cells stripped."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in _lines(filename))
