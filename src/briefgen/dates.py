"""Dates, once: the memo date of a run and the English month names.

The month table serves the readers (metadata dates), the event finder (dates in sentences) and the
templates (a memo says "1 July 2019"); strftime("%B") would follow the locale, and memos must be
the same bytes on every machine.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping

from .errors import SettingError

MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Every spelling prose uses for a month -> its number: the full name, its first three letters,
# and the one common four-letter abbreviation ("Sept.").
MONTHS: dict[str, int] = {
    spelling: number
    for number, name in enumerate(MONTH_NAMES, start=1)
    for spelling in (name.lower(), name[:3].lower(), *(("sept",) if number == 9 else ()))
}

# reproducible-builds.org: "an ASCII representation of an integer with no fractional component,
# identical to the output format of `date +%s`", and a malformed value must be an error, never a
# silent fallback to today.
_EPOCH = re.compile(r"[0-9]{1,12}")


def month_number(name: str) -> int:
    """ "Sept" / "JUNE" / "dec" -> 9 / 6 / 12; KeyError for anything else."""
    return MONTHS[name.lower()]


def month_name(number: int) -> str:
    """6 -> "June" (IndexError-free: ValueError outside 1..12)."""
    if not 1 <= number <= 12:
        raise ValueError(f"no month {number}")
    return MONTH_NAMES[number - 1]


def memo_date(date: str | None = None, *, environ: Mapping[str, str] | None = None) -> str:
    """The memo date as YYYY-MM-DD: `date` when given, else SOURCE_DATE_EPOCH, else today.

    Always in UTC, so the same run gives the same date under any TZ. `build` and `batch` both call
    this once per run, before any analysis, so a malformed SOURCE_DATE_EPOCH fails fast (exit 2)
    instead of after minutes of work. An empty SOURCE_DATE_EPOCH counts as unset (`export VAR=` is
    how shells clear it).
    """
    if date:
        return date
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "")
    if epoch:
        if not _EPOCH.fullmatch(epoch):
            raise SettingError(
                "SOURCE_DATE_EPOCH", epoch, "is not a Unix timestamp (whole seconds, like 1719792000)"
            )
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            raise SettingError("SOURCE_DATE_EPOCH", epoch, "is out of range for a date") from None
    return dt.datetime.now(dt.UTC).date().isoformat()
