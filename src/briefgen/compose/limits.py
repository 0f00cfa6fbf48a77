"""What a template may produce, and how long it may take: each limit once, with why.

A memo is a few pages of Markdown (the longest built-in memo of a 0.5 MB source is under 60 KB), so
the limits sit far above real memos and far below what would exhaust memory or stall the renderers.
"""

from __future__ import annotations

# Characters of Markdown one memo may produce: string doubling in a template reached 6.3 GB before.
MAX_OUTPUT_CHARS = 2_000_000
# Seconds one memo's template may run: nested `range(100000)` loops ran for hours.
MAX_RENDER_SECONDS = 20.0
# Lines of Markdown: the DOCX writer takes 5 s for 20,000 blocks and 30 s for 40,000.
MAX_OUTPUT_LINES = 20_000
# Characters of one paragraph: reportlab lays a paragraph out in quadratic time (112 KB: 1.8 s,
# 448 KB: 31.8 s); a memo paragraph is a few sentences.
MAX_PARAGRAPH_CHARS = 50_000
# Levels of nested lists and quotes: 3,000 nested lists broke the block parser and 5,000 quote
# levels reportlab; a memo nests two or three.
MAX_NESTING = 12
