"""The local process pool: its lifecycle (start, warm, watch, restart, stop) for batch tasks.

Workers are forked after the parent has loaded spaCy and the fonts (copy-on-write: each worker
shares the loaded model instead of spending seconds and ~160 MB loading its own). A worker that
dies (the OOM killer, a segfault in a native library) breaks a ProcessPoolExecutor for every source
still queued; the pool is then restarted and those sources retried. Only a source that was running
in a dead worker twice is given up. A source that overruns its time limit inside C code (where the
worker's own timer cannot reach) is ended by the parent: that worker is killed, the source fails
with the limit named, and the others go on in a fresh pool.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ..limits import timeout_error
from .report import batch_message
from .task import Builder, SourceResult, SourceTask, failed_result, run_source_task, warm

logger = logging.getLogger(__name__)

MAX_CRASHES = 2  # a source running in a worker that died this many times is given up
WORKER_CRASHED = "worker crashed (killed by the system? out of memory?)"
GRACE_SECONDS = 5.0  # at least this long after the limit before the parent kills a worker
POLL_SECONDS = 0.5  # how often the parent looks for a worker past its source's time limit


def hard_limit(timeout: float) -> float:
    """When the parent kills a worker: the worker's own timer gets the first chance to end the
    source cleanly; this is for code that never returns to Python."""
    return timeout + max(GRACE_SECONDS, 0.1 * timeout)


class LocalExecutor:
    """A process pool of `jobs` workers; with one worker (or one task) it runs in this process."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)

    def run(self, tasks: Sequence[SourceTask], builder: Builder) -> Iterator[SourceResult]:
        if self.jobs == 1 or len(tasks) <= 1:
            for task in tasks:
                yield run_source_task(task, builder)
            return
        # Warm up here, then fork: the workers share the loaded spaCy model and fonts.
        warm(builder)
        pending = dict(enumerate(tasks))
        crashes: Counter[int] = Counter()  # task index -> pools that died while it was running
        unexplained = 0  # pools that died with no source to blame (e.g. during warm-up)
        with tempfile.TemporaryDirectory(prefix="briefgen-pool-") as board:
            for attempt in itertools.count():
                if not pending:
                    return
                folder = Path(board) / str(attempt)  # fresh per pool: pids may be reused
                folder.mkdir()
                suspects, overran = yield from self._pool(pending, builder, folder)
                for index in overran:
                    task = pending.pop(index)
                    yield failed_result(task, batch_message(timeout_error(task.name, task.timeout)))
                if not pending:
                    return
                suspects -= overran
                if not overran:
                    logger.warning(
                        "a worker process died; restarting the pool for the %d source(s) left", len(pending)
                    )
                    unexplained += not suspects
                for index in suspects:
                    crashes[index] += 1
                    if crashes[index] >= MAX_CRASHES:
                        yield failed_result(pending.pop(index), WORKER_CRASHED)
                if unexplained >= MAX_CRASHES:
                    for index in list(pending):
                        yield failed_result(pending.pop(index), WORKER_CRASHED)

    def _pool(
        self, pending: dict[int, SourceTask], builder: Builder, board: Path
    ) -> Generator[SourceResult, None, tuple[set[int], set[int]]]:
        """Run `pending` in one pool, removing each task as its result is yielded. Returns the
        tasks to blame when a worker died, and the tasks whose worker was killed for overrunning."""
        pool = ProcessPoolExecutor(
            max_workers=min(self.jobs, len(pending)),
            mp_context=_fork_context(),
            initializer=_init_worker,
            initargs=(os.getpid(), builder),
        )
        broken = False
        overran: set[int] = set()
        try:
            futures = {
                pool.submit(_run_marked, index, task, builder, board): index
                for index, task in pending.items()
            }
            # pid -> Process (fork starts them all at the first submit): their exit codes tell the
            # worker that died from the ones the pool then stopped.
            processes = dict(getattr(pool, "_processes", None) or {})
            waiting = set(futures)
            while waiting:
                done, waiting = wait(waiting, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                for future in done:
                    index = futures[future]
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    except Exception as err:
                        result = failed_result(pending[index], f"worker failed: {type(err).__name__}: {err}")
                    del pending[index]
                    yield result
                if not broken:
                    overran |= _kill_overrunning(board, pending)
        except BaseException:
            # Ctrl-C, SIGTERM or the consumer stopping: the workers ignore SIGINT and would finish
            # their current source first; end them now instead.
            _stop(pool)
            raise
        pool.shutdown(wait=True)
        suspects = _suspects(board, processes, pending) if broken else set()
        return suspects, overran & set(pending)


def _run_marked(index: int, task: SourceTask, builder: Builder, board: Path) -> SourceResult:
    """run_source_task, after noting which task this worker process is on and since when (for
    `_suspects` and `_kill_overrunning`)."""
    (board / str(os.getpid())).write_text(f"{index} {time.time()}")
    return run_source_task(task, builder)


def _running(board: Path) -> dict[int, tuple[int, float]]:
    """pid -> (task index, start time) of every worker that has started a task in this pool."""
    running = {}
    for entry in board.iterdir():
        try:
            index, started = entry.read_text().split()
            running[int(entry.name)] = (int(index), float(started))
        except (OSError, ValueError):
            continue
    return running


def _kill_overrunning(board: Path, pending: dict[int, SourceTask]) -> set[int]:
    """Kill every worker still on a task past its hard limit; returns those tasks."""
    killed = set()
    now = time.time()
    for pid, (index, started) in _running(board).items():
        task = pending.get(index)
        if task is not None and task.timeout and now - started > hard_limit(task.timeout):
            logger.warning("%s: over its time limit; stopping its worker (pid %d)", task.name, pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            killed.add(index)
    return killed


def _suspects(board: Path, processes: dict[int, Any], pending: dict[int, SourceTask]) -> set[int]:
    """The unfinished tasks that were running in the worker(s) that died on their own.

    When a worker dies the pool terminates the others (SIGTERM); a worker with any other exit code
    is the one that died. If that cannot be told apart, every unfinished running task is suspect.
    """
    running = {
        pid: index
        for pid, (index, _started) in _running(board).items()
        if pid in processes and index in pending
    }
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
    warm(builder)  # already loaded before the fork: this only fills what the fork did not share


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


def _fork_context() -> Any:
    """fork where the platform has it (Linux, and macOS on request); the default elsewhere."""
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None
