"""Plain text, including text scraped from web pages (the seed article is one).

Paragraphs are runs of non-blank lines; the shared rules in `common` find the title,
date and byline in the lines before the body and drop the site chrome around it.
Every step is a single pass over the lines, so time grows linearly with the file.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import SourceError
from ..model import Document, Source
from .common import Block, Hints, assemble, strip_controls, title_from_path
from .limits import MAX_SOURCE_CHARS, over

logger = logging.getLogger(__name__)

_BLANK_RUN = re.compile(r"\n[ \t\u00a0]*\n\s*")
_BOMS = (
    ("utf-8-sig", b"\xef\xbb\xbf"),
    ("utf-32", b"\xff\xfe\x00\x00"),
    ("utf-32", b"\x00\x00\xfe\xff"),
    ("utf-16", b"\xff\xfe"),
    ("utf-16", b"\xfe\xff"),
)
# Encodings charset-normalizer confuses with each other on short Western text (it reads
# a Windows-1252 "naïve" as Baltic "naļve"); for English-language sources Windows-1252
# is by far the likeliest, so it wins when the detector rates it about as well.
_WESTERN_RIVALS = {
    "cp1250",
    "cp1252",
    "cp1257",
    "cp1258",
    "cp775",
    "latin_1",
    "iso8859_15",
    "iso8859_10",
    "iso8859_2",
    "iso8859_4",
    "iso8859_13",
    "mac_roman",
    "mac_latin2",
}
_SNIFF_BYTES = 1 << 20  # detection on the first MiB keeps big files linear and fast
# C0 control bytes other than tab, newline, form feed and carriage return, and DEL. In every
# encoding that reaches them here (UTF-8 and the single-byte code pages) such a byte is the
# control character itself, so deleting the bytes is the same as deleting the characters;
# doing it before detection matters because one BEL makes charset-normalizer reject a file.
_CONTROL_BYTES = re.compile(rb"[\x01-\x08\x0b\x0e-\x1f\x7f]")
# Text may carry a few stray control characters (stripped); binary data is full of them.
_MAX_CONTROL_SHARE = 0.05


def decode(path: Path, data: bytes) -> str:
    """Bytes -> text in whatever encoding they are in; binary data is refused."""
    for encoding, bom in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    sample = data[:8192]
    # Text may carry a stray NUL (stripped later); binary data is full of them, and so is
    # UTF-16 without a byte-order mark, where they sit on every other byte.
    if sample.count(0) > max(2, len(sample) // 200):
        text = _utf16_without_bom(data)
        if text is None:
            raise SourceError(path, "looks like binary data, not text (contains NUL bytes)")
        return text
    controls = len(_CONTROL_BYTES.findall(sample))
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise SourceError(path, "looks like binary data, not text (full of control characters)")
    if controls or _CONTROL_BYTES.search(data, len(sample)):
        data = _CONTROL_BYTES.sub(b"", data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _utf8_and_cp1252_lines(path, data)
    if mixed is not None:
        return mixed
    detected = _detect(data[:_SNIFF_BYTES])
    if detected is None:
        raise SourceError(path, "looks like binary data, not text (no text encoding fits)")
    if detected == "cp1252":
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: plain Latin-1
            return data.decode("latin-1")
    return data.decode(detected, errors="replace")


_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def _utf8_and_cp1252_lines(path: Path, data: bytes) -> str | None:
    """A file pasted together from a UTF-8 part and a Windows-1252 part, decoded line by line.

    Whole-file detection picks one code page and garbles the other half. The pattern is
    distinct: some lines with non-ASCII bytes are valid UTF-8, and the lines that are not
    have their high bytes mostly alone between ASCII letters ("caf\xe9", "\x93quoted\x94"),
    which is how the Western code pages write text; CJK double-byte encodings (GBK,
    Shift-JIS) put their high bytes in pairs and are left to the detector.
    """
    lines = data.split(b"\n")
    utf8_lines = 0
    failing: list[int] = []
    for index, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError:
            failing.append(index)
    if not utf8_lines or not failing:
        return None
    runs = [len(run) for i in failing for run in _HIGH_RUN.findall(lines[i])]
    if sum(1 for r in runs if r == 1) < 0.5 * len(runs):
        return None
    for index in failing:
        try:
            lines[index] = lines[index].decode("cp1252").encode("utf-8")
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: plain Latin-1
            lines[index] = lines[index].decode("latin-1").encode("utf-8")
    logger.warning(
        "%s: mixes UTF-8 and Windows-1252 text; decoded line by line (%d line(s) read as Windows-1252)",
        path,
        len(failing),
    )
    return b"\n".join(lines).decode("utf-8")


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:8192]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    encoding = (
        "utf-16-le"
        if odd > half * 0.3 and even == 0
        else "utf-16-be"
        if even > half * 0.3 and odd == 0
        else None
    )
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detect(sample: bytes) -> str | None:
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return None
    if best.encoding in _WESTERN_RIVALS:
        for match in matches:
            if match.encoding == "cp1252" and match.chaos <= best.chaos + 0.1:
                return "cp1252"
    return best.encoding


def text_blocks(text: str) -> list[Block]:
    """Paragraphs separated by blank lines; each keeps its lines for the head rules."""
    blocks = []
    for chunk in _BLANK_RUN.split(text):
        lines = tuple(line.strip() for line in chunk.split("\n") if line.strip())
        if lines:
            blocks.append(Block(text=" ".join(lines), lines=lines))
    return blocks


def check_length(path: Path, text: str) -> None:
    if len(text) > MAX_SOURCE_CHARS:
        raise over(path, "the text", len(text), MAX_SOURCE_CHARS, "characters")


def _check_text(path: Path, text: str) -> None:
    sample = text[:4096]
    junk = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    if sample and junk / len(sample) > 0.05:
        raise SourceError(path, "looks like binary data, not text")


def read(path: Path, data: bytes, *, source: Source) -> Document:
    text = decode(path, data)
    check_length(path, text)
    _check_text(path, text)
    text = strip_controls(text)
    return assemble(text_blocks(text), source=source, hints=Hints(), fallback_title=title_from_path(path))
