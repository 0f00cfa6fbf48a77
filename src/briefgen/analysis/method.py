"""Sentences that are never the argument: a report's method and scope, and its front matter.

An audit or research report says how it did its work ("we reviewed servicer contracts", "we
interviewed officials", "this report examines ...", "we conducted this performance audit ...")
besides what it found and recommends. Those sentences are background: the key points and the
bottom line are its findings and recommendations. A sentence is method when

- its main verb (or the verb it governs: "we also plan to examine", "you asked us to review") is a
  research act (`data/research_verbs.txt`) whose subject is the author ("we", "I", the report or
  study itself, an institution writing of itself: `data/institutional_authors.txt`), and no
  coordinated verb states a result ("we reviewed the files and found ...");
- or it names the study's own apparatus: its objectives, scope, methodology, auditing standards
  (`data/method_phrases.txt`);
- or it stands in a section headed as objectives, scope or methodology (`data/method_headings.txt`).

A credit line ("Prepared by the X Group, January 2025", copyright, suggested citation:
`data/front_matter.txt`) is front matter, never a point.
"""

from __future__ import annotations

import re

from . import lexicon
from .parse import Parsed

RESEARCH_VERBS = "research_verbs.txt"
METHOD_PHRASES = "method_phrases.txt"
METHOD_HEADINGS = "method_headings.txt"
FRONT_MATTER = "front_matter.txt"
INSTITUTIONS = "institutional_authors.txt"

_AUTHOR_PRONOUNS = {"we", "i", "us", "me"}
# The report speaking of itself: "this report examines", "the present study describes".
_SELF_NOUNS = {"report", "study", "review", "paper", "analysis", "audit", "memo", "brief", "testimony"}
_SELF_DETERMINERS = {"this", "our", "present"}
# Verbs that carry another verb of the author's ("we also plan to examine", "you asked us to review").
_CARRIERS = {"plan", "intend", "seek", "aim", "ask", "request", "begin", "continue"}
_MAX_CREDIT_WORDS = 40


def method_sentences(parsed: Parsed) -> tuple[bool, ...]:
    """Per sentence: is it the report's method or scope (background, never a point)?"""
    verbs = lexicon.words(RESEARCH_VERBS)
    institutions = lexicon.words(INSTITUTIONS)
    phrases = [re.compile(p, re.I) for p in lexicon.entries(METHOD_PHRASES)]
    headings = lexicon.heading_pattern(METHOD_HEADINGS)
    section = {p.id: bool(p.heading and headings.search(p.heading)) for p in parsed.document.paragraphs}
    out = []
    for sentence, doc in zip(parsed.sentences, parsed.docs, strict=True):
        out.append(
            section.get(sentence.paragraph, False)
            or any(p.search(sentence.text) for p in phrases)
            or _research_act(doc, verbs, institutions)
        )
    return tuple(out)


def front_matter(text: str) -> bool:
    """A credit, copyright or citation line of the title page or colophon."""
    pattern = _front_matter_pattern()
    return bool(pattern.match(text.strip())) and len(text.split()) <= _MAX_CREDIT_WORDS


def _front_matter_pattern() -> re.Pattern[str]:
    return lexicon.heading_pattern(FRONT_MATTER)


def _research_act(doc, verbs: frozenset[str], institutions: frozenset[str]) -> bool:
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return False
    verb, subject = root, _subject(root)
    if root.lemma_.lower() in _CARRIERS:
        governed = next((c for c in root.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
        if governed is not None:
            # "you asked us to examine": the object is the one who examines.
            subject = next((c for c in root.children if c.dep_ == "dobj"), None) or subject
            verb = governed
    if verb.lemma_.lower() not in verbs or not _is_author(subject, institutions):
        return False
    # "We reviewed the files and found ...": a coordinated result is a finding.
    return all(c.lemma_.lower() in verbs for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")


def _subject(verb):
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _is_author(subject, institutions: frozenset[str]) -> bool:
    if subject is None:
        return False
    word = subject.lower_
    if word in _AUTHOR_PRONOUNS or word in institutions:
        return True
    determiners = {c.lower_ for c in subject.children if c.dep_ in ("det", "poss", "amod")}
    return subject.lemma_.lower() in _SELF_NOUNS and bool(determiners & _SELF_DETERMINERS)
