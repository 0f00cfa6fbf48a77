"""The look of a memo, read from an audience's `audience.toml` and handed to both renderers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Style:
    page_size: str = "letter"  # letter | a4
    margins_in: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)  # top, right, bottom, left
    body_font: str = "serif"  # serif | sans | a font family name
    heading_font: str = "sans"
    body_size: float = 11.0
    heading_sizes: tuple[float, float, float] = (15.0, 12.5, 11.0)
    title_size: float = 18.0
    line_spacing: float = 1.2
    accent_color: str = "#1F3864"  # headings and rules
    text_color: str = "#000000"
    banner: str | None = None  # classification banner, top and bottom of every page
    banner_color: str = "#006400"
    # Lines of a designation block printed on page 1 (a CUI memo: "Controlled by: ...", "Category: ...").
    designation: tuple[str, ...] = ()
    notes: str = "footnotes"  # footnotes at the foot of the page where they are cited | "endnotes"
    page_limit: int | None = None  # e.g. 1 for the principal brief
    footer_text: str | None = None  # left side of the footer; "Page X of Y" is always on the right
    reference_docx: str | None = None  # path to a reference.docx whose styles the DOCX uses (as pandoc)


@dataclass(frozen=True, kw_only=True)
class DocInfo:
    """Document-level metadata the renderers embed (PDF info, DOCX core properties)."""

    title: str
    author: str
    subject: str = ""
    date: str | None = None  # the memo date, YYYY-MM-DD: fixed so builds are reproducible
