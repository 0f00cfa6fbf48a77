"""The batch manifest: a TOML file of `[defaults]` and `[[job]]` tables, validated all at once.

Every problem is collected (not raised on the first one) and reported together with the key
that is wrong, e.g. `job[2].audiences: unknown audience 'x'`, so a user fixes a manifest in one
pass. Jobs are numbered from 1 in the order their `[[job]]` tables appear.

This module stays light (tomllib, glob, no spaCy, no renderers): the no-change batch run loads it.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BriefgenError, ManifestError
from .options import DEFAULT_AUDIENCES, DEFAULT_FORMATS, FORMATS

# The keys a [[job]] table (and [defaults]) may hold; anything else is reported as unknown.
JOB_KEYS = (
    "name",
    "sources",
    "audiences",
    "formats",
    "out",
    "templates",
    "classification",
    "to",
    "from",
    "date",
    "key_points",
    "max_bytes",
)
TOP_KEYS = ("defaults", "job")
DEFAULT_OUT = "out"
DEFAULT_MAX_BYTES = 50_000_000
KEY_POINTS_RANGE = (1, 50)

AudienceLoader = Callable[[str, "Path | None"], Any]


@dataclass(frozen=True, kw_only=True)
class Job:
    """One [[job]] table with defaults applied, paths resolved and globs expanded."""

    index: int  # 1-based, as in `job[1]`
    name: str
    sources: tuple[Path, ...]  # absolute, sorted, de-duplicated
    audiences: tuple[str, ...]
    formats: tuple[str, ...]
    out_dir: Path  # absolute
    templates_dir: Path | None  # absolute
    classification: str | None = None
    to: str | None = None
    from_: str | None = None
    date: str | None = None  # YYYY-MM-DD
    key_points: int | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    def output(self, source: Path, audience: str, fmt: str) -> Path:
        """Where a memo lands: the `briefgen build` layout, OUT/<source stem>/<audience>.<format>."""
        return self.out_dir / self.output_name(source, audience, fmt)

    @staticmethod
    def output_name(source: Path, audience: str, fmt: str) -> str:
        """The output's path inside the output folder, with '/' (as the build state records it)."""
        return f"{source.stem}/{audience}.{fmt}"


@dataclass(frozen=True, kw_only=True)
class Manifest:
    path: Path
    jobs: tuple[Job, ...]
    audiences: dict  # (name, templates_dir) -> loaded audience, so callers load each one once

    @property
    def out_dirs(self) -> tuple[Path, ...]:
        return tuple(sorted({job.out_dir for job in self.jobs}))


def load_manifest(path: Path, *, audience_loader: AudienceLoader | None = None) -> Manifest:
    """Read and validate a manifest; raise ManifestError listing every problem found."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ManifestError(path, [f"cannot read the manifest: {err.strerror or err}"]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ManifestError(path, [f"not valid TOML: {err}"]) from None
    if audience_loader is None:
        from .audiences import load_audience as audience_loader  # light: Jinja2 is not compiled here

    checker = _Checker(path.resolve(), audience_loader)
    jobs = checker.check(data)
    if checker.problems:
        raise ManifestError(path, checker.problems)
    return Manifest(path=path.resolve(), jobs=tuple(jobs), audiences=checker.audiences)


class _Checker:
    """Walks the parsed TOML and collects problems; returns the jobs it could build."""

    def __init__(self, manifest: Path, audience_loader: AudienceLoader) -> None:
        self.manifest = manifest
        self.base = manifest.parent
        self.load_audience = audience_loader
        self.problems: list[str] = []
        self.audiences: dict = {}

    def problem(self, key: str, message: str) -> None:
        line = f"{key}: {message}"
        if line not in self.problems:  # a bad [defaults] value is reported once, not once per job
            self.problems.append(line)

    def check(self, data: dict[str, Any]) -> list[Job]:
        for key in data:
            if key not in TOP_KEYS:
                self.problem(key, "unknown key (expected [defaults] and [[job]] tables)")
        defaults = data.get("defaults", {})
        if not isinstance(defaults, dict):
            self.problem("defaults", "must be a table ([defaults])")
            defaults = {}
        self._unknown_keys("defaults", defaults)
        tables = data.get("job")
        if tables is None:
            self.problem("job", "no [[job]] tables: add at least one with `sources = [...]`")
            return []
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self.problem("job", "must be an array of tables ([[job]])")
            return []
        jobs = []
        for index, table in enumerate(tables, start=1):
            self._unknown_keys(f"job[{index}]", table)
            job = self._job(index, {**defaults, **table}, set(table))
            if job is not None:
                jobs.append(job)
        self._conflicts(jobs)
        return jobs

    def _unknown_keys(self, where: str, table: dict[str, Any]) -> None:
        for key in table:
            if key not in JOB_KEYS:
                self.problem(f"{where}.{key}", f"unknown key (expected one of: {', '.join(JOB_KEYS)})")

    def _job(self, index: int, values: dict[str, Any], own: set[str]) -> Job | None:
        before = len(self.problems)

        def key(name: str) -> str:  # name the table the value came from
            return f"job[{index}].{name}" if name in own else f"defaults.{name}"

        name = self._string(values, "name", key) or f"job {index}"
        patterns = self._strings(values, "sources", key, default=None)
        if patterns is None:
            self.problem(f"job[{index}].sources", "missing: a list of file globs, relative to the manifest")
            patterns = ()
        audiences = self._strings(values, "audiences", key, default=DEFAULT_AUDIENCES)
        formats = self._strings(values, "formats", key, default=DEFAULT_FORMATS)
        for fmt in formats:
            if fmt not in FORMATS:
                self.problem(
                    key("formats"), f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})"
                )
        out = self._path(values, "out", key, default=DEFAULT_OUT)
        templates = self._path(values, "templates", key, default=None)
        if templates is not None and not templates.is_dir():
            self.problem(key("templates"), f"folder not found: {templates}")
            templates = None
        date = self._date(values, key)
        key_points = self._int(values, "key_points", key, KEY_POINTS_RANGE)
        max_bytes = self._int(values, "max_bytes", key, (1, None))
        classification = self._string(values, "classification", key)
        to = self._string(values, "to", key)
        from_ = self._string(values, "from", key)
        sources = self._expand(patterns, key("sources"), out)
        for audience in audiences:
            self._audience(audience, templates, key("audiences"))
        if len(self.problems) > before:
            return None
        return Job(
            index=index,
            name=name,
            sources=sources,
            audiences=audiences,
            formats=formats,
            out_dir=out,
            templates_dir=templates,
            classification=classification,
            to=to,
            from_=from_,
            date=date,
            key_points=key_points,
            max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes,
        )

    # -- typed getters: each reports a wrong type and returns a usable fallback ----------------

    def _string(self, values, name, key) -> str | None:
        value = values.get(name)
        if value is None or isinstance(value, str):
            return value
        self.problem(key(name), f"must be a string, not {_kind(value)}")
        return None

    def _strings(self, values, name, key, *, default):
        """A list of strings; a lone string is taken as a list of one."""
        if name not in values:
            return default
        value = values[name]
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(key(name), f"must be a list of strings, not {_kind(value)}")
            return ()
        if not value:
            self.problem(key(name), "must not be empty")
        return tuple(dict.fromkeys(value))

    def _path(self, values, name, key, *, default) -> Path | None:
        value = values.get(name, default)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            self.problem(
                key(name),
                "must not be empty" if value == "" else f"must be a path string, not {_kind(value)}",
            )
            return None if default is None else self.base / default
        return Path(os.path.normpath(self.base / value))

    def _int(self, values, name, key, bounds) -> int | None:
        value = values.get(name)
        if value is None:
            return None
        low, high = bounds
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key(name), f"must be a whole number, not {_kind(value)}")
            return None
        if value < low or (high is not None and value > high):
            limits = f"{low}..{high}" if high is not None else f">= {low}"
            self.problem(key(name), f"{value} is out of range ({limits})")
            return None
        return value

    def _date(self, values, key) -> str | None:
        value = values.get("date")
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        self.problem(key("date"), f"must be a date like 2026-01-31, not {value!r}")
        return None

    # -- checks that look at the file system and the audiences ---------------------------------

    def _expand(self, patterns, key: str, out: Path | None) -> tuple[Path, ...]:
        found: dict[Path, None] = {}
        for pattern in patterns:
            matches = (os.path.normpath(p) for p in glob.glob(str(self.base / pattern), recursive=True))
            files = sorted(
                Path(p)
                for p in matches
                if os.path.isfile(p) and p != str(self.manifest) and not _inside(p, out)
            )
            if not files:
                self.problem(key, f"{pattern!r} matches no file")
            found.update(dict.fromkeys(files))
        return tuple(found)

    def _audience(self, name: str, templates: Path | None, key: str) -> None:
        cache_key = (name, templates)
        if cache_key in self.audiences:
            return
        try:
            self.audiences[cache_key] = self.load_audience(name, templates)
        except BriefgenError as err:
            message = str(err)
            self.problem(key, message if repr(name) in message else f"audience {name!r}: {message}")

    def _conflicts(self, jobs: list[Job]) -> None:
        """Two jobs (or two sources of one job) must never write the same output file."""
        writers: dict[tuple[Path, str], tuple[int, Path]] = {}
        clashes: dict[tuple, Path] = {}  # (job, source, other job, other source) -> first clash
        for job in jobs:
            for source in job.sources:
                for audience in job.audiences:
                    for fmt in job.formats:
                        output = (job.out_dir, job.output_name(source, audience, fmt))
                        first = writers.setdefault(output, (job.index, source))
                        if first != (job.index, source):
                            clashes.setdefault((job.index, source, *first), job.out_dir / output[1])
        for (index, source, other_index, other_source), output in clashes.items():
            self.problem(
                f"job[{index}].sources",
                f"{self._show(source)} would write {self._show(output)}, which job[{other_index}] "
                f"already writes from {self._show(other_source)} (change `out` or rename a source)",
            )

    def _show(self, path: Path) -> str:
        return os.path.relpath(path, self.base) if path.is_relative_to(self.base) else str(path)


def _inside(path: str, folder: Path | None) -> bool:
    """Never treat our own outputs as sources (a `**` glob over a folder that contains OUT)."""
    return folder is not None and path.startswith(str(folder) + os.sep)


def _kind(value: Any) -> str:
    return {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
