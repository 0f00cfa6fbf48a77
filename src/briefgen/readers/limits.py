"""Limits each reader checks before its expensive work, so a huge or hostile file is refused
in about the time it takes to look at it, not after minutes of parsing.

They sit above what any real source needs (a 300-page report is some 1,000,000 characters,
3,000 paragraphs and 1.5 MB of HTML at most) and below what would make the later stages slow:
the analysis itself refuses more than 2,000,000 characters (`--max-chars`), so a reader never
needs to hand it much more than that.
"""

from __future__ import annotations

from ..errors import SourceError

# Decoded text of a .txt/.md file, or the text gathered from a PDF or DOCX so far. Five times
# the analysis limit: chrome, markup and repeated page furniture still come out after this.
MAX_SOURCE_CHARS = 10_000_000
# An HTML page's markup. The 181 real pages of the article-extraction benchmark are at most
# 1.5 MB; trafilatura and lxml take about 7 s per MB (a 10 MB page took 71 s to be refused).
MAX_HTML_BYTES = 5_000_000
# pypdf reads about 40 pages a second; a 1,500-page file is already past any memo source.
MAX_PDF_PAGES = 1_500
# Paragraphs (and raw blocks of lines) handed to the shared rules and then to the analysis.
MAX_PARAGRAPHS = 25_000
MAX_BLOCKS = 4 * MAX_PARAGRAPHS


def over(path: object, what: str, size: int, limit: int, unit: str) -> SourceError:
    """The one-line error for a source over one of these limits."""
    return SourceError(path, f"{what} is {size:,} {unit}, over the reader's limit of {limit:,} {unit}")
