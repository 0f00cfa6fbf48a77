"""`briefgen batch`: build every memo a manifest asks for, skipping what has not changed.

The order of work, chosen so an unchanged run is cheap:
1. read and validate the manifest (TOML, globs, audiences: their fingerprints);
2. hash sources (a stat cache avoids re-reading unchanged files) and compute each memo's key;
3. compare keys with the build state next to the outputs: equal key + untouched file = unchanged;
4. only then start workers (and import spaCy and the renderers) for what is left.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import __version__
from .dates import memo_date
from .cache import BuildState, OutputRecord, SourceHashes, brief_path, digest, sha256_file
from .errors import BriefgenError
from .executors import Builder, MemoTask, PipelineBuilder, SourceResult, SourceTask, make_executor
from .lock import output_locks
from .manifest import Job, Manifest, load_manifest
from .options import BuildOptions
from .report import (
    BUILT,
    FAILED,
    PENDING,
    PRUNED,
    REPORT_NAME,
    STALE,
    UNCHANGED,
    BatchResult,
    OutputReport,
    display,
    summary_lines,
    write_report,
)

logger = logging.getLogger(__name__)

__all__ = ["BatchResult", "Terminated", "run_batch"]

Echo = Callable[[str], None]


@dataclass(frozen=True, kw_only=True)
class _Planned:
    """One output the manifest asks for, with everything its key was made from."""

    job: Job
    source: Path
    audience: str
    format: str
    output: Path
    record: OutputRecord  # what the state will hold once built (sha256/size/mtime filled then)
    task: MemoTask | None  # None when unchanged
    reason: str | None


def run_batch(
    manifest: Path,
    *,
    jobs: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    prune: bool = False,
    report_path: Path | None = None,
    wait_lock: bool = False,
    echo: Echo | None = None,
    builder: Builder | None = None,
    progress: bool | None = None,
) -> BatchResult:
    """Run a manifest; raises ManifestError (exit 2) before touching anything if it is invalid.

    `builder` replaces the real pipeline (tests use a fake one); `progress` forces the progress bar
    on or off (default: on when stderr is a terminal).
    """
    start = time.perf_counter()
    started = dt.datetime.now(dt.UTC)
    echo = echo or (lambda _line: None)
    builder = builder or PipelineBuilder()
    loaded = load_manifest(Path(manifest), audience_loader=builder.audience)
    runner = make_executor(executor, jobs=jobs, scheduler=scheduler)
    out_dirs = loaded.out_dirs
    report = _report_path(report_path, out_dirs[0])
    locks = contextlib.nullcontext() if dry_run else output_locks(out_dirs, wait=wait_lock, echo=echo)
    with _sigterm_as_interrupt(), locks:
        hashes = SourceHashes(out_dirs)
        states = {d: BuildState(d, read_only=dry_run) for d in out_dirs}
        planned, failed_sources = _plan(loaded, hashes, states, force=force)
        stale = _stale(planned, states, loaded.path)
        if dry_run:
            result = _dry_run(planned, failed_sources, stale, time.perf_counter() - start, echo)
            for line in summary_lines(result):
                echo(line)
            return result
        tasks = _tasks(planned, loaded.path)
        logger.info(
            "%d source(s) hashed, %d memo(s) to build from %d source(s)",
            hashes.hashed,
            sum(len(t.memos) for t in tasks),
            len(tasks),
        )
        # Saved before the long part, so an interrupted run does not re-read every source next time.
        hashes.save(keep={p.source for p in planned})
        results = _execute(runner, tasks, builder, echo, progress, _recorder(planned, states))
        outputs = _outcomes(planned, results, failed_sources, states)
        outputs += (
            _prune(stale, states)
            if prune
            else [
                OutputReport(output=str(p), source=None, audience=None, format=None, status=STALE)
                for p in stale
            ]
        )
        for state in states.values():
            state.compact()
        failed = any(o.status == FAILED for o in outputs)
        result = BatchResult(
            exit_code=1 if failed else 0,
            outputs=tuple(outputs),
            seconds=time.perf_counter() - start,
            report_path=report,
        )
        try:
            write_report(report, result, manifest=loaded.path, started=started)
        except OSError as err:
            report_error = f"cannot write the report {report}: {err.strerror or err}"
        else:
            report_error = None
    for line in summary_lines(result):
        echo(line)
    if report_error:
        raise BriefgenError(report_error)  # the memos are built; say so above, then fail in one line
    echo(f"report: {display(report)}")
    return result


class Terminated(KeyboardInterrupt):
    """SIGTERM (systemd stopping the unit, a CI timeout, `kill`): stop as Ctrl-C does, with the
    workers ended, the lock released and every finished memo kept in the state."""


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into `Terminated` while the run lasts (Python's default is to die at once, with
    no cleanup: the pool's workers would be left to finish on their own)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return

    def terminate(_signum: int, _frame: Any) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _report_path(path: Path | None, default_dir: Path) -> Path:
    """Where the JSON report goes; checked before anything is built, so a typo costs nothing.

    An existing folder gets `briefgen-report.json` inside it (as `cp file folder/` does).
    """
    if path is None:
        return default_dir / REPORT_NAME
    path = Path(path)
    if path.is_dir():
        return path / REPORT_NAME
    for parent in path.parents:  # the nearest existing ancestor must be a folder we can create in
        if parent.exists():
            if not parent.is_dir():
                raise BriefgenError(f"--report {path}: {parent} is not a folder")
            break
    return path


def _plan(
    loaded: Manifest, hashes: SourceHashes, states: dict[Path, BuildState], *, force: bool
) -> tuple[list[_Planned], dict[Path, str]]:
    """Every output the manifest asks for, marked unchanged or with the reason to rebuild it."""
    planned: list[_Planned] = []
    failed: dict[Path, str] = {}  # source -> why it could not even be hashed
    run_date = memo_date()  # once per run, so every worker agrees; a bad SOURCE_DATE_EPOCH fails here
    for job in loaded.jobs:
        date = job.date or run_date
        # As `briefgen build`: one analysis with enough key points for the most demanding
        # audience of the job; each template takes its share.
        key_points = job.key_points or max(
            loaded.audiences[(a, job.templates_dir)].key_points for a in job.audiences
        )
        state = states[job.out_dir]
        options = BuildOptions(
            audiences=job.audiences,
            formats=job.formats,
            out_dir=job.out_dir,
            templates_dir=job.templates_dir,
            classification=job.classification,
            to=job.to,
            from_=job.from_,
            date=date,
            key_points=job.key_points,
            max_bytes=job.max_bytes,
        )
        options_key = digest("options", job.classification, job.to, job.from_, date, job.key_points)
        audiences = [loaded.audiences[(name, job.templates_dir)] for name in job.audiences]
        manifest = str(loaded.path)
        for source in job.sources:
            try:
                sha = hashes.sha256(source)
            except OSError as err:  # vanished or unreadable since the manifest was checked
                failed[source] = f"cannot read: {err.strerror or err}"
                continue
            name = _source_name(source, loaded.path)
            analysis_key = digest("analysis", name, sha, key_points, __version__)
            for audience_name, audience in zip(job.audiences, audiences, strict=False):
                for fmt in job.formats:
                    rel = job.output_name(source, audience_name, fmt)
                    output = job.out_dir / rel
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
                        version=__version__,
                        sha256="",
                        size=0,
                        mtime_ns=0,
                        manifest=manifest,
                    )
                    reason = _reason(state, record, output, force)
                    old = state.get(rel)
                    if reason is None and old.manifest != manifest:
                        state.add(replace(old, manifest=manifest))  # it is ours now
                    task = (
                        None
                        if reason is None
                        else MemoTask(
                            output=output,
                            audience=audience_name,
                            templates_dir=job.templates_dir,
                            format=fmt,
                            options=options,
                            key_points=key_points,
                            analysis_key=analysis_key,
                            brief_paths=(brief_path(job.out_dir, analysis_key),),
                        )
                    )
                    planned.append(
                        _Planned(
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


def _source_name(source: Path, manifest: Path) -> str:
    """How memos name a source: relative to the manifest's folder, with '/'."""
    return Path(os.path.relpath(source, manifest.parent)).as_posix()


def _reason(state: BuildState, new: OutputRecord, output: Path, force: bool) -> str | None:
    """Why this output must be built, or None when the file on disk is still what it would be."""
    if force:
        return "forced"
    old = state.get(new.output)
    if old is None:
        return "new"
    if old.key != new.key:
        if old.version != new.version:
            return "briefgen version changed"
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


def _stale(planned: list[_Planned], states: dict[Path, BuildState], manifest: Path) -> list[Path]:
    """Outputs this manifest built before and asks for no more. Another manifest's outputs in a
    shared folder are never ours to report or prune."""
    wanted = {(p.job.out_dir, p.record.output) for p in planned}
    stale = []
    for out_dir, state in states.items():
        stale += [
            out_dir / rel
            for rel, record in state.records.items()
            if record.manifest == str(manifest) and (out_dir, rel) not in wanted
        ]
    return sorted(stale)


def _tasks(planned: list[_Planned], manifest: Path) -> list[SourceTask]:
    """One task per source: its memos across every job, sharing one analysis per key."""
    memos: dict[Path, list[MemoTask]] = defaultdict(list)
    shas: dict[Path, str] = {}
    max_bytes: dict[Path, int] = {}
    homes: dict[str, set[Path]] = defaultdict(set)  # analysis key -> its cache files
    for p in planned:
        if p.task is None:
            continue
        memos[p.source].append(p.task)
        shas[p.source] = p.record.source_sha256
        max_bytes[p.source] = max(max_bytes.get(p.source, 0), p.job.max_bytes)
        homes[p.task.analysis_key].update(p.task.brief_paths)
    names = {source: _source_name(source, manifest) for source in memos}
    tasks = []
    for source, items in memos.items():
        items = [replace(m, brief_paths=tuple(sorted(homes[m.analysis_key]))) for m in items]
        tasks.append(
            SourceTask(
                source=source,
                name=names[source],
                sha256=shas[source],
                max_bytes=max_bytes[source],
                memos=tuple(items),
            )
        )
    # Largest sources first, so a long one does not start last and leave the other workers idle.
    tasks.sort(key=lambda t: (-_size(t.source), str(t.source)))
    return tasks


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _recorder(planned: list[_Planned], states: dict[Path, BuildState]) -> Callable[[SourceResult], None]:
    """Appends the state lines of a source's memos as soon as its result arrives, so a run that is
    interrupted (Ctrl-C, SIGTERM, a kill) keeps what it finished and the next run builds only the rest."""
    todo = {p.output: p for p in planned if p.task is not None}

    def record(result: SourceResult) -> None:
        built: dict[Path, list[OutputRecord]] = defaultdict(list)
        for memo in result.memos:
            p = todo.get(memo.output)
            if memo.ok and p is not None:
                built[p.job.out_dir].append(
                    replace(p.record, sha256=memo.sha256, size=memo.size, mtime_ns=memo.mtime_ns)
                )
        for out_dir, records in built.items():
            states[out_dir].add_many(records)

    return record


def _execute(
    runner: Any,
    tasks: list[SourceTask],
    builder: Builder,
    echo: Echo,
    progress: bool | None,
    record: Callable[[SourceResult], None],
) -> dict[Path, Any]:
    """Run the tasks; results by output path. A bar on a terminal, log lines otherwise (cron, CI)."""
    results: dict[Path, Any] = {}
    total = sum(len(t.memos) for t in tasks)
    if not tasks:
        return results
    if progress is None:
        progress = sys.stderr.isatty()
    # closing(): on Ctrl-C the executor's cleanup (stopping its workers) runs now, not at some
    # later garbage collection.
    with contextlib.closing(runner.run(tasks, builder)) as finished:
        if progress:
            import click

            with click.progressbar(
                length=total, label="building memos", file=sys.stderr, show_pos=True
            ) as bar:
                for result in finished:
                    record(result)
                    results.update(_by_output(result))
                    bar.update(len(result.memos))
            return results
        return _execute_logged(finished, total, results, echo, record)


def _execute_logged(
    finished: Iterator[SourceResult],
    total: int,
    results: dict[Path, Any],
    echo: Echo,
    record: Callable[[SourceResult], None],
) -> dict[Path, Any]:
    done = 0
    for result in finished:
        record(result)
        results.update(_by_output(result))
        done += len(result.memos)
        ok = sum(1 for m in result.memos if m.ok)
        seconds = sum(m.seconds for m in result.memos)
        failed = len(result.memos) - ok
        echo(
            f"[{done}/{total}] {display(result.source)}: {ok} built"
            + (f", {failed} failed" if failed else "")
            + f" ({seconds:.1f} s)"
        )
    return results


def _by_output(result: SourceResult) -> dict[Path, Any]:
    return {m.output: m for m in result.memos}


def _outcomes(
    planned: list[_Planned],
    results: dict[Path, Any],
    failed_sources: dict[Path, str],
    states: dict[Path, BuildState],
) -> list[OutputReport]:
    """Turn every planned output into a report line (the state was recorded as results arrived)."""
    outputs = []
    for p in planned:
        base = {"output": str(p.output), "source": str(p.source), "audience": p.audience, "format": p.format}
        if p.task is None:
            old = states[p.job.out_dir].get(p.record.output)
            outputs.append(OutputReport(**base, status=UNCHANGED, sha256=old.sha256 if old else None))
            continue
        memo = results.get(p.output)
        if memo is None or not memo.ok:
            error = memo.error if memo is not None else "not built (the run was cut short)"
            outputs.append(
                OutputReport(
                    **base, status=FAILED, error=error, seconds=memo.seconds if memo else 0.0, reason=p.reason
                )
            )
            continue
        outputs.append(
            OutputReport(**base, status=BUILT, seconds=memo.seconds, sha256=memo.sha256, reason=p.reason)
        )
    for source, error in failed_sources.items():
        outputs.append(
            OutputReport(
                output=str(source), source=str(source), audience=None, format=None, status=FAILED, error=error
            )
        )
    return outputs


def _prune(stale: list[Path], states: dict[Path, BuildState]) -> list[OutputReport]:
    """Remove outputs no job produces any more, and the folders that leaves empty."""
    outputs = []
    for path in stale:
        state = next(s for d, s in states.items() if d in path.parents)
        path.unlink(missing_ok=True)
        state.forget(path)
        folder = path.parent
        while folder != state.out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
        outputs.append(OutputReport(output=str(path), source=None, audience=None, format=None, status=PRUNED))
    return outputs


def _dry_run(
    planned: list[_Planned], failed_sources: dict[Path, str], stale: list[Path], seconds: float, echo: Echo
) -> BatchResult:
    outputs = []
    for p in planned:
        status = UNCHANGED if p.task is None else PENDING
        if p.task is not None:
            echo(f"would build {display(p.output)} ({p.reason})")
        outputs.append(
            OutputReport(
                output=str(p.output),
                source=str(p.source),
                audience=p.audience,
                format=p.format,
                status=status,
                reason=p.reason,
            )
        )
    for source, error in failed_sources.items():
        outputs.append(
            OutputReport(
                output=str(source), source=str(source), audience=None, format=None, status=FAILED, error=error
            )
        )
    outputs += [
        OutputReport(output=str(p), source=None, audience=None, format=None, status=STALE) for p in stale
    ]
    return BatchResult(
        exit_code=1 if failed_sources else 0, outputs=tuple(outputs), seconds=seconds, dry_run=True
    )
