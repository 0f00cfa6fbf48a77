"""Where batch work runs: inline, a local process pool, or a Dask cluster.

The unit of work is one source: its analysis is loaded from the cache or computed once, then every
audience x format memo of that source is rendered from it. Workers read sources and write outputs
themselves (through paths every worker shares), and send back only small results.

The heavy steps sit behind a `Builder` so tests can swap in a fake one; the real `PipelineBuilder`
imports spaCy and the renderers lazily, once per worker process.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import logging
import multiprocessing
import os
import re
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from .cache import load_brief, sha256_bytes, store_brief
from .errors import BriefgenError, SourceError
from .fsutil import write_atomic
from .options import BuildOptions

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = "10s"  # how long to try a --scheduler address before giving up

# The readers' and the pipeline's messages are shared with `briefgen extract/build` and name their
# command-line options; a batch sets the same limits in the manifest (or not at all), so its
# summary must not send people to an option `batch` does not have.
_BATCH_HINTS = (
    (re.compile(r"raise it with --max-bytes"), "raise it with the manifest key max_bytes"),
    (re.compile(r",? or raise the limit with --max-chars"), ""),
)


@dataclass(frozen=True, kw_only=True)
class MemoTask:
    output: Path
    audience: str
    templates_dir: Path | None
    format: str
    options: BuildOptions
    key_points: int  # the number the analysis is run with (job setting, else the audience's)
    analysis_key: str
    brief_paths: tuple[Path, ...]  # where that analysis is cached (one per output folder)


@dataclass(frozen=True, kw_only=True)
class SourceTask:
    source: Path  # absolute: what a worker opens
    name: str  # the path memos print: relative to the manifest, the same on every machine
    sha256: str
    max_bytes: int
    memos: tuple[MemoTask, ...]


@dataclass(frozen=True, kw_only=True)
class MemoResult:
    output: Path
    ok: bool
    seconds: float
    error: str | None = None
    sha256: str | None = None
    size: int = 0
    mtime_ns: int = 0


@dataclass(frozen=True, kw_only=True)
class SourceResult:
    source: Path
    memos: tuple[MemoResult, ...]
    analysed: int = 0  # analyses computed here rather than read from the cache


class Builder(Protocol):
    """The three heavy steps a worker needs; picklable so it can travel to any worker."""

    def warm(self) -> None: ...
    def audience(self, name: str, templates_dir: Path | None) -> Any: ...
    def extract(self, path: Path, *, key_points: int, max_bytes: int) -> Any: ...
    def render(
        self, brief: Any, audience: Any, formats: tuple[str, ...], options: BuildOptions
    ) -> dict[str, bytes]: ...


class PipelineBuilder:
    """The real pipeline: `pipeline.extract` and `build.render_formats` (render_memo for several formats)."""

    def warm(self) -> None:
        """Load spaCy, the templates' machinery and the renderers' fonts once per process."""
        from . import build, nlp  # noqa: F401 - the modules every memo needs
        from .render.blocks import parse
        from .render.docx import render_docx
        from .render.pdf import render_pdf
        from .render.style import DocInfo, Style

        nlp.sentencizer()
        nlp.model()
        # A throw-away memo registers the fonts and fills the renderers' caches, so the first real
        # memo of a worker costs what every later one does.
        blocks = parse("# Warm-up\n\nLoads the fonts once per worker.")
        info = DocInfo(title="warm-up", author="briefgen")
        render_pdf(blocks, Style(), info)
        render_docx(blocks, Style(), info)

    def audience(self, name: str, templates_dir: Path | None) -> Any:
        return _load_audience(name, templates_dir)

    def extract(self, path: Path, *, key_points: int, max_bytes: int) -> Any:
        from .pipeline import extract

        return extract(path, key_points=key_points, max_bytes=max_bytes)

    def render(
        self, brief: Any, audience: Any, formats: tuple[str, ...], options: BuildOptions
    ) -> dict[str, bytes]:
        from .build import render_formats

        return render_formats(brief, audience, formats, options)


@functools.lru_cache(maxsize=64)
def _audience_cached(name: str, templates_dir: Path | None, _stamp: tuple) -> Any:
    from .audiences import load_audience

    return load_audience(name, templates_dir)


def _load_audience(name: str, templates_dir: Path | None) -> Any:
    # A Dask worker lives across runs: key the per-process cache on the folder's mtimes so an
    # edited template is picked up, while a run still parses each audience once per worker.
    return _audience_cached(name, templates_dir, _folder_stamp(templates_dir))


def _folder_stamp(folder: Path | None) -> tuple:
    if folder is None:
        return ()
    stamp = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            st = os.stat(os.path.join(root, name))
            stamp.append((root, name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(stamp))


def run_source_task(task: SourceTask, builder: Builder) -> SourceResult:
    """Analyse one source (or reuse its cached analysis) and write all of its memos.

    The formats of one audience are rendered together: the memo is composed (and, for a page
    limit, fitted) once and both renderers get the same blocks, as in `briefgen build`.
    """
    briefs: dict[str, Any] = {}  # analysis key -> Brief, or the error message it failed with
    analysed = 0
    groups: dict[tuple, list[MemoTask]] = {}
    for memo in task.memos:
        groups.setdefault((memo.analysis_key, memo.audience, memo.templates_dir, memo.options), []).append(
            memo
        )
    results = []
    for (analysis_key, name, templates_dir, options), memos in groups.items():
        start = time.perf_counter()
        try:
            if analysis_key not in briefs:
                briefs[analysis_key], computed = _analysis(task, memos[0], builder)
                analysed += computed
            brief = briefs[analysis_key]
            if isinstance(brief, str):
                raise _Failed(brief)
            audience = builder.audience(name, templates_dir)
            rendered = builder.render(brief, audience, tuple(m.format for m in memos), options)
        except Exception as err:
            seconds = (time.perf_counter() - start) / len(memos)
            results += [
                MemoResult(output=m.output, ok=False, seconds=seconds, error=_message(err)) for m in memos
            ]
            continue
        seconds = (time.perf_counter() - start) / len(memos)  # shared work, shared evenly
        for memo in memos:
            results.append(_write(memo, rendered[memo.format], seconds))
    return SourceResult(source=task.source, memos=tuple(results), analysed=analysed)


def _write(memo: MemoTask, data: bytes, seconds: float) -> MemoResult:
    try:
        write_atomic(memo.output, data)
        st = os.stat(memo.output)
    except OSError as err:
        return MemoResult(
            output=memo.output,
            ok=False,
            seconds=seconds,
            error=f"cannot write {memo.output}: {err.strerror or err}",
        )
    return MemoResult(
        output=memo.output,
        ok=True,
        seconds=seconds,
        sha256=sha256_bytes(data),
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
    )


class _Failed(Exception):
    """The analysis this memo needs already failed; carries that message."""


def _analysis(task: SourceTask, memo: MemoTask, builder: Builder) -> tuple[Any, int]:
    """The Brief from the cache, else computed and cached; a failure becomes its message."""
    for path in memo.brief_paths:
        brief = load_brief(path, task.sha256)
        if brief is not None:
            for other in memo.brief_paths:
                if other != path and not other.exists():
                    store_brief(other, brief, task.sha256)
            return brief, 0
    try:
        brief = builder.extract(task.source, key_points=memo.key_points, max_bytes=task.max_bytes)
    except Exception as err:
        return _message(err), 1
    # Memos cite the source file: name it as the manifest does, not by this machine's absolute
    # path, so every worker (and every checkout) writes the same bytes.
    brief = replace(brief, source=replace(brief.source, path=task.name))
    for path in memo.brief_paths:
        store_brief(path, brief, task.sha256)
    return brief, 1


def _message(err: Exception) -> str:
    """One line for the summary; the source is named next to it, so SourceError gives its problem."""
    if isinstance(err, SourceError):
        text = err.problem
    elif isinstance(err, (BriefgenError, _Failed)):
        text = str(err)
    else:
        text = f"internal error: {type(err).__name__}: {err}"
    for pattern, hint in _BATCH_HINTS:
        text = pattern.sub(hint, text)
    return " ".join(text.split())  # one line in the summary and the report, whatever it said


def _failed(task: SourceTask, message: str) -> SourceResult:
    return SourceResult(
        source=task.source,
        memos=tuple(MemoResult(output=m.output, ok=False, seconds=0.0, error=message) for m in task.memos),
    )


def _warm(builder: Builder) -> None:
    try:
        builder.warm()
    except Exception as err:
        logger.warning("worker warm-up failed: %s", err)


class LocalExecutor:
    """A process pool of `jobs` workers; with one worker (or one task) it runs in this process.

    A worker that dies (the OOM killer, a segfault in a native library) breaks a
    ProcessPoolExecutor for every source still queued; the pool is then restarted and those sources
    retried. Only a source that was running in a dead worker twice is given up, as `WORKER_CRASHED`.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)

    def run(self, tasks: Sequence[SourceTask], builder: Builder) -> Iterator[SourceResult]:
        if self.jobs == 1 or len(tasks) <= 1:
            for task in tasks:
                yield run_source_task(task, builder)
            return
        # Warm up here, then fork: the workers share the loaded spaCy model and fonts
        # (copy-on-write) instead of each spending seconds loading its own copy.
        _warm(builder)
        pending = dict(enumerate(tasks))
        crashes: Counter[int] = Counter()  # task index -> pools that died while it was running
        unexplained = 0  # pools that died with no source to blame (e.g. during warm-up)
        with tempfile.TemporaryDirectory(prefix="briefgen-pool-") as board:
            for attempt in itertools.count():
                if not pending:
                    return
                folder = Path(board) / str(attempt)  # fresh per pool: pids may be reused
                folder.mkdir()
                suspects = yield from self._pool(pending, builder, folder)
                if not pending:
                    return
                logger.warning(
                    "a worker process died; restarting the pool for the %d source(s) left", len(pending)
                )
                unexplained += not suspects
                for index in suspects or ():
                    crashes[index] += 1
                    if crashes[index] >= MAX_CRASHES:
                        yield _failed(pending.pop(index), WORKER_CRASHED)
                if unexplained >= MAX_CRASHES:
                    for index in list(pending):
                        yield _failed(pending.pop(index), WORKER_CRASHED)

    def _pool(
        self, pending: dict[int, SourceTask], builder: Builder, board: Path
    ) -> Generator[SourceResult, None, set[int]]:
        """Run `pending` in one pool, removing each task as its result is yielded; returns the
        tasks to blame when a worker died, or an empty set when all went well."""
        pool = ProcessPoolExecutor(
            max_workers=min(self.jobs, len(pending)),
            mp_context=_fork_context(),
            initializer=_init_worker,
            initargs=(os.getpid(), builder),
        )
        broken = False
        try:
            futures = {
                pool.submit(_run_marked, index, task, builder, board): index
                for index, task in pending.items()
            }
            # pid -> Process (fork starts them all at the first submit): their exit codes tell the
            # worker that died from the ones the pool then stopped.
            processes = dict(getattr(pool, "_processes", None) or {})
            for future in as_completed(futures):
                index = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                except Exception as err:
                    result = _failed(pending[index], f"worker failed: {type(err).__name__}: {err}")
                del pending[index]
                yield result
        except BaseException:
            # Ctrl-C, SIGTERM or the consumer stopping: the workers ignore SIGINT and would finish
            # their current source first; end them now instead.
            _stop(pool)
            raise
        pool.shutdown(wait=True)
        return _suspects(board, processes, pending) if broken else set()


MAX_CRASHES = 2  # a source running in a worker that died this many times is given up
WORKER_CRASHED = "worker crashed (killed by the system? out of memory?)"


def _run_marked(index: int, task: SourceTask, builder: Builder, board: Path) -> SourceResult:
    """run_source_task, after noting which task this worker process is on (for `_suspects`)."""
    (board / str(os.getpid())).write_text(str(index))
    return run_source_task(task, builder)


def _suspects(board: Path, processes: dict[int, Any], pending: dict[int, SourceTask]) -> set[int]:
    """The unfinished tasks that were running in the worker(s) that died on their own.

    When a worker dies the pool terminates the others (SIGTERM); a worker with any other exit code
    is the one that died. If that cannot be told apart, every unfinished running task is suspect.
    """
    running: dict[int, int] = {}  # pid -> task index
    for pid in processes:
        try:
            index = int((board / str(pid)).read_text())
        except (OSError, ValueError):
            continue  # never started a task
        if index in pending:
            running[pid] = index
    died = {
        index for pid, index in running.items() if processes[pid].exitcode not in (None, 0, -signal.SIGTERM)
    }
    return died or set(running.values())


def _stop(pool: ProcessPoolExecutor) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _init_worker(parent: int, builder: Builder) -> None:
    """Set up a pool worker: signals, a tie to its parent, then the warm-up."""
    # Ctrl-C reaches the whole process group; the parent decides what happens (it stops the pool),
    # so a worker is not cut off mid-write on its own. SIGTERM goes back to its default (forked
    # from a parent that turns it into an exception): when the pool ends a worker, it ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    _warm(builder)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 1.0


def _die_with_parent(parent: int) -> None:
    """A worker whose parent was killed (kill -9, an OOM kill) would otherwise live on under PID 1.

    On Linux the kernel kills it (PR_SET_PDEATHSIG; there is no Python API, hence ctypes); a thread
    that checks the parent's pid covers other systems and any sandbox that ignores the prctl.
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError) as err:
            logger.debug("PR_SET_PDEATHSIG unavailable: %s", err)
    threading.Thread(target=_watch_parent, args=(parent,), name="briefgen-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before we were tied to it
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)  # no cleanup: the parent is gone, nothing waits for us


def _fork_context():
    """fork where the platform has it (Linux, and macOS on request); the default elsewhere."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


class DaskExecutor:
    """The same tasks on a Dask cluster: a scheduler address, or a loopback LocalCluster."""

    def __init__(self, scheduler: str | None, jobs: int) -> None:
        self.scheduler = scheduler
        self.jobs = max(1, jobs)

    def run(self, tasks: Sequence[SourceTask], builder: Builder) -> Iterator[SourceResult]:
        distributed = _import_distributed()
        if not tasks:
            return
        cluster = None
        if self.scheduler:
            try:
                client = distributed.Client(self.scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as err:
                raise BriefgenError(f"cannot reach the Dask scheduler at {self.scheduler}: {err}") from None
        else:
            # Loopback only: a private cluster for this run must not be reachable from the network.
            cluster = distributed.LocalCluster(
                n_workers=min(self.jobs, len(tasks)),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
                silence_logs=_quiet(),
            )
            client = distributed.Client(cluster)
        futures: dict = {}
        try:
            try:
                client.run(_warm, builder)
            except Exception as err:
                logger.warning("could not warm the Dask workers: %s", err)
            futures = {client.submit(run_source_task, task, builder, pure=False): task for task in tasks}
            for future in distributed.as_completed(list(futures)):
                try:
                    yield future.result()
                except Exception as err:
                    yield _failed(futures[future], f"Dask task failed: {type(err).__name__}: {err}")
        finally:
            if futures:
                client.cancel(list(futures))
            client.close()
            if cluster is not None:
                cluster.close()


def _import_distributed():
    try:
        import dask.distributed as distributed  # noqa: PLR0402 - the submodule import fails when Dask is absent
    except ImportError:
        raise BriefgenError("the dask executor needs Dask: pip install 'briefgen[dask]'") from None
    # Dask sets its own loggers to INFO on import; a cron log should hold our lines, not the
    # scheduler's. They come back with --verbose (our logger at INFO).
    logging.getLogger("distributed").setLevel(_quiet())
    return distributed


def _quiet() -> int:
    return logging.INFO if logger.isEnabledFor(logging.INFO) else logging.ERROR


def _cores() -> int:
    """The cores this process may use (a container or taskset may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def make_executor(kind: str, *, jobs: int | None, scheduler: str | None):
    jobs = jobs or _cores()
    if kind == "local":
        if scheduler:
            raise BriefgenError("--scheduler only applies to --executor dask")
        return LocalExecutor(jobs)
    if kind == "dask":
        return DaskExecutor(scheduler, jobs)
    raise BriefgenError(f"unknown executor {kind!r} (expected local or dask)")
