"""Composition: a Brief and an audience become the Markdown of one memo.

Modules, each one job, imported in this order (no cycle): `escaping` (Markdown escaping, curly
quotes), `datefmt` (memo date, printed dates, source age), `limits`, `settings` (the audience.toml
schema), `markings` (+ markings.toml), `files` (reads that stay inside a folder), `audiences`
(finding and loading audiences), `citations`, `view` (the memo view: all selection and trimming),
`filters`, `loader` (the one bounded Jinja environment), `compose`, `check` (`templates check`).
"""

from __future__ import annotations

from .audiences import Audience, builtin_dir, init_audience, known_names, list_audiences, load_audience
from .check import check_templates
from .compose import compose
from .datefmt import memo_date
from .escaping import Md, escape
from .view import FIT_STEPS, Fit, MemoView, addressing, memo_view

__all__ = [
    "FIT_STEPS",
    "Audience",
    "Fit",
    "Md",
    "MemoView",
    "addressing",
    "builtin_dir",
    "check_templates",
    "compose",
    "escape",
    "init_audience",
    "known_names",
    "list_audiences",
    "load_audience",
    "memo_date",
    "memo_view",
]
