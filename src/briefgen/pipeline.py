"""Source file -> Brief: read, segment, analyze, within the documented limits."""

from __future__ import annotations

import os
from pathlib import Path

from .defaults import KEY_POINTS_DEFAULT, MAX_BYTES, MAX_CHARS
from .errors import LimitError, SourceError
from .model import Brief


def extract(
    path: Path,
    *,
    key_points: int = KEY_POINTS_DEFAULT,
    max_bytes: int = MAX_BYTES,
    max_chars: int = MAX_CHARS,
) -> Brief:
    """The analysis of one source. Limits are checked before the expensive work: the file's size
    before it is read, the text's length before it is parsed. spaCy is imported only here."""
    from .analysis import analyze
    from .readers import read_source
    from .segment import segment

    path = Path(path)
    check_size(path, max_bytes)
    try:
        document = read_source(path, max_bytes=max_bytes)
    except (SourceError, MemoryError):
        raise
    except RecursionError:
        raise SourceError(path, "cannot read this file: its structure is nested too deeply") from None
    except Exception as err:
        # A damaged file can break a library deep inside a reader (zlib.error in a DOCX's deflate
        # stream, NotImplementedError for a PDF filter pypdf lacks): that is this file's problem,
        # a user error naming it, never an internal error that stops the other sources.
        detail = " ".join(str(err).split())[:160]
        raise SourceError(
            path, f"cannot read this file ({type(err).__name__}{': ' + detail if detail else ''})"
        ) from err
    chars = sum(len(p.text) for p in document.paragraphs)
    if chars > max_chars:
        raise LimitError(
            path,
            f"text is {chars:,} characters, over the analysis limit of {max_chars:,} (split the source)",
            limit="max_chars",
            value=max_chars,
        )
    return analyze(document, segment(document), key_points=key_points)


def check_size(path: Path, max_bytes: int) -> None:
    """A file over the byte limit is refused by its size alone, before a byte is read."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return  # the reader says what is wrong with a missing or unreadable file
    if size > max_bytes and os.path.isfile(path):
        raise LimitError(
            path,
            f"file is {size:,} bytes, over the size limit of {max_bytes:,} bytes",
            limit="max_bytes",
            value=max_bytes,
        )


__all__ = ["SourceError", "check_size", "extract"]
