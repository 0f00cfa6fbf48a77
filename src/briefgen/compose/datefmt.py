"""Dates as a memo prints them, the memo's own date, and how old its source is."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .. import dates
from ..options import BuildOptions
from .escaping import Md, escape, unescape

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def memo_date(options: BuildOptions) -> str:
    """The memo's date: the options' date, else the project's one memo date (dates.memo_date)."""
    return options.date or dates.memo_date()


def format_date(value: Any, style: str = "long") -> Md:
    """YYYY-MM-DD / YYYY-MM / YYYY -> "28 June 2019" / "June 2019" / "2019" (other text unchanged)."""
    if value is None:
        return Md("")
    text = unescape(str(value)).strip()
    match = _PARTIAL_DATE.match(text)
    if not match:
        return escape(text)
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        return escape(text)
    if style == "iso":
        return Md(text)
    month_name = dates.MONTH_NAMES[int(month) - 1] if month else ""
    if style == "short" and month_name:
        month_name = month_name[:3]
    parts = [str(int(day))] if day else []
    parts += [month_name] if month else []
    parts.append(year)
    return Md(" ".join(parts))


def _first_day(value: str) -> dt.date | None:
    match = _PARTIAL_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def source_age(source_date: str | None, memo_day: str) -> str | None:
    """ "The source is dated 28 June 2019, over 7 years before this memo." when it is over a year old.

    A reader of a memo about an old source must know that its "this year" and "now" are not today's.
    """
    if not source_date:
        return None
    then, now = _first_day(source_date), _first_day(memo_day)
    if then is None or now is None or (now - then).days <= 365:
        return None
    years = (now - then).days // 365
    # A leap day can make 365-day years overcount by one right at an anniversary: count calendar years.
    calendar_years = now.year - then.year - ((now.month, now.day) < (then.month, then.day))
    years = max(1, min(years, calendar_years))
    span = "over a year" if years == 1 else f"over {years} years"
    return f"The source is dated {format_date(source_date)}, {span} before this memo."
