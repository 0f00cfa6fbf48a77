"""The memo view: everything a template lays out, selected and trimmed in Python.

`memo_view(brief, audience, options, fit)` picks the bottom line, the key points, the stakes, the
questions, the terms to use and to attribute, the events and the notes, and fits each text to the
room it has. Templates receive this frozen view (as `memo`) and only lay it out; every rule about
what goes in is here, where a test can reach it.

Text is never cut here: an item prints the analysis's memo text (`Sentence.memo_text`: an opening
pronoun given its referent, relative time resolved) or, to fit a budget, the longest faithful
shortening the analysis made (`Sentence.shorter`); when none fits, the whole sentence, or another
item. A sentence that opens on a pronoun with nothing to resolve it is never printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from ..model import Actor, Brief, Cite, Framework, KeyPoint, Meta, Question, Sentence
from ..options import BuildOptions
from .audiences import Audience
from .citations import Citations, Note
from .datefmt import format_date, memo_date, source_age
from .escaping import Md, escape, escape_optional, squash

# A sentence opening on one of these leans on an earlier one ("They played a key role ...").
_POINTS_BACK = re.compile(
    # after an optional opener of up to three words and a comma ("More importantly, they ...")
    r"^(?:[A-Z][\w-]*(?: [\w-]+){0,2}, )?(it|its|they|their|them|he|his|him|she|her|these|those|this|that)\b",
    re.I,
)
# A sentence opening on a connective ("Therefore, ...") says less alone than it means; the
# analysis joins it to the sentence before when it can, so this only catches those it could not.
_CONNECTIVE = re.compile(
    r"^(?:however|therefore|thus|hence|specifically|further|furthermore|moreover|additionally"
    r"|consequently|accordingly|nevertheless|nonetheless|similarly|likewise|instead|conversely"
    r"|in addition|as a result|for example|for instance|in contrast|by contrast|on the other hand"
    r"|in turn|that said|even so|in particular),",
    re.I,
)
_OPENING_MARKS = "“‘\"'([ "
_NOT_WORD = re.compile(r"[\W_]+")
NOTHING = Md("")  # an empty marker (no citation, no kind)


@dataclass(frozen=True, kw_only=True)
class Fit:
    """One named step of trimming, for audiences with a page limit (the first step trims nothing)."""

    name: str
    key_points: int | None = None  # at most this many points (None: the audience's number)
    bluf_chars: int | None = None  # the bottom line in at most this many characters (None: whole)
    item_chars: int | None = None  # each point, position and answer (None: the audience's setting)
    statements: int = 2  # sentences of the bottom line
    stakes: int = 2  # "why it matters" items
    answer: bool = True  # the open question's answer


# Gentlest first: fewer points before shorter ones, then the extras go. A BLUF is three lines at
# most from the start (about 80 characters a line of 11pt serif on a letter page, less "BLUF:").
FIT_STEPS = (
    Fit(name="everything", bluf_chars=230),
    Fit(name="four points", key_points=4, bluf_chars=230),
    Fit(name="one-sentence bottom line", key_points=4, bluf_chars=230, statements=1),
    Fit(name="shorter sentences", key_points=4, bluf_chars=220, item_chars=220, statements=1),
    Fit(name="one stake", key_points=4, bluf_chars=220, item_chars=180, statements=1, stakes=1),
    Fit(name="no answer", key_points=3, bluf_chars=200, item_chars=160, statements=1, stakes=1, answer=False),
    Fit(
        name="short sentences",
        key_points=3,
        bluf_chars=160,
        item_chars=120,
        statements=1,
        stakes=0,
        answer=False,
    ),
    Fit(
        name="two points", key_points=2, bluf_chars=140, item_chars=100, statements=1, stakes=0, answer=False
    ),
)
FULL = Fit(name="whole")  # no page limit: nothing trimmed


@dataclass(frozen=True, kw_only=True)
class Line:
    """One printed statement: its text, its citation marker, and who says it when that is not in it."""

    text: Md
    ref: Md = NOTHING
    said_by: Md | None = None  # "Beijing" for a talking point whose sentence does not name its speaker
    quote: Md | None = None  # the exact source sentence when `text` differs from it (background)


@dataclass(frozen=True, kw_only=True)
class Term:
    names: tuple[Md, ...]  # one or more terms sharing a definition
    owner: Md | None  # the party that uses it as its own; None: the author's
    definition: Md | None
    ref: Md
    mentions: int = 0


@dataclass(frozen=True, kw_only=True)
class Asked:
    question: Md
    ref: Md
    answer: Line | None = None
    kind: Md = NOTHING


@dataclass(frozen=True, kw_only=True)
class ActorRow:
    name: Md
    kind: Md
    mentions: int
    aliases: tuple[Md, ...]
    positions: tuple[Line, ...]


@dataclass(frozen=True, kw_only=True)
class Dated:
    date: Md  # "28 June 2019"
    text: Md
    ref: Md


@dataclass(frozen=True, kw_only=True)
class Header:
    to: Md | None
    from_: Md | None
    date: Md
    subject: Md
    classification: Md | None


@dataclass(frozen=True, kw_only=True)
class SourceInfo:
    title: Md
    authors: tuple[Md, ...]  # "An Gang (Tsinghua University)"
    author_names: Md  # "An Gang and Li Wei"
    publisher: Md | None
    date: Md  # formatted, "" when unknown
    file: Md  # the file name, never a local path
    format: Md
    paragraphs: int
    line: Md  # "An Gang · *Foreign Policy* · 28 June 2019" parts, plain: "An Gang · Foreign Policy · ..."
    reference: Md  # the full reference: authors, “title”, publisher, date


@dataclass(frozen=True, kw_only=True)
class MemoView:
    audience: Md  # the audience's label
    header: Header
    source: SourceInfo
    source_age: Md | None  # "The source is dated ..., over 7 years before this memo."
    bottom_line: tuple[Line, ...]
    points: tuple[Line, ...]
    background: tuple[Line, ...]
    stakes: tuple[Line, ...]  # label: the actor
    talking_points: tuple[Line, ...]
    actors: tuple[ActorRow, ...]  # every actor with what it says (background notes)
    positions: tuple[ActorRow, ...]  # the table of the main actors' positions (memo)
    terms: tuple[Term, ...]  # every framework, defined first
    terms_to_use: tuple[Term, ...]
    terms_to_attribute: tuple[Term, ...]
    answered: tuple[Asked, ...]
    unanswered: tuple[Asked, ...]
    question: Asked | None  # the one question that matters most
    events: tuple[Dated, ...]
    citations: str  # footnotes | inline | annex | none
    citation_note: Md  # "¶ counts the paragraphs of the article, from its first body paragraph."
    notes: tuple[Note, ...]  # every note the view's items refer to (compose keeps those printed)
    defined_terms: tuple[Term, ...]  # `terms` with a definition
    bare_terms: tuple[Term, ...]  # `terms` used without one


# ---------------------------------------------------------------- text choice


def stands_alone(text: str) -> bool:
    """False when the text opens on a pronoun or demonstrative pointing back ("They ...", "This ...")
    or on a connective ("Therefore, ...")."""
    opened = text.lstrip(_OPENING_MARKS)
    return not _POINTS_BACK.match(opened) and not _CONNECTIVE.match(opened)


def _words(text: str) -> str:
    return _NOT_WORD.sub(" ", text.lower()).strip()


class _Texts:
    """The printable forms of a cited text, from the analysis's memo text and shortenings."""

    def __init__(self, brief: Brief) -> None:
        self._by_id = {s.id: s for s in brief.sentences}
        self._by_text = {squash(s.text): s for s in brief.sentences}
        self._order = {s.id: i for i, s in enumerate(brief.sentences)}

    def position(self, cite: Cite) -> int:
        """Where a cited sentence stands in the source (for listing points in the source's order)."""
        return self._order.get(cite.sentence, len(self._order))

    def sentence(self, cite: Cite | None, text: str) -> Sentence | None:
        """The source sentence a text stands for: the one it quotes, else the cited one.

        A finding's own wording (a clause the analysis cut out, a paraphrase) is not source text a
        memo may print as it stands: the cited sentence's faithful forms are printed instead.
        """
        found = self._by_text.get(squash(text))
        if found is not None:
            return found
        return self._by_id.get(cite.sentence) if cite else None

    def versions(self, text: str, cite: Cite | None = None) -> list[str]:
        """Longest first: the memo text, then the faithful shortenings (for the sentence it is)."""
        found = self.sentence(cite, text)
        if found is None:
            return [squash(text)]
        return [found.memo_text or found.text, *found.shorter]

    def choose(self, text: str, cite: Cite | None, width: int | None) -> tuple[str, bool] | None:
        """The longest version within `width` (whole when none fits) and whether it fits; None when
        no version stands on its own."""
        usable = [v for v in self.versions(text, cite) if stands_alone(v)]
        if not usable:
            return None
        if width is None:
            return usable[0], True
        for version in usable:
            if len(version) <= width:
                return version, True
        return usable[0], False


# ---------------------------------------------------------------- the view


@dataclass(frozen=True, kw_only=True)
class Addressing:
    """Who the memo is to and from, and whose it is: the command line or manifest, else the audience."""

    to: str | None
    from_: str | None
    author: str  # the DOCX/PDF author: the FROM line or the audience's author, never the source's
    classification: str | None
    perspective: str | None


def addressing(audience: Audience, options: BuildOptions) -> Addressing:
    settings = audience.settings
    from_ = options.from_ or settings.from_
    return Addressing(
        to=options.to or settings.to,
        from_=from_,
        author=from_ or settings.author or "",
        classification=options.classification or audience.classification,
        perspective=options.perspective or settings.perspective,
    )


def memo_view(brief: Brief, audience: Audience, options: BuildOptions, fit: Fit = FULL) -> MemoView:
    return _Builder(brief, audience, options, fit).view()


class _Builder:
    def __init__(self, brief: Brief, audience: Audience, options: BuildOptions, fit: Fit) -> None:
        self.brief = brief
        self.audience = audience
        self.options = options
        self.fit = fit
        self.address = addressing(audience, options)
        self.texts = _Texts(brief)
        self.citations = Citations(brief, audience.settings.citations)
        self.item_chars = fit.item_chars or audience.settings.item_chars
        self.used: set[str] = set()  # sentence ids already printed as a statement
        # the same words printed twice (a summary repeated as a recommendation) are one statement
        self.said: set[str] = set()
        self.actor_names = {a.id: a.name for a in brief.actors}

    # -- pieces

    def line(self, text: str, cite: Cite, width: int | None, said_by: str | None = None) -> Line | None:
        chosen = self.texts.choose(text, cite, width)
        if chosen is None:
            return None
        printed, _ = chosen
        quote = self.citations.quote(cite)
        return Line(
            text=escape(printed),
            ref=self.citations.ref(cite),
            said_by=escape_optional(said_by),
            quote=escape(quote) if quote and squash(quote) != squash(printed) else None,
        )

    def fits(self, text: str, cite: Cite, width: int | None) -> bool:
        chosen = self.texts.choose(text, cite, width)
        return chosen is not None and chosen[1]

    def bottom_line(self) -> tuple[Line, ...]:
        lines = []
        for statement in self.brief.bottom_line[: self.fit.statements]:
            if _words(statement.text) in self.said:
                continue
            line = self.line(statement.text, statement.cite, self.fit.bluf_chars)
            if line is not None:
                lines.append(line)
                self.used.add(statement.cite.sentence)
                self.said.add(_words(statement.text))
        if lines:
            return tuple(lines)
        # No bottom line from the analysis: the best key point that stands on its own.
        for point in _ranked(self.brief.key_points):
            line = self.line(point.text, point.cite, self.fit.bluf_chars)
            if line is not None:
                self.used.add(point.cite.sentence)
                return (line,)
        return ()

    def points(self) -> tuple[Line, ...]:
        wanted = self.options.key_points or self.audience.key_points
        if self.audience.page_limit:  # a page-limited brief holds at most its own number
            wanted = min(wanted, self.audience.key_points)
        if self.fit.key_points:
            wanted = min(wanted, self.fit.key_points)
        chosen: list[KeyPoint] = []
        for point in _ranked(self.brief.key_points):
            if len(chosen) >= wanted:
                break
            if (
                point.cite.sentence in self.used
                or _words(point.text) in self.said
                or self.texts.choose(point.text, point.cite, None) is None
            ):
                continue
            chosen.append(point)
            self.used.add(point.cite.sentence)
            self.said.add(_words(point.text))
        chosen.sort(key=lambda p: self.texts.position(p.cite))  # in the source's order
        return tuple(line for p in chosen if (line := self.line(p.text, p.cite, self.item_chars)) is not None)

    def background(self) -> tuple[Line, ...]:
        """The opening of the source: up to two fresh sentences from each of its first three paragraphs."""
        lines = []
        for paragraph in self.brief.paragraphs[:3]:
            fresh = [
                s
                for s in self.brief.sentences
                if s.paragraph == paragraph.id
                and s.id not in self.used
                and stands_alone(s.memo_text or s.text)
            ][:2]
            for sentence in fresh:
                line = self.line(sentence.text, Cite(paragraph=paragraph.id, sentence=sentence.id), None)
                if line is not None:
                    lines.append(line)
        return tuple(lines)

    def _standalone_positions(self, actor: Actor, seen: set[str], width: int | None) -> list[Line]:
        lines = []
        for position in actor.positions:
            if position.cite.sentence in seen:
                continue
            line = self.line(position.text, position.cite, width, said_by=actor.name)
            if line is not None:
                seen.add(position.cite.sentence)
                lines.append(line)
        return lines

    def stakes(self) -> tuple[Line, ...]:
        """What the main actors want, one each, unless it is already a point."""
        lines: list[Line] = []
        for actor in self.brief.actors:
            if len(lines) >= self.fit.stakes:
                break
            found = self._standalone_positions(actor, set(self.used), self.item_chars)
            if found:
                lines.append(found[0])
        return tuple(lines)

    def actors(self) -> tuple[ActorRow, ...]:
        seen: set[str] = set()
        return tuple(
            self._row(actor, self._standalone_positions(actor, seen, None)) for actor in self.brief.actors
        )

    def positions(self) -> tuple[ActorRow, ...]:
        seen: set[str] = set()
        rows: list[ActorRow] = []
        for actor in (a for a in self.brief.actors if a.positions):
            if len(rows) >= 8:
                break
            found = self._standalone_positions(actor, seen, 240)[:2]
            if found:
                rows.append(self._row(actor, found))
        return tuple(rows)

    def _row(self, actor: Actor, lines: list[Line]) -> ActorRow:
        return ActorRow(
            name=escape(actor.name),
            kind=escape(actor.kind),
            mentions=actor.mentions,
            aliases=tuple(escape(a) for a in actor.aliases),
            positions=tuple(lines),
        )

    def talking_points(self, source_label: str) -> tuple[Line, ...]:
        """Facts and positions our side can cite, each attributed: who says it, or the source."""
        pool: list[tuple[str, Cite, str]] = [(s.text, s.cite, source_label) for s in self.brief.bottom_line]
        for actor in self.brief.actors:
            pool += [(p.text, p.cite, actor.name) for p in actor.positions[:1]]
        pool += [(k.text, k.cite, source_label) for k in _ranked(self.brief.key_points)]
        wanted = self.options.key_points or self.audience.key_points
        seen: set[str] = set()
        fitting: list[tuple[str, Cite, str]] = []
        rest: list[tuple[str, Cite, str]] = []
        for text, cite, speaker in pool:
            if cite.sentence in seen or self.texts.choose(text, cite, None) is None:
                continue
            seen.add(cite.sentence)
            (fitting if self.fits(text, cite, self.item_chars) else rest).append((text, cite, speaker))
        # Too few fit one line: the shortest of the rest fill in, whole.
        rest.sort(key=lambda item: len(self.texts.versions(item[0], item[1])[-1]))
        chosen = fitting[:wanted] if len(fitting) >= 4 else (fitting + rest)[: max(4, len(fitting))]
        lines = []
        for text, cite, speaker in chosen[:wanted]:
            line = self.line(text, cite, self.item_chars, said_by=speaker)
            if line is None:
                continue
            if _names_speaker(line.text, speaker, self.brief.actors):
                line = Line(text=line.text, ref=line.ref, quote=line.quote)
            lines.append(line)
        return tuple(lines)

    def terms(self) -> tuple[tuple[Term, ...], tuple[Term, ...], tuple[Term, ...]]:
        """Every term (defined first); those to use; those to attribute or avoid."""
        perspective = self.address.perspective
        ours = {a.id for a in self.brief.actors if perspective and _is_party(a, perspective)}
        groups: dict[str, list[Framework]] = {}
        for framework in _without_tails(self.brief.frameworks):
            key = f"def:{squash(framework.definition)}" if framework.definition else f"term:{framework.term}"
            groups.setdefault(key, []).append(framework)
        every: list[Term] = []
        use: list[Term] = []
        attribute: list[Term] = []
        for group in sorted(groups.values(), key=lambda g: (not g[0].definition, -g[0].mentions)):
            head = group[0]
            owner_id = head.attributed_to
            term = Term(
                names=tuple(escape(f.term) for f in group),
                owner=escape_optional(self.actor_names.get(owner_id, owner_id) if owner_id else None),
                definition=escape_optional(head.definition),
                ref=self.citations.ref(head.cite),
                mentions=head.mentions,
            )
            every.append(term)
            short = term
            if head.definition and self.item_chars and len(head.definition) > self.item_chars:
                short = Term(names=term.names, owner=term.owner, definition=None, ref=term.ref)
            # A term another party uses as its own is theirs to own: attribute it, never adopt it.
            (use if owner_id is None or owner_id in ours else attribute).append(short)
        return tuple(every), tuple(use[:6]), tuple(attribute[:6])

    def questions(self) -> tuple[tuple[Asked, ...], tuple[Asked, ...]]:
        asked = without_headline(self.brief.open_questions, self.brief.meta.title)
        answered: list[Asked] = []
        unanswered: list[Asked] = []
        for question in asked:
            if not stands_alone(question.text):
                continue
            entry = Asked(
                question=escape(squash(question.text)),
                ref=self.citations.ref(question.cite),
                kind=escape(question.kind),
                answer=self._answer(question),
            )
            (answered if entry.answer else unanswered).append(entry)
        return tuple(answered[:5]), tuple(unanswered[:5])

    def _answer(self, question: Question) -> Line | None:
        if not question.answer:
            return None
        found = self.texts.sentence(None, question.answer)
        cite = Cite(paragraph=found.paragraph, sentence=found.id) if found else question.cite
        # An answer follows its question, which gives its pronouns their referent ("They have ...").
        versions = self.texts.versions(question.answer, cite)
        width = self.item_chars
        text = next((v for v in versions if width is None or len(v) <= width), versions[0])
        return Line(text=escape(text), ref=self.citations.ref(cite) if found else Md(""))

    def events(self) -> tuple[Dated, ...]:
        told: set[str] = set()
        out: list[Dated] = []
        for event in sorted(self.brief.events, key=lambda e: e.date):
            if event.cite.sentence in told or len(out) >= 12:
                continue
            chosen = self.texts.choose(event.text, event.cite, self.item_chars)
            if chosen is None:
                continue
            told.add(event.cite.sentence)
            text = chosen[0] if chosen[0].rstrip()[-1:] in ".?!…”’)" else chosen[0].rstrip() + "."
            out.append(
                Dated(date=format_date(event.date), text=escape(text), ref=self.citations.ref(event.cite))
            )
        return tuple(out)

    def source(self) -> SourceInfo:
        meta = self.brief.meta
        names = [a.name for a in meta.authors]
        author_names = (
            names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
        )
        date = format_date(meta.date) if meta.date else Md("")
        parts = [author_names] if author_names else []
        parts += [meta.publisher] if meta.publisher else []
        line = " · ".join([*(escape(p) for p in parts), *([date] if date else [])])
        authors = tuple(
            escape(f"{a.name} ({a.affiliation})" if a.affiliation else a.name) for a in meta.authors
        )
        reference = ", ".join(
            [
                *authors,
                f"“{escape(meta.title)}”",
                # The publisher, unless it is already there as an author's affiliation.
                *([escape(meta.publisher)] if meta.publisher and not _affiliated(meta) else []),
                *([date] if date else []),
            ]
        )
        return SourceInfo(
            title=escape(meta.title),
            authors=authors,
            author_names=escape(author_names),
            publisher=escape_optional(meta.publisher),
            date=date,
            file=escape(PurePath(self.brief.source.path.replace("\\", "/")).name),
            format=escape(self.brief.source.format.upper()),
            paragraphs=len(self.brief.paragraphs),
            line=Md(line),
            reference=Md(reference + "."),
        )

    def view(self) -> MemoView:
        day = memo_date(self.options)
        source = self.source()
        meta = self.brief.meta
        label = meta.publisher or (meta.authors[0].name if meta.authors else "The source")
        # Order matters twice: statements used earlier are not repeated later, and notes are
        # recorded in the order of the page (bottom line, points, stakes, question first).
        bottom_line = self.bottom_line()
        points = self.points()
        stakes = self.stakes()
        answered, unanswered = self.questions()
        question = (answered + unanswered)[0] if answered or unanswered else None
        if question is not None and not self.fit.answer:
            question = Asked(question=question.question, ref=question.ref, kind=question.kind)
        talking = self.talking_points(label)
        every, use, attribute = self.terms()
        background = self.background()
        address = self.address
        age = source_age(meta.date, day)
        return MemoView(
            audience=escape(self.audience.label),
            header=Header(
                to=escape_optional(address.to),
                from_=escape_optional(address.from_),
                date=format_date(day),
                subject=escape(meta.title),
                classification=escape_optional(address.classification),
            ),
            source=source,
            source_age=escape_optional(age),
            bottom_line=bottom_line,
            points=points,
            background=background,
            stakes=stakes,
            talking_points=talking,
            actors=self.actors(),
            positions=self.positions(),
            terms=every,
            terms_to_use=use,
            terms_to_attribute=attribute,
            answered=answered[: self.audience.settings.answered_questions],
            unanswered=unanswered[: self.audience.settings.open_questions],
            question=question,
            events=self.events(),
            citations=self.citations.mode,
            citation_note=self.citations.explanation(),
            notes=self.citations.notes,
            defined_terms=tuple(t for t in every if t.definition),
            bare_terms=tuple(t for t in every if not t.definition),
        )


def _without_tails(frameworks: tuple[Framework, ...]) -> list[Framework]:
    """The terms minus any that is the tail of a longer one ("Declaration of Commitment" beside
    "Jeddah Declaration of Commitment"): the same term, once named in full and once without its
    first words. A tail of one word ("Commitment") is too common a word to judge."""
    names = [_words(f.term).split() for f in frameworks]
    kept = []
    for framework, words in zip(frameworks, names, strict=True):
        longer = any(len(other) > len(words) >= 2 and other[-len(words) :] == words for other in names)
        if not longer:
            kept.append(framework)
    return kept


def _affiliated(meta: Meta) -> bool:
    return any(a.affiliation and _words(a.affiliation) == _words(meta.publisher or "") for a in meta.authors)


def _ranked(points: Iterable[KeyPoint]) -> list[KeyPoint]:
    """Best first; ties keep the source's order."""
    indexed = list(enumerate(points))
    return [p for _, p in sorted(indexed, key=lambda ip: (-ip[1].score, ip[0]))]


def _is_party(actor: Actor, perspective: str) -> bool:
    wanted = _words(perspective)
    return any(_words(name) == wanted for name in (actor.name, actor.id, *actor.aliases))


def _names_speaker(text: str, speaker: str, actors: tuple[Actor, ...]) -> bool:
    """Does the sentence name who says it (the actor or one of its aliases)?"""
    names = {speaker}
    for actor in actors:
        if actor.name == speaker:
            names.update(actor.aliases)
    words = f" {_words(text)} "
    return any(f" {_words(name)} " in words for name in names if _words(name))


def without_headline(questions: tuple[Question, ...], title: str) -> tuple[Question, ...]:
    """The open questions minus the source's own title ("North Korea: What Role for China?").

    A headline phrased as a question is the subject of the whole memo, not one of its open
    questions; listing it as unanswered reads as if the source had not been read.
    """
    whole = _words(title)
    parts = {whole} | {_words(part) for part in re.split(r"[:—–]", title) if len(_words(part)) > 8}
    return tuple(q for q in questions if _words(q.text) not in parts)
