"""English month names as prose writes them, shared by the readers (metadata dates) and the
event finder (dates in sentences), so both read "Sept." or "jun" the same way."""

from __future__ import annotations

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def month_number(name: str) -> int:
    """ "Sept" / "JUNE" / "dec" -> 9 / 6 / 12; KeyError for anything else."""
    return MONTHS[name.lower()]
