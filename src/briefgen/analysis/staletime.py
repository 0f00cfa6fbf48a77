"""Relative time in a cited sentence, resolved against the source's date in square brackets.

A memo written in 2026 that repeats "This year celebrates the 70th anniversary ..." from a 2019
source says something false. The words stay the source's own; the resolved date follows them in
brackets: "This year [in 2019] celebrates ...", "this February [February 2019]", "last year [in
2018]", "over the next year [from March 2019]", "now [as of March 2019]". A bare year is written
"[in 2019]", never "[2019]": in a memo whose notes are numbered a bracketed number reads as a
reference. A possessive anchor is replaced whole ("this year's first round" -> "[2019's] first
round"), since "this year [in 2019]'s" does not read. Without a source date nothing can be
resolved (a guess would be worse), so the first relative time of a sentence is marked
"[undated source]". The words covered are in `data/relative_time.tsv`.
"""

from __future__ import annotations

import functools
import re
from datetime import date as Date

from ..dates import MONTHS, month_number
from . import lexicon

# Full month names in calendar order, from the one month table (not the locale: memos are
# byte-identical under any LANG).
_NAMES = tuple(max((name for name, k in MONTHS.items() if k == number), key=len) for number in range(1, 13))
_MONTHS = "|".join(_NAMES)


def _month_year(when: Date) -> str:
    return f"{_NAMES[when.month - 1].capitalize()} {when.year}"


@functools.cache
def _pattern() -> re.Pattern[str]:
    words = "|".join(re.escape(row[0]) for row in lexicon.table("relative_time.tsv"))
    return re.compile(
        rf"\b(?:(?P<span>(?:over|during|in|within) the )?(?P<which>this|last|next|past|coming) "
        rf"(?P<unit>{_MONTHS}|{words})(?P<poss>['’]s\b)?"
        r"|(?P<day>today|yesterday|tomorrow|tonight)"
        # "now", but not "Now," opening a sentence as a discourse marker, nor "now [..." again
        r"|(?<![.!?]\s)(?<!^)(?P<now>now)(?!,))\b(?!\s*\[)",
        re.I,
    )


def resolve(text: str, anchor: str | None) -> str:
    """`text` with each relative time word followed by its resolved date in brackets."""
    when = _anchor(anchor)
    if when is None:
        return _mark_undated(text)
    return _pattern().sub(lambda m: _bracket(m, when), text)


def _mark_undated(text: str) -> str:
    """The first relative time (not a bare "now") followed by "[undated source]"."""
    if "[undated source]" in text:
        return text
    for m in _pattern().finditer(text):
        if m.group("now"):
            continue
        return text[: m.end()] + " [undated source]" + text[m.end() :]
    return text


def has_relative_time(text: str) -> bool:
    return bool(_pattern().search(text))


def _bracket(m: re.Match[str], when: Date) -> str:
    written = m.group(0)
    if m.group("day"):
        return f"{written} [{when.day} {_month_year(when)}]"
    if m.group("now"):
        return f"{written} [as of {_month_year(when)}]"
    which, unit = m.group("which").lower(), m.group("unit").lower()
    if which in ("past", "coming"):
        return f"{written} [as of {_month_year(when)}]"  # a span ending or starting then
    if m.group("span") and which == "next":
        return f"{written} [from {_month_year(when)}]"  # "over the next year": a span from then
    if m.group("span") and which == "last":
        return f"{written} [to {_month_year(when)}]"
    resolved = _resolved(which, unit, when)
    if m.group("poss"):
        # "this year's first round" -> "[2019's] first round"
        span = written[: len(m.group("span") or "")]
        return f"{span}[{resolved.removeprefix('in ')}{m.group('poss')}]"
    return f"{written} [{resolved}]"


def _resolved(which: str, unit: str, when: Date) -> str:
    step = {"this": 0, "last": -1, "next": 1}.get(which, 0)
    if unit in _MONTHS.split("|"):
        month = month_number(unit)
        year = when.year
        if step < 0 and month >= when.month:
            year -= 1  # "last February" in a June piece is this year's; in a January piece last year's
        if step > 0 and month <= when.month:
            year += 1
        return f"{unit.capitalize()} {year}"
    kind = {row[0]: row[1] for row in lexicon.table("relative_time.tsv")}.get(unit, "other")
    if kind == "year":
        return f"in {when.year + step}"
    if kind == "month":
        year, month0 = divmod(when.month - 1 + step, 12)
        return _month_year(Date(when.year + year, month0 + 1, 1))
    return f"as of {_month_year(when)}"  # weeks and seasons: the source's date


def _anchor(value: str | None) -> Date | None:
    if not value:
        return None
    parts = value.split("-")
    try:
        return Date(
            int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
        )
    except (ValueError, IndexError):
        return None
