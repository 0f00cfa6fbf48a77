"""The analysis as the page shows it: plain values for the Jinja templates, built from a Brief.

Selection stays in the analysis; this only labels citations, names the owners of terms, and cuts
each paragraph into runs of text with the sentence ids the citations point at.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..model import Brief, Cite


@dataclass(frozen=True)
class CiteView:
    anchor: str  # the id of the sentence's <span> in the source pane
    label: str  # "¶4" or "¶4, p. 2"
    quote: str  # the cited sentence, for the link's title


@dataclass(frozen=True)
class Run:
    text: str
    anchor: str | None = None  # set when the run is a sentence


@dataclass(frozen=True)
class ParagraphView:
    anchor: str
    number: int
    heading: str | None
    page: int | None
    runs: tuple[Run, ...]


def anchor(sentence_id: str) -> str:
    """ "p3.s2" -> "s-p3-s2": an id CSS and URLs take without escaping."""
    return "s-" + sentence_id.replace(".", "-")


def display_date(value: str | None) -> str:
    """YYYY-MM-DD / YYYY-MM / YYYY as "28 June 2019" / "June 2019" / "2019"; other text as is."""
    if not value:
        return ""
    for fmt, out in (("%Y-%m-%d", "{d} %B %Y"), ("%Y-%m", "%B %Y"), ("%Y", "%Y")):
        try:
            day = dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return day.strftime(out.replace("{d}", str(day.day)))
    return value


def paragraph_number(paragraph_id: str) -> int:
    digits = paragraph_id.lstrip("p")
    return int(digits) if digits.isdigit() else 0


class AnalysisView:
    """Everything the analysis page shows, each finding with its citation."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self._pages = {p.id: p.page for p in brief.paragraphs}
        self._sentences = {s.id: s for s in brief.sentences}  # Brief.sentence() scans: pages cite often
        self._actors = {a.id: a.name for a in brief.actors}
        meta = brief.meta
        self.title = meta.title
        self.authors = ", ".join(
            a.name + (f" ({a.affiliation})" if a.affiliation else "") for a in meta.authors
        )
        self.date = display_date(meta.date)
        self.publisher = meta.publisher or ""
        self.format = brief.source.format.upper()

    def cite(self, cite: Cite) -> CiteView:
        label = f"¶{paragraph_number(cite.paragraph)}"
        page = self._pages.get(cite.paragraph)
        if page:
            label += f", p. {page}"
        sentence = self._sentences.get(cite.sentence)
        return CiteView(anchor=anchor(cite.sentence), label=label, quote=sentence.text if sentence else "")

    def owner(self, actor_id: str | None) -> str:
        return self._actors.get(actor_id, actor_id or "") if actor_id else ""

    @property
    def bottom_line(self) -> tuple[Any, ...]:
        return tuple(getattr(self.brief, "bottom_line", ()))

    def paragraphs(self) -> list[ParagraphView]:
        by_paragraph: dict[str, list[Any]] = {}
        for sentence in self.brief.sentences:
            by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
        views = []
        for paragraph in self.brief.paragraphs:
            runs: list[Run] = []
            at = 0
            for sentence in by_paragraph.get(paragraph.id, ()):  # in document order, as segmented
                if sentence.start < at:  # overlapping offsets: keep the text whole, unmarked
                    continue
                if sentence.start > at:
                    runs.append(Run(paragraph.text[at : sentence.start]))
                runs.append(Run(paragraph.text[sentence.start : sentence.end], anchor(sentence.id)))
                at = sentence.end
            if at < len(paragraph.text):
                runs.append(Run(paragraph.text[at:]))
            views.append(
                ParagraphView(
                    anchor=f"para-{paragraph.id}",
                    number=paragraph_number(paragraph.id),
                    heading=paragraph.heading,
                    page=paragraph.page,
                    runs=tuple(runs),
                )
            )
        return views
