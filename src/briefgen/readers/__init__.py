"""Readers: one module per format, each returning the same `Document`.

`read_source` checks the file (exists, is a file, not empty, not over the size cap),
hashes it, picks a reader by suffix, and corrects the choice by sniffing the content
when the suffix lies (a PDF saved as .txt, an HTML page saved as .md).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import BriefgenError, SourceError
from ..model import Document, Source

logger = logging.getLogger(__name__)

SUFFIXES = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".mdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<article")
# A page fragment without <html>/<body> (saved from a CMS, say) still has tags like these;
# a file named .html with none of them is not HTML, whatever its name says.
_HTML_TAG = re.compile(
    rb"<(?:p|div|span|a|h[1-6]|section|main|table|ul|ol|li|br|hr|meta|title|"
    rb"header|footer|nav|aside|figure|blockquote|em|strong|b|i|!--)[\s>/]",
    re.IGNORECASE,
)
# Binary formats people mistake for documents, named so the message can say what it is.
_OTHER_MAGIC = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old binary Office file (.doc/.xls); save it as .docx"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program, not a document"),
    (b"{\\rtf", "an RTF file; save it as .docx"),
)


def sniff(data: bytes) -> str | None:
    """The format the bytes themselves announce, or None for plain text of any kind."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    lowered = head[:1024].lower()
    if any(marker in lowered for marker in _HTML_MARKERS):
        return "html"
    return None


def choose_format(path: Path, data: bytes) -> str:
    """Suffix first; content wins when it is clearly another format.

    A real DOCX named .pdf (or the reverse) is read as what it is; so is plain text named
    .html. A container suffix on bytes that are no supported container stays an error
    ("not a valid PDF"), since that file is more likely broken than mislabelled.
    """
    claimed = SUFFIXES.get(path.suffix.lower())
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            raise SourceError(path, f"unsupported file type: this is {what}")
    sniffed = sniff(data)
    if claimed == "html" and sniffed is None and (_looks_binary(data) or not _HTML_TAG.search(data[:65536])):
        logger.info("%s: no HTML markup in it; reading it as text", path)
        claimed = None  # text or Markdown, decided below; the text reader refuses binary junk
    if claimed in ("docx", "pdf") and sniffed not in ("docx", "pdf"):
        # A container format whose bytes are not that container is broken, not text.
        kind = "a zip archive" if claimed == "docx" else "a PDF (no %PDF- header)"
        raise SourceError(path, f"not a valid {claimed.upper()} file: the content is not {kind}")
    if sniffed and sniffed != claimed:
        if claimed:
            logger.info("%s: content is %s, not %s; reading it as %s", path, sniffed, claimed, sniffed)
        return sniffed
    if claimed:
        return claimed
    text_start = data[:64].lstrip()
    return "md" if text_start.startswith((b"---\n", b"---\r\n", b"# ")) else "txt"


def _looks_binary(data: bytes) -> bool:
    """Many NUL/control bytes at the start (random bytes may still hold a "<b>" by chance)."""
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte < 9 or 14 <= byte < 32)
    return controls > len(sample) // 20


_MODULES = {"txt": "text", "md": "markdown", "html": "html", "docx": "docx", "pdf": "pdf"}


def reader_for(fmt: str) -> Callable[..., Document]:
    """The `read(path, data, *, source)` function of a format's module (the size limit is checked before)."""
    # Imported lazily: trafilatura, pypdf and lxml are slow to import and rarely all needed.
    return importlib.import_module(f".{_MODULES[fmt]}", __package__).read


def load_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or a SourceError naming the file and what is wrong with it."""
    try:
        if not path.exists():
            raise SourceError(path, "no such file")
        if path.is_dir():
            raise SourceError(path, "is a folder, not a file")
        if not path.is_file():
            raise SourceError(path, "is not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(
                path,
                f"file is {size:,} bytes, over the size limit of {max_bytes:,} bytes "
                "(raise it with --max-bytes)",
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise SourceError(path, f"cannot read file: {err.strerror or err}") from None
    if len(data) > max_bytes:  # grew while we looked, or a special file
        raise SourceError(
            path, f"file is over the size limit of {max_bytes:,} bytes (raise it with --max-bytes)"
        )
    if not data.strip():
        raise SourceError(path, "file is empty")
    return data


def read_source(path: Path, *, max_bytes: int = 50_000_000) -> Document:
    """Read any supported source (chosen by suffix, then by content sniffing)."""
    path = Path(path)
    data = load_bytes(path, max_bytes)
    fmt = choose_format(path, data)
    source = Source(path=str(path), format=fmt, sha256=hashlib.sha256(data).hexdigest())
    try:
        document = reader_for(fmt)(path, data, source=source)
    except BriefgenError:
        raise
    except RecursionError:
        raise SourceError(path, f"cannot read this {fmt.upper()} file: it is nested too deeply") from None
    except MemoryError:
        raise SourceError(
            path, f"cannot read this {fmt.upper()} file: it needs more memory than is free"
        ) from None
    except Exception as err:
        # A library failing on a damaged or unusual file (zlib.error inside a DOCX, pypdf's
        # NotImplementedError for a filter it lacks, lxml on broken markup) is a fault of that
        # source: one line naming it, and the other sources go on. --debug shows the traceback.
        logger.debug("%s: reader failed", path, exc_info=True)
        detail = " ".join(str(err).split())[:120]
        what = f"{type(err).__name__}: {detail}" if detail else type(err).__name__
        raise SourceError(
            path, f"cannot read this {fmt.upper()} file (damaged or unsupported: {what})"
        ) from err
    if not document.paragraphs:
        hint = " (a scanned PDF has no text layer)" if fmt == "pdf" else ""
        raise SourceError(path, f"no article text found in this {fmt.upper()} file{hint}")
    return document
