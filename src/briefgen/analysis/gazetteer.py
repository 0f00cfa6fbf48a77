"""The curated gazetteer shipped in `analysis/data/`: states, organisations, title words.

The small spaCy model proposes names but gets their kinds wrong in this domain ("DPRK" as an
organisation, "Rodong Sinmun" as a place); the gazetteer fixes kinds and joins aliases, capitals
and demonyms to one entry. Loaded once per process: it is read-only data.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

_DATA = "briefgen.analysis.data"


@dataclass(frozen=True, kw_only=True)
class Entry:
    id: str
    name: str
    kind: str  # state | organization | group
    aliases: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Gazetteer:
    entries: dict[str, Entry]  # id -> entry
    names: dict[str, str]  # exact surface form (name or alias) -> id
    capitals: dict[str, str]  # capital -> state id
    demonyms: dict[str, str]  # demonym -> state id (ambiguous ones, e.g. "Congolese", dropped)
    titles: tuple[str, ...]  # title words, longest first
    names_re: re.Pattern[str]  # any name or alias, longest first, case-sensitive
    capitals_re: re.Pattern[str]
    titles_re: re.Pattern[str]  # leading titles ("President", "Chairman") at the start of a name
    title_before_re: re.Pattern[str]  # a title just before a name ("Mr " in "Mr Kinnock"), with endpos


def normalize(text: str) -> str:
    """Typographic apostrophes and dashes to ASCII, same length, so offsets still hold."""
    return text.translate(_NORMALIZE)


_NORMALIZE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})


def _rows(filename: str) -> list[list[str]]:
    text = resources.files(_DATA).joinpath(filename).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(normalize(x.strip()) for x in cell.split("|") if x.strip())


def _alternation(forms) -> re.Pattern[str]:
    # Longest first so "Democratic Republic of the Congo" wins over "Congo"; the lookarounds stand in
    # for \b, which fails next to the dots of "U.S.".
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    body = "|".join(re.escape(f) for f in ordered)
    return re.compile(rf"(?<![\w.])(?:{body})(?![\w]|\.\w)")


@functools.lru_cache(maxsize=1)
def load() -> Gazetteer:
    entries: dict[str, Entry] = {}
    names: dict[str, str] = {}
    capitals: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    ambiguous: set[str] = set()
    for row in _rows("states.tsv"):
        row += [""] * (5 - len(row))
        sid, name, aliases, caps, dems = row[:5]
        entry = Entry(
            id=sid,
            name=name,
            kind="state",
            aliases=_split(aliases),
            capitals=_split(caps),
            demonyms=_split(dems),
        )
        entries[sid] = entry
        for cap in entry.capitals:
            capitals[cap] = sid
        for dem in entry.demonyms:
            if dem in demonyms and demonyms[dem] != sid:
                ambiguous.add(dem)
            demonyms[dem] = sid
    for row in _rows("organizations.tsv"):
        row += [""] * (4 - len(row))
        oid, name, kind, aliases = row[:4]
        entries[oid] = Entry(id=oid, name=name, kind=kind, aliases=_split(aliases))
    for entry in entries.values():
        for form in (normalize(entry.name), *entry.aliases):
            names.setdefault(_strip_the(form), entry.id)
    for dem in ambiguous:
        del demonyms[dem]
    # A capital that is also a state or organisation name ("Kuwait", "Djibouti") is the state.
    capitals = {c: s for c, s in capitals.items() if c not in names}
    titles = tuple(
        sorted(
            {
                normalize(t.strip())
                for t in resources.files(_DATA)
                .joinpath("titles.txt")
                .read_text(encoding="utf-8")
                .splitlines()
                if t.strip() and not t.startswith("#")
            },
            key=lambda t: (-len(t), t),
        )
    )
    alternation = "|".join(re.escape(t) for t in titles)
    titles_re = re.compile(rf"^(?:(?:{alternation})\s+)+")
    title_before_re = re.compile(rf"(?<![\w.])(?:(?:{alternation})\s+)+$")
    return Gazetteer(
        entries=entries,
        names=names,
        capitals=capitals,
        demonyms=demonyms,
        titles=titles,
        names_re=_alternation(names),
        capitals_re=_alternation(capitals),
        titles_re=titles_re,
        title_before_re=title_before_re,
    )


def _strip_the(form: str) -> str:
    """ "The Gambia" and "the Taliban" are matched without the article; the article is not the name."""
    return form[4:] if form[:4] in ("the ", "The ") else form
