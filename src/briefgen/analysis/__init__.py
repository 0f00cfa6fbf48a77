"""Analysis: Document + sentences -> Brief, every finding cited."""

from __future__ import annotations

from ..model import Brief, Document, Sentence

DEFAULT_KEY_POINTS = 6


def analyze(document: Document, sentences: tuple[Sentence, ...], *,
            key_points: int = DEFAULT_KEY_POINTS) -> Brief:
    return Brief(source=document.source, meta=document.meta, paragraphs=document.paragraphs,
                 sentences=sentences)
