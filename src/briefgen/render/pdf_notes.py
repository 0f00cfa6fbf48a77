"""Footnotes at the foot of the page where they are cited, for the PDF renderer.

reportlab has no footnotes, so this does what a typesetter does: every footnote reference in the
text carries an invisible `<onDraw name="note_ref" label="N"/>` marker; before a flowable is placed,
`NotesFrame` looks for the markers of notes not yet printed inside it (and inside a split part of
it) and raises the frame's floor by the height those notes need, so the text and its notes share
the page. At the end of each page `PageNotes.draw` prints the page's notes above the bottom margin
under a short rule. Notes that would take more than half the page continue on the next one, as
Word's continuation notes do. A note cited again later points back to the same number.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator

from reportlab.lib import colors
from reportlab.platypus import Flowable, Frame, PageBreak
from reportlab.platypus import Paragraph as PdfParagraph

MARKER = "note_ref"  # the onDraw callback name; the canvas must have a method of that name
_RULE_GAP = 9.0  # points from the rule to the first note, and from the text above to the rule
_MAX_SHARE = 0.5  # notes take at most this share of a page; the rest continue on the next page
_CONTAINERS = ("_content", "_flowables", "_flowable", "_cellvalues")


def note_refs(flowable: object) -> set[int]:
    """Numbers of the notes referred to inside a flowable, however it is nested or split."""
    found: set[int] = set()
    _collect(flowable, found, depth=0)
    return found


def _collect(node: object, found: set[int], depth: int) -> None:
    if depth > 64:  # blocks nest at most a dozen levels; this only guards against a cycle
        return
    if isinstance(node, (list, tuple)):
        for item in node:
            _collect(item, found, depth + 1)
        return
    frags = getattr(node, "frags", None)
    if frags is not None:
        # A paragraph's references are found once: a long table is looked at again on every page.
        refs = node.__dict__.get("_note_refs")
        if refs is None:
            refs = node.__dict__["_note_refs"] = frozenset(_frag_refs(frags))
        found.update(refs)
        return
    for attr in _CONTAINERS:
        try:
            inner = getattr(node, attr, None)
        except Exception:  # a lazily computed property that needs a canvas: look at the others
            continue
        if inner is not None:
            _collect(inner, found, depth + 1)


def _frag_refs(frags: Iterable) -> Iterator[int]:
    for frag in frags:
        # A split paragraph holds "frag words": [width, (frag, text), ...] instead of frags.
        pieces = [piece[0] for piece in frag[1:]] if isinstance(frag, list) else [frag]
        for piece in pieces:
            callback = getattr(piece, "cbDefn", None)
            if callback is not None and getattr(callback, "name", None) == MARKER:
                yield int(callback.label)


class PageNotes:
    """The notes of the page being laid out, and the notes already printed."""

    def __init__(self, notes: dict[int, list[PdfParagraph]], width: float, rule_color: colors.Color) -> None:
        self.notes = notes  # number -> the note's paragraphs (its first one carries the number)
        self.width = width
        self.rule_color = rule_color
        self.placed: set[int] = set()
        self.queue: list[PdfParagraph] = []  # what the current page prints, carried-over parts first
        self._heights: dict[int, float] = {}
        # Once the story has ended, the last page's notes may use all the room under the text.
        self.last_room: float | None = None
        self.flushed_at: tuple[int, int] | None = None  # the queue when a page of notes alone last began

    def new_in(self, flowable: object) -> list[int]:
        if len(self.placed) == len(self.notes):  # every note printed (or none at all): nothing to find
            return []
        return sorted(n for n in note_refs(flowable) if n in self.notes and n not in self.placed)

    def _paragraph_height(self, para: PdfParagraph) -> float:
        key = id(para)
        if key not in self._heights:
            _, height = para.wrap(self.width, 10_000)
            self._heights[key] = height + para.getSpaceAfter()
        return self._heights[key]

    def reserve(self, numbers: list[int], frame_height: float) -> float:
        """Height the page's notes take if `numbers` join them (0 when the page has no notes)."""
        paragraphs = self.queue + [p for n in numbers for p in self.notes[n]]
        if not paragraphs:
            return 0.0
        total = _RULE_GAP * 2 + sum(self._paragraph_height(p) for p in paragraphs)
        cap = self.last_room if self.last_room is not None else frame_height * _MAX_SHARE
        return min(total, cap)

    def height(self) -> float:
        """Height of all the notes waiting for the current page."""
        return _RULE_GAP * 2 + sum(self._paragraph_height(p) for p in self.queue) if self.queue else 0.0

    def place(self, numbers: list[int]) -> None:
        for number in numbers:
            self.placed.add(number)
            self.queue.extend(self.notes[number])

    def draw(self, canvas, frame: Frame, frame_height: float) -> None:
        """Print the page's notes at the bottom of `frame`; what does not fit waits for the next page."""
        if not self.queue:
            return
        room = self.reserve([], frame_height) - _RULE_GAP * 2
        shown: list[tuple[PdfParagraph, float]] = []
        used = 0.0
        rest = list(self.queue)
        while rest:
            para = rest[0]
            height = self._paragraph_height(para)
            if used + height <= room + 0.5:
                shown.append((para, height))
                used += height
                rest.pop(0)
                continue
            parts = para.split(self.width, room - used) if room - used > 0 else []
            if len(parts) == 2:
                first = parts[0]
                first.wrap(self.width, room - used)
                shown.append((first, first.height + first.getSpaceAfter()))
                rest[0] = parts[1]
            break
        self.queue = rest
        x = frame._x1 + frame._leftPadding
        bottom = frame._y1 + frame._bottomPadding
        top = bottom + used + _RULE_GAP
        canvas.saveState()
        canvas.setStrokeColor(self.rule_color)
        canvas.setLineWidth(0.6)
        canvas.line(x, top, x + min(self.width * 0.3, 144), top)
        canvas.restoreState()
        y = top - _RULE_GAP * 0.6
        for para, height in shown:
            para.wrap(self.width, 10_000)
            para.drawOn(canvas, x, y - para.height)
            y -= height

    def unprinted(self) -> list[int]:
        return sorted(set(self.notes) - self.placed)


class NotesFlush(Flowable):
    """Ends the story: when the last page's notes overflow it, asks for one more page to finish them."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class NotesFrame(Frame):
    """A frame whose floor rises by the height of the notes cited on its page."""

    _y1p: float  # the frame's floor (bottom plus padding), set by reportlab's Frame

    def __init__(self, notes: PageNotes, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.page_notes = notes

    def __deepcopy__(self, memo: dict) -> NotesFrame:
        # reportlab deep-copies the current frame to measure a KeepTogether group; the copy only
        # measures (it never adds a flowable), so it shares the notes instead of copying every note
        # paragraph with it: that copy was a quarter of a short memo's PDF time.
        memo[id(self.page_notes)] = self.page_notes
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        clone.__dict__.update({key: copy.deepcopy(value, memo) for key, value in self.__dict__.items()})
        return clone

    def _floor(self, numbers: list[int]) -> float:
        return self.page_notes.reserve(numbers, self._aH)

    def add(self, flowable: Flowable, canv, trySplit: int = 0) -> int:
        if isinstance(flowable, NotesFlush):
            room = self._y - (self._y1 + self._bottomPadding)  # all the space under the last text
            notes = self.page_notes
            if notes.height() > room + 0.5:
                if not self._atTop:
                    return 0  # the notes do not fit under the text: they continue on a page of their own
                # Even a page of their own does not hold them: this page prints what fits and the
                # rest goes on to as many pages as it needs (unless the last page printed nothing).
                progress = (len(notes.queue), id(notes.queue[0]) if notes.queue else 0)
                if progress != notes.flushed_at:
                    notes.flushed_at = progress
                    self.add_generated_content(PageBreak(), NotesFlush())
            notes.last_room = room
            return 1
        numbers = self.page_notes.new_in(flowable)
        saved = self._y1p
        self._y1p = saved + self._floor(numbers)
        try:
            placed = Frame.add(self, flowable, canv, trySplit)
        finally:
            self._y1p = saved
        if placed:
            self.page_notes.place(numbers)
        return placed

    def split(self, flowable: Flowable, canv) -> list[Flowable]:
        """Split so the first part and the notes it cites fill the page: the most text whose new
        notes fit under it (a few bisection steps over the room given to those notes)."""
        saved = self._y1p
        base = self._floor([])

        def attempt(extra: float) -> tuple[list[Flowable], bool]:
            self._y1p = saved + base + extra
            parts = Frame.split(self, flowable, canv)
            numbers = self.page_notes.new_in(parts[0]) if parts else []
            return parts, self._floor(numbers) - base <= extra + 0.5

        try:
            parts, fits = attempt(0.0)
            if fits or not parts:
                return parts
            numbers = self.page_notes.new_in(parts[0])
            low, high = 0.0, self._floor(numbers) - base
            best, fits = attempt(high)
            if not fits or not best:  # its notes take more room than they free: the text gets what is left
                return best
            for _ in range(6):
                if high - low < 2:
                    break
                middle = (low + high) / 2
                candidate, fits = attempt(middle)
                if fits and candidate:
                    best, high = candidate, middle
                else:
                    low = middle
            return best
        finally:
            self._y1p = saved
