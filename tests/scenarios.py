"""Scenario fixtures for the analysis tests: small documents written in a plain format."""

from __future__ import annotations

from pathlib import Path

from briefgen.analysis.parse import Parsed, parse
from briefgen.model import Document, Meta, Paragraph, Sentence, Source
from briefgen.segment import segment

FIXTURES = Path(__file__).parent / "fixtures" / "analysis"


def scenario(name: str) -> tuple[Document, tuple[Sentence, ...]]:
    """Header lines `title:` / `date:`, then paragraphs separated by blank lines; a block
    `## Heading` is the section heading of the paragraphs after it."""
    path = FIXTURES / name
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    fields = dict(line.split(":", 1) for line in head.splitlines())
    paragraphs: list[Paragraph] = []
    heading = None
    for block in (" ".join(b.split()) for b in body.split("\n\n") if b.strip()):
        if block.startswith("## "):
            heading = block[3:]
            continue
        paragraphs.append(Paragraph(id=f"p{len(paragraphs) + 1}", text=block, heading=heading))
    document = Document(
        source=Source(path=str(path), format="txt", sha256="0" * 64),
        meta=Meta(title=fields["title"].strip(), date=fields.get("date", "").strip() or None),
        paragraphs=tuple(paragraphs),
    )
    return document, segment(document)


def parsed_scenario(name: str) -> Parsed:
    """The scenario parsed once, as `analyze()` hands it to every analyser."""
    return parse(*scenario(name))
