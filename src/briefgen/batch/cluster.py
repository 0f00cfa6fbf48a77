"""The same tasks on a Dask cluster: a scheduler address, or a loopback LocalCluster.

Bounded by design: each worker process loads the model once (a worker plugin, run again by any
worker the nanny restarts), a source whose worker keeps dying is given up after `MAX_CRASHES`
tries (the scheduler's allowed-failures), a source past its time limit is failed and cancelled,
and a cluster that makes no progress with no workers for `STALL_SECONDS`, or that cannot be
reached any more, fails the sources left with one line each instead of hanging.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

import dask
import dask.distributed as distributed  # noqa: PLR0402 - executors.make_executor checked it imports
from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import BriefgenError
from ..limits import timeout_error
from .pool import MAX_CRASHES, WORKER_CRASHED, hard_limit
from .report import batch_message
from .task import Builder, SourceResult, SourceTask, failed_result, run_source_task, warm

logger = logging.getLogger(__name__)

# What a future raises when the client lost its scheduler (Dask cancels every future it had).
_LOST = {"CancelledError", "FutureCancelledError", "FuturesCancelledError", "CommClosedError"}
CONNECT_TIMEOUT = "10s"  # how long to try a --scheduler address before giving up
STALL_SECONDS = 60.0  # no worker and no result for this long: the cluster is lost
POLL_SECONDS = 1.0


class DaskExecutor:
    def __init__(self, scheduler: str | None, jobs: int) -> None:
        self.scheduler = scheduler
        self.jobs = max(1, jobs)

    def run(self, tasks: Sequence[SourceTask], builder: Builder) -> Iterator[SourceResult]:
        _quiet_dask()
        if not tasks:
            return
        cluster = None
        # A worker killed while running a task counts as one failure of that task; past the limit
        # the scheduler gives it up (KilledWorker) instead of retrying it for ever. The setting is
        # read by a scheduler this process starts; a remote scheduler keeps its own.
        with dask.config.set({"distributed.scheduler.allowed-failures": MAX_CRASHES - 1}):
            if self.scheduler:
                try:
                    client = distributed.Client(self.scheduler, timeout=CONNECT_TIMEOUT)
                except (OSError, TimeoutError) as err:
                    raise BriefgenError(
                        f"cannot reach the Dask scheduler at {self.scheduler}: {err}"
                    ) from None
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
                client.register_plugin(_WarmPlugin(builder), name="briefgen-warm")
            except Exception as err:
                logger.warning("could not warm the Dask workers: %s", err)
            futures = {client.submit(run_source_task, task, builder, pure=False): task for task in tasks}
            yield from _collect(client, futures)
        finally:
            _close(client, cluster, futures)


class _WarmPlugin(WorkerPlugin):
    """Loads the model and fonts once per worker process, when the worker starts (or joins)."""

    name = "briefgen-warm"

    def __init__(self, builder: Builder) -> None:
        self.builder = builder

    def setup(self, worker: Any) -> None:
        warm(self.builder)

    def teardown(self, worker: Any) -> None:
        pass


def _collect(client: Any, futures: dict) -> Iterator[SourceResult]:
    """Results as they finish; a source past its limit or a lost cluster ends in bounded time."""
    waiting = set(futures)
    started = time.monotonic()
    last_progress = started
    while waiting:
        try:
            done, waiting = distributed.wait(waiting, timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
        except distributed.TimeoutError:
            done = set()
        except Exception as err:  # the scheduler went away: Dask cancels every future
            yield from _fail_all(
                futures, waiting, f"lost the connection to the Dask cluster ({type(err).__name__})"
            )
            return
        for future in done:
            task = futures[future]
            last_progress = time.monotonic()
            try:
                yield future.result()
            except Exception as err:
                kind = type(err).__name__
                if kind == "KilledWorker":
                    message = WORKER_CRASHED
                elif kind in _LOST:
                    message = f"lost the connection to the Dask cluster ({kind})"
                else:
                    message = f"Dask task failed: {_one_line(err)}"
                yield failed_result(task, message)
        now = time.monotonic()
        depth = _queue_depth(futures, client)  # once per round: it asks the scheduler
        for future in list(waiting):
            task = futures[future]
            # Time from submission: an upper bound on the source's own time, which Dask does not
            # report; a queued source is not failed before it could have run its full limit.
            if task.timeout and now - started > hard_limit(task.timeout) * depth:
                future.cancel()
                waiting.discard(future)
                yield failed_result(task, batch_message(timeout_error(task.name, task.timeout)))
        if waiting and now - last_progress > STALL_SECONDS and not _workers(client):
            yield from _fail_all(
                futures, waiting, f"the Dask cluster has had no workers for {STALL_SECONDS:g} s; gave up"
            )
            return


def _queue_depth(futures: dict, client: Any) -> int:
    """How many rounds the cluster needs for all sources: with 2 workers and 6 sources, 3."""
    workers = max(1, _workers(client))
    return max(1, -(-len(futures) // workers))


def _workers(client: Any) -> int:
    try:
        return len(client.scheduler_info().get("workers", {}))
    except Exception:
        return 0


def _fail_all(futures: dict, waiting: set, message: str) -> Iterator[SourceResult]:
    for future in waiting:
        yield failed_result(futures[future], message)


def _one_line(err: BaseException) -> str:
    return " ".join(f"{type(err).__name__}: {err}".split())


def _close(client: Any, cluster: Any, futures: dict) -> None:
    """Stop everything; a cluster that is already gone must not turn into a traceback here."""
    for action in (
        lambda: client.cancel(list(futures)) if futures else None,
        client.close,
        lambda: cluster.close() if cluster is not None else None,
    ):
        try:
            action()
        except Exception as err:
            logger.debug("closing the Dask client: %s", err)


def _quiet_dask() -> None:
    """Dask sets its own loggers to INFO on import; a cron log should hold our lines, not the
    scheduler's (nor the nanny's tracebacks when a worker is killed). Back with --verbose."""
    level = _quiet()
    logging.getLogger("distributed").setLevel(level)
    for name in list(logging.root.manager.loggerDict):  # Dask's config gives some their own level
        if name.startswith("distributed."):
            logging.getLogger(name).setLevel(level)


def _quiet() -> int:
    return logging.INFO if logger.isEnabledFor(logging.INFO) else logging.CRITICAL
