"""Native Word footnotes and endnotes for the DOCX renderer.

python-docx has no API for notes (its issue #1), so this writes the OOXML by hand: a
`word/footnotes.xml` (or `endnotes.xml`) part holding the separator and continuation-separator notes
Word expects plus one `w:footnote` per note, its relationship from the document, the
`w:footnotePr` entries in settings, and the "Footnote Text" / "Footnote Reference" styles. Word and
LibreOffice number the notes themselves from the order of the `w:footnoteReference` runs, so an
edit in Word keeps numbers and references in step.

A note cited a second time gets a NOTEREF field to a bookmark on its first reference (how Word
itself cross-references a note): the number follows the note, and the text is not repeated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from briefgen.render.blocks import Footnote, Run, Runs, paragraph_runs
from briefgen.render.ooxml import insert_in_order


@dataclass(frozen=True)
class _Kind:
    """What differs between footnotes and endnotes: element, part and style names."""

    tag: str  # footnote | endnote
    partname: str
    content_type: str
    reltype: str
    text_style: str
    ref_style: str


FOOTNOTES = _Kind(
    "footnote", "/word/footnotes.xml", CT.WML_FOOTNOTES, RT.FOOTNOTES, "Footnote Text", "Footnote Reference"
)
ENDNOTES = _Kind(
    "endnote", "/word/endnotes.xml", CT.WML_ENDNOTES, RT.ENDNOTES, "Endnote Text", "Endnote Reference"
)

# settings.xml children that the schema puts after w:footnotePr / w:endnotePr.
_AFTER_NOTE_PR = ("w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang")


class _Story:
    """Stands in for a python-docx story (body, cell) so Paragraph objects live in the notes part:
    hyperlinks inside a note are then related from that part, as Word requires."""

    def __init__(self, part: XmlPart) -> None:
        self.part = part


class NoteWriter:
    """Collects the notes of one render and writes them into the document's notes part.

    `write_runs(paragraph, runs)` is the DOCX writer's own inline renderer, reused so a note's text
    is formatted exactly as body text.
    """

    def __init__(
        self,
        document,
        kind: _Kind,
        notes: tuple[Footnote, ...],
        write_runs: Callable[[DocxParagraph, Runs], None],
        style_for: Callable[..., Any],
        body_size: float,
    ) -> None:
        self.document = document
        self.kind = kind
        self.notes = {note.number: note for note in notes}
        self.write_runs = write_runs
        self.placed: dict[int, int] = {}  # note number -> its w:id
        self.text_style = style_for(kind.text_style)
        self.ref_style = style_for(kind.ref_style, WD_STYLE_TYPE.CHARACTER)
        self._style_notes(body_size)
        self.part = self._part()
        self._story = _Story(self.part)
        self._bookmarks = 0

    # --- the part ---------------------------------------------------------------------------------

    def _part(self) -> XmlPart:
        doc_part = self.document.part
        # A reference.docx may bring its own notes part: drop it, its notes belong to its sample text.
        for rid in [rid for rid, rel in doc_part.rels.items() if rel.reltype == self.kind.reltype]:
            del doc_part.rels[rid]
        tag = self.kind.tag
        root = parse_xml(
            f"<w:{tag}s {nsdecls('w', 'r')}>"
            f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
            f' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:{tag}>'
            f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
            f' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
            f"</w:{tag}s>"
        )
        part = XmlPart(PackURI(self.kind.partname), self.kind.content_type, root, doc_part.package)
        doc_part.relate_to(part, self.kind.reltype)
        self._settings()
        return part

    def _settings(self) -> None:
        """Name the separator notes in settings.xml, as Word writes it (Word 2007 expects it)."""
        settings = self.document.settings.element
        tag = self.kind.tag
        for old in settings.findall(qn(f"w:{tag}Pr")):
            settings.remove(old)
        pr = OxmlElement(f"w:{tag}Pr")
        for note_id in ("-1", "0"):
            ref = OxmlElement(f"w:{tag}")
            ref.set(qn("w:id"), note_id)
            pr.append(ref)
        insert_in_order(settings, pr, _AFTER_NOTE_PR)

    def _style_notes(self, body_size: float) -> None:
        text = self.text_style
        text.font.size = Pt(body_size * 0.82)
        fmt = text.paragraph_format
        fmt.space_after = Pt(2)
        fmt.line_spacing = 1.0
        ref = self.ref_style
        ref.font.superscript = True
        ref.base_style = None

    # --- references in the body -------------------------------------------------------------------

    def reference(self, paragraph: DocxParagraph, run: Run, parent=None) -> None:
        """A reference to note `run.note` at the end of `parent` (the paragraph, or a hyperlink in it)."""
        target = paragraph._p if parent is None else parent
        number = run.note
        assert number is not None
        note = self.notes.get(number)
        if note is None:  # a reference without a definition: keep the number as it was written
            out = paragraph.add_run(run.text)
            out.font.superscript = True
            target.append(out._r)
            return
        if number in self.placed:
            self._cross_reference(paragraph, target, number)
            return
        note_id = len(self.placed) + 1
        self.placed[number] = note_id
        name = self._bookmark_name(number)
        start, end = self._bookmark(name)
        target.append(start)
        ref_run = paragraph.add_run()
        ref_run._r.style = self.ref_style.style_id
        ref = OxmlElement(f"w:{self.kind.tag}Reference")
        ref.set(qn("w:id"), str(note_id))
        ref_run._r.append(ref)
        target.append(ref_run._r)
        target.append(end)
        self._write_note(note_id, note)

    def _bookmark_name(self, number: int) -> str:
        return f"_Ref{self.kind.tag.capitalize()}{number}"

    def _bookmark(self, name: str):
        self._bookmarks += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(9000 + self._bookmarks))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(9000 + self._bookmarks))
        return start, end

    def _cross_reference(self, paragraph: DocxParagraph, target, number: int) -> None:
        """NOTEREF field whose cached result is the note's number in the reference style."""
        name = self._bookmark_name(number)
        shown = str(list(self.placed).index(number) + 1)
        for kind, text in (("begin", None), ("instr", f" NOTEREF {name} \\f \\h "), ("separate", None)):
            run = paragraph.add_run()
            if kind == "instr":
                node = OxmlElement("w:instrText")
                node.set(qn("xml:space"), "preserve")
                node.text = text
            else:
                node = OxmlElement("w:fldChar")
                node.set(qn("w:fldCharType"), kind)
            run._r.append(node)
            target.append(run._r)
        result = paragraph.add_run(shown)
        result._r.style = self.ref_style.style_id
        target.append(result._r)
        end = paragraph.add_run()
        node = OxmlElement("w:fldChar")
        node.set(qn("w:fldCharType"), "end")
        end._r.append(node)
        target.append(end._r)

    # --- the notes themselves ---------------------------------------------------------------------

    def _write_note(self, note_id: int, note: Footnote) -> None:
        element = OxmlElement(f"w:{self.kind.tag}")
        element.set(qn("w:id"), str(note_id))
        self.part.element.append(element)
        paragraphs = list(paragraph_runs(note.blocks)) or [()]
        for index, runs in enumerate(paragraphs):
            p = OxmlElement("w:p")
            element.append(p)
            para = DocxParagraph(p, self._story)  # type: ignore[arg-type]  # any object with a .part
            para._p.style = self.text_style.style_id
            if index == 0:
                mark = para.add_run()
                mark._r.style = self.ref_style.style_id
                mark._r.append(OxmlElement(f"w:{self.kind.tag}Ref"))
                para.add_run(" ")
            self.write_runs(para, runs)

    def unplaced(self) -> list[Footnote]:
        """Notes no reference pointed at (nothing is lost: the writer prints them after the text)."""
        return [note for number, note in sorted(self.notes.items()) if number not in self.placed]
