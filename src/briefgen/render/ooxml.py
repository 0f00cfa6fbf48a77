"""A helper both DOCX modules need (`docx`, `docx_notes`), apart so neither imports the other."""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn


def insert_in_order(parent: Any, child: Any, successors: tuple[str, ...]) -> None:
    """Insert `child` before the first existing element that the schema puts after it.

    WordprocessingML's elements have a fixed order (a `w:pPr` child out of place makes Word call the
    file corrupt); python-docx does not order the elements it has no API for, so we do.
    """
    for tag in successors:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)
