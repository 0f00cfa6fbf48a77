"""Actors: the people, states, organisations and groups that act in the text, one entry each.

spaCy's statistical NER proposes names; the curated gazetteer (`gazetteer.py`) fixes their kinds and
joins aliases. On top of both, rules no library ships for this domain merge what refers to the same
actor: an acronym defined in parentheses, a bare surname with the full name it stands for, a capital
standing for its state, a demonym on a state organ ("the Chinese President"), titles and possessives,
nicknames ("known as"), short forms of one longer name. The author of the piece is metadata, never an
actor; places, vessels, events, works, instruments and the operations or bodies the text coins are
not actors. The stage hands on its mentions with the actors (`Analysis`), so the later analysers do
not find them again. Every word list is data (`lexicon`, `analysis/data/`), and every pass is linear
in the text: patterns over runs of words are bounded, each sentence's text is read once.
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..model import Actor, Document, Sentence
from . import gazetteer, lexicon, names
from .acronyms import initials_match
from .gazetteer import Gazetteer, normalize
from .parse import Parsed

logger = logging.getLogger(__name__)

# Labels whose spans may be actors; EVENT / WORK_OF_ART / LAW spans only block gazetteer hits inside
# them ("G20 Osaka Summit" is an event, not the G20 acting).
_ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
_BLOCKING_LABELS = {"EVENT", "WORK_OF_ART", "LAW"}
# Every pattern over a run of words is bounded: at most MAX_NAME_WORDS words, each matched
# possessively (`*+`), and started only at a word boundary, so no input (a 60,000-character word, 10,000
# capitalised words without a full stop) makes a pattern backtrack over the run.
MAX_NAME_WORDS = 12
# A capitalised word, matched without backtracking into it.
_CAP = r"(?<![\w.'\-])[A-Z][\w.'\-]*+"
# Names of events, works, agreements and plans that the small model often tags ORG: the last word is
# an event or instrument word ("G20 Osaka Summit", "CRS Report"), or the name opens with an
# instrument word and "on / for / of" ("Convention for the Protection of Submarine Telegraph Cables").
_EVENT_NAME = re.compile(
    rf"\b(?:{lexicon.alternation('event_words')}|{lexicon.alternation('instrument_words')})\b$"
    rf"|^(?:The\s+)?(?:{lexicon.alternation('instrument_words')})\s+(?:on|for|of|against)\b"
)
# A gazetteer hit followed by one of these is a descriptive compound ("Libya-style"), not the state.
_COMPOUND_SUFFIX = re.compile(r"-(?:style|like|type|sized|born|based|made|era|class|esque)\b")
_INSTRUMENT_AFTER = re.compile(rf"\s+(?:{lexicon.alternation('instrument_words')})\b")
# "the 1994 United States Senate elections", "the 2005 United Kingdom general election": an event
# named after a state or a body, whose names inside are not acting.
_ELECTION_NAME = re.compile(
    rf"{_CAP}\s++(?:(?:[A-Z][\w.'\-]*+|of|the|and)\s++){{0,{MAX_NAME_WORDS}}}"
    r"(?:(?:general|federal|presidential|parliamentary|legislative|local|state|regional|municipal|"
    r"provincial|midterm|gubernatorial|national|leadership|special|snap)\s++){0,3}"
    r"(?:elections?|by-elections?|referendums?|referenda|primaries)\b"
)
_POSSESSIVE = re.compile(r"(?:'s|')$")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_ENDS_WITH_OF = re.compile(r"\bof(?:\s+the)?\s+$")  # "Bank of ", "Committee of the " before a name
_LEADING_PUNCT = re.compile(r"^[\W_]+")
_TRAILING_PUNCT = re.compile(r"[^\w.]+$")  # keeps the dot of "Jr." and "U.S."
_ACRONYM_IN_PARENS = re.compile(r"\(\s*([A-Z][A-Za-z&.\-]{1,11})\s*\)")
_ACRONYM_BEFORE_PARENS = re.compile(r"(?<![\w.])([A-Z]{2,8})\s*\(\s*([A-Z][^()]{3,100}?)\s*\)")
_DIGIT = re.compile(r"\d")
_FUNCTION_WORDS = lexicon.words("function_words")
# Head nouns through which a state acts: a demonym modifying one of these ("Chinese head of state",
# "North Korean leadership") denotes the state; "Chinese pride" or "North Korean media" does not.
_STATE_ORGANS = lexicon.words("state_organs")
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
# Last words that make a span an organisation even when it contains a state name ("Bank of China",
# "US Army"); without one, state names joined by a generic noun ("China-DPRK Friendship") stay states.
_ORG_HEADS = lexicon.words("organisation_words")
# Last words of places and buildings, which the small model sometimes tags PERSON ("Kumsusam Palace").
_PLACE_HEADS = lexicon.words("place_words")
# Common nouns of natural features: a name heading one of them ("the Yamal peninsula", "Mekong
# River") or given to one ("the upper river, which it calls the Lancang") names a place, not an actor.
_GEO_HEADS = lexicon.words("geographic_features")
_NAMING_LEMMAS = {"call", "name", "know", "dub", "term"}
# Last words of an expansion that make its acronym an instrument or a measure, not a body
# ("Bank Secrecy Act (BSA)", "National Quantum Initiative (NQI)", "Total value locked (TVL)").
_NON_ACTOR_HEADS = lexicon.lower("instrument_words") | lexicon.words("measure_words")
_WORD = re.compile(r"[A-Za-z][\w'\-]*")
_ROMAN = re.compile(r"^(?=[IVXLC]+$)M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$")
# "The Office of Personnel Management (OPM": the model's span may run into the bracketed acronym.
_OPEN_BRACKET_TAIL = re.compile(r"\s*\([^)]*$")
_PLACE_PREPOSITIONS = {
    "near",
    "in",
    "inside",
    "outside",
    "around",
    "across",
    "throughout",
    "within",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "north",
    "south",
    "east",
    "west",
}
# "Moon Jae-in": the model's span may stop before a hyphenated last syllable.
# "Finland's " before an organisation's name: a known possessor, not part of the name.
_KNOWN_POSSESSOR = re.compile(r"([A-Z][\w.\-]*+(?: [A-Z][\w.\-]*+){0,4})'s\s+")
_VESSEL_NOUNS = {w for w in lexicon.entries("vessel_words") if w.islower()}  # "tanker", "pipeline"
_SHIP_PREFIXES = {w for w in lexicon.entries("vessel_words") if w.isupper()}  # "USS", "HMS"
_HEADING_LOWER = {"with", "from", "into", "over", "under", "than", "that", "this", "upon", "about", "after"}
_COMPANY_SUFFIXES = lexicon.entries("company_suffixes")
_NAME_MODIFIERS = lexicon.words("name_modifiers")
# A name runs no further than a colon, an asterisk or a footnote mark ("Source:****NPS", "Bear.¹ In").
_NAME_BREAK = re.compile(r"[:*\u00b9\u00b2\u00b3\u2070-\u2079]|(?<=[a-z]{2})\.\s+[A-Z]")
_TITLE_WINDOW = 100  # characters before a name in which its titles stand ("Deputy Prime Minister Mr")
_NAME_TAIL = re.compile(r"(?:-[A-Za-z]++){1,3}")
# "Secretary of State for Health": an office; "State" in it is not a body acting.
_OFFICE_OF_STATE = re.compile(
    r"\b(?:Secretary|Minister|Ministers|Secretaries) of State\b"
    rf"(?: for(?: the)? [A-Z][\w\-]*+(?: (?:and|[A-Z][\w\-]*+)){{0,{MAX_NAME_WORDS}}})?"
    # "Secretary of the Interior", "Minister of Finance": a portfolio named in a title, not a body acting.
    r"|\b(?:Secretary|Minister)\s+of\s+(?:the\s+)?[A-Z][\w\-]*+"
)
_TITLE_AFTER = re.compile(
    r"\s+(?:Secretary|Minister|Spokesman|Spokeswoman|Spokesperson|spokesman|"
    r"spokeswoman|spokesperson|Director|Chief|Chair|Chairman|Commissioner)\b"
)
_OF_NAME = re.compile(rf"\s+of(?:\s+the)?\s+[A-Z][\w'.\-]*+(?:\s+[A-Z][\w'.\-]*+){{0,{MAX_NAME_WORDS}}}")
_POLITY_WORDS = rf"(?:{lexicon.alternation('polity_words')})"
_CAP_WORD = r"(?<![\w'\-])(?!(?:The|A|An|In|On|At|By|For|From|To|With)\b)[A-Z][\w'\-]*+"
_POLITY = re.compile(
    rf"(?:{_CAP_WORD}\s++){{0,{MAX_NAME_WORDS}}}{_POLITY_WORDS}\b"
    rf"(?:\s+of(?:\s+the)?\s+{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,{MAX_NAME_WORDS}}})?"
)
# A quoted stretch in title case of four or more words is the title of a work or theme, not a clause.
_QUOTED = re.compile(r"[\u201c\"]([^\u201c\u201d\"]{12,300})[\u201d\"]")


@dataclass(frozen=True, kw_only=True)
class Mention:
    """One mention of an actor: offsets into the sentence text, and how it was recognised."""

    sentence: str  # sentence id
    start: int
    end: int
    text: str
    actor: str  # Actor.id
    kind: str
    via: str  # name | gazetteer | capital | demonym | acronym


@dataclass(frozen=True, kw_only=True)
class Analysis:
    actors: tuple[Actor, ...]
    mentions: tuple[Mention, ...]


@dataclass(kw_only=True)
class _Cand:
    """A candidate mention before actors are formed (mutable while resolving, never leaves the module)."""

    index: int  # sentence index
    start: int
    end: int
    text: str  # cleaned surface form
    kind: str  # person | state | organization | group; place and pair-unknown are dropped at the end
    via: str
    key: str = ""  # grouping key: gazetteer id, or normalised name
    gaz: str | None = None
    surface: str = ""  # as written, with title ("President Trump")


# ---------------------------------------------------------------------------------------- public API


def find_actors(parsed: Parsed) -> tuple[Actor, ...]:
    """The actors of the text, most salient first (ids are stable slugs: "china", "kim-jong-un")."""
    return analyse(parsed).actors


def find_mentions(parsed: Parsed) -> tuple[Mention, ...]:
    """Every actor mention with its span, in text order (the NER benchmark scores these)."""
    return analyse(parsed).mentions


def actor_mentions(mentions: tuple[Mention, ...], actors: tuple[Actor, ...]) -> dict[str, tuple[str, ...]]:
    """Sentence id -> ids of the given actors mentioned there, in order of first mention."""
    wanted = {a.id for a in actors}
    found: dict[str, list[str]] = {}
    for m in mentions:
        if m.actor in wanted and m.actor not in found.setdefault(m.sentence, []):
            found[m.sentence].append(m.actor)
    return {sid: tuple(ids) for sid, ids in found.items()}


def analyse(parsed: Parsed) -> Analysis:
    """The actor stage: actors and their mentions, handed on together to positions and key points."""
    document, sentences, docs = parsed.document, parsed.sentences, parsed.docs
    gaz = gazetteer.load()
    # Each sentence's text once: spaCy's `Doc.text` joins every token anew on each access.
    texts = [doc.text for doc in docs]
    blocked = [_blocked_spans(doc, text) for doc, text in zip(docs, texts, strict=True)]
    cands: list[_Cand] = []
    for index, doc in enumerate(docs):
        cands.extend(_sentence_candidates(index, doc, texts[index], gaz, blocked[index]))
    cands = _drop_authors(cands, document)
    cands = _drop_publisher_offices(cands, document)
    cands = _tidy_names(cands, texts)
    _resolve_people(cands, sentences)
    _join_nicknames(cands, texts)
    cands.extend(_sweep(docs, texts, cands, blocked))
    _resolve_people(cands, sentences)
    _join_nicknames(cands, texts)
    cands = _apply_acronyms(texts, cands)
    cands = _keep_capitals(docs, cands)
    places = _geographic_names(docs) | _vessel_names(docs) | _coined_names(docs, texts)
    cands = [c for c in cands if c.gaz is not None or c.text not in places]
    _join_department_short_names(cands)
    cands = _drop_common_words(docs, texts, cands)
    return _build(cands, sentences, gaz)


# --------------------------------------------------------------------------------------- candidates


def _blocked_spans(doc, text: str) -> list[tuple[int, int]]:
    """Spans whose names do not act: events, works, laws and instruments, quoted titles, places
    and natural features, elections, offices ("Secretary of State for Health")."""
    blocked = [
        (e.start_char, e.end_char)
        for e in doc.ents
        if e.label_ in _BLOCKING_LABELS or (e.label_ in _ACTOR_LABELS and _is_event_name(e.text))
    ]
    blocked += _quoted_titles(text) + _place_continuations(doc, text) + _geographic_entities(doc)
    blocked += [m.span() for m in _ELECTION_NAME.finditer(text)]
    blocked += [m.span() for m in _OFFICE_OF_STATE.finditer(text)]
    blocked += [m.span(1) for m in names.INSTRUMENT_NAME.finditer(text)]  # "Lower Costs for ... Act"
    return blocked


def _sentence_candidates(index: int, doc, text: str, gaz: Gazetteer, blocked) -> list[_Cand]:
    shouting = _is_shouting(text)
    hits: list[_Cand] = []
    for m in gaz.names_re.finditer(text):
        if _COMPOUND_SUFFIX.match(text, m.end()) or _inside(m.start(), m.end(), blocked):
            continue
        if _INSTRUMENT_AFTER.match(text, m.end()):
            continue  # "the U.S. Constitution": the state's name used as an adjective, not the state acting
        if shouting and m.group().isupper():
            continue  # "WHO ARE THEY" is a heading in capitals, not the World Health Organization
        eid = gaz.names[m.group()]
        hits.append(
            _Cand(
                index=index,
                start=m.start(),
                end=m.end(),
                text=m.group(),
                kind=gaz.entries[eid].kind,
                via="gazetteer",
                key=eid,
                gaz=eid,
                surface=m.group(),
            )
        )

    out: list[_Cand] = []
    dropped_hits: set[int] = set()
    # In a heading in title case every word looks like a name to the model ("When Does an Election
    # for Speaker Occur?"): only the gazetteer and names known from the body count there.
    ents = () if _is_title_case(text) else doc.ents
    absorbed = _absorbed(doc, gaz) if ents else []
    for ent in ents:
        # "the Lower Costs ... Act": the article before a blocked name is no part of the name.
        article = _LEADING_THE.match(ent.text)
        start = ent.start_char + (len(article.group()) if article else 0)
        if ent.label_ not in _ACTOR_LABELS or _inside(start, ent.end_char, blocked + absorbed):
            continue
        inner = [i for i, h in enumerate(hits) if h.start < ent.end_char and h.end > ent.start_char]
        if inner:
            winner = _overlap_winner(ent, text, [hits[i] for i in inner])
            if winner == "gazetteer":
                continue  # the gazetteer hits stand for this span
            dropped_hits.update(inner)
            if winner == "organization":
                out.extend(_longer_org_name(index, ent, text, gaz))
                continue
        out.extend(_ent_candidates(index, ent, text, gaz))
    out.extend(h for i, h in enumerate(hits) if i not in dropped_hits)
    out = _organisation_names(index, doc, text, gaz, out)
    out = _polity_names(index, text, gaz, out, blocked)
    out.extend(_demonym_candidates(index, doc, gaz, out))
    taken = [(c.start, c.end) for c in out]
    for m in gaz.capitals_re.finditer(text):
        if not _overlaps(m.start(), m.end(), taken) and not _inside(m.start(), m.end(), blocked):
            sid = gaz.capitals[m.group()]
            out.append(
                _Cand(
                    index=index,
                    start=m.start(),
                    end=m.end(),
                    text=m.group(),
                    kind="state",
                    via="capital",
                    key=sid,
                    gaz=sid,
                    surface=m.group(),
                )
            )
    return out


def _organisation_names(index: int, doc, text: str, gaz: Gazetteer, cands: list[_Cand]) -> list[_Cand]:
    """Capitalised names headed by an organisation word ("Dayak People's Party", "Communist Party of
    Greece") are organisations even when the model misses or mislabels them; what they contain
    (a person the model saw in "Dayak People", a known "Democratic Party") gives way to them."""
    for head in doc:
        if not head.text[:1].isupper() or head.lower_ not in _ORG_HEADS or head.i == 0:
            continue
        left = head.i
        while left > max(0, head.i - MAX_NAME_WORDS) and _name_word(doc[left - 1]):
            left -= 1
        if left == head.i or (doc[left].is_sent_start and doc[left].pos_ == "DET"):
            continue
        right = head.i + 1
        joined = gaz.names.get(doc[left:right].text)
        m = _OF_NAME.match(text, doc[head.i].idx + len(head.text))
        if m and not joined:
            end_char = m.end()
        else:
            end_char = head.idx + len(head.text)
        start_char = doc[left].idx
        owner = _KNOWN_POSSESSOR.match(text, start_char, end_char)
        if owner and _owns(owner.group(1), text[owner.end() : end_char], gaz):
            start_char = owner.end()  # "Kosovo's Constitutional Court": the court, the state its possessor
        name = text[start_char:end_char]
        cut = max(name.rfind(":"), name.rfind("*"))
        if cut >= 0:
            start_char += cut + 1  # "Source:****Treasury Department": the label is not the name
            name = text[start_char:end_char]
            if not name[:1].isupper():
                continue
        if name.endswith(".") and "." not in name.split()[-1][:-1]:
            name, end_char = name[:-1], end_char - 1  # the full stop ends the sentence, not "U.S."
        if name in gaz.names or _POSSESSIVE.search(name):
            continue
        inside = [c for c in cands if c.start >= start_char and c.end <= end_char]
        crossing = [c for c in cands if c.start < end_char and c.end > start_char and c not in inside]
        if crossing or any(
            c.kind == "organization" and c.gaz is None and c.start == start_char and c.end == end_char
            for c in inside
        ):
            continue
        orgs = [c for c in inside if c.gaz and c.kind != "state"]
        if orgs and orgs[-1].end == end_char and _ENDS_WITH_OF.search(text[start_char : orgs[-1].start]):
            continue  # "Central Committee of the Communist Party of China" acts for the party
        cands = [c for c in cands if c not in inside]
        cands.append(
            _Cand(
                index=index,
                start=start_char,
                end=end_char,
                text=name,
                kind="organization",
                via="name",
                surface=name,
            )
        )
    return cands


def _polity_names(index: int, text: str, gaz: Gazetteer, cands: list[_Cand], blocked) -> list[_Cand]:
    """States the gazetteer cannot list, named by their form of polity: "Ottoman Empire", "Weimar
    Republic", "Principality of Guria". A known state inside ("Colony of Singapore") gives way."""
    for m in _POLITY.finditer(text):
        start, end = m.span()
        name = m.group()
        if len(name.split()) < 2 or name in gaz.names or _inside(start, end, blocked):
            continue
        inside = [c for c in cands if c.start >= start and c.end <= end]
        crossing = [c for c in cands if c.start < end and c.end > start and c not in inside]
        if crossing or any(c.gaz and c.kind == "state" and c.start == start and c.end == end for c in inside):
            continue
        cands = [c for c in cands if c not in inside]
        cands.append(
            _Cand(index=index, start=start, end=end, text=name, kind="state", via="name", surface=name)
        )
    return cands


def _name_word(token) -> bool:
    """A word that can stand inside a capitalised name: "People", "'s" after one, "New"."""
    if token.text in ("'s", "'"):
        return token.i > 0 and token.doc[token.i - 1].text[:1].isupper()
    return token.text[:1].isupper() and token.pos_ in ("PROPN", "ADJ", "NOUN") and not token.like_num


def _overlap_winner(ent, text: str, hits: list[_Cand]) -> str:
    """Who stands for a model entity that contains gazetteer hits: "gazetteer" (the hits), "entity"
    (the model's span as labelled) or "organization" (the span as one organisation)."""
    if any(h.start <= ent.start_char and h.end >= ent.end_char for h in hits) or _remainder_empty(
        ent, text, hits
    ):
        return "gazetteer"  # "DPRK" tagged ORG, "China-DPRK" as one span
    orgs = [h for h in hits if h.kind != "state"]
    if orgs:
        before = text[ent.start_char : orgs[-1].start]
        if orgs[-1].end >= ent.end_char and _ENDS_WITH_OF.search(before):
            return "gazetteer"  # "Central Committee of the Communist Party of China" acts for the party
        # A longer name around a known one is another organisation: "New Democratic Party",
        # "Conservative Party of Canada".
        return "organization" if ent.label_ in ("ORG", "NORP") else "gazetteer"
    if ent.label_ == "PERSON" or (ent.label_ == "ORG" and _names_an_organ(ent, text, hits)):
        return "entity"  # "Jordan Peterson", "Bank of China"
    return "gazetteer"


def _longer_org_name(index: int, ent, text: str, gaz: Gazetteer) -> list[_Cand]:
    cleaned = _clean(ent, text, gaz)
    if cleaned is None:
        return []
    start, raw, surface = cleaned
    return [
        _Cand(
            index=index,
            start=start,
            end=start + len(raw),
            text=raw,
            kind="organization",
            via="name",
            surface=surface,
        )
    ]


def _clean(ent, text: str, gaz: Gazetteer) -> tuple[int, str, str] | None:
    """(start, name, surface) of a model entity without article, title, possessive and edge
    punctuation; the surface keeps the title ("President Trump"). None when nothing name-like is left."""
    raw, start = ent.text, ent.start_char
    if ent.label_ == "PERSON":
        first = _given_names_before(ent, gaz)
        if first < ent.start:
            start = ent.doc[first].idx
            raw = text[start : ent.end_char]
    m = _LEADING_THE.match(raw)
    if m:
        raw, start = raw[m.end() :], start + m.end()
    owner = _KNOWN_POSSESSOR.match(raw)
    if owner and _owns(owner.group(1), raw[owner.end() :], gaz) and owner.end() < len(raw):
        raw, start = raw[owner.end() :], start + owner.end()  # "Finland's National Bureau of Investigation"
    surface_start = start
    # Titles stand just before the name: search a short window, not the sentence up to here.
    before = gaz.title_before_re.search(text, max(0, start - _TITLE_WINDOW), start)
    if before and ent.label_ == "PERSON":
        surface_start = before.start()  # "Mr Kinnock": the title tells the gender for pronouns
    m = gaz.titles_re.match(raw)
    if m and m.end() < len(raw):
        raw, start = raw[m.end() :], start + m.end()
    tail = _NAME_TAIL.match(text, ent.end_char) if _is_person_ent(ent, text) else None
    if tail:
        raw += tail.group()
    raw = _POSSESSIVE.sub("", raw).rstrip()
    lead = _LEADING_PUNCT.match(raw)
    if lead:
        raw, start = raw[lead.end() :], start + lead.end()
    raw = _OPEN_BRACKET_TAIL.sub("", raw)  # the acronym rule joins "(OPM)" to the name
    cut = _NAME_BREAK.search(raw)
    if cut:
        # "Source:****NPS" is NPS; "Newnew Polar Bear.¹ In" is "Newnew Polar Bear".
        after = raw[cut.end() :].lstrip(":* ") if raw[cut.start()] in ":*" else ""
        if after and _LEADING_PUNCT.sub("", after)[:1].isupper() and cut.start() < 12:
            start += len(raw) - len(after)
            raw = after
        else:
            raw = raw[: cut.start() + (1 if raw[cut.start()] == "." else 0)]
    if ent.label_ == "PERSON" and "," in raw:
        raw = raw.split(",")[0]  # "Amber Wilhelm, Visual Information Specialist": the rest is a title
    words = raw.split()
    while len(words) > 1 and words[-1][:1].islower():
        words.pop()  # "... Memorial in": a preposition the span ran into
    raw = " ".join(words) if words else raw
    raw = _TRAILING_PUNCT.sub("", raw)
    if raw.endswith(".") and "." not in raw[:-1] and len(raw.split()[-1]) > 3:
        raw = raw[:-1]  # a full stop after a name, not the dot of "U.S." or "Jr."
    if not raw.split():
        return None  # nothing of a name is left once punctuation and stray characters are cut
    if raw in _COMPANY_SUFFIXES or raw.split()[0].rstrip(".").lower() in ("jr", "sr"):
        return None  # "LLC", "Jr. Conservation": a suffix cut from its name
    if raw.split()[-1].lower() in _NAME_MODIFIERS:
        return None  # "King National": a name cut before its head
    if not raw or not any(ch.isupper() for ch in raw) or _DIGIT.search(raw) or _too_long(raw):
        return None
    if raw in gaz.titles or raw.lower() in _FUNCTION_WORDS or raw.split()[-1].lower() in _PLACE_HEADS:
        return None
    return start, raw, text[surface_start : start + len(raw)]


def _owns(owner: str, rest: str, gaz: Gazetteer) -> bool:
    """Whether "OWNER's REST" names REST, a body owned by OWNER: the owner is a known name
    ("Finland's National Bureau of Investigation"), or REST is itself a named body that opens on an
    organisation word ("Transport's Bureau of Marine Statistics"). "Dayak People's Party" keeps its
    possessive: the rest is one organisation word, no name of its own."""
    if owner in gaz.names or owner in gaz.capitals:
        return True
    words = rest.split()
    return len(words) >= 2 and words[0].lower() in _ORG_HEADS and words[-1][:1].isupper()


def _given_names_before(ent, gaz: Gazetteer) -> int:
    """ "Abdirahman Mohamed Abdullahi": the model's person span may start one or two given names
    late; adjacent capitalised proper nouns outside any entity, not titles or known names, join it."""
    doc, j = ent.doc, ent.start
    while (
        j > max(0, ent.start - 2)
        and doc[j - 1].pos_ == "PROPN"
        and (doc[j - 1].ent_type_ == "" or _one_word_compound_entity(doc[j - 1], ent))
        and doc[j - 1].text[:1].isupper()
        and doc[j - 1].text.isalpha()
        and doc[j - 1].text not in gaz.titles
        and doc[j - 1].text not in gaz.names
        and doc[j - 1].text not in gaz.capitals
    ):
        j -= 1
    return j


def _one_word_compound_entity(token, person) -> bool:
    """A one-word entity of another label compounded onto the person's name ("Abdirahman" tagged
    ORG before "Mohamed Abdullahi"): the model split one name in two."""
    return (
        token.ent_iob_ == "B"
        and (token.i + 1 == person.start)
        and token.dep_ == "compound"
        and person.start <= token.head.i < person.end
    )


def _absorbed(doc, gaz: Gazetteer) -> list[tuple[int, int]]:
    """Character spans of given names that `_given_names_before` joins to the person after them."""
    spans = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            first = _given_names_before(ent, gaz)
            if first < ent.start:
                spans.append((doc[first].idx, ent.start_char))
    return spans


def _ent_candidates(index: int, ent, text: str, gaz: Gazetteer) -> list[_Cand]:
    """A model entity as a candidate of its kind; a "Xi-Trump" pair splits in two."""
    if _LEADING_THE.sub("", normalize(ent.text)) in gaz.capitals:
        # A capital, whatever the model's label ("Washington argues" is often tagged ORG, "Pristina
        # calls them sanctions" PERSON): the
        # capital rule decides whether it stands for its state.
        return []
    if _heads_geographic_noun(ent):
        return []  # "the Yamal peninsula": a place
    if ent.label_ == "PERSON" and _is_locative(ent):
        return []
    cleaned = _clean(ent, text, gaz)
    if cleaned is None:
        return []
    start, raw, surface = cleaned
    label = ent.label_
    if label == "PERSON":
        if raw in gaz.demonyms:
            return []  # "Britons": the people of a state, not a person
        parts = raw.split("-")
        if len(parts) == 2 and " " not in raw and all(p[:1].isupper() and len(p) > 1 for p in parts):
            # "Xi-Trump" names a pair of people; resolution keeps the parts only if they are known.
            second = start + len(parts[0]) + 1
            return [
                _Cand(
                    index=index,
                    start=start,
                    end=start + len(parts[0]),
                    text=parts[0],
                    kind="person",
                    via="pair",
                    surface=parts[0],
                ),
                _Cand(
                    index=index,
                    start=second,
                    end=second + len(parts[1]),
                    text=parts[1],
                    kind="person",
                    via="pair",
                    surface=parts[1],
                ),
            ]
        return [
            _Cand(
                index=index,
                start=start,
                end=start + len(raw),
                text=raw,
                kind="person",
                via="name",
                surface=surface,
            )
        ]
    if label == "ORG":
        if " " not in raw and not raw.isupper() and (ent.root.pos_ != "PROPN" or raw.lower() in _ORG_HEADS):
            return []  # "Shadow", "State", "the Party": a common word, not a name
        if _TITLE_AFTER.match(text, ent.end_char):
            return []  # "the Trade and Industry Secretary": a portfolio in a title, not a body acting
        return [
            _Cand(
                index=index,
                start=start,
                end=start + len(raw),
                text=raw,
                kind="organization",
                via="name",
                surface=surface,
            )
        ]
    if label == "NORP":
        # A plural group name the gazetteer does not know ("Kurds", "Sunnis") acts as a group.
        if ent.root.tag_ in ("NNPS", "NNS") and raw not in gaz.demonyms:
            return [
                _Cand(
                    index=index,
                    start=start,
                    end=start + len(raw),
                    text=raw,
                    kind="group",
                    via="name",
                    surface=surface,
                )
            ]
        return []
    # GPE outside the gazetteer: a city or region, a place rather than an actor; kept as a candidate
    # only so a later rule can recognise it as a person the model mislabelled.
    return [
        _Cand(
            index=index,
            start=start,
            end=start + len(raw),
            text=raw,
            kind="place",
            via="name",
            surface=surface,
        )
    ]


def _is_person_ent(ent, text: str) -> bool:
    return ent.label_ == "PERSON" and not _COMPOUND_SUFFIX.match(text, ent.end_char)


def _is_locative(ent) -> bool:
    """ "Near Raqqah, two strikes..." or "fighting in Palmyra": what follows a place preposition is a
    place, even when the small model tags it PERSON."""
    first = ent[0]
    if first.lower_ in _PLACE_PREPOSITIONS and first.is_title:
        return True
    root = ent.root
    return root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPOSITIONS


def _demonym_candidates(index: int, doc, gaz: Gazetteer, taken_cands: list[_Cand]) -> list[_Cand]:
    taken = [(c.start, c.end) for c in taken_cands]
    out = []
    # The words and spaces are read once: a span made for every token and width to look its text
    # up was most of this function's cost.
    words = [t.text for t in doc]
    spaces = [t.whitespace_ for t in doc]
    for i in range(len(words)):
        for width in (2, 1):  # "North Korean" before "Korean"
            if i + width > len(words):
                continue
            text = words[i] if width == 1 else words[i] + spaces[i] + words[i + 1]
            if text not in gaz.demonyms:
                continue
            span = doc[i : i + width]
            head = span[-1].head
            if span[-1].dep_ not in ("amod", "compound") or head.lower_ not in _STATE_ORGANS:
                continue
            if _overlaps(span.start_char, span.end_char, taken):
                continue
            sid = gaz.demonyms[span.text]
            out.append(
                _Cand(
                    index=index,
                    start=span.start_char,
                    end=span.end_char,
                    text=span.text,
                    kind="state",
                    via="demonym",
                    key=sid,
                    gaz=sid,
                    surface=span.text,
                )
            )
            taken.append((span.start_char, span.end_char))
            break
    return out


# --------------------------------------------------------------------------------------- resolution


def _drop_authors(cands: list[_Cand], document: Document) -> list[_Cand]:
    """The author of the piece is metadata: drop their full name and, when unambiguous, their surname."""
    authors = {_name_key(normalize(a.name)) for a in document.meta.authors if a.name.strip()}
    if not authors:
        return cands
    author_tokens = {t for a in authors for t in a.split()}
    other_tokens = {
        t
        for c in cands
        if c.kind == "person" and _name_key(c.text) not in authors
        for t in _name_key(c.text).split()
        if len(_name_key(c.text).split()) > 1
    }
    out = []
    for c in cands:
        key = _name_key(c.text)
        if c.kind in ("person", "place", "organization") and (
            key in authors or (" " not in key and key in author_tokens and key not in other_tokens)
        ):
            continue
        out.append(c)
    return out


# "Office of Fisheries Policy and Office of Coastal Planning": two bodies written as one span.
_COORDINATED = re.compile(rf"\s+and\s+(?:the\s+)?(?=(?:{'|'.join(w.title() for w in sorted(_ORG_HEADS))})\s)")
# "... reproduced in appendix I. Education also ...": the numeral ended the previous sentence.
_LEADING_NUMERAL = re.compile(r"^([IVXLC]+)\.\s+(?=[A-Z])")
_AFTER_LOWER_WORD = re.compile(r"[a-z]\s+$")
# "Ana Ruiz and Li Wei provided helpful comments": an acknowledgment names helpers, not actors.
_ACKNOWLEDGMENT = re.compile(
    r"\b(?:provided|offered|gave|made|shared)\s+(?:many\s+|very\s+)?"
    r"(?:helpful|useful|valuable|insightful|thoughtful|generous|constructive)\s+"
    r"(?:comments|suggestions|feedback|input|advice|assistance|reviews?)\b"
    r"|\b(?:(?:we|author|authors)\s+(?:thank|thanks|are\s+grateful|is\s+grateful|acknowledges?)|"
    r"grateful\s+to|indebted\s+to|thanks\s+(?:go|are\s+due)\s+to)\b",
    re.IGNORECASE,
)


def _tidy_names(cands: list[_Cand], texts: list[str]) -> list[_Cand]:
    """Repairs of name spans no model ships: a coordinated pair of bodies splits in two, a roman
    numeral that ended the previous sentence is no initial, and helpers named in an acknowledgment
    are no actors."""
    out: list[_Cand] = []
    for c in cands:
        text = texts[c.index]
        if c.kind == "person" and _ACKNOWLEDGMENT.search(text):
            continue
        numeral = _LEADING_NUMERAL.match(c.text)
        if numeral and " " in c.text and _AFTER_LOWER_WORD.search(text[max(0, c.start - 40) : c.start]):
            cut = numeral.end()
            c.start, c.text = c.start + cut, c.text[cut:]
            c.surface = c.text
        if c.kind == "organization" and c.gaz is None and c.text.split()[0].lower() in _ORG_HEADS:
            parts = _split_coordinated(c)
            if len(parts) > 1:
                out.extend(p for p in parts if not any((p.start, p.end) == (o.start, o.end) for o in cands))
                continue
        out.append(c)
    return out


def _split_coordinated(c: _Cand) -> list[_Cand]:
    pieces, at = [], 0
    for m in _COORDINATED.finditer(c.text):
        pieces.append((at, m.start()))
        at = m.end()
    pieces.append((at, len(c.text)))
    if len(pieces) == 1 or any(len(c.text[a:b].split()) < 2 for a, b in pieces):
        return [c]  # "Office of Management and Budget": one body whose name holds an "and"
    return [
        _Cand(
            index=c.index,
            start=c.start + a,
            end=c.start + b,
            text=c.text[a:b],
            kind=c.kind,
            via=c.via,
            surface=c.text[a:b],
        )
        for a, b in pieces
    ]


def _drop_publisher_offices(cands: list[_Cand], document: Document) -> list[_Cand]:
    """ "U.S. Department of State, Office of the Spokesperson": the office that issues the text is
    its channel, not an actor; the body it belongs to (the first part) stays one."""
    parts = [p.strip() for p in (document.meta.publisher or "").split(",")]
    offices = {_name_key(normalize(p)) for p in parts[1:] if p}
    if not offices:
        return cands
    return [c for c in cands if c.kind == "person" or _name_key(c.text) not in offices]


def _resolve_people(cands: list[_Cand], sentences: tuple[Sentence, ...]) -> None:
    """Give every person candidate its key: full names by themselves, a bare surname ("Kim") by the
    full name it most plausibly abbreviates (Kim Jong-un vs Kim Jong Il stay apart)."""
    people = [
        c for c in cands if c.kind == "person" or (c.kind in ("place", "organization") and c.gaz is None)
    ]
    full: dict[str, list[_Cand]] = defaultdict(list)
    for c in people:
        if c.kind == "person" and len(_name_key(c.text).split()) > 1:
            full[_name_key(c.text)].append(c)
    # "Jong Un" or "Donald J Trump" style variants join the one longer name that contains them.
    canonical: dict[str, str] = {}
    for key in full:
        containing = [k for k in full if k != key and _contains(k.split(), key.split())]
        canonical[key] = containing[0] if len(containing) == 1 else key
    paragraph_of = [s.paragraph for s in sentences]
    para_index = {p: i for i, p in enumerate(dict.fromkeys(paragraph_of))}
    weight: Counter[str] = Counter()
    for k, v in full.items():
        weight[canonical[k]] += len(v)
    for c in sorted(people, key=lambda c: (c.index, c.start)):
        key = _name_key(c.text)
        if key in canonical:
            c.kind, c.key = "person", canonical[key]
            continue
        if " " in key:
            if c.kind == "person":
                c.key = key
            continue
        matches = {canonical[k] for k in full if key in (k.split()[0], _surname(k))}
        if not matches:
            if c.kind == "person":
                c.key = key
            continue
        c.kind, c.via = "person", ("surname" if c.via != "pair" else "pair")
        c.key = _closest(c, matches, full, canonical, weight, paragraph_of, para_index)
    # Half of a hyphenated pair ("Hewlett-Packard") is a person only if the text names them elsewhere.
    known = {c.key for c in people if c.kind == "person" and c.via != "pair"} | set(canonical.values())
    for c in people:
        if c.via == "pair" and c.key not in known:
            c.kind = "pair-unknown"


_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def _surname(key: str) -> str:
    """The last name of a name key, without a generational suffix ("ferdinand marcos jr" -> "marcos")."""
    words = key.split()
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words = words[:-1]
    return words[-1]


def _closest(c: _Cand, matches: set[str], full, canonical, weight, paragraph_of, para_index) -> str:
    """The most recent full-name mention within this or the previous paragraph, else the most salient."""
    if len(matches) == 1:
        return next(iter(matches))
    here = para_index[paragraph_of[c.index]]
    best, best_pos = None, (-1, -1)
    for k, mentions in full.items():
        if canonical[k] not in matches:
            continue
        for m in mentions:
            pos = (m.index, m.start)
            if pos < (c.index, c.start) and pos > best_pos and here - para_index[paragraph_of[m.index]] <= 1:
                best, best_pos = canonical[k], pos
    if best:
        return best
    return sorted(matches, key=lambda k: (-weight[k], k))[0]


def _sweep(docs, texts: list[str], cands: list[_Cand], blocked) -> list[_Cand]:
    """Mentions the model missed in one sentence but found in another: person name tokens and names of
    organisations already recognised, matched as written."""
    person_tokens: set[str] = set()
    for c in cands:
        if c.kind == "person":
            person_tokens.update(t for t in c.text.replace("-", " ").split() if t[:1].isupper())
    org_names = {
        c.text for c in cands if c.kind in ("organization", "group") and c.gaz is None and len(c.text) > 2
    }
    # "Workers Unity" for the "Workers Unity Party" (joined to it when actors are built); one-word
    # short forms ("Labour") are left to the model, as a capitalised common word is too risky.
    org_names |= {
        c.text[: -len(" Party")]
        for c in cands
        if c.kind == "organization" and c.text.endswith(" Party") and len(c.text.split()) >= 3
    }
    org_re = _literal_alternation(org_names)
    by_index = _by_sentence(cands)
    out = []
    for index, doc in enumerate(docs):
        taken = [(c.start, c.end) for c in by_index.get(index, ())]
        for tok in doc:
            if tok.pos_ != "PROPN" or tok.text not in person_tokens:
                continue
            span = _name_span(tok, person_tokens)
            if span is None or _overlaps(span.start_char, span.end_char, taken):
                continue
            out.append(
                _Cand(
                    index=index,
                    start=span.start_char,
                    end=span.end_char,
                    text=span.text,
                    kind="person",
                    via="name",
                    surface=span.text,
                )
            )
            taken.append((span.start_char, span.end_char))
        if org_re is None:
            continue
        for m in org_re.finditer(texts[index]):
            if not _overlaps(m.start(), m.end(), taken) and not _inside(m.start(), m.end(), blocked[index]):
                out.append(
                    _Cand(
                        index=index,
                        start=m.start(),
                        end=m.end(),
                        text=m.group(),
                        kind="organization",
                        via="name",
                        surface=m.group(),
                    )
                )
                taken.append((m.start(), m.end()))
    return out


def _name_span(tok, person_tokens: set[str]):
    """The run of adjacent known name tokens starting at `tok` ("Kim Jong Il", not just "Kim")."""
    doc = tok.doc
    if tok.i > 0 and doc[tok.i - 1].text in person_tokens and doc[tok.i - 1].pos_ == "PROPN":
        return None  # part of a run that starts earlier, handled from its first token
    j = tok.i
    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].text in person_tokens:
        j += 1
    return doc[tok.i : j + 1]


_DEPARTMENT_RE = re.compile(
    r"^(?:U\.S\.\s+|US\s+)?(?:Department\s+of\s+(?:the\s+)?(?P<a>[A-Z][\w\-]+)|"
    r"(?P<b>[A-Z][\w\-]+)\s+Department)$"
)


def _join_department_short_names(cands: list[_Cand]) -> None:
    """ "State" in a text that names the "Department of State" (or "State Department") is that
    department, as "Treasury", "Defense" or "Energy" are theirs; both long forms are one."""
    target: dict[str, _Cand] = {}
    for c in sorted(cands, key=lambda c: (c.index, c.start)):
        m = _DEPARTMENT_RE.match(c.text) if c.kind == "organization" else None
        if m:
            word = m.group("a") or m.group("b")
            first = target.setdefault(word, c)
            c.key, c.gaz = first.key or _name_key(first.text), first.gaz
    for c in cands:
        if c.kind in ("organization", "group") and c.gaz is None and c.text in target:
            first = target[c.text]
            c.kind, c.key, c.gaz = "organization", first.key or _name_key(first.text), first.gaz


def _drop_common_words(docs, texts: list[str], cands: list[_Cand]) -> list[_Cand]:
    """Drop what only looks like a name: a capitalised common word the text also writes in lower
    case more often than as a name mid-sentence ("Quantum", "Bitcoin", "Energy" cut from
    "Department of Energy"), a title-case phrase whose every word the text uses in lower case
    ("Good Governance", "Impossible Metals" tagged PERSON), a roman numeral or single letter
    ("appendix I"), a person without a lower-case letter ("H.R."), and an acronym the text
    defines as a common noun phrase or an instrument ("areas beyond national jurisdiction (ABNJ)",
    "Bank Secrecy Act (BSA)")."""
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for doc in docs:
        for tok in doc:
            if tok.text.islower():
                lower[tok.text] += 1
            elif tok.i > 0 and tok.text[:1].isupper() and not doc[tok.i - 1].is_punct:
                capital[tok.text.lower()] += 1
    not_actors = _non_actor_acronyms(texts)
    out = []
    for c in cands:
        if c.gaz is None:
            words = c.text.split()
            if (
                len(c.text.replace(".", "")) <= 1
                or _ROMAN.match(c.text)
                or c.text.replace(".", "") in not_actors
            ):
                continue
            if c.kind == "person" and not any(ch.islower() for ch in c.text):
                continue
            if (
                len(words) == 1
                and not c.text.isupper()
                and c.key in ("", _name_key(c.text))
                and lower[c.text.lower()] >= max(capital[c.text.lower()], 1)
            ):
                continue
            if len(words) > 1 and c.kind == "person" and all(lower[w.lower()] for w in words):
                continue
        out.append(c)
    return out


def _non_actor_acronyms(texts: list[str]) -> set[str]:
    """Acronyms the text defines in parentheses after a lower-case phrase or an instrument name."""
    found: set[str] = set()
    for text in texts:
        for m in _ACRONYM_IN_PARENS.finditer(text):
            acronym = m.group(1).replace(".", "")
            if sum(ch.isupper() for ch in acronym) < 2:
                continue
            words = _WORD.findall(text[max(0, m.start() - 120) : m.start()])
            for k in range(1, min(len(words), 10) + 1):
                expansion = words[-k:]
                if initials_match(acronym, " ".join(expansion)):
                    content = [w for w in expansion[1:] if w.lower() not in _FUNCTION_WORDS]
                    if expansion[-1].lower() in _NON_ACTOR_HEADS or (
                        content and all(w.islower() for w in content)
                    ):
                        found.add(acronym)
                    break
    return found


def _apply_acronyms(texts: list[str], cands: list[_Cand]) -> list[_Cand]:
    """ "Mekong River Commission (MRC)": the acronym becomes an alias of the name it follows."""
    alias_of: dict[str, _Cand] = {}
    by_index = _by_sentence(cands)
    for index, text in enumerate(texts):
        for m in _ACRONYM_IN_PARENS.finditer(text):
            acronym = m.group(1).replace(".", "")
            if sum(ch.isupper() for ch in acronym) < 2:
                continue
            before = [
                c
                for c in by_index.get(index, ())
                if c.kind in ("organization", "group", "state") and text[c.end : m.start()].strip(" ,") == ""
            ]
            before = [c for c in before if _acronym_fits(acronym, c.text)]
            if before:
                alias_of.setdefault(acronym, max(before, key=lambda c: c.end - c.start))
        # "SDF (Shipping Dues Fund)": the acronym first, its expansion in the brackets.
        for m in _ACRONYM_BEFORE_PARENS.finditer(text):
            acronym = m.group(1)
            inside = [
                c
                for c in by_index.get(index, ())
                if c.kind in ("organization", "group", "state")
                and c.start >= m.start(2)
                and c.end <= m.end(2)
                and _acronym_fits(acronym, c.text)
            ]
            if inside:
                alias_of.setdefault(acronym, max(inside, key=lambda c: c.end - c.start))
    if not alias_of:
        return cands
    # The text's own definition binds the acronym for the whole document and outranks the gazetteer:
    # "Office of Federal Student Aid (FSA)" is not the Free Syrian Army anywhere in that text.
    for c in cands:
        target = alias_of.get(c.text.replace(".", ""))
        if target is not None and c is not target:
            c.kind, c.key, c.gaz, c.via = (
                target.kind,
                target.key or _name_key(target.text),
                target.gaz,
                "acronym",
            )
    # Acronyms written bare elsewhere in the text (the model often misses them) are mentions too.
    extra = []
    forms = sorted(alias_of, key=lambda a: (-len(a), a))
    bare = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(a) for a in forms) + r")(?!\w)")
    for index, text in enumerate(texts):
        taken = [(c.start, c.end) for c in by_index.get(index, ())]
        for m in bare.finditer(text):
            acronym, target = m.group(), alias_of[m.group()]
            if not _overlaps(m.start(), m.end(), taken):
                extra.append(
                    _Cand(
                        index=index,
                        start=m.start(),
                        end=m.end(),
                        text=acronym,
                        kind=target.kind,
                        via="acronym",
                        key=target.key or _name_key(target.text),
                        gaz=target.gaz,
                        surface=acronym,
                    )
                )
    return cands + extra


_OFFICE_OF = re.compile(r"^(\w+)\s+(?:of|for|on)\s+(?:the\s+)?")


def _acronym_fits(acronym: str, name: str) -> bool:
    """The initials of the name, or of the name after its leading organisation word: "Office of
    Federal Student Aid (FSA)", "Bureau of Land Management (BLM)"."""
    if initials_match(acronym, name):
        return True
    lead = _OFFICE_OF.match(name)
    if lead is None or lead.group(1).lower() not in _ORG_HEADS:
        return False
    return initials_match(acronym, name[lead.end() :])


def _keep_capitals(docs, cands: list[_Cand]) -> list[_Cand]:
    """A capital stands for its state when the state is itself an actor in the text, or when the
    capital is the subject of a clause ("Beijing insists..."); otherwise it is only a place ("in Hanoi")."""
    states = {c.key for c in cands if c.kind == "state" and c.via != "capital"}
    out = []
    for c in cands:
        if c.via == "capital" and c.key not in states and not _is_subject(docs[c.index], c):
            continue
        out.append(c)
    return out


def _is_subject(doc, c: _Cand) -> bool:
    span = doc.char_span(c.start, c.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in _SUBJECT_DEPS


# ------------------------------------------------------------------------------------------ building


def _build(cands: list[_Cand], sentences: tuple[Sentence, ...], gaz: Gazetteer) -> Analysis:
    cands = [c for c in cands if c.kind in ("person", "state", "organization", "group")]
    for c in cands:
        if not c.key:
            c.key = c.gaz or _name_key(c.text)
    cands = _drop_joined_names(cands)
    _join_short_party_names(cands)
    _join_short_forms(cands)
    cands.sort(key=lambda c: (c.index, c.start, -c.end))
    groups: dict[str, list[_Cand]] = defaultdict(list)
    for c in cands:
        groups[c.key].append(c)
    first = {key: (g[0].index, g[0].start) for key, g in groups.items()}
    order = sorted(groups, key=lambda k: (-len(groups[k]), first[k], k))
    ids: dict[str, str] = {}
    reserved = {g[0].gaz for g in groups.values() if g[0].gaz}  # a made-up slug never takes a gazetteer id
    actors = []
    for key in order:
        group = groups[key]
        entry = gaz.entries.get(group[0].gaz) if group[0].gaz else None
        kind = entry.kind if entry else Counter(c.kind for c in group).most_common(1)[0][0]
        name = entry.name if entry else _best_name(group)
        actor_id = entry.id if entry else _unique_slug(_slug(name), {*ids.values(), *reserved})
        ids[key] = actor_id
        forms = dict.fromkeys(c.surface.strip() or c.text for c in group)
        aliases = tuple(f for f in forms if f != name)
        actors.append(Actor(id=actor_id, name=name, kind=kind, aliases=aliases, mentions=len(group)))
    mentions = tuple(
        Mention(
            sentence=sentences[c.index].id,
            start=c.start,
            end=c.end,
            text=c.text,
            actor=ids[c.key],
            kind=c.kind,
            via=c.via,
        )
        for c in cands
    )
    logger.debug("%d actors from %d mentions", len(actors), len(mentions))
    return Analysis(actors=tuple(actors), mentions=mentions)


_NICKNAME = re.compile(
    r",?\s*\(?(?:known as|nicknamed|also called)\s+(?:the\s+)?[\"\u201c]?"
    r"([A-Z][\w'\-]*+(?:\s+[A-Z][\w'\-]*+){0,2})"
)


def _join_nicknames(cands: list[_Cand], texts: list[str]) -> None:
    """ "Abdirahman Mohamed Abdullahi, known as Irro, ...": the nickname is the same person."""
    nick: dict[str, _Cand] = {}
    taken = {(c.index, c.start) for c in cands}
    for c in list(cands):
        if c.kind == "person" and c.key:
            m = _NICKNAME.match(texts[c.index], c.end)
            if m:
                nick.setdefault(m.group(1), c)
                if (c.index, m.start(1)) not in taken:  # the model often misses the nickname itself
                    cands.append(
                        _Cand(
                            index=c.index,
                            start=m.start(1),
                            end=m.end(1),
                            text=m.group(1),
                            kind="person",
                            via="name",
                            key=c.key,
                            surface=m.group(1),
                        )
                    )
                    taken.add((c.index, m.start(1)))
    for c in cands:
        target = nick.get(c.text)
        if target is not None and c is not target and c.gaz is None:
            c.kind, c.key = "person", target.key


_JOINED = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")


def _drop_joined_names(cands: list[_Cand]) -> list[_Cand]:
    """ "Live Nation and Ticketmaster", "Ticketmaster, SeatGeek": two names the model joined into one
    span, each a name of its own elsewhere, are not a third actor."""
    names = {c.text for c in cands}
    out = []
    for c in cands:
        parts = _JOINED.split(c.text) if c.gaz is None and c.kind in ("organization", "group") else []
        if len(parts) > 1 and all(p in names for p in parts):
            continue
        out.append(c)
    return out


def _join_short_forms(cands: list[_Cand]) -> None:
    """ "Live Nation" in a text that also names "Live Nation Entertainment": a name of two or more
    words that begins exactly one longer organisation name is that organisation."""
    longer: dict[str, set[str]] = defaultdict(set)
    full = {c.text: c for c in cands if c.kind == "organization" and c.gaz is None}
    for name in full:
        words = name.split()
        for k in range(2, len(words)):
            longer[" ".join(words[:k])].add(name)
    for c in cands:
        names = longer.get(c.text) if c.kind in ("organization", "group") and c.gaz is None else None
        if names and len(names) == 1:
            target = full[next(iter(names))]
            c.kind, c.key, c.gaz = target.kind, target.key, target.gaz


def _join_short_party_names(cands: list[_Cand]) -> None:
    """ "Labour" in a text that also names the "Labour Party" is that party."""
    full: dict[str, _Cand] = {}
    for c in cands:
        if c.kind == "organization" and c.text.endswith(" Party"):
            full.setdefault(c.text[: -len(" Party")], c)
    for c in cands:
        target = full.get(c.text) if c.kind in ("organization", "group") and c.gaz is None else None
        if target is not None:
            c.kind, c.key, c.gaz = target.kind, target.key, target.gaz


def _best_name(group: list[_Cand]) -> str:
    """The fullest form written: "Kim Jong-un" over "Kim", "Mekong River Commission" over "MRC"."""
    forms = Counter(c.text for c in group if c.via != "acronym") or Counter(c.text for c in group)
    return max(forms, key=lambda f: (len(f.split()), forms[f], len(f), f))


# ------------------------------------------------------------------------------------------- helpers


def _name_key(text: str) -> str:
    text = normalize(text)
    text = _LEADING_THE.sub("", text)
    text = _POSSESSIVE.sub("", text)
    return " ".join(re.sub(r"[\-.]", " ", text).lower().split())


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "actor"


def _unique_slug(slug: str, used) -> str:
    used = set(used)
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _remainder_empty(ent, text: str, hits: list[_Cand]) -> bool:
    """Whether the entity is nothing but gazetteer names joined by hyphens, "and" or articles."""
    chars = list(text[ent.start_char : ent.end_char])
    for h in hits:
        for i in range(max(h.start, ent.start_char), min(h.end, ent.end_char)):
            chars[i - ent.start_char] = " "
    rest = re.split(r"[\s\-'/,]+", "".join(chars))
    # "of" makes one name of two ("Conservative Party of Canada"); "and", "the" or a hyphen do not.
    return all(
        not w or (w.lower() in _FUNCTION_WORDS and w.lower() != "of") or w.lower() == "s" for w in rest
    )


def _names_an_organ(ent, text: str, hits: list[_Cand]) -> bool:
    """Whether an ORG span containing state names is an organisation in its own right: it ends in an
    organisation word ("US Army") or the state follows "of" ("Bank of China")."""
    last = text[ent.start_char : ent.end_char].rsplit(maxsplit=1)[-1].lower()
    if last in _ORG_HEADS:
        return True
    return any(_ENDS_WITH_OF.search(text[ent.start_char : h.start]) for h in hits)


def _quoted_titles(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _QUOTED.finditer(text):
        words = [w for w in m.group(1).split() if w.isalpha()]
        content = [w for w in words if w.lower() not in _FUNCTION_WORDS and len(w) > 1]
        if len(words) >= 4 and content and sum(w[0].isupper() for w in content) >= 0.8 * len(content):
            spans.append((m.start(), m.end()))
    return spans


def _place_continuations(doc, text: str) -> list[tuple[int, int]]:
    """ "Kumsusam Palace of the Sun": an entity right after "<place> of the" belongs to the place name."""
    spans = []
    ents = list(doc.ents)
    for a, b in itertools.pairwise(ents):
        if a.label_ in ("FAC", "LOC") and re.fullmatch(
            r"\s+of(?:\s+the)?\s+", text[a.end_char : b.start_char]
        ):
            spans.append((a.start_char, b.end_char))
    return spans


def _geographic_entities(doc) -> list[tuple[int, int]]:
    """Spans of natural features named with a state inside ("the South China Sea", "Sea of Japan"):
    the state is not acting there."""
    spans = []
    for ent in doc.ents:
        words = ent.text.lower().split()
        if (
            ent.label_ in ("LOC", "FAC", "GPE", "ORG")
            and len(words) > 1
            and (
                words[-1] in _GEO_HEADS
                or (words[0] in _GEO_HEADS and words[1] == "of")
                or (words[0] == "the" and len(words) > 2 and words[1] in _GEO_HEADS and words[2] == "of")
            )
        ):
            spans.append((ent.start_char, ent.end_char))
    return spans


def _heads_geographic_noun(ent) -> bool:
    """Whether the entity modifies a natural-feature noun that heads the phrase: "Yamal" in "the
    Yamal peninsula" (but not "Mekong" in "Mekong River Commission", whose head is Commission)."""
    head = ent.root
    while head.dep_ in ("compound", "amod") and head.head.i > head.i:
        head = head.head
    return head.i >= ent.end and head.lower_ in _GEO_HEADS


def _geographic_names(docs) -> set[str]:
    """Names the text uses for natural features, wherever they occur: a name heading a feature
    noun ("the Yamal peninsula", "Lancang River") and a name the text gives to one ("the upper
    river, which it calls the Lancang", "the river known as the Lancang")."""
    names: set[str] = set()
    for doc in docs:
        for ent in doc.ents:
            if ent.label_ in _ACTOR_LABELS and _heads_geographic_noun(ent):
                names.add(_LEADING_THE.sub("", ent.text))
        for tok in doc:
            if tok.lemma_ not in _NAMING_LEMMAS or tok.pos_ != "VERB":
                continue
            # "<feature>, which it calls X" (relcl) or "<feature> known as X" (acl)
            if tok.dep_ in ("relcl", "acl") and tok.head.lower_ in _GEO_HEADS:
                for child in tok.children:
                    named = child if child.dep_ in ("oprd", "attr") else None
                    if child.dep_ == "prep" and child.lower_ == "as":
                        named = next((g for g in child.children if g.dep_ == "pobj"), None)
                    if named is not None and named.pos_ == "PROPN":
                        span = named.doc[named.left_edge.i : named.i + 1]
                        names.add(_LEADING_THE.sub("", span.text))
    return names


def _is_event_name(text: str) -> bool:
    return bool(_EVENT_NAME.search(_POSSESSIVE.sub("", text.strip())))


def _vessel_names(docs) -> set[str]:
    """Names the text gives to ships, cables and pipelines: a proper name right after or before a
    vessel noun ("the tanker Eagle S", "the Balticconnector gas pipeline") or after a ship prefix
    ("USS Intrepid"). They are things, not actors."""
    found: set[str] = set()
    for doc in docs:
        for tok in doc:
            if tok.lower_ not in _VESSEL_NOUNS and tok.text not in _SHIP_PREFIXES:
                continue
            after = _proper_run(doc, tok.i + 1, 1)
            k = tok.i - 1
            while k > 0 and doc[k].dep_ == "compound" and doc[k].text.islower():
                k -= 1  # "the Balticconnector gas pipeline"
            before = _proper_run(doc, k, -1) if tok.lower_ in _VESSEL_NOUNS else None
            for run in (after, before):
                if run is not None:
                    found.add(run.text)
                    while len(run) > 1 and (run[-1].like_num or run[-1].is_punct):
                        run = run[:-1]
                        found.add(run.text)  # "Yi Peng 3" is also written "Yi Peng"
                    if tok.text in _SHIP_PREFIXES:  # "USS Intrepid" is also written whole
                        found.add(doc[tok.i : run.end].text)
    return found


def _proper_run(doc, i: int, step: int):
    """The run of capitalised proper-noun tokens (and numbers after one) from token i onwards."""
    j = i
    while (
        0 <= j < len(doc)
        and abs(j - i) < MAX_NAME_WORDS
        and (
            (doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper())
            or (j != i and doc[j].like_num and step == 1)
            or (
                j != i
                and doc[j].text == "-"
                and 0 <= j + step < len(doc)
                and doc[j + step].text[:1].isupper()
            )
        )
    ):
        j += step
    if j == i:
        return None
    return doc[min(i, j - step) : max(i, j - step) + 1]


def _coined_names(docs, texts: list[str]) -> set[str]:
    """Names the text launches, coins or calls so ("NATO launched Baltic Sentry", "Kosovo calls it
    the Association of ...", "its so-called Sunset Date"): operations, proposed bodies and terms,
    which the frameworks report."""
    from . import coinages

    return {c.term for c in coinages.find(docs, texts) if c.term[:1].isupper()}


def _is_title_case(text: str) -> bool:
    # Short function words may stay lower case in a heading ("Memorials Outside of Washington, with
    # No Federal Agency Affiliation"); every other long word is capitalised.
    words = [
        w for w in re.findall(r"[A-Za-z][\w'\-]*", text) if len(w) > 3 and w.lower() not in _HEADING_LOWER
    ]
    # A heading rarely ends with a full stop; a sentence full of names ("President Donald Trump met
    # South Korean President Moon Jae-in in Seoul.") does.
    return len(words) >= 3 and not text.rstrip().endswith(".") and all(w[0].isupper() for w in words)


def _is_shouting(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) > 12 and sum(ch.isupper() for ch in letters) > 0.6 * len(letters)


MAX_NAME_WORD_CHARS = 40  # longer than any word of a real name ("Nationaldemokratische" is 21)


def _too_long(name: str) -> bool:
    return any(len(w) > MAX_NAME_WORD_CHARS for w in name.split())


def _by_sentence(cands: list[_Cand]) -> dict[int, list[_Cand]]:
    """Candidates grouped by sentence index, so per-sentence passes stay linear in the text."""
    out: dict[int, list[_Cand]] = defaultdict(list)
    for c in cands:
        out[c.index].append(c)
    return out


def _inside(start: int, end: int, spans) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _overlaps(start: int, end: int, spans) -> bool:
    return any(start < e and s < end for s, e in spans)


def _literal_alternation(forms) -> re.Pattern[str] | None:
    forms = sorted(set(forms), key=lambda f: (-len(f), f))
    if not forms:
        return None
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")
