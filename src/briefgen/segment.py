"""Sentences with stable ids (`p3.s2`) and offsets into their paragraph.

The loaded model's tokenizer with spaCy's rule-based sentencizer is enough here: it
keeps abbreviations such as "U.S." and "Mr." whole (tokenizer exceptions) and needs
no parse (the analysis parses once, later). `text[start:end]` of the paragraph is always
exactly the sentence text.
"""

from __future__ import annotations

import logging

from . import nlp
from .model import Document, Sentence

logger = logging.getLogger(__name__)

# spaCy refuses texts over `nlp.max_length` (1,000,000 characters); longer paragraphs
# (a 20 MB text file with no blank lines) are cut at whitespace into pieces below it.
_CHUNK = 500_000


def _chunks(text: str) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering `text`, each piece under the spaCy limit."""
    pieces = []
    start = 0
    while len(text) - start > _CHUNK:
        low, high = start + _CHUNK // 2, start + _CHUNK
        # Cut after a sentence end if there is one in the window, else at a space, so the
        # cut itself rarely splits a sentence.
        cut = max(text.rfind(mark, low, high) for mark in (". ", "? ", "! "))
        cut = cut + 1 if cut > start else text.rfind(" ", low, high)
        cut = cut if cut > start else high
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


def segment(document: Document) -> tuple[Sentence, ...]:
    """Every non-empty sentence of every paragraph, in order."""
    pipeline = nlp.sentencizer()
    jobs = [
        (paragraph.id, offset, piece)
        for paragraph in document.paragraphs
        for offset, piece in _chunks(paragraph.text)
    ]
    sentences: list[Sentence] = []
    counts: dict[str, int] = {}
    docs = pipeline.pipe(piece for _, _, piece in jobs)
    for (paragraph_id, offset, piece), doc in zip(jobs, docs, strict=False):
        for span in doc.sents:
            raw = piece[span.start_char : span.end_char]
            stripped = raw.strip()
            if not stripped:
                continue
            start = offset + span.start_char + (len(raw) - len(raw.lstrip()))
            counts[paragraph_id] = counts.get(paragraph_id, 0) + 1
            sentences.append(
                Sentence(
                    id=f"{paragraph_id}.s{counts[paragraph_id]}",
                    paragraph=paragraph_id,
                    text=stripped,
                    start=start,
                    end=start + len(stripped),
                )
            )
    return tuple(sentences)
