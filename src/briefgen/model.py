"""The frozen dataclasses that stages hand to each other, and their JSON form.

Every finding carries a `Cite` naming the sentence it came from, so a memo can
point back to the source and nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SCHEMA = "briefgen.brief/1"


@dataclass(frozen=True, kw_only=True)
class Author:
    name: str
    affiliation: str | None = None


@dataclass(frozen=True, kw_only=True)
class Meta:
    title: str
    authors: tuple[Author, ...] = ()
    date: str | None = None  # YYYY-MM-DD
    publisher: str | None = None
    language: str = "en"


@dataclass(frozen=True, kw_only=True)
class Source:
    path: str
    format: str  # txt | md | html | docx | pdf
    sha256: str


@dataclass(frozen=True, kw_only=True)
class Paragraph:
    id: str  # "p1", "p2", ...
    text: str
    heading: str | None = None
    page: int | None = None  # the source page it starts on (PDF sources), for citations a reader can find


@dataclass(frozen=True, kw_only=True)
class Document:
    """What a reader returns: metadata plus body paragraphs, boilerplate removed."""

    source: Source
    meta: Meta
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, kw_only=True)
class Sentence:
    id: str  # "p3.s2"
    paragraph: str  # "p3"
    text: str
    start: int  # character offsets into the paragraph text
    end: int
    # The sentence as a memo may print it, computed by the analysis: an opening pronoun given its
    # bracketed referent ("[The route] requires ..."), relative times resolved ("This year [2019]").
    # None when `text` stands as it is.
    memo_text: str | None = None
    # Faithful shorter forms of the memo text, longest first, computed by the analysis: each keeps every
    # contrast, negation, colon list and closing quotation mark. Composition picks one that fits.
    shorter: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Cite:
    paragraph: str
    sentence: str


@dataclass(frozen=True, kw_only=True)
class Statement:
    """A sentence of the source that states something on its own (the bottom line)."""

    text: str
    cite: Cite


@dataclass(frozen=True, kw_only=True)
class KeyPoint:
    text: str
    score: float
    cite: Cite


@dataclass(frozen=True, kw_only=True)
class Position:
    text: str
    cite: Cite


@dataclass(frozen=True, kw_only=True)
class Actor:
    id: str
    name: str
    kind: str  # person | state | organization | group
    aliases: tuple[str, ...] = ()
    mentions: int = 0
    positions: tuple[Position, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Framework:
    term: str
    mentions: int
    cite: Cite
    attributed_to: str | None = None  # an Actor.id
    definition: str | None = None


@dataclass(frozen=True, kw_only=True)
class Question:
    text: str
    kind: str  # explicit | uncertainty | contested
    cite: Cite
    answer: str | None = None


@dataclass(frozen=True, kw_only=True)
class Event:
    date: str  # YYYY-MM-DD | YYYY-MM | YYYY
    text: str
    cite: Cite


@dataclass(frozen=True, kw_only=True)
class Brief:
    """The analysis of one source: everything a memo template can use."""

    source: Source
    meta: Meta
    paragraphs: tuple[Paragraph, ...]
    sentences: tuple[Sentence, ...] = ()
    bottom_line: tuple[Statement, ...] = ()  # the piece's main judgment, one or two sentences
    key_points: tuple[KeyPoint, ...] = ()
    actors: tuple[Actor, ...] = ()
    frameworks: tuple[Framework, ...] = ()
    open_questions: tuple[Question, ...] = ()
    events: tuple[Event, ...] = ()
    schema: str = field(default=SCHEMA)

    def sentence(self, sentence_id: str) -> Sentence | None:
        for s in self.sentences:
            if s.id == sentence_id:
                return s
        return None

    def to_json(self) -> dict[str, Any]:
        """The `briefgen.brief/1` JSON shape (fields may be added, never renamed)."""
        return {
            "schema": self.schema,
            "source": _plain(self.source),
            "meta": _plain(self.meta),
            "paragraphs": [_plain(p) for p in self.paragraphs],
            "bottom_line": [_plain(b) for b in self.bottom_line],
            "key_points": [_plain(k) for k in self.key_points],
            "actors": [_plain(a) for a in self.actors],
            "frameworks": [_plain(f) for f in self.frameworks],
            "open_questions": [_plain(q) for q in self.open_questions],
            "events": [_plain(e) for e in self.events],
            "sentences": [_plain(s) for s in self.sentences],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Brief:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"unsupported schema {data.get('schema')!r}; expected {SCHEMA}")
        meta = dict(data["meta"])
        meta["authors"] = tuple(Author(**a) for a in meta.get("authors", ()))
        return cls(
            source=Source(**data["source"]),
            meta=Meta(**meta),
            paragraphs=tuple(Paragraph(**p) for p in data["paragraphs"]),
            sentences=tuple(
                Sentence(**{**s, "shorter": tuple(s.get("shorter", ()))}) for s in data.get("sentences", ())
            ),
            bottom_line=tuple(
                Statement(text=b["text"], cite=Cite(**b["cite"])) for b in data.get("bottom_line", ())
            ),
            key_points=tuple(
                KeyPoint(text=k["text"], score=k["score"], cite=Cite(**k["cite"]))
                for k in data.get("key_points", ())
            ),
            actors=tuple(_actor(a) for a in data.get("actors", ())),
            frameworks=tuple(
                Framework(**{**f, "cite": Cite(**f["cite"])}) for f in data.get("frameworks", ())
            ),
            open_questions=tuple(
                Question(**{**q, "cite": Cite(**q["cite"])}) for q in data.get("open_questions", ())
            ),
            events=tuple(Event(**{**e, "cite": Cite(**e["cite"])}) for e in data.get("events", ())),
        )


def _actor(a: dict[str, Any]) -> Actor:
    return Actor(
        id=a["id"],
        name=a["name"],
        kind=a["kind"],
        aliases=tuple(a.get("aliases", ())),
        mentions=a.get("mentions", 0),
        positions=tuple(Position(text=p["text"], cite=Cite(**p["cite"])) for p in a.get("positions", ())),
    )


def _plain(obj: Any) -> Any:
    """Dataclass -> JSON-ready value, in field order (tuples become lists)."""
    if hasattr(obj, "__dataclass_fields__"):
        return {f.name: _plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [_plain(x) for x in obj]
    return obj
