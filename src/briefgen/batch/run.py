"""`briefgen batch`: build every memo a manifest asks for, skipping what has not changed.

The order of work, chosen so an unchanged run is cheap and a bad environment fails before any
analysis:
1. read and validate the manifest (TOML, globs, audiences: their fingerprints), the memo date,
   the output folders (writable, not a system folder, cache files where folders should be);
2. hash sources (a stat cache avoids re-reading unchanged files) and compute each memo's key;
3. compare keys with the build state next to the outputs: equal key + untouched file = unchanged;
4. only then start workers (and import spaCy and the renderers) for what is left.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import signal
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..dates import memo_date
from ..errors import BriefgenError, SettingError
from ..fsutil import check_writable, remove_stale_temps
from .cache import BuildState, SourceHashes, cache_dir, check_cache_files, code_fingerprint, inside
from .executors import make_executor
from .lock import output_locks
from .manifest import Manifest, load_manifest
from .plan import Planned, plan, stale, tasks
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
from .task import Builder, PipelineBuilder, SourceResult, SourceTask

logger = logging.getLogger(__name__)

Echo = Callable[[str], None]


@dataclass(frozen=True, kw_only=True)
class BatchOptions:
    """How to run a manifest (what to build is the manifest's business)."""

    jobs: int | None = None  # worker processes; None -> the cores this process may use
    executor: str = "local"
    scheduler: str | None = None  # a Dask scheduler address
    force: bool = False
    dry_run: bool = False
    prune: bool = False
    report_path: Path | None = None
    wait_lock: bool = False
    timeout: float | None = None  # seconds per source; overrides every job's `timeout`


def run_batch(
    manifest: Path,
    options: BatchOptions | None = None,
    *,
    echo: Echo | None = None,
    builder: Builder | None = None,
    progress: bool | None = None,
) -> BatchResult:
    """Run a manifest; raises ManifestError (exit 2) before touching anything if it is invalid.

    `builder` replaces the real pipeline (tests use a fake one); `progress` forces the progress bar
    on or off (default: on when stderr is a terminal).
    """
    options = options or BatchOptions()
    start = time.perf_counter()
    started = dt.datetime.now(dt.UTC)
    echo = echo or (lambda _line: None)
    builder = builder or PipelineBuilder()
    date = memo_date()  # once per run, so every worker agrees; a bad SOURCE_DATE_EPOCH fails here
    loaded = load_manifest(Path(manifest), audience_loader=builder.audience)
    if options.timeout is not None:
        loaded = _with_timeout(loaded, options.timeout)
    runner = make_executor(options.executor, jobs=options.jobs, scheduler=options.scheduler)
    out_dirs = loaded.out_dirs
    report = _report_path(options.report_path, out_dirs[0])
    for out_dir in out_dirs:
        check_cache_files(out_dir)
        if not options.dry_run:
            check_writable(cache_dir(out_dir))
    if options.dry_run:
        locks: Any = contextlib.nullcontext()
    else:
        locks = output_locks(out_dirs, wait=options.wait_lock, echo=echo)
    with _sigterm_as_interrupt(), locks:
        if not options.dry_run:
            for out_dir in out_dirs:  # a run killed between write and rename left these
                if removed := remove_stale_temps(out_dir):
                    logger.info("%s: removed %d temporary file(s) of an interrupted run", out_dir, removed)
        hashes = SourceHashes(out_dirs)
        states = {d: BuildState(d, read_only=options.dry_run) for d in out_dirs}
        planned, failed_sources = plan(
            loaded, hashes, states, force=options.force, date=date, code=code_fingerprint()
        )
        old = stale(planned, states, loaded.path)
        if options.dry_run:
            result = _dry_run(planned, failed_sources, old, time.perf_counter() - start, echo)
            for line in summary_lines(result):
                echo(line)
            return result
        todo = tasks(planned, loaded.path)
        logger.info(
            "%d source(s) hashed, %d memo(s) to build from %d source(s)",
            hashes.hashed,
            sum(len(t.memos) for t in todo),
            len(todo),
        )
        # Saved before the long part, so an interrupted run does not re-read every source next time.
        hashes.save(keep={p.source for p in planned})
        results = _execute(runner, todo, builder, echo, progress, _recorder(planned, states))
        outputs = _outcomes(planned, results, failed_sources, states)
        if options.prune:
            outputs += _prune(old, states)
        else:
            outputs += [_stale_report(out_dir / rel) for out_dir, rel in old]
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
            report_error = ""
    for line in summary_lines(result):
        echo(line)
    if report_error:
        raise BriefgenError(report_error)  # the memos are built; say so above, then fail in one line
    echo(f"report: {display(report)}")
    return result


def _with_timeout(loaded: Manifest, seconds: float) -> Manifest:
    """--timeout: one limit for every job of this run, over what the manifest says."""
    jobs = tuple(
        replace(job, options=job.options.model_copy(update={"timeout": float(seconds)}))
        for job in loaded.jobs
    )
    return replace(loaded, jobs=jobs)


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
                raise SettingError("report_path", str(path), f"cannot be written: {parent} is not a folder")
            break
    return path


def _recorder(planned: list[Planned], states: dict[Path, BuildState]) -> Callable[[SourceResult], None]:
    """Appends the state lines of a source's memos as soon as its result arrives, so a run that is
    interrupted (Ctrl-C, SIGTERM, a kill) keeps what it finished and the next run builds only the rest."""
    todo = {p.output: p for p in planned if p.task is not None}

    def record(result: SourceResult) -> None:
        built: dict[Path, list] = defaultdict(list)
        for memo in result.memos:
            p = todo.get(memo.output)
            if memo.ok and p is not None:
                built[p.out_dir].append(
                    replace(p.record, sha256=memo.sha256 or "", size=memo.size, mtime_ns=memo.mtime_ns)
                )
        for out_dir, records in built.items():
            states[out_dir].add_many(records)

    return record


def _execute(
    runner: Any,
    todo: list[SourceTask],
    builder: Builder,
    echo: Echo,
    progress: bool | None,
    record: Callable[[SourceResult], None],
) -> dict[Path, Any]:
    """Run the tasks; results by output path. A bar on a terminal, log lines otherwise (cron, CI)."""
    results: dict[Path, Any] = {}
    total = sum(len(t.memos) for t in todo)
    if not todo:
        return results
    if progress is None:
        progress = sys.stderr.isatty()
    # closing(): on Ctrl-C the executor's cleanup (stopping its workers) runs now, not at some
    # later garbage collection.
    with contextlib.closing(runner.run(todo, builder)) as finished:
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
    planned: list[Planned],
    results: dict[Path, Any],
    failed_sources: dict[Path, str],
    states: dict[Path, BuildState],
) -> list[OutputReport]:
    """Turn every planned output into a report line (the state was recorded as results arrived)."""
    outputs = []
    for p in planned:
        base: dict[str, Any] = {
            "output": str(p.output),
            "source": str(p.source),
            "audience": p.audience,
            "format": p.format,
        }
        if p.task is None:
            old = states[p.out_dir].get(p.record.output)
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
    outputs += _source_failures(failed_sources)
    return outputs


def _source_failures(failed_sources: dict[Path, str]) -> list[OutputReport]:
    return [
        OutputReport(
            output=str(source), source=str(source), audience=None, format=None, status=FAILED, error=error
        )
        for source, error in failed_sources.items()
    ]


def _stale_report(path: Path) -> OutputReport:
    return OutputReport(output=str(path), source=None, audience=None, format=None, status=STALE)


def _prune(old: list[tuple[Path, str]], states: dict[Path, BuildState]) -> list[OutputReport]:
    """Remove outputs no job produces any more, and the folders that leaves empty. Only inside
    the output folder: every path is checked again here (the state was checked when loaded)."""
    outputs = []
    for out_dir, rel in old:
        state = states[out_dir]
        path = inside(out_dir, rel)
        if path is None:
            logger.warning("%s: not pruning %r, which is not inside it", out_dir, rel)
            continue
        link = out_dir / rel  # the name inside the folder (a link is removed, never its target)
        link.unlink(missing_ok=True)
        state.forget(link)
        folder = link.parent
        while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
        outputs.append(OutputReport(output=str(link), source=None, audience=None, format=None, status=PRUNED))
    return outputs


def _dry_run(
    planned: list[Planned],
    failed_sources: dict[Path, str],
    old: list[tuple[Path, str]],
    seconds: float,
    echo: Echo,
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
    outputs += _source_failures(failed_sources)
    outputs += [_stale_report(out_dir / rel) for out_dir, rel in old]
    return BatchResult(
        exit_code=1 if failed_sources else 0, outputs=tuple(outputs), seconds=seconds, dry_run=True
    )


__all__ = ["BUILT", "BatchOptions", "BatchResult", "Terminated", "run_batch"]
