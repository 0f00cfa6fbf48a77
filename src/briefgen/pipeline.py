"""Source file -> Brief: read, segment, analyze."""

from __future__ import annotations

from pathlib import Path

from .analysis import DEFAULT_KEY_POINTS, analyze
from .model import Brief
from .readers import read_source
from .segment import segment


def extract(path: Path, *, key_points: int = DEFAULT_KEY_POINTS,
            max_bytes: int = 50_000_000) -> Brief:
    document = read_source(Path(path), max_bytes=max_bytes)
    return analyze(document, segment(document), key_points=key_points)
