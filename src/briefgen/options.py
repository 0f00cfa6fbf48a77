"""Build options shared by `briefgen build` and `briefgen batch`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_AUDIENCES = ("memo",)
DEFAULT_FORMATS = ("docx", "pdf")
FORMATS = ("docx", "pdf")


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    audiences: tuple[str, ...] = DEFAULT_AUDIENCES
    formats: tuple[str, ...] = DEFAULT_FORMATS
    out_dir: Path = Path("out")
    templates_dir: Path | None = None
    classification: str | None = None
    to: str | None = None
    from_: str | None = None
    date: str | None = None  # YYYY-MM-DD memo date; None -> SOURCE_DATE_EPOCH or today
    key_points: int | None = None  # None -> the audience's own setting
    max_bytes: int = 50_000_000
