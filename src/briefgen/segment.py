"""Sentences with stable ids (`p3.s2`) and offsets into their paragraph.

The loaded model's tokenizer with spaCy's rule-based sentencizer is enough here: it
keeps abbreviations such as "U.S." and "Mr." whole (tokenizer exceptions) and needs
no parse (the analysis parses once, later). `text[start:end]` of the paragraph is always
exactly the sentence text.
"""

from __future__ import annotations

import logging
import re

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


# The sentencizer ends a sentence at every full stop the tokenizer leaves on its own, so a
# reference abbreviation splits what follows it: "H.Res. | 341 (2025) ...", "Sec. | 11101",
# "Fig. | 3", "(No. | 12)". A split is undone when the piece before ends on such an abbreviation
# and the piece after goes on with a number or a lower-case word. The list: the abbreviations of
# section, figure, page and volume references and of congressional documents as the style manuals
# give them (the Chicago Manual of Style's chapter on abbreviations, the GPO Style Manual's), where
# the model's tokenizer keeps none of them whole. Dotted forms ("H.Res.", "P.L.") count without
# being listed.
_REFERENCE_ABBREVIATIONS = frozenset(
    [
        "no",
        "nos",
        "sec",
        "secs",
        "art",
        "arts",
        "fig",
        "figs",
        "vol",
        "vols",
        "ch",
        "chap",
        "pp",
        "p",
        "para",
        "paras",
        "res",
        "rept",
        "doc",
        "pub",
        "stat",
        "reg",
        "cl",
        "subsec",
        "amdt",
        "app",
        "ex",
        "eq",
        "ref",
        "approx",
        "est",
        "cf",
        "vs",
        "v",
    ]
)
_ABBREVIATION_END = re.compile(r"(?:^|[\s(\[])(?P<word>[A-Za-z]+(?:\.[A-Za-z]+)*)\.$")
_GOES_ON = re.compile(r"^[(\[]?(?:\d|[a-z])")


def _continues(before: str, after: str) -> bool:
    end = _ABBREVIATION_END.search(before)
    if end is None or not _GOES_ON.match(after):
        return False
    word = end.group("word")
    return "." in word or word.lower() in _REFERENCE_ABBREVIATIONS


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
    paragraphs = {p.id: p.text for p in document.paragraphs}
    docs = pipeline.pipe(piece for _, _, piece in jobs)
    for (paragraph_id, offset, piece), doc in zip(jobs, docs, strict=False):
        for span in doc.sents:
            raw = piece[span.start_char : span.end_char]
            stripped = raw.strip()
            if not stripped:
                continue
            start = offset + span.start_char + (len(raw) - len(raw.lstrip()))
            last = sentences[-1] if sentences and sentences[-1].paragraph == paragraph_id else None
            if last is not None and _continues(last.text, stripped):
                paragraph_text = paragraphs[paragraph_id]
                end = start + len(stripped)
                sentences[-1] = Sentence(
                    id=last.id,
                    paragraph=paragraph_id,
                    text=paragraph_text[last.start : end],
                    start=last.start,
                    end=end,
                )
                continue
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
