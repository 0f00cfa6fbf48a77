"""One spaCy parse per analysis: the frozen `Parsed` value every analyser is handed.

`analyze()` calls `parse()` once and passes the result explicitly to each analyser, so nothing
parses twice and no module keeps documents alive after the run (there is no cache: a batch
worker holds only the Docs of the source it is working on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import nlp
from ..model import Document, Sentence
from .gazetteer import normalize


@dataclass(frozen=True, eq=False)
class Parsed:
    """A document, its sentences, and the parse of each sentence, title and section heading.

    `docs[i]` is the parse of `sentences[i].text` with typographic apostrophes and hyphens made
    ASCII (same length, so character offsets into the sentence still hold): the small model reads
    "DPRK’s" as one word otherwise.
    """

    document: Document
    sentences: tuple[Sentence, ...]
    docs: tuple[Any, ...]  # spaCy Doc, one per sentence
    title: Any | None = None  # spaCy Doc of the title, None without one
    headings: dict[str, Any] = field(default_factory=dict)  # heading text -> spaCy Doc

    def index(self) -> dict[str, int]:
        """Sentence id -> position in `sentences`."""
        return {s.id: i for i, s in enumerate(self.sentences)}


def parse(document: Document, sentences: tuple[Sentence, ...]) -> Parsed:
    """Parse every sentence, the title and each distinct section heading in one pipe."""
    # Every component of the small model is used, so none is disabled: the tagger (PROPN, plural
    # tags), the parser (subjects, modifiers, clauses), the lemmatizer (stance verbs, bags of words)
    # and the NER (actors).
    model = nlp.model()
    sentences = tuple(sentences)
    title = (document.meta.title or "").strip()
    headings = sorted({p.heading.strip() for p in document.paragraphs if p.heading and p.heading.strip()})
    extra = ([title] if title else []) + headings
    texts = [normalize(s.text) for s in sentences] + [normalize(t) for t in extra]
    docs = list(model.pipe(texts, batch_size=64))
    body, rest = docs[: len(sentences)], docs[len(sentences) :]
    title_doc = rest.pop(0) if title else None
    return Parsed(
        document=document,
        sentences=sentences,
        docs=tuple(body),
        title=title_doc,
        headings=dict(zip(headings, rest, strict=True)),
    )
