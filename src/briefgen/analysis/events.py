"""Dated events, in date order, with partial dates resolved against the piece's own date.

"this February" in a June 2019 piece is 2019-02, "June 11" is 2019-06-11, "June 2018" is
2018-06, "in 2018" is 2018. A duration ("14 years since") is an inference, not a date, so
it is never an event. Scheduled future dates are kept.
"""

from __future__ import annotations

import logging
import re
from datetime import date as Date

from ..model import Document, Event, Sentence
from .text import cite, squash

logger = logging.getLogger(__name__)

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?P<{}>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>1[89]\d\d|20\d\d)"

# Most specific first; each pattern's matches hide the less specific ones inside them.
_PATTERNS = [
    ("iso", re.compile(r"(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])")),
    ("mdy", re.compile(rf"\b{_MONTH.format('m')}\s+{_DAY.format('d')}"
                       rf"(?:\s*(?:-|–|to|and)\s*[0-3]?\d(?:st|nd|rd|th)?)?,?\s+{_YEAR.format('y')}\b")),
    ("dmy", re.compile(rf"\b{_DAY.format('d')}(?:\s*(?:-|–|to|and)\s*[0-3]?\d)?\s+(?:of\s+)?"
                       rf"{_MONTH.format('m')},?\s+{_YEAR.format('y')}\b")),
    ("md", re.compile(rf"\b{_MONTH.format('m')}\s+{_DAY.format('d')}\b(?!\s*(?:%|percent|years?|"
                      r"days?|people|million|billion))")),
    ("dm", re.compile(rf"\b{_DAY.format('d')}\s+(?:of\s+)?{_MONTH.format('m')}\b")),
    ("my", re.compile(rf"\b{_MONTH.format('m')},?\s+(?:of\s+)?{_YEAR.format('y')}\b")),
    ("rel_month", re.compile(rf"\b(?P<rel>this|last|next|early|late|mid-?)\s*{_MONTH.format('m')}\b",
                             re.I)),
    ("rel_year", re.compile(r"\b(?P<rel>this|last|next)\s+year\b", re.I)),
    ("year", re.compile(r"(?<![\w$£€.,/§¶#-])(?<!§ )(?<!U\.S\.C\. )(?P<y>1[89]\d\d|20\d\d)(?![\w%/-]|[.,]\d)"
                        r"(?!\s+(?:people|persons|troops|soldiers|tons|tonnes|km|miles|words|units)\b)")),
]
# "May" is also a verb: only a capitalised month name counts, and "may" before a verb never.
_VERBAL_MAY_RE = re.compile(r"^May\s+(?:be|have|not|also|well|still)\b")


def find_events(document: Document, sentences: tuple[Sentence, ...]) -> tuple[Event, ...]:
    anchor = _anchor(document.meta.date)
    found: list[tuple[str, int, Event]] = []
    seen: set[tuple[str, str]] = set()
    for index, sentence in enumerate(sentences):
        if _is_bare_date(sentence.text):
            continue  # a dateline ("Jun 28, 2019") is the piece's date, not an event
        for value in _dates(sentence.text, anchor):
            if (value, sentence.id) in seen:
                continue
            seen.add((value, sentence.id))
            found.append((value, index, Event(date=value, text=squash(sentence.text),
                                              cite=cite(sentence))))
    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(event for _, _, event in found)


def _anchor(value: str | None) -> Date | None:
    if not value:
        return None
    try:
        parts = [int(x) for x in value.split("-")]
        return Date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        logger.debug("unusable document date %r", value)
        return None


def _is_bare_date(text: str) -> bool:
    rest = text
    for _, pattern in _PATTERNS[:3]:
        rest = pattern.sub("", rest)
    return len(re.findall(r"[A-Za-z]{3,}", rest)) == 0 and rest != text


def _dates(text: str, anchor: Date | None) -> list[str]:
    """Every date the sentence names, resolved, in text order (overlaps: the most specific wins)."""
    taken: list[tuple[int, int]] = []
    values: list[tuple[int, str]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            span = (m.start(), m.end())
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            if "m" in m.groupdict() and m.group("m") and m.group("m").lower().startswith("may") \
                    and (m.group("m")[0].islower() or _VERBAL_MAY_RE.match(text[m.start("m"):])):
                continue
            value = _resolve(kind, m, anchor)
            if value:
                taken.append(span)
                values.append((m.start(), value))
    return [v for _, v in sorted(values)]


def _month(m: re.Match) -> int:
    return _MONTHS[m.group("m").lower().rstrip(".")[:4] if m.group("m").lower().startswith("sept")
                   else m.group("m").lower().rstrip(".")[:3]]


def _valid(y: int, mo: int, d: int) -> bool:
    try:
        Date(y, mo, d)
        return True
    except ValueError:
        return False


def _resolve(kind: str, m: re.Match, anchor: Date | None) -> str | None:
    if kind == "iso":
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    if kind in ("mdy", "dmy"):
        y, mo, d = int(m.group("y")), _month(m), int(m.group("d"))
        return f"{y:04d}-{mo:02d}-{d:02d}" if _valid(y, mo, d) else None
    if kind in ("md", "dm"):
        if anchor is None:
            return None
        mo, d = _month(m), int(m.group("d"))
        return f"{anchor.year:04d}-{mo:02d}-{d:02d}" if _valid(anchor.year, mo, d) else None
    if kind == "my":
        return f"{int(m.group('y')):04d}-{_month(m):02d}"
    if kind == "rel_month":
        if anchor is None or m.group("m")[0].islower():
            return None
        mo, rel = _month(m), m.group("rel").lower()
        year = anchor.year
        if rel == "last":
            year = anchor.year if mo < anchor.month else anchor.year - 1
        elif rel == "next":
            year = anchor.year if mo > anchor.month else anchor.year + 1
        return f"{year:04d}-{mo:02d}"
    if kind == "rel_year":
        if anchor is None:
            return None
        shift = {"this": 0, "last": -1, "next": 1}[m.group("rel").lower()]
        return f"{anchor.year + shift:04d}"
    if kind == "year":
        return f"{int(m.group('y')):04d}"
    return None
