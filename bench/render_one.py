"""One memo's Markdown -> one DOCX or PDF with briefgen's renderers, as a process of its own: the
whole-process side of bench/render.py (it imports only what that renderer needs).

    .venv/bin/python bench/render_one.py docx|pdf MEMO.md OUT
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    fmt, source, target = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    from briefgen.render.blocks import parse
    from briefgen.render.style import DocInfo, Style

    style = Style(banner="UNCLASSIFIED")
    info = DocInfo(title="Memo", author="bench", subject="render benchmark", date="2026-01-05")
    blocks = parse(source.read_text(encoding="utf-8"))
    if fmt == "docx":
        from briefgen.render.docx import render_docx

        target.write_bytes(render_docx(blocks, style, info))
    else:
        from briefgen.render.pdf import render_pdf

        target.write_bytes(render_pdf(blocks, style, info))


if __name__ == "__main__":
    main()
