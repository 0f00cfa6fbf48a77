"""Frameworks and terms of art: quoted coinages and named plans, acts, operations and treaties.

General rules find candidates, no list of known terms:
- a quotation that is a short noun phrase, not a clause of speech, and that the text treats
  as a term (a concept noun after or before it, a naming verb, an owner, repetition, or a short
  label in what a party says; two phrases joined in quotes are speech);
- a capitalised phrase that ends in an instrument word ("Critical Raw Materials Act",
  "China Road Map") or opens with one ("Agreement on the Path to Normalisation");
- the grammar rules of `coinages` (named by a naming verb, launched operations, "so-called",
  glosses, acronym definitions, numbered instruments).
Each term is counted (quoted or not) and defined when the text explains it right there. Its owner
is the party that uses it as its own: who calls it so, its possessor, who proposes, launches or
enacts it, or who speaks the words it stands in (a leader's term is the leader's); the author's
own quoted coinage has none. Occurrences are found through a word index, so the work stays linear.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ..model import Actor, Framework
from ..textutil import squash
from . import coinages, lexicon, names
from .parse import Parsed
from .text import cite, normalise_marks, quotes

logger = logging.getLogger(__name__)

MAX_TERM_WORDS = 8

# Nouns that name a way of doing things (data/concept_nouns.txt), with their plurals.
_CONCEPTS = lexicon.words("concept_nouns")


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


_CONCEPT_FORMS = "|".join(
    re.escape(f).replace(r"\ ", r"\s?")
    for f in sorted({*_CONCEPTS, *map(_plural, _CONCEPTS), "formulae"}, key=len, reverse=True)
)
# A concept noun right after a quotation: the quotation names a way of doing things.
_HEAD_AFTER_RE = re.compile(rf"^[\"'”’]?\s*(?:{_CONCEPT_FORMS})\b", re.I)
# "...the philosophy of 'community of shared future'"
_CONCEPT_BEFORE_RE = re.compile(
    rf"\b(?:{_CONCEPT_FORMS})\s+(?:of|called|known as|dubbed)\s*[\"'“‘]?$",
    re.I,
)
# "...calls itself a 'near-Arctic state'", "the so-called 'grey zone'": the text names a coinage.
_NAMING_BEFORE_RE = re.compile(
    r"\b(?:call(?:s|ed|ing)?|dub(?:s|bed)?|term(?:s|ed)?|label(?:s|led|ed)?|brand(?:s|ed)?|"
    r"so-called|known as|describ(?:es|ed|ing) (?:itself|themselves|it|them) as)\s+"
    r"(?:(?:itself|themselves|it|them|this|that)\s+)?(?:(?:an?|the|its|their|his|her)\s+)?[\"'“‘]?$",
    re.I,
)
MAX_NAME_WORDS = names.MAX_NAME_WORDS
_INSTRUMENT_HEADS = names.INSTRUMENT_HEADS
_NAMED_RE = names.INSTRUMENT_NAME
# Capitalised words that cannot stand inside an instrument's name: a heading's wh-word or a
# determiner starts the name after it ("Extent to Which National Quantum Initiative",
# "Both the 2018 Strategic Overview and the NQI Act").
_CUT_WORDS = {
    "which",
    "what",
    "how",
    "whether",
    "when",
    "where",
    "why",
    "who",
    "both",
    "each",
    "all",
    "this",
    "these",
    "those",
    "that",
    "either",
    "neither",
}
_HEAD_WORD_RE = re.compile(_INSTRUMENT_HEADS)
_LEADING_FILLER = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "its",
    "their",
    "our",
    "his",
    "her",
    "in",
    "on",
    "under",
    "and",
    "by",
    "with",
    "from",
    "for",
    "of",
    "to",
    "as",
    "at",
    "if",
    "but",
    "while",
    "new",
}
# Institutions named after their subject ("Center for International Security and Strategy")
# are organisations, not instruments.
_INSTITUTION_WORDS = lexicon.words("organisation_words")
# Used with `pattern.match(text, pos)`, so no "^": it would only match at the start of the text.
_ACRONYM_AFTER_RE = re.compile(r"\s*\(([A-Z][A-Z0-9&\-]{1,9})\)")
# Searched in a short window before the term only (WINDOW characters), so the cost is per term.
_POSSESSOR_RE = re.compile(
    r"(?<![\w.\-])((?:[A-Z][\w.\-]*+|of|the)(?:\s++(?:[A-Z][\w.\-]*+|of|the)){0,8})\s*'s\s*[\"']?\s*$"
)
_BY_AFTER_RE = re.compile(
    r"[\"']?\s*(?:\w+\s+)?(?:proposed|put forward|advanced|championed|coined|promoted|unveiled|"
    r"launched|introduced|advocated|initiated|announced|adopted)\s+by\s+((?:the\s+)?[A-Z][\w.\-]*+"
    r"(?:\s+[A-Z][\w.\-]*+){0,8})"
)
WINDOW = 200
_PROPOSE_LEMMAS = {
    "propose",
    "put",
    "advance",
    "champion",
    "coin",
    "unveil",
    "launch",
    "introduce",
    "advocate",
    "initiate",
    "announce",
    "adopt",
    "pursue",
    "offer",
    "insist",
    "float",
    "call",
    "dub",
    "term",
    "label",
    "brand",
}
# Explanations right after the term (and its head noun): "..., which is ...", "calling for ...".
_DEF_AFTER_RE = re.compile(
    r"[\"'”’]?\s*(?:[a-z]+)?[\"'”’]?\s*[,—–:-]*\s*"
    r"(?P<cue>which\s+(?:is|means|refers to|calls for|involves|entails|aims? to|seeks? to)\s+|"
    r"calling for\s+|meaning\s+|namely\s+|i\.e\.,?\s+|that is,\s+|referring to\s+|"
    r"(?:means|refers to|is defined as|stands for)\s+)(?P<d>[^;]{1,400})"
)
_ESSENCE_RE = re.compile(r"\bthe (?:essence|core|gist|heart) of which is (?:that )?(?P<d>[^;]{1,400})", re.I)
_MEANS_RE = re.compile(r"\b(?:it|this|they|that|these)\s+(?:means?|refers? to)\s+(?P<d>[^;]{1,400})", re.I)
_WORD_RE = re.compile(r"[\w\-]+")
# "whether 'de-risking' becomes a strategy or remains a slogan": a quotation the text predicates
# one of these nouns of is a term by the text's own account.
_CONCEPT_NOUNS = _CONCEPTS
# A quotation that names a section of the text itself ("see 'Cryptocurrency'", "the 'Funding'
# section") is a cross-reference; one headed by a quantity ("a 'small number' of") is a quoted
# amount. Neither is a term.
_SEE_BEFORE_RE = re.compile(r"\bsee\s+(?:also\s+)?(?:the\s+)?[\"'“‘]?$", re.I)
_SECTION_AFTER_RE = re.compile(r"^[\"'”’]?\s*(?:section|chapter|part|appendix|heading|table|figure)\b", re.I)
_QUANTITY_HEADS = {
    "number",
    "amount",
    "share",
    "percentage",
    "portion",
    "majority",
    "minority",
    "handful",
    "fraction",
    "proportion",
    "lot",
    "few",
}
_COPULA_LEMMAS = {"be", "become", "remain", "prove", "serve", "stay"}


@dataclass(frozen=True)
class _Candidate:
    term: str
    index: int  # sentence index where it was found
    acronym: str | None = None
    owner: str | None = None  # the actor the finding rule itself named (who calls or launches it)
    quoted: bool = False


# At most this many occurrences of a term are examined for its owner and definition: the first
# ones decide, and the cost per term stays bounded however often a long text repeats it.
MAX_HITS_EXAMINED = 20


class _Occurrences:
    """Where terms occur, found through an index of the words of each sentence, so that each term is
    matched only against the sentences that contain all its words (not against the whole text)."""

    def __init__(self, sentences, texts: list[str]) -> None:
        self.texts = texts
        self.words: dict[str, set[int]] = {}
        for i, text in enumerate(texts):
            for w in set(_WORD_RE.findall(text.lower())):
                self.words.setdefault(w, set()).add(i)
        self.quoted = [[(q.start, q.end) for q in quotes(s.text)] for s in sentences]

    def _sentences(self, term: str) -> list[int]:
        words = _WORD_RE.findall(normalise_marks(term).lower())
        if not words:
            return []
        sets = sorted((self.words.get(w, set()) for w in words), key=len)
        return sorted(set.intersection(*sets))

    def find(self, term: str, case: bool = False) -> list[tuple[int, int, int]]:
        pattern = _term_re(term) if not case else re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])")
        return [
            (i, m.start(), m.end()) for i in self._sentences(term) for m in pattern.finditer(self.texts[i])
        ]

    def unquoted(self, term: str) -> int:
        """Mentions of the term outside any quotation: the author has adopted it as a name."""
        n = 0
        for i, start, _ in self.find(term):
            n += not any(a <= start < b for a, b in self.quoted[i])
        return n


def find_frameworks(parsed: Parsed, actors: tuple[Actor, ...]) -> tuple[Framework, ...]:
    sentences = parsed.sentences
    if not sentences:
        return ()
    texts = [normalise_marks(s.text) for s in sentences]
    aliases = _alias_map(actors)
    docs = parsed.docs
    index = _Occurrences(sentences, texts)
    speakers = _speakers(sentences, texts, actors)
    candidates = [
        c for c in _named_candidates(texts) + _head_first_candidates(texts) if _key(c.term) not in aliases
    ]
    candidates += _quoted_candidates(sentences, texts, docs, aliases, index, speakers)
    candidates += [
        _Candidate(
            term=t.term,
            index=t.index,
            # a pronoun owner ("it launched ...") is the speaker of that sentence
            owner=_resolve_token(t.owner, docs[t.index], aliases, speakers.get(t.index, ())),
        )
        for t in coinages.find(docs, texts)
        if _key(t.term) not in aliases and not _names_a_place(t.term, aliases)
    ]

    found: dict[str, Framework] = {}
    first_index: dict[str, int] = {}
    for cand in sorted(candidates, key=lambda c: c.index):
        key = _key(cand.term)
        if key in found:
            continue
        hits = index.find(cand.term)
        written_out = list(hits)  # a definition follows the name where it is written out
        if cand.acronym:  # "Critical Raw Materials Act (CRMA)": the bracket itself is no mention
            spelled = {(i, e) for i, _, e in hits}
            hits = sorted(
                set(hits)
                | {
                    h
                    for h in index.find(cand.acronym, case=True)
                    if not any((h[0], h[1] - d) in spelled for d in range(4))
                }
            )
        if not hits:
            continue
        i0 = hits[0][0]
        found[key] = Framework(
            term=cand.term,
            mentions=len(hits),
            cite=cite(sentences[i0]),
            attributed_to=cand.owner
            or _attribution(cand.term, hits[:MAX_HITS_EXAMINED], texts, docs, aliases, speakers),
            definition=_definition(written_out[:MAX_HITS_EXAMINED], texts, docs),
        )
        first_index[key] = i0
    order = sorted(found, key=lambda k: (-found[k].mentions, first_index[k]))
    return tuple(found[k] for k in order)


def _key(term: str) -> str:
    key = squash(normalise_marks(term)).lower()
    return key[4:] if key.startswith("the ") else key


def _alias_map(actors: tuple[Actor, ...]) -> dict[str, str]:
    names: dict[str, str] = {}
    for actor in actors:
        for alias in (actor.name, *actor.aliases):
            alias = _key(alias)
            if alias:
                names.setdefault(alias, actor.id)
    return names


def _resolve(phrase: str, aliases: dict[str, str]) -> str | None:
    """The actor named by `phrase`; the rightmost name wins, as in English the head comes last
    ("with China the DPRK's" -> the DPRK; "the Trump administration" -> Trump)."""
    words = _key(phrase).split()
    for end in range(len(words), 0, -1):
        for start in range(end):
            hit = aliases.get(" ".join(words[start:end]))
            if hit:
                return hit
    return None


def _named_candidates(texts: list[str]) -> list[_Candidate]:
    out = []
    for i, text in enumerate(texts):
        for m in _NAMED_RE.finditer(text):
            acronym = _ACRONYM_AFTER_RE.match(text, m.end())
            parts = _split_names(m.group(1).split())
            for n, words in enumerate(parts):
                cuts = [k for k, w in enumerate(words) if w.lower() in _CUT_WORDS]
                if cuts:
                    words = words[cuts[-1] + 1 :]
                while words and (
                    words[0].lower() in _LEADING_FILLER
                    or (words[0].isdigit() and len(words) > 1 and words[1] == "of")
                ):
                    words = words[1:]  # "§18 of the FTC Act" names the Act
                if len(words) < 2 or len(words) > MAX_TERM_WORDS + 2:
                    continue
                if words[0].lower() in _INSTITUTION_WORDS:
                    continue
                last = n == len(parts) - 1
                term = " ".join(words) + (f" of {m.group(2)}" if m.group(2) and last else "")
                if last and m.group("tail"):
                    term += " " + " ".join(m.group("tail").split())
                out.append(
                    _Candidate(term=term, index=i, acronym=acronym.group(1) if acronym and last else None)
                )
    return out


# "an Agreement on the Path to Normalisation", "the Code of Conduct in the South China Sea": an
# instrument word first, then what it is on, for or of (bounded like every run of words).
_HEAD_FIRST_RE = re.compile(
    rf"(?<![\w-])(?:{_INSTRUMENT_HEADS})\s+(?:on|for|of|against)\s+(?:the\s+)?[A-Z][\w\-]*+"
    rf"(?:\s++(?:(?:of|the|and|on|in|to)\s++){{0,3}}[A-Z][\w\-]*+){{0,{MAX_NAME_WORDS}}}"
)


def _head_first_candidates(texts: list[str]) -> list[_Candidate]:
    """Names that open with their instrument word, unless a longer name found by `_NAMED_RE` holds
    them ("Article 234 of the UN Convention on the Law of the Sea")."""
    out = []
    for i, text in enumerate(texts):
        named = [m.span() for m in _NAMED_RE.finditer(text)]
        for m in _HEAD_FIRST_RE.finditer(text):
            inside = any(a <= m.start() and m.end() <= b for a, b in named)
            if len(m.group().split()) >= 3 and not inside:
                out.append(_Candidate(term=m.group(), index=i))
    return out


def _split_names(words: list[str]) -> list[list[str]]:
    """ "X Program and the Y Initiative" names two instruments; "Belt and Road Initiative" one."""
    parts: list[list[str]] = []
    current: list[str] = []
    for word in words:
        if current and word.lower() in ("and", "or", "&") and _HEAD_WORD_RE.fullmatch(current[-1]):
            parts.append(current)
            current = []
            continue
        current.append(word)
    parts.append(current)
    return parts


def _quoted_candidates(
    sentences, texts, docs, aliases, index: _Occurrences, speakers: dict[int, tuple[str, ...]]
) -> list[_Candidate]:
    phrases: list[tuple[int, str, bool]] = []  # (sentence index, term, has a term signal)
    for i, sentence in enumerate(sentences):
        for q in quotes(sentence.text):
            term = q.text.rstrip(".,;:!?").strip()
            words = _WORD_RE.findall(term)
            if not words or len(words) > MAX_TERM_WORDS or _key(term) in aliases:
                continue
            if len(words) == 1 and term.islower() and "-" not in term:
                continue  # a single plain word in quotes ("grants") is emphasis, not a coinage
            if _is_clause(docs[i], q.start, q.end):
                continue
            before = texts[i][max(0, q.start - 1 - WINDOW) : max(0, q.start - 1)]
            after = texts[i][q.end + 1 : q.end + 1 + WINDOW]
            if _SEE_BEFORE_RE.search(before + '"') or _SECTION_AFTER_RE.match(after):
                continue
            if words[-1].lower() in _QUANTITY_HEADS:
                continue
            owner = _POSSESSOR_RE.search(before)
            signal = bool(
                _HEAD_AFTER_RE.match(after.lstrip(".,;:!?\"' "))
                or _CONCEPT_BEFORE_RE.search(before + '"')
                or _NAMING_BEFORE_RE.search(before + '"')
                or (owner and _resolve(owner.group(1), aliases))
                or _predicated_as_concept(docs[i], q.start, q.end)
                or (i in speakers and _label_in_speech(docs[i], q.start, q.end))
            )
            if _joins_two_phrases(docs[i], q.start, q.end) and _only_possessed(before, after, docs[i], q):
                # "Somalia's 'sovereignty and territorial integrity'", "'good comrades and neighbors'":
                # two things joined are a phrase of speech unless the text calls them a principle.
                continue
            phrases.append((i, term, signal))
    # A phrase quoted on its own twice (not inside a longer quotation) is being used as a term.
    standalone: dict[str, int] = {}
    for _, term, _ in phrases:
        standalone[_key(term)] = standalone.get(_key(term), 0) + 1
    return [
        _Candidate(term=term, index=i, quoted=True)
        for i, term, signal in phrases
        if signal or standalone[_key(term)] >= 2 or index.unquoted(term) > 0
    ]


_DESCRIBING_LEMMAS = {"describe", "characterize", "characterise", "portray", "depict", "present"}


def _label_in_speech(doc, start: int, end: int) -> bool:
    """A short quoted noun phrase in what a party says ("says it has 'indisputable sovereignty'",
    "argues that it amounts to 'de facto recognition'"): the party's label for its case. Not a
    description it gives ("described the operation as ... an 'illegal intrusion'"), a phrase with
    its own article ("an 'in-depth assessment'" is a quoted phrase), two joined phrases, or a bare
    adjective ("'absurd'")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not 2 <= len([t for t in span if not t.is_punct]) <= 4:
        return False
    root = span.root
    if root.pos_ not in ("NOUN", "PROPN") or any(t.dep_ in ("det", "cc") for t in span):
        return False
    if any(t.pos_ in ("VERB", "AUX", "ADP", "PRON") for t in span if t.dep_ != "case"):
        return False
    return not any(a.lemma_ in _DESCRIBING_LEMMAS for a in root.ancestors)


def _joins_two_phrases(doc, start: int, end: int) -> bool:
    """Whether the quotation joins two phrases ("sovereignty and territorial integrity") rather than
    two modifiers of one head ("security and development concerns")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    if any(c.dep_ == "conj" for c in span.root.children):
        return True
    # "legal and moral standing", "sovereignty and territorial integrity": what follows the "and"
    # has its own modifier, so each side is a phrase of its own.
    joints = [t for t in span[:-1] if t.dep_ == "cc" and t.lower_ in ("and", "or")]
    return any(span.doc[t.i + 1].pos_ in ("ADJ", "DET", "PRON") for t in joints)


def _only_possessed(before: str, after: str, doc, q) -> bool:
    """Whether a quotation's only sign of being a term is its possessor (no head noun after it, no
    concept noun or naming verb before it)."""
    return not (
        _HEAD_AFTER_RE.match(after.lstrip(".,;:!?\"' "))
        or _CONCEPT_BEFORE_RE.search(before + '"')
        or _NAMING_BEFORE_RE.search(before + '"')
        or _predicated_as_concept(doc, q.start, q.end)
    )


def _is_clause(doc, start: int, end: int) -> bool:
    """A quotation with its own subject and verb (or a bare verb phrase) is speech, not a term."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    if span[0].tag_ == "VB":
        return True
    for tok in span:
        if (
            tok.dep_ in ("nsubj", "nsubjpass", "csubj", "expl")
            and span.start <= tok.head.i < span.end
            and tok.head.pos_ in ("VERB", "AUX")
        ):
            return True
    return False


def _predicated_as_concept(doc, start: int, end: int) -> bool:
    """Whether the quotation is the subject of "is / becomes / remains a <strategy, slogan...>"
    (the attribute of a conjoined verb counts: "becomes a strategy or remains a slogan")."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass", "csubj") or root.head.lemma_ not in _COPULA_LEMMAS:
        return False
    verbs = [root.head, *(c for c in root.head.children if c.dep_ == "conj" and c.lemma_ in _COPULA_LEMMAS)]
    return any(
        c.dep_ in ("attr", "oprd", "acomp") and c.lemma_.lower() in _CONCEPT_NOUNS
        for verb in verbs
        for c in verb.children
    )


def _term_re(term: str) -> re.Pattern:
    body = r"\s+".join(re.escape(w) for w in normalise_marks(term).split())
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.I)


def _attribution(term, hits, texts, docs, aliases, speakers) -> str | None:
    """The party that uses the term as its own, from its first occurrences: the one who calls it so
    ("what the EU calls Russia's 'shadow fleet'"), its possessor ("the DPRK's 'new strategic line'"),
    the agent of "proposed / launched by", the one who proposes, launches or says it (a term inside a
    quotation belongs to whoever speaks it, not to the party the sentence is about). None when the
    author coins it; an unquoted name that opens with an actor's name ("EU Strategy") is that actor's."""
    quoted_first = False
    for i, start, end in hits:
        text = texts[i]
        inside_quote = _inside_quotation(text, start)
        quoted_first = quoted_first or ((i, start) == hits[0][:2] and inside_quote)
        # A pronoun with no speaker in its own sentence goes back to the previous sentence's ("The
        # IAEA estimated ... the agency has lost what it calls 'continuity of knowledge'").
        near = speakers.get(i) or speakers.get(i - 1, ())
        if actor := _namer(docs[i], start, end, aliases, near):
            return actor
        owner = _POSSESSOR_RE.search(text, max(0, start - WINDOW), start)
        if owner and (actor := _resolve(owner.group(1), aliases)):
            return actor
        by = _BY_AFTER_RE.match(text, end)
        if by and (actor := _resolve(by.group(1), aliases)):
            return actor
        if actor := _reporting_speaker(docs[i], start, end, aliases, speakers.get(i, ())):
            return actor
        if actor := _proposer(docs[i], start, end, aliases, speakers.get(i, ())):
            return actor
        if inside_quote and speakers.get(i):
            return speakers[i][0]  # a term in someone's quoted words is theirs
    # "China Road Map", "EU Strategy": an unquoted name that itself names its owner.
    first = term.split()[0]
    if len(term.split()) > 1 and not quoted_first:
        return aliases.get(_key(first))
    return None


_NAMING_LEMMAS = {"call", "dub", "term", "label", "brand", "name"}
_PRONOUNS = {"it", "they", "he", "she", "we", "its", "their", "his", "her"}


def _namer(doc, start: int, end: int, aliases, speakers) -> str | None:
    """The subject of a naming verb whose object predicate is the term: "China calls itself a
    'near-Arctic state'", "the tankers it calls Russia's 'shadow fleet'" (the one who calls, never
    the possessor inside the name)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    node = span.root
    for _ in range(3):
        head = node.head
        if head is node:
            return None
        if (
            head.pos_ == "VERB"
            and head.lemma_ in _NAMING_LEMMAS
            and node.dep_ in ("oprd", "attr", "dobj", "xcomp")
        ):
            subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
            return _resolve_token(subject, doc, aliases, speakers) if subject is not None else None
        node = head
    return None


def _resolve_token(token, doc, aliases, speakers) -> str | None:
    """The actor a subject token names: its own name (the words up to the head, not a conjoined
    second subject), or for a pronoun the sentence's speaker, else the main clause's subject."""
    if token is None:
        return None
    such_as = [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == "as"
        for g in c.children
        if g.dep_ == "pobj"
    ]
    if such_as and (named := _resolve(doc[such_as[0].left_edge.i : such_as[0].i + 1].text, aliases)):
        return named  # "Serbian officials such as Aleksandar Vulin have called it ...": the one named
    if token.lower_ in _PRONOUNS:
        if speakers:
            return speakers[0]
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None) if root is not None else None
        if subject is not None and subject is not token and subject.lower_ not in _PRONOUNS:
            return _resolve(doc[subject.left_edge.i : subject.i + 1].text, aliases)
        return None
    return _resolve(doc[token.left_edge.i : token.i + 1].text, aliases)


def _inside_quotation(text: str, start: int) -> bool:
    """Whether the position lies inside quotation marks, a quotation left open at the sentence's
    end included (the text's marks are straight here: an odd number of them before it)."""
    return text.count('"', 0, start) % 2 == 1 or any(q.start <= start < q.end + 1 for q in quotes(text))


def _speakers(sentences, texts: list[str], actors: tuple[Actor, ...]) -> dict[int, tuple[str, ...]]:
    """Sentence index -> the actors the positions stage found speaking or acting in it, in the
    order their names first appear there."""
    index = {s.id: i for i, s in enumerate(sentences)}
    found: dict[int, list[str]] = {}
    for actor in actors:
        for p in actor.positions:
            if p.cite.sentence in index:
                found.setdefault(index[p.cite.sentence], []).append(actor.id)
    out = {}
    for i, ids in found.items():
        text = texts[i].lower()
        first = {
            a.id: min((text.find(_key(n)) for n in (a.name, *a.aliases) if _key(n) in text), default=10**9)
            for a in actors
            if a.id in ids
        }
        out[i] = tuple(sorted(dict.fromkeys(ids), key=lambda a: first[a]))
    return out


def _names_a_place(term: str, aliases) -> bool:
    words = term.lower().split()
    return bool(words) and words[-1] in lexicon.words("geographic_features")


def _reporting_speaker(doc, start: int, end: int, aliases, speakers) -> str | None:
    """The speaker of a reporting verb whose content holds the term: "Boric said that Chile would
    pursue a 'blue growth' strategy" is Boric's term, not Chile's (the outermost speaker)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    found, node = None, span.root
    for _ in range(12):
        head = node.head
        if head is node:
            break
        if node.dep_ in ("ccomp", "parataxis") and head.pos_ in ("VERB", "AUX") and head.lemma_ in _REPORTING:
            subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                found = _resolve_token(subject, doc, aliases, speakers) or found
        node = head
    return found


_REPORTING = lexicon.words("reporting_verbs")
_ACT_LEMMAS = lexicon.words("policy_act_verbs") | {"call", "publish"}


def _proposer(doc, start: int, end: int, aliases, speakers) -> str | None:
    """The subject of a verb that proposes, launches or enacts the term ("X put forward proposals for
    T", "the EU answered with T", "Congress passed a law, T"), the nearest such verb above it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    for steps, verb in enumerate(span.root.ancestors):
        if steps > 8:
            break
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        if verb.lemma_ not in _PROPOSE_LEMMAS and verb.lemma_ not in _ACT_LEMMAS:
            continue
        if verb.lemma_ == "put" and not any(c.lower_ == "forward" for c in verb.children):
            continue
        agent = next(
            (g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None
        )
        subject = agent or next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return _resolve_token(subject, doc, aliases, speakers)
    return None


def _definition(hits, texts, docs) -> str | None:
    for i, start, end in hits:
        text = texts[i]
        m = _DEF_AFTER_RE.match(text, end)
        if m:
            return _clean(_clause_only(docs[i], m.start("cue"), m.start("d"), m.group("d")))
        m = _ESSENCE_RE.search(text, end, end + 2 * WINDOW + 400)
        if m:
            return _clean(m.group("d"))
        appos = _apposition(docs[i], start, end)
        if appos:
            return appos
        # "What are T?" answered by "... it means ...".
        if text.rstrip("\"' ").endswith("?") and i + 1 < len(texts):
            m = _MEANS_RE.search(texts[i + 1])
            if m:
                return _clean(m.group("d"))
    return None


def _clause_only(doc, cue_char: int, d_char: int, fallback: str) -> str:
    """The explanation without the main clause resuming after it: "the line, which is X,
    was discussed" gives X, not "X, was discussed" (cut only where a verb of the main clause
    follows, as the small model often detaches trailing phrases of the explanation itself)."""
    cue = next((t for t in doc if t.idx >= cue_char), None)
    if cue is None:
        return fallback
    head = cue if cue.pos_ == "VERB" else cue.head
    clause = {t.i for t in head.subtree}
    nxt = head.right_edge.i + 1
    while nxt < len(doc) and doc[nxt].is_punct:
        nxt += 1
    if nxt < len(doc) and nxt not in clause and doc[nxt].pos_ in ("VERB", "AUX"):
        end = head.right_edge.idx + len(head.right_edge.text)
        if end > d_char:
            return doc.text[d_char:end]
    return fallback


def _apposition(doc, start: int, end: int) -> str | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for tok in span:
        for child in tok.children:
            if child.dep_ == "appos" and child.i >= span.end:
                words = doc[child.left_edge.i : child.right_edge.i + 1]
                if len(words) >= 3:
                    return _clean(words.text)
    return None


def _clean(text: str) -> str:
    text = squash(text).rstrip(" .,;:\"'").strip()
    if text.startswith("(") and ")" not in text:  # "(2018 farm bill; P.L. ...": the aside itself
        text = text[1:].split(";")[0].strip()
    return text
