"""Whitespace, once: every finding, title and name is one line of single spaces."""

from __future__ import annotations

import re

# Python's \s in str patterns covers the no-break, thin, ideographic and line-separator spaces as
# well as tabs and newlines: one pattern for every reader and analyser.
_WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse every run of whitespace (no-break and wide spaces, newlines) to one space; trim."""
    return _WHITESPACE.sub(" ", text).strip()
