"""The batch manifest: a TOML file of `[defaults]` and `[[job]]` tables, validated all at once.

A job table holds the build options (`options.BuildOptions`, the same model `briefgen build` fills
from its flags) plus the keys only a manifest has (`name`, `sources`). pydantic checks the types and
bounds; this module adds what needs the file system or the audiences (globs, folders, audience
names, two jobs writing one file) and phrases every problem with its key, e.g.
`job[2].audiences: unknown audience 'x'`, so a user fixes a manifest in one pass. Jobs are numbered
from 1 in the order their `[[job]]` tables appear.

This module stays light (tomllib, glob, pydantic; no spaCy, no renderers): a no-change run loads it.
"""

from __future__ import annotations

import glob
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from ..config_errors import describe
from ..errors import BriefgenError, ManifestError
from ..fsutil import unsafe_output_folder
from ..options import BuildOptions, Names

TOP_KEYS = ("defaults", "job")
MAX_MANIFEST_BYTES = 1_000_000  # a manifest lists globs; a megabyte of it is not a manifest

AudienceLoader = Callable[[str, "Path | None"], Any]


class JobTable(BuildOptions):
    """One `[[job]]` table (or `[defaults]`) as written: the build options and the job's own keys."""

    name: str | None = None
    sources: Names | None = Field(None)  # required in a job; checked by hand for a clearer message


JOB_KEYS = tuple(field.alias or name for name, field in JobTable.model_fields.items())


@dataclass(frozen=True, kw_only=True)
class Job:
    """One [[job]] table with defaults applied, paths resolved and globs expanded."""

    index: int  # 1-based, as in `job[1]`
    name: str
    sources: tuple[Path, ...]  # absolute, sorted, de-duplicated
    options: BuildOptions  # out_dir and templates_dir absolute

    def output(self, source: Path, audience: str, fmt: str) -> Path:
        """Where a memo lands: the `briefgen build` layout, OUT/<source stem>/<audience>.<format>."""
        return self.options.out_dir / self.output_name(source, audience, fmt)

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
        return tuple(sorted({job.options.out_dir for job in self.jobs}))


def load_manifest(path: Path, *, audience_loader: AudienceLoader | None = None) -> Manifest:
    """Read and validate a manifest; raise ManifestError listing every problem found."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ManifestError(path, ["is a folder, not a manifest file"])
        with path.open("rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as err:
        raise ManifestError(path, [f"cannot read the manifest: {err.strerror or err}"]) from None
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError(path, [f"over {MAX_MANIFEST_BYTES:,} bytes; a manifest lists globs, not data"])
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ManifestError(path, [f"not valid TOML: {err}"]) from None
    except RecursionError:  # tomllib parses nested arrays recursively: `[[[[...]]]]`
        raise ManifestError(path, ["not valid TOML: arrays nested too deeply"]) from None
    if audience_loader is None:
        from ..compose import load_audience  # Jinja2 compiles nothing until a memo is composed

        audience_loader = load_audience
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
        tables = data.get("job")
        if tables is None:
            self._validate(defaults, lambda _key: "defaults")
            self.problem("job", "no [[job]] tables: add at least one with `sources = [...]`")
            return []
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self.problem("job", "must be an array of tables ([[job]])")
            return []
        jobs = []
        for index, table in enumerate(tables, start=1):
            job = self._job(index, defaults, table)
            if job is not None:
                jobs.append(job)
        self._conflicts(jobs)
        return jobs

    def _validate(self, values: dict[str, Any], where: Callable[[str], str]) -> JobTable:
        """The table checked against the schema; every error becomes a problem under its key, and
        the keys that passed are returned (the others at their defaults) so the checks that follow
        (globs, audiences) still run and report their problems in the same pass."""
        try:
            return JobTable.model_validate(values)
        except ValidationError as err:
            bad = set()
            for key, message in describe(err, JobTable):
                bad.add(key)
                self.problem(f"{where(key)}.{key}", message)
            return JobTable.model_validate({k: v for k, v in values.items() if k not in bad})

    def _job(self, index: int, defaults: dict[str, Any], table: dict[str, Any]) -> Job | None:
        before = len(self.problems)

        def where(name: str) -> str:  # name the table the value came from
            return f"job[{index}]" if name in table or name not in defaults else "defaults"

        values = self._validate({**defaults, **table}, where)
        if values.sources is None:
            self.problem(f"job[{index}].sources", "missing: a list of file globs, relative to the manifest")
        out = self._folder(values.out_dir)
        reason = unsafe_output_folder(out, sources_in=self.base)
        if reason:
            self.problem(f"{where('out')}.out", reason)
        templates = None if values.templates_dir is None else self._folder(values.templates_dir)
        if templates is not None and not templates.is_dir():
            self.problem(f"{where('templates')}.templates", f"folder not found: {templates}")
            templates = None
        sources = self._expand(values.sources or (), f"{where('sources')}.sources", out)
        for audience in values.audiences:
            self._audience(audience, templates, f"{where('audiences')}.audiences")
        if len(self.problems) > before:
            return None
        options = BuildOptions.model_validate(
            values.model_dump(exclude={"name", "sources"}) | {"out_dir": out, "templates_dir": templates}
        )
        return Job(index=index, name=values.name or f"job {index}", sources=sources, options=options)

    def _folder(self, value: Path) -> Path:
        """A manifest path: relative to the manifest's folder (absolute ones as they are)."""
        return Path(os.path.normpath(self.base / value))

    # -- checks that look at the file system and the audiences ---------------------------------

    def _expand(self, patterns: tuple[str, ...], key: str, out: Path) -> tuple[Path, ...]:
        found: dict[Path, None] = {}
        for pattern in patterns:
            matches = [os.path.normpath(p) for p in glob.glob(str(self.base / pattern), recursive=True)]
            files = [p for p in matches if os.path.isfile(p) and p != str(self.manifest)]
            sources = sorted(Path(p) for p in files if not _inside(p, out))
            if not sources:
                if files:  # every match is one of our outputs: say so, not "matches no file"
                    self.problem(key, f"{pattern!r} matches only files inside the output folder {out}")
                else:
                    self.problem(key, f"{pattern!r} matches no file")
            found.update(dict.fromkeys(sources))
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
            out_dir = job.options.out_dir
            for source in job.sources:
                for audience in job.options.audiences:
                    for fmt in job.options.formats:
                        output = (out_dir, job.output_name(source, audience, fmt))
                        first = writers.setdefault(output, (job.index, source))
                        if first != (job.index, source):
                            clashes.setdefault((job.index, source, *first), out_dir / output[1])
        for (index, source, other_index, other_source), written in clashes.items():
            self.problem(
                f"job[{index}].sources",
                f"{self._show(source)} would write {self._show(written)}, which job[{other_index}] "
                f"already writes from {self._show(other_source)} (change `out` or rename a source)",
            )

    def _show(self, path: Path) -> str:
        return os.path.relpath(path, self.base) if path.is_relative_to(self.base) else str(path)


def _inside(path: str, folder: Path | None) -> bool:
    """Never treat our own outputs as sources (a `**` glob over a folder that contains OUT)."""
    return folder is not None and path.startswith(str(folder) + os.sep)
