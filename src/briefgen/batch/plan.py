"""Planning a batch: every output the manifest asks for, its key, and whether it must be built.

A memo's key digests everything that shapes its bytes: the source's sha256 and name, the key
points, the audience's fingerprint (templates and styles), the format, the memo options, and the
code fingerprint (briefgen's own source, data and built-in templates).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from ..textutil import printable
from .cache import BuildState, OutputRecord, SourceHashes, brief_path, digest, sha256_file
from .manifest import Job, Manifest
from .task import MemoTask, SourceTask


@dataclass(frozen=True, kw_only=True)
class Planned:
    """One output the manifest asks for, with everything its key was made from."""

    job: Job
    source: Path
    audience: str
    format: str
    output: Path
    record: OutputRecord  # what the state will hold once built (sha256/size/mtime filled then)
    task: MemoTask | None  # None when unchanged
    reason: str | None

    @property
    def out_dir(self) -> Path:
        return self.job.options.out_dir


def plan(
    loaded: Manifest,
    hashes: SourceHashes,
    states: dict[Path, BuildState],
    *,
    force: bool,
    date: str,
    code: str,
) -> tuple[list[Planned], dict[Path, str]]:
    """Every output the manifest asks for, marked unchanged or with the reason to rebuild it."""
    planned: list[Planned] = []
    failed: dict[Path, str] = {}  # source -> why it could not even be hashed
    for job in loaded.jobs:
        # As `briefgen build`: one analysis with enough key points for the most demanding
        # audience of the job; each template takes its share.
        templates = job.options.templates_dir
        key_points = job.options.key_points or max(
            loaded.audiences[(a, templates)].key_points for a in job.options.audiences
        )
        state = states[job.options.out_dir]
        options = job.options if job.options.date else job.options.model_copy(update={"date": date})
        options_key = digest("options", options.memo_key())
        audiences = [loaded.audiences[(name, templates)] for name in job.options.audiences]
        manifest = str(loaded.path)
        for source in job.sources:
            try:
                sha = hashes.sha256(source)
            except OSError as err:  # vanished or unreadable since the manifest was checked
                failed[source] = f"cannot read: {err.strerror or err}"
                continue
            name = source_name(source, loaded.path)
            analysis_key = digest("analysis", name, sha, key_points, code)
            for audience_name, audience in zip(job.options.audiences, audiences, strict=True):
                for fmt in job.options.formats:
                    rel = job.output_name(source, audience_name, fmt)
                    output = job.options.out_dir / rel
                    key = digest("memo", analysis_key, audience.fingerprint, fmt, options_key)
                    record = OutputRecord(
                        output=rel,
                        key=key,
                        source=str(source),
                        source_sha256=sha,
                        audience=audience_name,
                        fingerprint=audience.fingerprint,
                        format=fmt,
                        options=options_key,
                        code=code,
                        sha256="",
                        size=0,
                        mtime_ns=0,
                        manifest=manifest,
                    )
                    reason = _reason(state, record, output, force)
                    old = state.get(rel)
                    if reason is None and old is not None and old.manifest != manifest:
                        state.add(replace(old, manifest=manifest))  # it is ours now
                    task = (
                        None
                        if reason is None
                        else MemoTask(
                            output=output,
                            audience=audience_name,
                            templates_dir=templates,
                            format=fmt,
                            options=options,
                            key_points=key_points,
                            analysis_key=analysis_key,
                            brief_paths=(brief_path(job.options.out_dir, analysis_key),),
                        )
                    )
                    planned.append(
                        Planned(
                            job=job,
                            source=source,
                            audience=audience_name,
                            format=fmt,
                            output=output,
                            record=record,
                            task=task,
                            reason=reason,
                        )
                    )
    return planned, failed


def source_name(source: Path, manifest: Path) -> str:
    """How memos name a source: relative to the manifest's folder, with '/', printable (a file
    name that is not UTF-8 is shown with \\xNN escapes rather than failing its memo)."""
    return printable(Path(os.path.relpath(source, manifest.parent)).as_posix())


def _reason(state: BuildState, new: OutputRecord, output: Path, force: bool) -> str | None:
    """Why this output must be built, or None when the file on disk is still what it would be."""
    if force:
        return "forced"
    old = state.get(new.output)
    if old is None:
        return "new"
    if old.key != new.key:
        if old.code != new.code:
            return "briefgen code or data changed"
        if old.source_sha256 != new.source_sha256:
            return "source changed"
        if old.fingerprint != new.fingerprint:
            return "templates changed"
        if old.options != new.options:
            return "options changed"
        return "inputs changed"
    if old.matches_file(output):
        return None
    # Copied or restored outputs (rsync, a CI cache) keep their bytes but not their mtimes:
    # re-read before rebuilding, and remember the new mtime so the next run is stat-only again.
    try:
        st = output.stat()
        if st.st_size == old.size and sha256_file(output) == old.sha256:
            state.add(replace(old, mtime_ns=st.st_mtime_ns))
            return None
    except OSError:
        pass
    return "output missing or modified"


def stale(planned: list[Planned], states: dict[Path, BuildState], manifest: Path) -> list[tuple[Path, str]]:
    """Outputs this manifest built before and asks for no more, as (output folder, relative path).
    Another manifest's outputs in a shared folder are never ours to report or prune."""
    wanted = {(p.out_dir, p.record.output) for p in planned}
    found = []
    for out_dir, state in states.items():
        found += [
            (out_dir, rel)
            for rel, record in state.records.items()
            if record.manifest == str(manifest) and (out_dir, rel) not in wanted
        ]
    return sorted(found)


def tasks(planned: list[Planned], manifest: Path) -> list[SourceTask]:
    """One task per source: its memos across every job, sharing one analysis per key."""
    memos: dict[Path, list[MemoTask]] = defaultdict(list)
    shas: dict[Path, str] = {}
    limits: dict[Path, tuple[int, int, float]] = {}  # the most generous of the jobs that name it
    homes: dict[str, set[Path]] = defaultdict(set)  # analysis key -> its cache files
    for p in planned:
        if p.task is None:
            continue
        memos[p.source].append(p.task)
        shas[p.source] = p.record.source_sha256
        o = p.job.options
        old = limits.get(p.source, (0, 0, 0.0))
        limits[p.source] = (max(old[0], o.max_bytes), max(old[1], o.max_chars), max(old[2], o.timeout))
        homes[p.task.analysis_key].update(p.task.brief_paths)
    found = []
    for source, items in memos.items():
        items = [replace(m, brief_paths=tuple(sorted(homes[m.analysis_key]))) for m in items]
        max_bytes, max_chars, timeout = limits[source]
        found.append(
            SourceTask(
                source=source,
                name=source_name(source, manifest),
                sha256=shas[source],
                max_bytes=max_bytes,
                max_chars=max_chars,
                timeout=timeout,
                memos=tuple(items),
            )
        )
    # Largest sources first, so a long one does not start last and leave the other workers idle.
    found.sort(key=lambda t: (-_size(t.source), str(t.source)))
    return found


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
