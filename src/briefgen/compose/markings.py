"""Classification markings, read from `markings.toml`: banner colour, portion marks, designation.

The rules are data (which colour a level has, how its portion mark reads, which designation lines
it needs); this module only applies them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import BriefgenError

MARKINGS_FILE = Path(__file__).with_name("markings.toml")


@dataclass(frozen=True, kw_only=True)
class Level:
    name: str
    color: str
    portion: str
    designation: tuple[tuple[str, str], ...] = ()  # (settings key, printed label), all required


@dataclass(frozen=True, kw_only=True)
class Rules:
    levels: dict[str, Level]
    dissemination: dict[str, str]


@cache  # the rules file of the installed package: read once per process
def rules() -> Rules:
    data: dict[str, Any] = tomllib.loads(MARKINGS_FILE.read_text(encoding="utf-8"))
    levels = {
        name: Level(
            name=name,
            color=entry["color"],
            portion=entry["portion"],
            designation=tuple((key, label) for key, label in entry.get("designation", ())),
        )
        for name, entry in data["levels"].items()
    }
    return Rules(levels=levels, dissemination=dict(data.get("dissemination", {})))


def _parts(banner: str) -> list[str]:
    return [part.strip() for part in banner.upper().split("//")]


def level_of(banner: str | None) -> Level | None:
    """The marking level a banner starts with ("SECRET//NOFORN" -> SECRET), None when unknown."""
    if not banner:
        return None
    return rules().levels.get(_parts(banner)[0])


def banner_color(banner: str | None, overrides: dict[str, str], default: str) -> str:
    """The banner's colour: the audience's override for its level, else the level's, else `default`."""
    level = level_of(banner)
    if level is None:
        return default
    return overrides.get(level.name, level.color)


def portion_mark(banner: str) -> str:
    """ "SECRET//NOFORN" -> "(S//NF)", "CUI" -> "(CUI)"; an unknown level is marked as written."""
    parts = _parts(banner)
    level = rules().levels.get(parts[0])
    head = level.portion if level else parts[0]
    controls = [rules().dissemination.get(part, part) for part in parts[1:] if part]
    return "(" + "//".join([head, *controls]) + ")"


def designation_lines(banner: str | None, settings: dict[str, str], audience: str) -> tuple[str, ...]:
    """The designation block a level requires, from the audience's [designation] settings.

    Refused with one line naming every missing setting: a CUI memo without it may not go out.
    """
    level = level_of(banner)
    if level is None or not level.designation:
        return ()
    missing = [key for key, _ in level.designation if not settings.get(key)]
    if missing:
        raise BriefgenError(
            f"audience {audience!r}: a {level.name} memo needs a designation block; set "
            + ", ".join(missing)
            + " in the [designation] table of its audience.toml"
        )
    return tuple(f"{label}: {settings[key]}" for key, label in level.designation)


_BULLET = re.compile(r"^(\s*(?:[-*+]|\d{1,9}[.)])\s+)")
FOOTNOTE_DEFINITION = re.compile(r"^(\[\^[^\]]+\]:\s+)")  # "[^p3-s1]: ...", a note's text
_NOT_PROSE = re.compile(r"^\s*(?:#|\||<!--|\\pagebreak|\\newpage|```)")


def add_portion_marks(markdown: str, mark: str) -> str:
    """Put `mark` ("(U)") at the start of every paragraph, bullet and note of a memo's Markdown.

    Headings, tables (the TO/FROM block) and page breaks are left as they are.
    """
    lines = markdown.split("\n")
    out: list[str] = []
    after_break = True  # at the start of the text or after a blank line: a new paragraph starts
    for line in lines:
        if not line.strip():
            out.append(line)
            after_break = True
            continue
        if _NOT_PROSE.match(line):
            out.append(line)
            after_break = True
            continue
        bullet = _BULLET.match(line) or FOOTNOTE_DEFINITION.match(line)
        if bullet:
            out.append(f"{bullet.group(1)}{mark} {line[bullet.end() :]}")
        elif after_break:
            indent = len(line) - len(line.lstrip())
            out.append(f"{line[:indent]}{mark} {line[indent:]}")
        else:
            out.append(line)
        after_break = False
    return "\n".join(out)
