"""Terms the text names through its grammar rather than its capitals or quotation marks.

Rules, no list of known terms (the word lists are data, `lexicon`):
- what a naming verb gives a name ("Kosovo calls it the Association of Serb-majority
  Municipalities"), with the one who calls it so as owner; a comparison ("what he calls a new
  Republika Srpska") and a place ("the shoal, which China calls Ren'ai Jiao") are not terms;
- a named operation: "Operation X", a proper name launched or activated ("NATO launched Baltic
  Sentry"), a proper name before "exercises" ("the Balikatan exercises"), owned by who launches it;
- what the text says is called so: "its so-called Termination Day", "referred to as foreign
  official holdings", "known as X" (unless X names a person or a place);
- a phrase the text glosses with "(i.e., ...)" ("a speculative ticket (i.e., a ticket that ...)"),
  or the short phrase inside the gloss ("(i.e., all-in pricing)");
- a phrase defined by an acronym in parentheses that is not an actor ("exclusive economic zone (EEZ)");
- a numbered instrument ("Resolution 2231", "Chapter 35", "Executive Order 14254");
- a quoted hyphenated word used as a modifier ("a case of 'gray-zone' coercion").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from . import lexicon
from .acronyms import initials_match  # one rule for spelling out acronyms, shared with the actors

MAX_TERM_WORDS = 8
MAX_PER_SENTENCE = 8  # glosses and quoted compounds examined per sentence (each costs a token scan)
_QUOTED_COMPOUND = re.compile(r"[\u201c\"]([a-z]++(?:-[a-z]++){1,4})[\u201d\"]\s+([a-z]+)")
_NAMING = {"call", "dub", "term", "label", "brand", "name"}
_LAUNCH = {"launch", "activate", "conduct", "stage", "initiate", "unveil", "begin", "start"}
_CALLED_CUES = re.compile(r"\b(?:so-called|referred to as|known as|termed|dubbed)\s+$", re.I)
_NUMBERED = re.compile(
    rf"(?<![\w.])(?:{lexicon.alternation('numbered_instruments')})(?:\s+\([A-Z.]{{2,8}}\))?\s+\d[\d\-]{{0,8}}(?![\w-])"
)
_OPERATION = re.compile(r"(?<![\w.])Operation(?:\s+[A-Z][\w'\-]*+){1,3}")
_URLISH = re.compile(r"[()/]|https?:|www\.")
_IE = re.compile(r"\(\s*i\.\s?e\.,?\s*")
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")


@dataclass(frozen=True)
class Coinage:
    term: str
    index: int  # sentence index
    owner: Any | None = None  # the spaCy token of the party that names or launches it, if the rule saw one


def find(docs, texts: list[str]) -> list[Coinage]:
    """The terms found by the rules above, in text order."""
    out: list[Coinage] = []
    for i, (doc, text) in enumerate(zip(docs, texts, strict=True)):
        out += _named(i, doc)
        out += _launched(i, doc)
        out += _called(i, doc, text)
        out += _glossed(i, doc, text)
        out += _acronym_defined(i, doc, text)
        out += [Coinage(term=m.group(), index=i) for m in _NUMBERED.finditer(text)]
        out += [Coinage(term=m.group(), index=i) for m in _OPERATION.finditer(text)]
        out += _hyphenated_modifiers(i, doc, text)
    return [c for c in out if 0 < len(c.term.split()) <= MAX_TERM_WORDS and not _URLISH.search(c.term)]


def _subject(verb):
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def _named(i: int, doc) -> list[Coinage]:
    out = []
    for tok in doc:
        if tok.dep_ != "oprd" or tok.head.lemma_ not in _NAMING or tok.head.pos_ != "VERB":
            continue
        if not tok.text[:1].isupper() or tok.ent_type_ in ("PERSON", "GPE", "LOC", "FAC"):
            # Lower-case words are a description ("calls them sanctions"); persons and places no terms.
            continue
        if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children):
            continue  # "what he calls a new Republika Srpska": a comparison
        named = tok.head.head if tok.head.dep_ in ("relcl", "acl") else None
        if named is not None and named.lower_ in lexicon.words("geographic_features") | {"shoal", "reef"}:
            continue
        words = [t for t in tok.subtree if not t.is_punct or t.text in ("-", "'")]
        while words and words[0].lower_ in ("the", "a", "an"):
            words = words[1:]
        if words:
            out.append(Coinage(term=_span_text(words), index=i, owner=_subject(tok.head)))
    return out


def _launched(i: int, doc) -> list[Coinage]:
    out = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.ent_type_ in ("GPE", "LOC", "NORP"):
            continue
        head = tok.head
        if tok.dep_ == "dobj" and head.lemma_ in _LAUNCH and head.pos_ == "VERB":
            # The name's own words before its head ("Baltic Sentry"), not a determiner or possessor;
            # the small model tags some such names PERSON, but no person is launched or activated.
            words = [
                t
                for t in tok.subtree
                if t.i <= tok.i and t.dep_ not in ("det", "poss", "case") and not t.is_punct
            ]
            out.append(Coinage(term=_span_text(words), index=i, owner=_subject(head)))
        elif (
            tok.dep_ == "compound" and head.lower_ in lexicon.words("exercise_words") and tok.i + 1 == head.i
        ):
            out.append(Coinage(term=tok.text, index=i))
    return out


def _called(i: int, doc, text: str) -> list[Coinage]:
    """ "its so-called Termination Day", "(referred to as foreign official holdings in Figure 3)"."""
    out = []
    for chunk in doc.noun_chunks:
        words = [t for t in chunk if t.dep_ not in ("det", "poss") and not t.is_punct]
        # "its so-called Sunset Date": the cue may sit inside the chunk, as a modifier.
        cue = next(
            (k for k, t in enumerate(words) if t.lower_ in ("so-called", "called") and k + 1 < len(words)),
            None,
        )
        if (cue is not None and words[cue].lower_ == "so-called") or (
            cue is not None and words[cue - 1].lower_ == "so"
        ):
            words = words[cue + 1 :]
        elif not words or not _CALLED_CUES.search(text[max(0, chunk.start_char - 40) : words[0].idx]):
            continue
        if chunk.root.ent_type_ in ("PERSON", "GPE", "LOC") or any(t.lower_ in ("it", "them") for t in words):
            continue
        prev = doc[chunk.start - 1] if chunk.start > 0 else None
        while prev is not None and (
            prev.is_punct or prev.lower_ in ("known", "as", "so", "-", "called", "referred", "to")
        ):
            prev = doc[prev.i - 1] if prev.i > 0 else None
        if prev is not None and (
            prev.ent_type_ == "PERSON" or prev.lower_ in lexicon.words("geographic_features")
        ):
            continue  # "Abdirahman Mohamed Abdullahi, known as Irro", "the river known as the Lancang"
        out.append(Coinage(term=_span_text(words), index=i))
    return out


def _glossed(i: int, doc, text: str) -> list[Coinage]:
    """The glossed phrase is the term ("a speculative ticket (i.e., a ticket that ...)"), unless the
    gloss is itself a short noun phrase, which is then the term ("ticketing services (i.e.,
    ticketers)", "(i.e., all-in pricing)")."""
    out = []
    for m in itertools.islice(_IE.finditer(text), MAX_PER_SENTENCE):
        close = text.find(")", m.end(), m.end() + 200)
        inner = text[m.end() : close].strip() if close > 0 else ""
        inside = [t for t in doc if m.end() <= t.idx < m.end() + len(inner)] if inner else []
        if (
            1 <= len(inner.split()) <= 3
            and inside
            and not any(t.pos_ in ("VERB", "AUX", "PRON", "DET") for t in inside)
        ):
            if len(inner.split()) >= 2 or "-" in inner:
                out.append(Coinage(term=inner, index=i))
            continue
        # The phrase right before the bracket: its noun or adjective and their modifiers.
        before = [t for t in doc if t.idx + len(t.text) <= m.start()]
        if (
            before
            and before[-1].pos_ in ("NOUN", "ADJ", "VERB")
            and before[-1].tag_ in ("NN", "NNS", "JJ", "VBN")
        ):
            last = before[-1]
            words = [last]
            j = last.i - 1
            while (
                j >= 0
                and doc[j].dep_ in ("amod", "compound", "advmod")
                and doc[j].head.i > j
                and len(words) < 4
            ):
                words.insert(0, doc[j])
                j -= 1
            if len(words) >= 2 or "-" in last.text:
                out.append(Coinage(term=_span_text(words), index=i))
    return out


def _acronym_defined(i: int, doc, text: str) -> list[Coinage]:
    """ "exclusive economic zone (EEZ)": a lower-case phrase an acronym is defined for is a term."""
    out = []
    for m in _ACRONYM.finditer(text):
        acronym = m.group(1)
        if sum(ch.isupper() for ch in acronym) < 2:
            continue
        words = re.findall(r"[A-Za-z][\w'\-]*", text[max(0, m.start() - 120) : m.start()])
        for k in range(2, min(len(words), 8) + 1):
            phrase = words[-k:]
            if initials_match(acronym, " ".join(phrase)):
                if phrase[0][:1].islower():
                    out.append(Coinage(term=" ".join(phrase), index=i))
                break
    return out


def _hyphenated_modifiers(i: int, doc, text: str) -> list[Coinage]:
    out = []
    for m in itertools.islice(_QUOTED_COMPOUND.finditer(text), MAX_PER_SENTENCE):
        tok = next((t for t in doc if t.idx >= m.start(2)), None)
        if tok is not None and tok.pos_ == "NOUN":
            out.append(Coinage(term=m.group(1), index=i))
    return out


def _span_text(tokens) -> str:
    tokens = sorted(tokens, key=lambda t: t.i)
    doc = tokens[0].doc
    return doc[tokens[0].i : tokens[-1].i + 1].text.strip(" ,.;:\"'\u201c\u201d")
