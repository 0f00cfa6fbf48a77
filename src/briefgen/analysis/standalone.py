"""A cited sentence must stand alone: an opening pronoun or demonstrative gets its referent.

"It requires foreign ships to seek permission" means nothing in a memo without the sentence
before it. When the parse makes the referent clear, the opening words are replaced by it in
square brackets ("[The Northern Sea Route] requires ..."); when it does not, the sentence does
not stand alone and the key points choose another. Resolution is deliberately narrow (the subject
of the sentence before, agreeing in number, or a noun phrase with the same head noun): a wrong
referent is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .parse import Parsed
from .text import opens_in_lower_case

_SUBJECT_PRONOUNS = {"it": "sing", "they": "plur", "he": "person", "she": "person"}
_POSSESSIVES = {"its": "sing", "their": "plur", "his": "person", "her": "person"}
_DEMONSTRATIVES = {"this": "sing", "that": "sing", "these": "plur", "those": "plur"}
# "It is likely that ...", "It has been 14 years since ...": an "it" pointing forward.
_EXPLETIVE_IT = re.compile(
    r"^It(?:'s| is| was| has been| had been| will be| would be| remains| seems| appears| may be| might be)\b"
    r".*\b(?:that|to|since|whether|how|why|when|if|before)\b"
)
# "This year", "that week": a demonstrative on the calendar points at the date, not back.
_TIME_NOUNS = {
    "year",
    "month",
    "week",
    "day",
    "time",
    "decade",
    "century",
    "spring",
    "summer",
    "autumn",
    "winter",
}
_MAX_REFERENT_WORDS = 8


@dataclass(frozen=True)
class Opening:
    """How a sentence opens: `stands` is False when it leans on a referent nothing resolves;
    otherwise its first `replaced` characters give way to `bracket` ("[The route]")."""

    stands: bool
    bracket: str | None = None
    replaced: int = 0

    def apply(self, text: str) -> str | None:
        """`text` (the sentence, or a cut of it keeping its opening) with the referent; None
        when there is none or the text no longer opens the same way."""
        if self.bracket is None:
            return None
        return self.bracket + text[self.replaced :]


def opening(parsed: Parsed, i: int) -> Opening:
    sentence = parsed.sentences[i]
    doc = parsed.docs[i]
    text = sentence.text
    if not len(doc) or _EXPLETIVE_IT.match(text):
        return Opening(True)
    first = doc[0]
    word = first.lower_
    if word not in _SUBJECT_PRONOUNS and word not in _POSSESSIVES and word not in _DEMONSTRATIVES:
        return Opening(True)
    previous = parsed.docs[i - 1] if i > 0 else None
    if word in _DEMONSTRATIVES:
        if first.dep_ == "det" or (len(doc) > 1 and doc[1].pos_ in ("NOUN", "PROPN")):
            head = first.head if first.dep_ == "det" else doc[1]
            if head.lemma_.lower() in _TIME_NOUNS:
                return Opening(True)
            referent = (
                _same_head(previous, head, parsed.sentences[i - 1].text) if previous is not None else None
            )
            if referent is None:
                return Opening(False)
            return Opening(True, f"[{_capitalised(referent)}]", head.idx + len(head.text))
        return Opening(False)  # "This was ...": the referent is a whole clause before
    number = _SUBJECT_PRONOUNS.get(word) or _POSSESSIVES[word]
    referent = (
        _previous_subject(previous, number, parsed.sentences[i - 1].text) if previous is not None else None
    )
    if referent is None:
        return Opening(False)
    if word in _POSSESSIVES:
        referent = referent + ("'" if referent.endswith("s") else "'s")
    return Opening(True, f"[{_capitalised(referent)}]", len(first.text))


def _previous_subject(doc, number: str, original: str) -> str | None:
    """The subject noun phrase of the sentence before's main verb, when it agrees in number."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ == "PRON":
        return None
    plural = subject.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subject.children)
    person = subject.ent_type_ == "PERSON"
    if number == "person" and not person:
        return None
    if number == "sing" and (plural or person):
        return None
    if number == "plur" and not plural:
        return None
    return _phrase(doc, subject, original)


def _same_head(doc, head, original: str) -> str | None:
    """A noun phrase of the sentence before with the same head noun ("these dams" -> "the
    Chinese dams"), the last one when there are several."""
    lemma = head.lemma_.lower()
    found = None
    for chunk in doc.noun_chunks:
        if chunk.root.lemma_.lower() == lemma and chunk.root.tag_ == head.tag_:
            found = chunk
    if found is None or found[0].lower_ in _DEMONSTRATIVES or found[0].pos_ == "PRON":
        return None
    return _phrase(doc, found.root, original)


def _phrase(doc, head, original: str) -> str | None:
    """The head's noun phrase without relative clauses or long modifiers, or None when long."""
    tokens = [t for t in head.subtree if t.dep_ not in ("relcl", "acl", "punct", "appos", "advcl")]
    keep = [
        t for t in tokens if not any(a in tokens and a.dep_ in ("relcl", "acl", "appos") for a in t.ancestors)
    ]
    if not keep:  # the head is itself punctuation or a clause the phrase leaves out: no referent
        return None
    left = min(t.i for t in keep)
    right = max(t.i for t in keep)
    if right - left + 1 > _MAX_REFERENT_WORDS:
        right = head.i
        left = max(left, head.left_edge.i)
        if right - left + 1 > _MAX_REFERENT_WORDS:
            return None
    span = doc[left : right + 1]
    return original[span.start_char : span.end_char].strip(" ,;:")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# Connectives that open a sentence only to tie it to the one before ("Therefore, ...",
# "Specifically, ..."), set off by a comma. Where they come from: the conjunctive relations of
# Halliday & Hasan, Cohesion in English (1976), and the Penn Discourse Treebank 2.0 explicit
# connectives that open a sentence.
_CONNECTIVES = re.compile(
    r"^(?:however|therefore|thus|hence|specifically|further|furthermore|moreover|additionally"
    r"|consequently|accordingly|nevertheless|nonetheless|similarly|likewise|instead|conversely"
    r"|otherwise|meanwhile|still|in addition|as a result|for example|for instance|in contrast"
    r"|by contrast|on the other hand|in turn|that said|even so|to that end|in particular"
    r"|in response|at the same time|in that case|as such),",
    re.I,
)
# Nouns that, bare after "the" or a demonstrative, name something said or proposed in the
# sentence before ("... rejected the charge.", "the proposal failed", "that reading").
_BACK_NOUNS = frozenset(
    [
        "charge",
        "charges",
        "accusation",
        "accusations",
        "allegation",
        "allegations",
        "claim",
        "claims",
        "proposal",
        "offer",
        "request",
        "demand",
        "demands",
        "idea",
        "move",
        "suggestion",
        "argument",
        "reading",
        "criticism",
        "assertion",
        "view",
        "approach",
        "plan",
        "decision",
    ]
)
_MIN_ANTECEDENT_WORDS = 6  # shorter "sentences" before are headings or labels, not antecedents


# An opening phrase set off by a comma whose noun is pointed back at by a demonstrative ("From
# these two statements, ...", "Against this backdrop, ...", "Under that arrangement, ..."): it ties
# the sentence to the one before as a connective does. "This year" and the like point at the
# calendar instead (see _TIME_NOUNS), so they are left alone.
_BACK_PHRASE = re.compile(
    r"^(?:from|in|against|given|under|with|on|by|after|for|despite|beyond|through|at|of|because of)"
    r"\s+(?:all\s+|both\s+)?(this|these|that|those)\s+((?:[\w’'-]+\s+){0,3}?[\w’'-]+),",
    re.I,
)


def opens_on_connective(text: str) -> bool:
    """Does the sentence open on a connective, or on a phrase pointing back ("From these ...,")?"""
    opened = text.lstrip("“\"‘'( ")
    if _CONNECTIVES.match(opened):
        return True
    back = _BACK_PHRASE.match(opened)
    if back is None:
        return False
    noun = back.group(2).split()[-1].lower()
    return not (back.group(1).lower() in ("this", "these") and noun.rstrip("s") in _TIME_NOUNS)


def leans_back(parsed: Parsed, i: int) -> str | None:
    """How the sentence leans on the one before, so that printed alone it says less than it
    means (or, after "However,", the opposite): "connective" when it opens on one, "noun" when
    it points back through a bare noun phrase ("the charge", "that reading") as the subject or
    object of its main verb; None when it does not."""
    for token in parsed.docs[i]:
        if (
            token.lower_ in _BACK_NOUNS
            and token.dep_ in ("nsubj", "nsubjpass", "dobj")
            and token.head.dep_ == "ROOT"
            and [c.lower_ for c in token.children] in (["the"], ["this"], ["that"], ["these"], ["those"])
        ):
            return "noun"
    return "connective" if opens_on_connective(parsed.sentences[i].text) else None


def antecedent(parsed: Parsed, i: int) -> int | None:
    """The sentence before, when it can carry what sentence `i` leans on: in the same paragraph, or
    the last of the paragraph before, and long enough to be a sentence rather than a heading."""
    if i == 0:
        return None
    before = parsed.sentences[i - 1]
    if len(before.text.split()) < _MIN_ANTECEDENT_WORDS or before.text.rstrip()[-1:] not in '.!?”"’)':
        return None
    if opens_on_connective(before.text):
        return None  # joined, it would open on a connective all the same
    if opens_in_lower_case(before.text):
        return None  # the tail of a sentence broken at a page end carries nothing
    return i - 1
