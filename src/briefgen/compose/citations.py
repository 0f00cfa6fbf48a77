"""Citations back to the source, in the form an audience wants them.

`footnotes`: a Markdown footnote per cited sentence, quoting that exact sentence; `inline`: " (¶3)"
after the item; `annex`: nothing in the text and an evidence annex of the quoted sentences after
it; `none`: nothing. A citation names what a reader can find: the paragraph number counted from
the first body paragraph (¶1 is the first paragraph after the title and byline) and, for a PDF
source, the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Brief, Cite
from .escaping import Md, escape

MODES = ("footnotes", "inline", "annex", "none")
PARAGRAPH_NOTE = "¶ counts the paragraphs of the article, from its first body paragraph."
PAGE_NOTE = "p. counts the pages of the source PDF."

# Private-use characters around an annex label; escape() removes them from source text.
ANNEX_OPEN, ANNEX_CLOSE = "\ue000", "\ue001"
_PARAGRAPH_NUMBER = re.compile(r"^p(\d+)$")
_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9-]")


@dataclass(frozen=True, kw_only=True)
class Note:
    """One quoted source sentence: a footnote, or an entry of the evidence annex."""

    label: str  # the footnote label ("p4-s2"); numbered 1, 2, ... by the renderers
    where: Md  # "¶4" or "¶4, p. 3"
    quote: Md  # the exact source sentence, escaped


class Citations:
    """The notes of one memo, collected in the order its view cites them."""

    def __init__(self, brief: Brief, mode: str) -> None:
        self.mode = mode
        self._sentences = {s.id: s for s in brief.sentences}
        self._paragraphs = {p.id: (index, p) for index, p in enumerate(brief.paragraphs, start=1)}
        self._used: dict[str, Note] = {}
        self.has_pages = any(p.page is not None for p in brief.paragraphs)

    def number(self, paragraph_id: str) -> str:
        match = _PARAGRAPH_NUMBER.match(paragraph_id)
        if match:
            return match.group(1)
        index = self._paragraphs.get(paragraph_id, (None, None))[0]
        return str(index) if index is not None else _LABEL_UNSAFE.sub("-", paragraph_id)

    def where(self, cite: Cite) -> str:
        """ "¶4", or "¶4, p. 3" when the source is paged."""
        entry = self._paragraphs.get(cite.paragraph)
        page = entry[1].page if entry else None
        text = f"¶{self.number(cite.paragraph)}"
        return f"{text}, p. {page}" if page is not None else text

    def quote(self, cite: Cite) -> str:
        """The source sentence a cite points at (raw text), else its paragraph's text.

        Quoted as the memo prints it: the exact words, with the analysis's editorial brackets
        ("This year [2019] ...", "[The route] requires ..."), as a quotation is clarified in print;
        an old source's "this year" is never quoted as if it were the memo's.
        """
        sentence = self._sentences.get(cite.sentence)
        if sentence is not None:
            return sentence.memo_text or sentence.text
        entry = self._paragraphs.get(cite.paragraph)
        return entry[1].text if entry else ""

    def ref(self, cite: Cite) -> Md:
        """What the memo prints after a cited item, recording the note it needs."""
        if self.mode == "none":
            return Md("")
        if self.mode == "inline":
            return Md(f" ({self.where(cite)})")
        label = _LABEL_UNSAFE.sub("-", cite.sentence or cite.paragraph)
        if label not in self._used:
            self._used[label] = Note(label=label, where=Md(self.where(cite)), quote=escape(self.quote(cite)))
        if self.mode == "footnotes":
            return Md(f"[^{label}]")
        # The annex: an invisible marker compose() reads (to number the evidence in page order) and removes.
        return Md(f"{ANNEX_OPEN}{label}{ANNEX_CLOSE}")

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(self._used.values())

    def explanation(self) -> Md:
        """The line that tells a reader what ¶ (and p.) count; empty when nothing is cited."""
        if self.mode == "none":
            return Md("")
        return Md(PARAGRAPH_NOTE + (" " + PAGE_NOTE if self.has_pages else ""))
