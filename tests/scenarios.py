"""Scenario fixtures for the analysis tests: small documents written in a plain format."""

from __future__ import annotations

from pathlib import Path

from briefgen.analysis.parse import Parsed, parse
from briefgen.model import Document, Meta, Paragraph, Sentence, Source
from briefgen.segment import segment

FIXTURES = Path(__file__).parent / "fixtures" / "analysis"


def scenario(name: str) -> tuple[Document, tuple[Sentence, ...]]:
    """Header lines `title:` / `date:`, then paragraphs separated by blank lines."""
    path = FIXTURES / name
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    fields = dict(line.split(":", 1) for line in head.splitlines())
    blocks = [" ".join(b.split()) for b in body.split("\n\n") if b.strip()]
    document = Document(
        source=Source(path=str(path), format="txt", sha256="0" * 64),
        meta=Meta(title=fields["title"].strip(), date=fields.get("date", "").strip() or None),
        paragraphs=tuple(Paragraph(id=f"p{i}", text=t) for i, t in enumerate(blocks, 1)),
    )
    return document, segment(document)


def parsed_scenario(name: str) -> Parsed:
    """The scenario parsed once, as `analyze()` hands it to every analyser."""
    return parse(*scenario(name))
