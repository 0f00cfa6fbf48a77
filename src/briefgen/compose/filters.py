"""The filters templates may use beyond Jinja's own: layout helpers only, no selection, no NLP."""

from __future__ import annotations

from typing import Any

from .datefmt import format_date
from .escaping import Md, escape


def period(value: Any) -> Any:
    """End a text with a full stop unless it already ends a sentence (or a quote of one)."""
    text = str(value).rstrip()
    if not text or text[-1] in ".?!…" or (text[-2:-1] in (".", "?", "!") and text[-1] in "”\"’')"):
        return value
    return Md(text + ".") if isinstance(value, Md) else text + "."


def possessive(value: Any) -> Any:
    """ "China" -> "China’s", "United States" -> "United States’"."""
    text = str(value)
    suffix = "’" if text.endswith("s") else "’s"
    return Md(text + suffix) if isinstance(value, Md) else text + suffix


FILTERS = {
    "date": format_date,
    "period": period,
    "possessive": possessive,
    "md": escape,
}
