"""Source file -> Brief: read, segment, analyze."""

from __future__ import annotations

from pathlib import Path

from .analysis import DEFAULT_KEY_POINTS, analyze
from .errors import SourceError
from .model import Brief
from .readers import read_source
from .segment import segment

# The analysis keeps a full spaCy parse of every sentence (about 1 GB of memory per MB of text) and
# runs in time linear in the text, about 40 s per MB. Two million characters (some 300,000 words,
# longer than any report) bounds both; a bigger source is refused before the slow part starts.
MAX_TEXT_CHARS = 2_000_000


def extract(
    path: Path,
    *,
    key_points: int = DEFAULT_KEY_POINTS,
    max_bytes: int = 50_000_000,
    max_chars: int = MAX_TEXT_CHARS,
) -> Brief:
    document = read_source(Path(path), max_bytes=max_bytes)
    chars = sum(len(p.text) for p in document.paragraphs)
    if chars > max_chars:
        raise SourceError(
            path,
            f"text is {chars:,} characters, over the analysis limit of {max_chars:,} "
            "(split the source, or raise the limit with --max-chars)",
        )
    return analyze(document, segment(document), key_points=key_points)
