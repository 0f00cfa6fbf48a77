"""Whitespace, once: every finding, title and name is one line of single spaces."""

from __future__ import annotations

import re

# Python's \s in str patterns covers the no-break, thin, ideographic and line-separator spaces as
# well as tabs and newlines: one pattern for every reader and analyser.
_WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse every run of whitespace (no-break and wide spaces, newlines) to one space; trim."""
    return _WHITESPACE.sub(" ", text).strip()


def printable(text: str) -> str:
    """`text` on one line with control characters and undecodable bytes escaped as Python's repr
    writes them: a file name that is not UTF-8 shows as \\xNN, a newline in it as \\n."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif char.isprintable():
            out.append(char)
        else:
            out.append(repr(char)[1:-1])
    return "".join(out)
